// Proportions with Wilson score limits against tests/stats/vectors.h's proportions_wilson.csv
// (from testdata_Byars_Wilson.xlsx, sheet testdata_B_W, rows 8-13, and testdata_Proportion.xlsx,
// sheets testdata_Prop rows 2-20 and testdata_Prop_g rows 2-12; each vector's row is in its
// `source` column and in any failure message).
#include <gtest/gtest.h>

#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;

TEST(Proportion, MatchesEveryPheIndicatorMethodsVector) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("proportions_wilson.csv");
  Checker check;
  int asserted = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ")");
    asserted += cell("status") == "asserted";
    const double x = number(cell("numerator")), n = number(cell("denominator"));
    const double conf = number(cell("confidence")), multiplier = number(cell("multiplier"));
    if (cell("function") == "wilson_limits") {
      const Limits l = wilson_limits(x, n, conf);
      check.close(l.lower, number(cell("lowercl")), "lower");
      check.close(l.upper, number(cell("uppercl")), "upper");
    } else {
      ASSERT_EQ(cell("function"), "phe_proportion");
      const Estimate e = proportion(x, n, conf, multiplier);
      check.close(e.value, number(cell("value")), "value");
      check.close(e.lower, number(cell("lowercl")), "lower");
      check.close(e.upper, number(cell("uppercl")), "upper");
      EXPECT_STREQ(method_name(e.method), cell("method").c_str());
    }
  }
  EXPECT_EQ(asserted, 58);  // the README's count: all 58 vectors are asserted upstream
  testing::report("proportions (Wilson)", static_cast<int>(t.rows()), check);
}

// The error cases testWilson.R and testProportion.R assert, which the CSV cannot hold.
TEST(Proportion, RejectsImpossibleInputs) {
  EXPECT_THROW(wilson_limits(-1, 10, 0.95), ArgumentError);
  EXPECT_THROW(wilson_limits(1, -10, 0.95), ArgumentError);
  EXPECT_THROW(wilson_limits(11, 10, 0.95), ArgumentError);
  EXPECT_THROW(proportion(5, 10, 0.8), ArgumentError);
  EXPECT_THROW(proportion(5, 10, 1.01), ArgumentError);
  EXPECT_THROW(proportion(5, 10, 95), ArgumentError);  // a fraction, not a percentage
  try {
    proportion(11, 10, 0.95);
    FAIL();
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.argument(), "numerator");
    EXPECT_NE(std::string(e.what()).find("11 > 10"), std::string::npos) << e.what();
  }
}

TEST(Proportion, NobodyInTheDenominatorGivesNoValue) {
  const Estimate e = proportion(0, 0, 0.95, 100);
  EXPECT_TRUE(std::isnan(e.value));
  EXPECT_TRUE(std::isnan(e.lower));
  EXPECT_TRUE(std::isnan(e.upper));
}

TEST(Proportion, AllOrNoneStaysInsideZeroToOne) {
  const Limits none = wilson_limits(0, 50, 0.95), all = wilson_limits(50, 50, 0.95);
  EXPECT_EQ(none.lower, 0.0);
  EXPECT_GT(none.upper, 0.0);
  EXPECT_LT(all.lower, 1.0);
  EXPECT_NEAR(all.upper, 1.0, 1e-15);
}

}  // namespace
}  // namespace severn::stats
