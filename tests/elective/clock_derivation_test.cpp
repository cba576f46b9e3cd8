// The RTT rules on crafted pathways, each with its expected clocks written by hand
// (docs/elective/clocks.md states the rules and their sources).
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

void expect_period(const ClockPeriod& p, int period, const char* provider, const char* start, PeriodEnd kind,
                   const char* end = nullptr, int stop_status = 0) {
  EXPECT_EQ(p.period, period);
  EXPECT_EQ(p.provider_code, provider);
  EXPECT_EQ(p.clock_start, day(start));
  EXPECT_EQ(p.end_kind, kind) << period_end_name(p.end_kind);
  EXPECT_EQ(p.end, end == nullptr ? kStillOpen : day(end));
  EXPECT_EQ(p.stop_status, stop_status);
  EXPECT_EQ(p.person, 3U);
  EXPECT_EQ(p.pathway, 7U);
}

TEST(ClockDerivation, ReferralStartsTheClockOnTheReceivedDateAndItRuns) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                         Row("2024-03-01", T::kDiagnostic, "20")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kOpen);
  EXPECT_EQ(d.periods[0].list_type, WaitingListType::kNonAdmitted);
  EXPECT_EQ(d.periods[0].treatment_function, 110);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, FirstDefinitiveTreatmentStopsTheClockAndTheDecisionToAdmitMakesItAdmitted) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                         Row("2024-02-01", T::kDecisionToAdmit, "20"), Row("2024-05-20", T::kAdmission, "30"),
                         Row("2024-06-20", T::kOutpatientFollowUp, "90")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-05-20", 30);
  EXPECT_EQ(d.periods[0].list_type, WaitingListType::kAdmitted);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, EveryNonTreatmentStopStopsTheClockWithItsStatus) {
  const struct {
    T type;
    const char* status;
  } stops[] = {{T::kDecisionNotToTreat, "34"}, {T::kPatientDeclined, "35"}, {T::kDied, "36"},
               {T::kActiveMonitoringStart, "31"}, {T::kActiveMonitoringStart, "32"}};
  for (const auto& s : stops) {
    const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                           Row("2024-03-10", s.type, s.status)});
    ASSERT_EQ(d.periods.size(), 1U) << s.status;
    expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-03-10", parse_rtt_status(s.status));
    EXPECT_TRUE(d.findings.empty()) << s.status;
  }
}

TEST(ClockDerivation, FirstActivityDnaNullifiesTheClock) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "33")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kNullified, "2024-02-01", 33);
  EXPECT_FALSE(d.periods[0].open_on(day("2024-01-20")));  // a nullified period never counts
  EXPECT_TRUE(d.findings.empty());
}

TEST(ClockDerivation, ADnaLaterInThePathwayNeitherNullifiesNorStops) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                         Row("2024-03-01", T::kOutpatientFollowUp, "33")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kOpen);
  ASSERT_EQ(d.findings.size(), 1U);
  EXPECT_EQ(d.findings[0].code, FindingCode::kDnaNotFirstActivity);
  EXPECT_EQ(d.findings[0].period, 1);
}

TEST(ClockDerivation, ActiveMonitoringStopsTheClockAndItsEnd11StartsANewPeriod) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "32"),
                         Row("2024-04-01", T::kOutpatientFollowUp, "91"), Row("2024-06-03", T::kActiveMonitoringEnd, "11"),
                         Row("2024-07-01", T::kOutpatientFollowUp, "20"), Row("2024-09-09", T::kAdmission, "30")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-02-01", 32);
  expect_period(d.periods[1], 2, "RXW", "2024-06-03", PeriodEnd::kClockStop, "2024-09-09", 30);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, ConsultantReferralForANewConditionStartsPeriodTwoOnTheSameDayAsTreatment) {
  // Same-day order: the stop (30) is applied before the new period (12), whatever the input order.
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-03-01", T::kOutpatientFollowUp, "12"),
                         Row("2024-03-01", T::kAdmission, "30")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-03-01", 30);
  expect_period(d.periods[1], 2, "RXW", "2024-03-01", PeriodEnd::kOpen);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, ActivityOnTheDayActiveMonitoringEndsBelongsToTheNewPeriod) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFollowUp, "20"),
                         Row("2024-02-01", T::kActiveMonitoringStart, "31"), Row("2024-06-03", T::kDiagnostic, "20"),
                         Row("2024-06-03", T::kActiveMonitoringEnd, "11"), Row("2024-06-04", T::kOutpatientFollowUp, "30")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-02-01", 31);
  expect_period(d.periods[1], 2, "RXW", "2024-06-03", PeriodEnd::kClockStop, "2024-06-04", 30);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, TransferContinuesOneClockAtTheReceiver) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                         Row("2024-04-15", T::kTransfer, "21").to("RL1"),
                         Row("2024-05-01", T::kOutpatientFollowUp, "20").at("RL1"), Row("2024-07-01", T::kAdmission, "30").at("RL1")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kTransferred, "2024-04-15");
  expect_period(d.periods[1], 1, "RL1", "2024-01-05", PeriodEnd::kClockStop, "2024-07-01", 30);
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
  // On exactly one list on any day: the sender's until the transfer, the receiver's from it.
  EXPECT_EQ(d.periods[1].on_list_from, day("2024-04-15"));
  for (const char* on : {"2024-01-05", "2024-04-14", "2024-04-15", "2024-06-30"})
    EXPECT_EQ(d.periods[0].open_on(day(on)) + d.periods[1].open_on(day(on)), 1) << on;
  EXPECT_FALSE(d.periods[1].open_on(day("2024-07-01")));
}

TEST(ClockDerivation, ValidationRemovalEndsThePeriodOtherThanByTreatment) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "20"),
                         Row("2024-05-01", T::kValidation, "20").outcome(V::kStillWaiting),
                         Row("2024-08-01", T::kValidation, "20").outcome(V::kRemoved, "treated_elsewhere")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kRemoved, "2024-08-01");
  EXPECT_EQ(d.periods[0].removal_reason, "treated_elsewhere");
  EXPECT_TRUE(d.findings.empty()) << ::testing::PrintToString(finding_names(d.findings));
}

TEST(ClockDerivation, DuplicateRemovalVoidsThePeriod) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"),
                         Row("2024-03-01", T::kValidation, "20").outcome(V::kRemoved, "duplicate")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kNullified, "2024-03-01");
  EXPECT_EQ(d.periods[0].removal_reason, "duplicate");
  EXPECT_FALSE(d.periods[0].open_on(day("2024-02-01")));
}

TEST(ClockDerivation, DeathStopsTheClockAndLaterActivityIsAFinding) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-10", T::kDied, "36"),
                         Row("2024-03-01", T::kOutpatientFollowUp, "20")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-02-10", 36);
  EXPECT_EQ(finding_names(d.findings), std::vector<std::string>{"activity_after_death"});
}

TEST(ClockDerivation, ActivityBeforeAnyStartIsAFindingAndStartsNoClock) {
  const auto d = derive({Row("2024-01-02", T::kOutpatientFirst, "20"), Row("2024-01-05", T::kReferral, "10")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kOpen);
  EXPECT_EQ(finding_names(d.findings), std::vector<std::string>{"activity_before_clock_start"});
  EXPECT_EQ(d.findings[0].period, 0);
}

TEST(ClockDerivation, ASecondStartWhileRunningKeepsTheOriginalStart) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-05", T::kReferral, "10")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kOpen);
  EXPECT_EQ(finding_names(d.findings), std::vector<std::string>{"second_start_while_running"});
}

TEST(ClockDerivation, StopsWithoutARunningClockAreFindingsAndChangeNothing) {
  const auto d = derive({Row("2024-01-05", T::kAdmission, "30"), Row("2024-01-06", T::kOutpatientFirst, "33"),
                         Row("2024-02-05", T::kReferral, "10"), Row("2024-03-05", T::kAdmission, "30"),
                         Row("2024-04-05", T::kPatientDeclined, "35")});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-02-05", PeriodEnd::kClockStop, "2024-03-05", 30);
  EXPECT_EQ(finding_names(d.findings), (std::vector<std::string>{"stop_without_running_clock", "stop_without_running_clock",
                                                                 "stop_without_running_clock"}));
}

TEST(ClockDerivation, OtherAnomaliesEachGiveTheirFinding) {
  const auto d = derive({Row("2024-01-01", T::kActiveMonitoringEnd, "11"), Row("2024-01-03", T::kTransfer, "21"),
                         Row("2024-01-04", T::kOutpatientFirst, "99"), Row("2024-01-05", T::kOutpatientFirst, "20").at("RL1"),
                         Row("2024-01-06", T::kValidation, "20"), Row("2024-01-07", T::kAdmission, "30"),
                         Row("2024-01-08", T::kOutpatientFollowUp, "20"), Row("2024-01-09", T::kActiveMonitoringEnd, "11"),
                         Row("2024-01-10", T::kReferral, "12"), Row("2024-01-11", T::kTransfer, "21").to("RL1"),
                         Row("2024-01-12", T::kAdmission, "30").at("RL1"), Row("2024-01-13", T::kTransfer, "21"),
                         Row("2024-01-14", T::kValidation, "20").outcome(V::kRemoved, "moved_away")});
  ASSERT_EQ(d.periods.size(), 3U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-01", PeriodEnd::kClockStop, "2024-01-07", 30);
  expect_period(d.periods[1], 2, "RXW", "2024-01-09", PeriodEnd::kTransferred, "2024-01-11");
  expect_period(d.periods[2], 2, "RL1", "2024-01-09", PeriodEnd::kClockStop, "2024-01-12", 30);
  EXPECT_EQ(finding_names(d.findings),
            (std::vector<std::string>{"new_period_without_earlier_period", "transfer_without_receiver",
                                      "outside_status_while_running", "activity_at_other_provider",
                                      "unknown_validation_outcome", "running_status_after_stop",
                                      "monitoring_end_without_monitoring", "new_period_while_running",
                                      "transfer_without_running_clock", "removal_without_running_clock"}));
}

TEST(ClockDerivation, AFirstStartAfterAStopStartsTheNextPeriodWithAFinding) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-05", T::kDecisionNotToTreat, "34"),
                         Row("2024-06-05", T::kReferral, "10")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kClockStop, "2024-02-05", 34);
  expect_period(d.periods[1], 2, "RXW", "2024-06-05", PeriodEnd::kOpen);
  EXPECT_EQ(finding_names(d.findings), std::vector<std::string>{"first_start_after_stop"});
}

TEST(ClockDerivation, AReReferralAfterANullifiedClockStartsCleanly) {
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), Row("2024-02-01", T::kOutpatientFirst, "33"),
                         Row("2024-04-01", T::kReferral, "10")});
  ASSERT_EQ(d.periods.size(), 2U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kNullified, "2024-02-01", 33);
  expect_period(d.periods[1], 2, "RXW", "2024-04-01", PeriodEnd::kOpen);
  EXPECT_TRUE(d.findings.empty());
}

TEST(ClockDerivation, HostileRowsGiveFindingsNotCrashes) {
  EXPECT_TRUE(derive({}).periods.empty());
  Row unknown_status("2024-01-06", T::kOutpatientFirst, "x7");
  Row unknown_type("2024-01-07", T::kUnknown, "20");
  Row not_a_code("2024-01-08", T::kOutpatientFollowUp, "13");
  const auto d = derive({Row("2024-01-05", T::kReferral, "10"), unknown_status, unknown_type, not_a_code});
  ASSERT_EQ(d.periods.size(), 1U);
  expect_period(d.periods[0], 1, "RXW", "2024-01-05", PeriodEnd::kOpen);
  EXPECT_EQ(finding_names(d.findings),
            (std::vector<std::string>{"unknown_rtt_status", "unknown_activity_type", "unknown_rtt_status"}));
  EXPECT_EQ(d.findings[0].derived, "x7");
}

TEST(ClockDerivation, StatusCodesAreTheDataDictionarysList) {
  int known = 0;
  for (int c = 0; c < 100; ++c) known += status_effect(c) != StatusEffect::kUnknown;
  EXPECT_EQ(known, 17);  // 10-12, 20-21, 30-36, 90-92, 98, 99
  EXPECT_EQ(parse_rtt_status("33"), 33);
  EXPECT_EQ(parse_rtt_status("3"), -1);
  EXPECT_EQ(parse_rtt_status("13"), -1);
  EXPECT_EQ(parse_rtt_status(""), -1);
}

}  // namespace
}  // namespace severn::elective
