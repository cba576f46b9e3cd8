// Counts with Byar's limits and crude rates (exact limits below 10 events, Byar's from 10) against
// rates_byar_exact.csv (testdata_Byars_Wilson.xlsx sheet testdata_B_W rows 2-7 and 14;
// testdata_Rate.xlsx sheets testdata_Rate rows 2-21 and testdata_Rate_g rows 2-13; each vector's
// row is in its `source` column and in any failure message).
#include <gtest/gtest.h>

#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;

TEST(Rate, MatchesEveryPheIndicatorMethodsVector) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("rates_byar_exact.csv");
  Checker asserted, not_asserted;
  int n_asserted = 0, n_not_asserted = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ", " + cell("status") + ")");
    // not_asserted vectors are in the workbooks but not compared upstream; they are held to the
    // same tolerance here and counted apart.
    const bool is_asserted = cell("status") == "asserted";
    ASSERT_TRUE(is_asserted || cell("status") == "not_asserted");
    (is_asserted ? n_asserted : n_not_asserted)++;
    Checker& check = is_asserted ? asserted : not_asserted;
    const double x = number(cell("numerator")), conf = number(cell("confidence"));
    if (cell("function") == "byars_count_limits") {
      const Limits l = byar_limits(x, conf);
      check.close(l.lower, number(cell("lowercl")), "lower");
      check.close(l.upper, number(cell("uppercl")), "upper");
    } else {
      ASSERT_EQ(cell("function"), "phe_rate");
      const Estimate e = crude_rate(x, number(cell("denominator")), conf, number(cell("multiplier")));
      check.close(e.value, number(cell("value")), "value");
      check.close(e.lower, number(cell("lowercl")), "lower");
      check.close(e.upper, number(cell("uppercl")), "upper");
      EXPECT_STREQ(method_name(e.method), cell("method").c_str());
    }
  }
  EXPECT_EQ(n_asserted, 49);
  EXPECT_EQ(n_not_asserted, 10);
  testing::report("rates and counts (Byar's, exact), asserted", n_asserted, asserted);
  testing::report("rates and counts (Byar's, exact), not asserted upstream", n_not_asserted, not_asserted);
}

TEST(Rate, ExactBelowTenByarFromTen) {
  Method m = Method::kNone;
  poisson_limits(9, 0.95, &m);
  EXPECT_EQ(m, Method::kExact);
  poisson_limits(9.5, 0.95, &m);
  EXPECT_EQ(m, Method::kExact);
  poisson_limits(10, 0.95, &m);
  EXPECT_EQ(m, Method::kByar);
}

TEST(Rate, ZeroEventsHaveALowerLimitOfZero) {
  const Estimate e = crude_rate(0, 1000, 0.95, 1000);
  EXPECT_EQ(e.value, 0.0);
  EXPECT_EQ(e.lower, 0.0);
  // The exact upper limit of a count of 0 is -ln(0.025) = 3.6889 events.
  EXPECT_NEAR(e.upper, -std::log(0.025), 1e-12);
  EXPECT_EQ(e.method, Method::kExact);
}

TEST(Rate, RejectsImpossibleInputs) {
  EXPECT_THROW(crude_rate(-1, 100, 0.95), ArgumentError);
  EXPECT_THROW(crude_rate(1, -100, 0.95), ArgumentError);
  EXPECT_THROW(crude_rate(1, 100, 0.89), ArgumentError);
  EXPECT_THROW(crude_rate(1, 100, 0.95, 0), ArgumentError);
  EXPECT_THROW(byar_limits(-2, 0.95), ArgumentError);
}

}  // namespace
}  // namespace severn::stats
