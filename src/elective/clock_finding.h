// A data-quality finding about one pathway's RTT clock: an anomaly in its activity (the clock
// engine could not apply the RTT rules to it as recorded) or a disagreement between the clock the
// provider reported and the one Severn derived from the activity. Each finding is a row of the
// validation list (docs/elective/clocks.md lists every code with its meaning).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "elective/clock_period.h"

namespace severn::elective {

enum class FindingCode : std::uint8_t {
  // Activity anomalies (derivation).
  kActivityBeforeClockStart,     // running/transfer status with no clock started
  kSecondStartWhileRunning,      // status 10 while a clock runs: ignored
  kNewPeriodWhileRunning,        // status 11/12 while a clock runs: ignored
  kNewPeriodWithoutEarlierPeriod,  // 11/12 with no earlier period (started a period anyway)
  kActiveMonitoringEndWithoutMonitoring,  // 11 when the last period did not stop for active monitoring
  kFirstStartAfterStop,          // 10 after a period ended (started a new period)
  kStopWithoutRunningClock,      // 30-36 with no clock running: ignored
  kDnaNotFirstActivity,          // 33 on an activity other than the first: the clock keeps running
  kTransferWithoutRunningClock,  // 21 with no clock running
  kTransferWithoutReceiver,      // 21 without transfer_provider_code (or to the same provider)
  kRemovalWithoutRunningClock,   // validation removal with no clock running
  kUnknownValidationOutcome,     // a validation contact without still_waiting/removed
  kRemovalWithoutReason,         // validation removal without a reason
  kRunningStatusAfterStop,       // 20 after the clock stopped (no new period started)
  kOutsideStatusWhileRunning,    // 90-99 while a clock runs
  kActivityAfterDeath,           // any activity dated after a 36
  kActivityAtOtherProvider,      // activity recorded at a provider not holding the running clock
  kUnknownRttStatus,             // not an RTT PERIOD STATUS code: the row is ignored
  kUnknownActivityType,          // not an activity type of the extract: the row's status still applies
  // Reconciliation with the reported clock.
  kStartDiffers,
  kReportedOpenButStopped,
  kReportedOpenButRemoved,
  kReportedOpenButTransferred,
  kReportedStoppedButOpen,
  kReportedRemovedButOpen,
  kReportedEndKindDiffers,       // both ended, differently (e.g. reported removed, derived stopped)
  kNullifiedButReported,
  kStopDateDiffers,
  kStopReasonDiffers,
  kRemovalDateDiffers,
  kRemovalReasonDiffers,
  kDuplicateReportedPeriod,
  kReportedWithoutActivity,
  kReportedPeriodNotDerived,     // the pathway has activity but no derived period matches
  kDerivedWithoutReport,
};

inline constexpr int kFindingCodes = static_cast<int>(FindingCode::kDerivedWithoutReport) + 1;

// The code's name in outputs ("start_differs").
std::string_view finding_name(FindingCode code);
// What it means, in plain English, for the validation list.
std::string_view finding_meaning(FindingCode code);
// True for the reconciliation codes (disagreements with the reported clock).
constexpr bool is_reconciliation(FindingCode code) { return code >= FindingCode::kStartDiffers; }

struct Finding {
  std::uint32_t person = kNoPerson;
  std::uint32_t pathway = 0;  // the store's pathway number
  int period = 0;             // rtt_period the finding is about; 0 when no period applies
  std::string provider_code;
  int treatment_function = 0;
  FindingCode code = FindingCode::kUnknownRttStatus;
  std::string reported;  // the reported value ("" when the finding is about the activity alone)
  std::string derived;   // the value derived from the activity
  std::string detail;    // one sentence: which activity, what was done
};

}  // namespace severn::elective
