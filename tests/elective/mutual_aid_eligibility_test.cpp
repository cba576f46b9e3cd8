// PIDMAS eligibility edges: over 40 weeks means more than 280 days; a TCI date within the next
// 8 weeks (D..D+56) excludes; under 18 excludes; a transferred pathway is not offered again.
#include <gtest/gtest.h>

#include "core/date.h"
#include "elective/mutual_aid_eligibility.h"

namespace severn::elective {
namespace {

const Days kD = days_from_civil(2024, 12, 31);

WaitingPeriod waiting(int days) {
  WaitingPeriod p;
  p.person = 1;
  p.provider_code = "RXW";
  p.treatment_function = 110;
  p.clock_start = kD - days;
  p.date_of_birth = days_from_civil(1960, 5, 1);
  return p;
}

TEST(MutualAidEligibility, ExactlyFortyWeeksIsNotOverFortyWeeks) {
  EXPECT_EQ(assess_pidmas(waiting(280), kD), PidmasOutcome::kNotOverWeeks);
  EXPECT_EQ(assess_pidmas(waiting(281), kD), PidmasOutcome::kEligible);
  EXPECT_EQ(assess_pidmas(waiting(279), kD), PidmasOutcome::kNotOverWeeks);
}

TEST(MutualAidEligibility, ADateWithinTheNextEightWeeksExcludes) {
  WaitingPeriod p = waiting(400);
  p.next_date = kD + 56;  // the last day of the next 8 weeks
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kDateWithinHorizon);
  p.next_date = kD + 57;
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kEligible);
  p.next_date = kD;  // today
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kDateWithinHorizon);
  p.next_date = kD - 1;  // a past date is no upcoming one: still waiting
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kEligible);
  p.next_date.reset();
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kEligible);
}

TEST(MutualAidEligibility, OnlyPeriodsOpenOnTheDateCount) {
  WaitingPeriod p = waiting(400);
  p.end = kD;  // stopped (or removed) on D: not open at the end of D
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kNotOpen);
  p.end = kD + 1;
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kEligible);
  WaitingPeriod later = waiting(-3);  // starts after D
  EXPECT_EQ(assess_pidmas(later, kD), PidmasOutcome::kNotOpen);
}

TEST(MutualAidEligibility, ChildrenAndTransferredPathwaysAreNotInvited) {
  WaitingPeriod p = waiting(400);
  p.date_of_birth = days_from_civil(2007, 1, 1);  // 17 on 2024-12-31, 18 the next day
  EXPECT_EQ(assess_pidmas(p, kD), PidmasOutcome::kUnderAge);
  EXPECT_EQ(assess_pidmas(p, kD + 1), PidmasOutcome::kEligible);
  WaitingPeriod t = waiting(400);
  t.transferred = true;
  EXPECT_EQ(assess_pidmas(t, kD), PidmasOutcome::kAlreadyTransferred);
  EXPECT_EQ(outcome_name(PidmasOutcome::kAlreadyTransferred), "already_transferred");
}

TEST(MutualAidEligibility, RulesAreParameters) {
  PidmasRules r;
  r.over_weeks = 52;
  EXPECT_EQ(assess_pidmas(waiting(364), kD, r), PidmasOutcome::kNotOverWeeks);
  EXPECT_EQ(assess_pidmas(waiting(365), kD, r), PidmasOutcome::kEligible);
}

}  // namespace
}  // namespace severn::elective
