// Means with Student-t limits against means_student_t.csv (testdata_Mean.xlsx, sheet
// testdata_Mean_results rows 2-4; each vector's row is in its `source` column and in any
// failure message).
#include <gtest/gtest.h>

#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;

TEST(Mean, MatchesEveryPheIndicatorMethodsVector) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("means_student_t.csv");
  Checker check;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ")");
    EXPECT_EQ(cell("status"), "asserted");
    const std::vector<double> values = testing::numbers(cell("values"));
    const MeanEstimate m = mean(values, number(cell("confidence")));
    check.close(m.sum, number(cell("value_sum")), "value_sum");
    check.close(m.count, number(cell("value_count")), "value_count");
    check.close(m.sd, number(cell("stdev")), "stdev");
    check.close(m.estimate.value, number(cell("value")), "value");
    check.close(m.estimate.lower, number(cell("lowercl")), "lower");
    check.close(m.estimate.upper, number(cell("uppercl")), "upper");
    EXPECT_STREQ(method_name(m.estimate.method), cell("method").c_str());
  }
  EXPECT_EQ(t.rows(), 6u);
  testing::report("means (Student's t)", static_cast<int>(t.rows()), check);
}

TEST(Mean, OneValueHasNoLimitsAndAMissingValueNoMean) {
  const double one[] = {4.5};
  const MeanEstimate m = mean(one, 0.95);
  EXPECT_EQ(m.estimate.value, 4.5);
  EXPECT_TRUE(std::isnan(m.estimate.lower));
  const double with_missing[] = {1, std::numeric_limits<double>::quiet_NaN(), 3};
  EXPECT_TRUE(std::isnan(mean(with_missing, 0.95).estimate.value));
  EXPECT_THROW(mean(one, 0.5), ArgumentError);
}

TEST(Mean, StudentTQuantileForKnownDegreesOfFreedom) {
  // With 2 values a and b, the limits are mean -/+ t(0.975; 1) * |a - b| / 2, and t(0.975; 1) =
  // tan(0.475 pi) (the t distribution with 1 degree of freedom is Cauchy).
  const double two[] = {1, 3};
  const MeanEstimate m = mean(two, 0.95);
  EXPECT_NEAR(m.estimate.upper - 2, std::tan(0.475 * M_PI), 1e-11);
}

}  // namespace
}  // namespace severn::stats
