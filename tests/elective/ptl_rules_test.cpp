// The PTL's date rules on crafted periods: breach dates (a wait of exactly 7N days is within N
// weeks) and when validation is due (NHS England's 12/26/52-week milestones and the rolling
// 12-week rule, ptl_rules.h).
#include <gtest/gtest.h>

#include "core/date.h"
#include "elective/ptl_rules.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {
namespace {

const Days kStart = days_from_civil(2024, 1, 1);

PtlPeriod period(Days last_validation = kNoDate, bool has_data = true) {
  PtlPeriod p;
  p.clock_start = kStart;
  p.last_validation = last_validation;
  p.has_validation_data = has_data;
  return p;
}

TEST(PtlBreachDates, TheBreachIsTheFirstDayOverNWeeks) {
  EXPECT_EQ(breach_date(kStart, 18), kStart + 127);
  EXPECT_EQ(breach_date(kStart, 52), kStart + 365);
  EXPECT_EQ(breach_date(kStart, 65), kStart + 456);
  EXPECT_EQ(breach_date(kStart, 78), kStart + 547);
  // 2024-01-01 + 127 days = 2024-05-07.
  EXPECT_EQ(format_iso_date(breach_date(kStart, 18)), "2024-05-07");
}

TEST(PtlBreachDates, ExactlyOneHundredAndTwentySixDaysIsWithinEighteenWeeks) {
  const Days on = kStart + 126;
  EXPECT_FALSE(over_weeks(days_waited(kStart, on), 18));
  EXPECT_LT(on, breach_date(kStart, 18));
  EXPECT_TRUE(over_weeks(days_waited(kStart, on + 1), 18));
  EXPECT_EQ(on + 1, breach_date(kStart, 18));
}

TEST(PtlValidation, NotDueUpToTwelveWeeksExactly) {
  const ValidationStatus s = validation_status(period(), kStart + 84);
  EXPECT_EQ(s.due, ValidationDue::kNotDue);
  EXPECT_EQ(s.milestone_weeks, 0);
}

TEST(PtlValidation, DueTheDayAfterTwelveWeeksWhenNeverValidated) {
  const ValidationStatus s = validation_status(period(), kStart + 85);
  EXPECT_EQ(s.due, ValidationDue::kMilestone);
  EXPECT_EQ(s.milestone_weeks, 12);
}

TEST(PtlValidation, AValidationOnTheMilestoneDayCounts) {
  // Reached 12 weeks on day 85; validated that day; checked at day 100.
  EXPECT_EQ(validation_status(period(kStart + 85), kStart + 100).due, ValidationDue::kNotDue);
  // Validated the day before the milestone: not since reaching it.
  EXPECT_EQ(validation_status(period(kStart + 84), kStart + 100).due, ValidationDue::kMilestone);
}

TEST(PtlValidation, ReachingTwentySixWeeksNeedsANewValidationEvenIfRecent) {
  // Validated at day 150 (within 12 weeks of day 190) but the 26-week milestone (day 183) came after.
  const ValidationStatus s = validation_status(period(kStart + 150), kStart + 190);
  EXPECT_EQ(s.milestone_weeks, 26);
  EXPECT_EQ(s.due, ValidationDue::kMilestone);
  EXPECT_EQ(validation_status(period(kStart + 183), kStart + 190).due, ValidationDue::kNotDue);
}

TEST(PtlValidation, PastFiftyTwoWeeksTheRollingTwelveWeekRuleApplies) {
  // 52 weeks reached on day 365; validated on day 370.
  EXPECT_EQ(validation_status(period(kStart + 370), kStart + 370 + 83).due, ValidationDue::kNotDue);
  // 84 days later the last contact is on D - 84: not in the last 12 weeks.
  const ValidationStatus s = validation_status(period(kStart + 370), kStart + 370 + 84);
  EXPECT_EQ(s.due, ValidationDue::kStale);
  EXPECT_EQ(s.milestone_weeks, 52);
}

TEST(PtlValidation, UnknownWithoutValidationDataPastAMilestone) {
  EXPECT_EQ(validation_status(period(kNoDate, false), kStart + 200).due, ValidationDue::kUnknown);
  EXPECT_EQ(validation_status(period(kNoDate, false), kStart + 30).due, ValidationDue::kNotDue);
  EXPECT_EQ(validation_due_name(ValidationDue::kStale), "due_12_weeks_since_last");
}

}  // namespace
}  // namespace severn::elective
