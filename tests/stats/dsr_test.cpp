// Directly standardised rates with Dobson limits against dsr_dobson_esp2013.csv
// (testdata_DSR_ISR.xlsx, sheet testresults_DSR rows 2-13; each vector's row is in its `source`
// column and in any failure message).
#include <gtest/gtest.h>

#include "pack.h"
#include "refdata/standards.h"
#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;
using testing::numbers;

TEST(Dsr, MatchesEveryPheIndicatorMethodsVector) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("dsr_dobson_esp2013.csv");
  Checker asserted, not_asserted, corrected;
  int n_asserted = 0, n_not_asserted = 0, n_workbook_error = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ", " + cell("status") + ")");
    const std::string& status = cell("status");
    Checker& check = status == "asserted" ? asserted : status == "not_asserted" ? not_asserted : corrected;
    (status == "asserted" ? n_asserted : status == "not_asserted" ? n_not_asserted : n_workbook_error)++;
    const double conf = number(cell("confidence")), multiplier = number(cell("multiplier"));
    const std::vector<double> pop = numbers(cell("pop_by_band")), standard = numbers(cell("stdpop_by_band"));
    Estimate e;
    if (cell("independent_events") == "TRUE") {
      const std::vector<double> count = numbers(cell("count_by_band"));
      ASSERT_EQ(count.size(), pop.size());
      std::vector<DsrBand> bands;
      for (std::size_t b = 0; b < pop.size(); ++b) bands.push_back({count[b], pop[b], standard[b]});
      e = dsr(bands, conf, multiplier);
    } else {
      std::vector<std::vector<double>> persons;
      for (const char* f : {"persons_f1_by_band", "persons_f2_by_band", "persons_f3_by_band", "persons_f4_by_band"})
        if (!cell(f).empty()) persons.push_back(numbers(cell(f)));
      e = dsr_nonindependent(pop, standard, persons, conf, multiplier);
    }
    double lower = number(cell("lowercl")), upper = number(cell("uppercl"));
    if (status == "workbook_error") {
      // The workbook's 99.8% limits for testdata_1976 are 10x too large (testdata/README.md, section
      // 6, gives the correct per-100,000 values); compare with those.
      ASSERT_EQ(conf, 0.998);
      lower = 7659.282106568957 * multiplier / 100000;
      upper = 9599.2117985717 * multiplier / 100000;
    }
    check.close(e.value, number(cell("value")), "value");
    check.close(e.lower, lower, "lower");
    check.close(e.upper, upper, "upper");
    EXPECT_EQ(e.method, Method::kDobson);
  }
  EXPECT_EQ(n_asserted, 18);
  EXPECT_EQ(n_not_asserted, 4);
  EXPECT_EQ(n_workbook_error, 2);
  testing::report("DSR (Dobson), asserted", n_asserted, asserted);
  testing::report("DSR (Dobson), not asserted upstream", n_not_asserted, not_asserted);
  testing::report("DSR (Dobson), workbook errors against corrected values", n_workbook_error, corrected);
}

// The vectors' ESP 2013 weights are the ones the reference-data pack ships.
TEST(Dsr, PackEsp2013IsTheVectorsStandard) {
  SEVERN_REQUIRE_TESTDATA();
  SEVERN_REQUIRE_PACK();
  const auto esp = refdata::load_esp2013(refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR));
  const CsvTable t = testing::load_vectors("dsr_dobson_esp2013.csv");
  const std::vector<double> standard = numbers(t.cell(0, "stdpop_by_band"));
  ASSERT_EQ(t.cell(0, "stdpop_name"), "ESP2013");
  ASSERT_EQ(esp.size(), standard.size());
  for (std::size_t b = 0; b < esp.size(); ++b) EXPECT_EQ(esp[b].weight, standard[b]) << esp[b].band;
}

TEST(Dsr, FewerThanTenEventsAreSuppressed) {
  const DsrBand nine[] = {{4, 100, 1}, {5, 100, 1}}, ten[] = {{5, 100, 1}, {5, 100, 1}};
  EXPECT_TRUE(std::isnan(dsr(nine, 0.95).value));
  EXPECT_DOUBLE_EQ(dsr(ten, 0.95, 100).value, 5.0);
}

// The error cases testDSR.R asserts: negative count, non-positive population, negative standard.
TEST(Dsr, RejectsImpossibleInputs) {
  const DsrBand negative_count[] = {{-1, 100, 1}, {20, 100, 1}};
  const DsrBand zero_population[] = {{1, 0, 1}, {20, 100, 1}};
  const DsrBand missing_population[] = {{1, std::nan(""), 1}, {20, 100, 1}};
  const DsrBand negative_standard[] = {{1, 100, -1}, {20, 100, 1}};
  EXPECT_THROW(dsr(negative_count, 0.95), ArgumentError);
  EXPECT_THROW(dsr(zero_population, 0.95), ArgumentError);
  EXPECT_THROW(dsr(missing_population, 0.95), ArgumentError);
  EXPECT_THROW(dsr(negative_standard, 0.95), ArgumentError);
  try {
    dsr(zero_population, 0.95);
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.argument(), "population");
    EXPECT_NE(std::string(e.what()).find("band 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace severn::stats
