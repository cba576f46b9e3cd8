// The median and 92nd percentile by interpolation within weekly bands (NHS England's RTT method),
// on crafted distributions with the values worked by hand.
#include <gtest/gtest.h>

#include "elective/snapshot_quantile.h"

namespace severn::elective {
namespace {

TEST(SnapshotMedian, WeekBandsAreMoreThanKUpToKPlusOneWeeks) {
  EXPECT_EQ(wait_band(0), 0);
  EXPECT_EQ(wait_band(1), 0);
  EXPECT_EQ(wait_band(7), 0);
  EXPECT_EQ(wait_band(8), 1);
  EXPECT_EQ(wait_band(126), 17);  // exactly 18 weeks: ">17-18 weeks", within 18 weeks
  EXPECT_EQ(wait_band(127), 18);
  EXPECT_EQ(wait_band(364), 51);
  EXPECT_EQ(wait_band(365), 52);  // over 52 weeks
}

TEST(SnapshotMedian, InterpolatesWithinTheBandHoldingTheQuantile) {
  // 2 pathways in band 0, 3 in band 1, 5 in band 2 (N = 10).
  WaitHistogram h;
  h.add_band(0, 2);
  h.add_band(1, 3);
  h.add_band(2, 5);
  // Median: position 5; bands 0-1 hold 5, so band 1: 1 + (5 - 2) / 3 = 2.0 weeks.
  EXPECT_DOUBLE_EQ(*interpolated_weeks(h, 0.5), 2.0);
  // 92nd percentile: position 9.2; band 2: 2 + (9.2 - 5) / 5 = 2.84 weeks.
  EXPECT_NEAR(*interpolated_weeks(h, 0.92), 2.84, 1e-12);
}

TEST(SnapshotMedian, SkipsEmptyBandsAndCountsWaitsByDays) {
  // Four waits of 3 days (band 0) and four of 25 days (band 3): N = 8.
  WaitHistogram h;
  for (int i = 0; i < 4; ++i) h.add_wait(3);
  for (int i = 0; i < 4; ++i) h.add_wait(25);
  // Median: position 4 reached at the end of band 0: 0 + 4/4 = 1.0 week.
  EXPECT_DOUBLE_EQ(*interpolated_weeks(h, 0.5), 1.0);
  // 92nd: position 7.36, band 3: 3 + (7.36 - 4) / 4 = 3.84 weeks.
  EXPECT_NEAR(*interpolated_weeks(h, 0.92), 3.84, 1e-12);
  EXPECT_EQ(h.total(), 8);
  EXPECT_EQ(h.within(3), 4);
  EXPECT_EQ(h.over(3), 4);
  EXPECT_EQ(h.over(4), 0);
}

TEST(SnapshotMedian, OnePathwayAndNone) {
  WaitHistogram h;
  EXPECT_FALSE(interpolated_weeks(h, 0.5));
  h.add_wait(130);  // band 18: 18 + 0.5 = 18.5 weeks
  EXPECT_DOUBLE_EQ(*interpolated_weeks(h, 0.5), 18.5);
  EXPECT_DOUBLE_EQ(*interpolated_weeks(h, 0.92), 18.92);
  EXPECT_THROW(interpolated_weeks(h, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace severn::elective
