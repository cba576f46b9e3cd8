// Derives a pathway's RTT clock periods from its activity under the RTT rules (docs/elective/
// clocks.md: NHS England's rules suite, October 2022, and the NHS Data Dictionary's RTT PERIOD
// STATUS). Works on one pathway's rows at a time, in memory: the store adapter
// (activity_reader.h) feeds it, and the tests feed it crafted pathways. Dates are days since
// 1970-01-01.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "elective/clock_finding.h"
#include "elective/clock_period.h"

namespace severn::elective {

// The extract's activity_type values (docs/data-model.md, wlmds/rtt_activity.csv).
enum class ActivityType : std::uint8_t {
  kReferral, kOutpatientFirst, kOutpatientFollowUp, kDiagnostic, kDecisionToAdmit, kAdmission,
  kActiveMonitoringStart, kActiveMonitoringEnd, kDecisionNotToTreat, kPatientDeclined, kDied,
  kValidation, kTransfer, kDischarge, kUnknown,
};
ActivityType parse_activity_type(std::string_view text);

enum class ValidationOutcome : std::uint8_t { kNone, kStillWaiting, kRemoved, kUnknown };
// "" -> kNone, "still_waiting", "removed", anything else kUnknown.
ValidationOutcome parse_validation_outcome(std::string_view text);

// One activity row. Strings are views: into the store's dictionaries, or literals in tests.
struct Activity {
  Days date = 0;
  ActivityType type = ActivityType::kUnknown;
  int rtt_status = -1;          // 10..99 (parse_rtt_status), -1 when not a code
  std::string_view rtt_status_text;  // as recorded, for the finding when rtt_status is -1
  std::string_view provider_code;
  int treatment_function = 0;
  ValidationOutcome validation = ValidationOutcome::kNone;
  std::string_view removal_reason;
  std::string_view transfer_provider_code;
};

// The order activity of one day is applied in (the extract gives a date, not a time): the
// first-activity start (10) first, then running statuses and other activity (validation contacts
// that find the patient still waiting among them), validation removals, clock stops, statuses outside a period, and new-period starts (11, 12) last, since a
// new period follows the end of the previous one. Rows of the same rank keep their input order.
// derive_pathway then makes one exception: a running status (20, 21) met with no clock running
// waits for a start (10, 11, 12) later the same day, so activity on the day active monitoring
// ends belongs to the new period.
int same_day_rank(const Activity& a);
// Sorts by (date, same_day_rank), stably.
void sort_for_derivation(std::vector<Activity>& rows);

struct PathwayKey {
  std::uint32_t person = kNoPerson;
  std::uint32_t pathway = 0;
};

// Appends the pathway's derived periods to `periods` and its activity anomalies to `findings`.
// `rows` must be in derivation order (sort_for_derivation). A transfer (21) ends the sender's
// period (PeriodEnd::kTransferred) and continues the clock at the receiver as a second
// ClockPeriod with the same period number and clock start. A validation removal ends the period
// as kRemoved, except reason "duplicate", which voids it: end_kind kNullified with
// removal_reason "duplicate" (the period never counts). A first-activity DNA (33) nullifies it.
// Each period's list type is admitted from a decision to admit on, else non-admitted; priority
// is not in the activity (the store adapter copies the reported one).
void derive_pathway(PathwayKey key, std::span<const Activity> rows, std::vector<ClockPeriod>& periods,
                    std::vector<Finding>& findings);

}  // namespace severn::elective
