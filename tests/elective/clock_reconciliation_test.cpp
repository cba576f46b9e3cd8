// Reconciliation of crafted reported periods with derived clocks: each disagreement gives its
// finding, agreement gives none.
#include <gtest/gtest.h>

#include "clock_test_support.h"

namespace severn::elective {
namespace {

using testing::day;
using testing::derive;
using testing::finding_names;
using testing::Row;
using T = ActivityType;
using V = ValidationOutcome;

ReportedClock reported(int period, const char* provider, const char* start) {
  ReportedClock r;
  r.period = period;
  r.provider_code = provider;
  r.treatment_function = 110;
  r.clock_start = day(start);
  r.priority = 2;
  return r;
}
ReportedClock stopped(ReportedClock r, const char* stop, const char* status) {
  r.clock_stop = day(stop);
  r.rtt_status_text = status;
  r.rtt_status = parse_rtt_status(status);
  return r;
}
ReportedClock removed(ReportedClock r, const char* date, const char* reason) {
  r.removal_date = day(date);
  r.removal_reason = reason;
  return r;
}

std::vector<Finding> reconcile(std::vector<ClockPeriod>& derived, const std::vector<ReportedClock>& rep,
                               bool has_activity = true) {
  std::vector<Finding> f;
  reconcile_pathway({3, 7}, rep, derived, has_activity, f);
  return f;
}

std::vector<Activity> treated() {
  return {Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
          Row("2024-05-20", T::kAdmission, "30")};
}

TEST(ClockReconciliation, AgreementGivesNoFindingAndTheReportedPriorityIsKept) {
  auto d = derive(treated()).periods;
  EXPECT_TRUE(reconcile(d, {stopped(reported(1, "RXW", "2024-01-05"), "2024-05-20", "30")}).empty());
  EXPECT_EQ(d[0].priority, 2);
}

TEST(ClockReconciliation, TreatedPathwayStillOnTheList) {
  auto d = derive(treated()).periods;
  const auto f = reconcile(d, {reported(1, "RXW", "2024-01-05")});
  ASSERT_EQ(finding_names(f), std::vector<std::string>{"reported_open_but_stopped"});
  EXPECT_EQ(f[0].reported, "open");
  EXPECT_EQ(f[0].derived, "stopped 2024-05-20 status 30");
  EXPECT_EQ(f[0].period, 1);
  EXPECT_EQ(f[0].provider_code, "RXW");
  EXPECT_EQ(f[0].pathway, 7U);
}

TEST(ClockReconciliation, StartStopDateAndStopReasonDiffer) {
  auto d = derive(treated()).periods;
  const auto f = reconcile(d, {stopped(reported(1, "RXW", "2024-01-19"), "2024-05-27", "34")});
  ASSERT_EQ(finding_names(f), (std::vector<std::string>{"start_differs", "stop_date_differs", "stop_reason_differs"}));
  EXPECT_EQ(f[0].reported, "2024-01-19");
  EXPECT_EQ(f[0].derived, "2024-01-05");
  EXPECT_EQ(f[1].reported, "2024-05-27");
  EXPECT_EQ(f[2].reported, "34");
  EXPECT_EQ(f[2].derived, "30");
}

TEST(ClockReconciliation, ReportedStoppedButTheActivityShowsNoStop) {
  auto d = derive({Row("2024-01-05", T::kReferral, "10")}).periods;
  EXPECT_EQ(finding_names(reconcile(d, {stopped(reported(1, "RXW", "2024-01-05"), "2024-03-01", "30")})),
            std::vector<std::string>{"reported_stopped_but_open"});
  EXPECT_EQ(finding_names(reconcile(d, {removed(reported(1, "RXW", "2024-01-05"), "2024-03-01", "moved_away")})),
            std::vector<std::string>{"reported_removed_but_open"});
}

TEST(ClockReconciliation, FirstActivityDnaKeptOnTheList) {
  auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "33")}).periods;
  EXPECT_EQ(finding_names(reconcile(d, {reported(1, "RXW", "2024-01-05")})),
            std::vector<std::string>{"nullified_but_reported"});
  // Reported as nullified on the same day: agreement.
  EXPECT_TRUE(reconcile(d, {stopped(reported(1, "RXW", "2024-01-05"), "2024-02-01", "33")}).empty());
  // Not reported at all: a nullified period is not expected on the list.
  EXPECT_TRUE(reconcile(d, {}).empty());
}

TEST(ClockReconciliation, RemovalsAndTransfersCompareDatesAndReasons) {
  auto d = derive({Row("2024-01-05", T::kReferral, "10"),
                   Row("2024-03-01", T::kValidation, "20").outcome(V::kRemoved, "no_longer_required")}).periods;
  EXPECT_TRUE(reconcile(d, {removed(reported(1, "RXW", "2024-01-05"), "2024-03-01", "no_longer_required")}).empty());
  EXPECT_EQ(finding_names(reconcile(d, {removed(reported(1, "RXW", "2024-01-05"), "2024-03-08", "moved_away")})),
            (std::vector<std::string>{"removal_date_differs", "removal_reason_differs"}));
  EXPECT_EQ(finding_names(reconcile(d, {reported(1, "RXW", "2024-01-05")})),
            std::vector<std::string>{"reported_open_but_removed"});
  EXPECT_EQ(finding_names(reconcile(d, {stopped(reported(1, "RXW", "2024-01-05"), "2024-03-01", "30")})),
            std::vector<std::string>{"end_kind_differs"});

  auto t = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-04-15", T::kTransfer, "21").to("RL1")}).periods;
  EXPECT_TRUE(reconcile(t, {removed(reported(1, "RXW", "2024-01-05"), "2024-04-15", "transferred"),
                            reported(1, "RL1", "2024-01-05")})
                  .empty());
  // The sender still lists it; the receiver restarted the clock.
  EXPECT_EQ(finding_names(reconcile(t, {reported(1, "RXW", "2024-01-05"), reported(1, "RL1", "2024-04-15")})),
            (std::vector<std::string>{"reported_open_but_transferred", "start_differs"}));
}

TEST(ClockReconciliation, DuplicatesMissingAndUnreportedPeriods) {
  auto d = derive(treated()).periods;
  const auto f = reconcile(d, {stopped(reported(1, "RXW", "2024-01-05"), "2024-05-20", "30"),
                               stopped(reported(1, "RXW", "2024-01-05"), "2024-05-20", "30"),
                               reported(2, "RXW", "2024-09-01")});
  EXPECT_EQ(finding_names(f), (std::vector<std::string>{"duplicate_reported_period", "reported_period_not_derived"}));

  std::vector<ClockPeriod> none;
  EXPECT_EQ(finding_names(reconcile(none, {reported(1, "RXW", "2024-01-05")}, false)),
            std::vector<std::string>{"reported_without_activity"});

  auto unreported = derive(treated()).periods;
  const auto g = reconcile(unreported, {});
  ASSERT_EQ(finding_names(g), std::vector<std::string>{"derived_without_report"});
  EXPECT_EQ(g[0].period, 1);
  EXPECT_EQ(g[0].derived, "period 1 from 2024-01-05, clock_stop");
}

TEST(ClockReconciliation, TheCopyOfADuplicatedPeriodIsTheDuplicateWhicheverComesFirst) {
  auto d = derive(treated()).periods;
  const auto copy = removed(reported(1, "RXW", "2024-01-05"), "2024-07-01", "duplicate");
  const auto original = stopped(reported(1, "RXW", "2024-01-05"), "2024-05-20", "30");
  for (const auto& rows : {std::vector<ReportedClock>{copy, original}, std::vector<ReportedClock>{original, copy}}) {
    const auto f = reconcile(d, rows);
    ASSERT_EQ(finding_names(f), std::vector<std::string>{"duplicate_reported_period"});
    EXPECT_EQ(f[0].reported, "period 1 from 2024-01-05");
  }
  // An open copy (its removal not yet made) is the duplicate too.
  const auto f = reconcile(d, {reported(1, "RXW", "2024-01-05"), original});
  EXPECT_EQ(finding_names(f), std::vector<std::string>{"duplicate_reported_period"});
}

TEST(ClockReconciliation, AMisnumberedReportedPeriodMatchesByStartDate) {
  auto d = derive(treated()).periods;
  EXPECT_TRUE(reconcile(d, {stopped(reported(4, "RXW", "2024-01-05"), "2024-05-20", "30")}).empty());
}

TEST(ClockReconciliation, DuplicateRemovalAgreesWithAReportedDuplicateRemoval) {
  auto d = derive({Row("2024-01-05", T::kReferral, "10"),
                   Row("2024-03-01", T::kValidation, "20").outcome(V::kRemoved, "duplicate")}).periods;
  EXPECT_TRUE(reconcile(d, {removed(reported(1, "RXW", "2024-01-05"), "2024-03-01", "duplicate")}).empty());
  EXPECT_EQ(finding_names(reconcile(d, {reported(1, "RXW", "2024-01-05")})),
            std::vector<std::string>{"reported_open_but_removed"});
}

TEST(ClockReconciliation, EveryFindingCodeHasANameAndAMeaning) {
  for (int c = 0; c < kFindingCodes; ++c) {
    const auto code = static_cast<FindingCode>(c);
    EXPECT_FALSE(finding_name(code).empty()) << c;
    EXPECT_FALSE(finding_meaning(code).empty()) << c;
  }
}

}  // namespace
}  // namespace severn::elective
