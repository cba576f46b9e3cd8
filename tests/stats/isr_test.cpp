// Indirectly standardised ratios and rates against isr_isratio.csv (testdata_DSR_ISR.xlsx, sheet
// testresults_ISR rows 2-17; each vector's row and input sheet is in its `source` column and in
// any failure message).
#include <gtest/gtest.h>

#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;
using testing::numbers;

TEST(Isr, MatchesEveryPheIndicatorMethodsVector) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("isr_isratio.csv");
  Checker asserted, not_asserted;
  int n_asserted = 0, n_not_asserted = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ", " + cell("status") + ")");
    const bool is_asserted = cell("status") == "asserted";
    ASSERT_TRUE(is_asserted || cell("status") == "not_asserted");
    (is_asserted ? n_asserted : n_not_asserted)++;
    Checker& check = is_asserted ? asserted : not_asserted;
    const std::vector<double> pop = numbers(cell("pop_by_band")), ref_count = numbers(cell("refcount_by_band")),
                              ref_pop = numbers(cell("refpop_by_band"));
    std::vector<double> count = numbers(cell("count_by_band"));
    count.resize(pop.size(), std::nan(""));  // absent when the observed total is supplied
    std::vector<IsrBand> bands;
    for (std::size_t b = 0; b < pop.size(); ++b) bands.push_back({count[b], pop[b], ref_count[b], ref_pop[b]});
    const double observed = cell("observed_total").empty() ? observed_events(bands) : number(cell("observed_total"));
    const double expected = expected_events(bands);
    const double conf = number(cell("confidence"));
    check.close(observed, number(cell("observed")), "observed");
    check.close(expected, number(cell("expected")), "expected");
    Estimate e;
    if (cell("function") == "ISRatio") {
      // A ratio's scale is its `refvalue` (calculate_ISRatio's reference ratio: 1 or 100).
      e = isr_ratio(observed, expected, conf, number(cell("refvalue")));
    } else {
      ASSERT_EQ(cell("function"), "ISRate");
      const double multiplier = number(cell("multiplier"));
      check.close(reference_rate(bands) * multiplier, number(cell("ref_rate")), "ref_rate");
      e = isr_rate(observed, expected, reference_rate(bands), conf, multiplier);
    }
    check.close(e.value, number(cell("value")), "value");
    check.close(e.lower, number(cell("lowercl")), "lower");
    check.close(e.upper, number(cell("uppercl")), "upper");
    EXPECT_STREQ(method_name(e.method), cell("method").c_str());
  }
  EXPECT_EQ(n_asserted, 27);
  EXPECT_EQ(n_not_asserted, 6);
  testing::report("ISR ratios and rates, asserted", n_asserted, asserted);
  testing::report("ISR ratios and rates, not asserted upstream", n_not_asserted, not_asserted);
}

TEST(Isr, RejectsImpossibleInputs) {
  const IsrBand no_reference_population[] = {{1, 100, 5, 0}};
  const IsrBand negative_count[] = {{-1, 100, 5, 1000}};
  EXPECT_THROW(expected_events(no_reference_population), ArgumentError);
  EXPECT_THROW(observed_events(negative_count), ArgumentError);
  EXPECT_THROW(isr_ratio(-3, 10, 0.95), ArgumentError);
  EXPECT_THROW(isr_ratio(3, 10, 0.5), ArgumentError);
}

TEST(Isr, NothingExpectedGivesNoRatio) {
  EXPECT_TRUE(std::isnan(isr_ratio(3, 0, 0.95).value));
}

}  // namespace
}  // namespace severn::stats
