#include "elective/clock_finding.h"

namespace severn::elective {

std::string_view finding_name(FindingCode code) {
  switch (code) {
    case FindingCode::kActivityBeforeClockStart: return "activity_before_clock_start";
    case FindingCode::kSecondStartWhileRunning: return "second_start_while_running";
    case FindingCode::kNewPeriodWhileRunning: return "new_period_while_running";
    case FindingCode::kNewPeriodWithoutEarlierPeriod: return "new_period_without_earlier_period";
    case FindingCode::kActiveMonitoringEndWithoutMonitoring: return "monitoring_end_without_monitoring";
    case FindingCode::kFirstStartAfterStop: return "first_start_after_stop";
    case FindingCode::kStopWithoutRunningClock: return "stop_without_running_clock";
    case FindingCode::kDnaNotFirstActivity: return "dna_not_first_activity";
    case FindingCode::kTransferWithoutRunningClock: return "transfer_without_running_clock";
    case FindingCode::kTransferWithoutReceiver: return "transfer_without_receiver";
    case FindingCode::kRemovalWithoutRunningClock: return "removal_without_running_clock";
    case FindingCode::kUnknownValidationOutcome: return "unknown_validation_outcome";
    case FindingCode::kRemovalWithoutReason: return "removal_without_reason";
    case FindingCode::kRunningStatusAfterStop: return "running_status_after_stop";
    case FindingCode::kOutsideStatusWhileRunning: return "outside_status_while_running";
    case FindingCode::kActivityAfterDeath: return "activity_after_death";
    case FindingCode::kActivityAtOtherProvider: return "activity_at_other_provider";
    case FindingCode::kUnknownRttStatus: return "unknown_rtt_status";
    case FindingCode::kUnknownActivityType: return "unknown_activity_type";
    case FindingCode::kStartDiffers: return "start_differs";
    case FindingCode::kReportedOpenButStopped: return "reported_open_but_stopped";
    case FindingCode::kReportedOpenButRemoved: return "reported_open_but_removed";
    case FindingCode::kReportedOpenButTransferred: return "reported_open_but_transferred";
    case FindingCode::kReportedStoppedButOpen: return "reported_stopped_but_open";
    case FindingCode::kReportedRemovedButOpen: return "reported_removed_but_open";
    case FindingCode::kReportedEndKindDiffers: return "end_kind_differs";
    case FindingCode::kNullifiedButReported: return "nullified_but_reported";
    case FindingCode::kStopDateDiffers: return "stop_date_differs";
    case FindingCode::kStopReasonDiffers: return "stop_reason_differs";
    case FindingCode::kRemovalDateDiffers: return "removal_date_differs";
    case FindingCode::kRemovalReasonDiffers: return "removal_reason_differs";
    case FindingCode::kDuplicateReportedPeriod: return "duplicate_reported_period";
    case FindingCode::kReportedWithoutActivity: return "reported_without_activity";
    case FindingCode::kReportedPeriodNotDerived: return "reported_period_not_derived";
    case FindingCode::kDerivedWithoutReport: return "derived_without_report";
  }
  return "";
}

std::string_view finding_meaning(FindingCode code) {
  switch (code) {
    case FindingCode::kActivityBeforeClockStart: return "activity records a running clock before any clock start";
    case FindingCode::kSecondStartWhileRunning: return "a second first-activity status (10) while the clock runs; the original start is kept";
    case FindingCode::kNewPeriodWhileRunning: return "a new-period status (11/12) while the clock runs; ignored";
    case FindingCode::kNewPeriodWithoutEarlierPeriod: return "a new-period status (11/12) with no earlier period on the pathway; a period was started";
    case FindingCode::kActiveMonitoringEndWithoutMonitoring: return "active monitoring ended (11) but the last period did not stop for active monitoring";
    case FindingCode::kFirstStartAfterStop: return "a first-activity status (10) after the pathway's clock stopped; a new period was started";
    case FindingCode::kStopWithoutRunningClock: return "a clock-stop status with no clock running; ignored";
    case FindingCode::kDnaNotFirstActivity: return "status 33 (first-activity DNA) on a later activity; the clock keeps running";
    case FindingCode::kTransferWithoutRunningClock: return "a transfer (21) with no clock running";
    case FindingCode::kTransferWithoutReceiver: return "a transfer (21) without a receiving provider different from the sender";
    case FindingCode::kRemovalWithoutRunningClock: return "a validation removal with no clock running";
    case FindingCode::kUnknownValidationOutcome: return "a validation contact without a known outcome";
    case FindingCode::kRemovalWithoutReason: return "a validation removal without a reason";
    case FindingCode::kRunningStatusAfterStop: return "a running status (20) after the clock stopped, with no new period started";
    case FindingCode::kOutsideStatusWhileRunning: return "a status outside an RTT period (90-99) while the clock runs";
    case FindingCode::kActivityAfterDeath: return "activity dated after the patient's death (36)";
    case FindingCode::kActivityAtOtherProvider: return "activity at a provider that does not hold the running clock, without a transfer";
    case FindingCode::kUnknownRttStatus: return "an RTT status that is not an NHS Data Dictionary code; the activity was ignored";
    case FindingCode::kUnknownActivityType: return "an activity type the extract does not define";
    case FindingCode::kStartDiffers: return "the reported clock start differs from the derived one";
    case FindingCode::kReportedOpenButStopped: return "still on the reported list but the activity stopped the clock: validate and remove";
    case FindingCode::kReportedOpenButRemoved: return "still on the reported list but a validation contact removed it";
    case FindingCode::kReportedOpenButTransferred: return "still on the sender's reported list after a transfer";
    case FindingCode::kReportedStoppedButOpen: return "reported as stopped but the activity shows no clock stop";
    case FindingCode::kReportedRemovedButOpen: return "reported as removed but the activity shows no removal";
    case FindingCode::kReportedEndKindDiffers: return "reported and derived periods ended differently";
    case FindingCode::kNullifiedButReported: return "a first-activity DNA nullified the clock but the period is reported";
    case FindingCode::kStopDateDiffers: return "the reported clock stop date differs from the derived one";
    case FindingCode::kStopReasonDiffers: return "the reported clock stop status differs from the derived one";
    case FindingCode::kRemovalDateDiffers: return "the reported removal or transfer date differs from the derived one";
    case FindingCode::kRemovalReasonDiffers: return "the reported removal reason differs from the derived one";
    case FindingCode::kDuplicateReportedPeriod: return "the same period is reported more than once";
    case FindingCode::kReportedWithoutActivity: return "a reported period whose pathway has no activity";
    case FindingCode::kReportedPeriodNotDerived: return "a reported period that no derived period matches";
    case FindingCode::kDerivedWithoutReport: return "a derived period the provider does not report";
  }
  return "";
}

}  // namespace severn::elective
