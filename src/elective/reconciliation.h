// Reconciles the clock a provider reported (wl_pathways: one row per RTT period at a provider)
// with the clock derived from the pathway's activity (clock_derivation.h). Disagreements become
// findings (clock_finding.h) for the validation list. Dates are days since 1970-01-01.
#pragma once
#include <span>
#include <string_view>
#include <vector>

#include "elective/clock_derivation.h"
#include "elective/clock_finding.h"
#include "elective/clock_period.h"

namespace severn::elective {

inline constexpr Days kNoDate = kStillOpen;

// One reported period (a row of wlmds/rtt_pathways.csv).
struct ReportedClock {
  int period = 1;  // rtt_period
  std::string_view provider_code;
  int treatment_function = 0;
  Days clock_start = 0;
  Days clock_stop = kNoDate;       // kNoDate: not stopped
  int rtt_status = -1;             // the stop status, -1 when empty or not a code
  std::string_view rtt_status_text;
  Days removal_date = kNoDate;     // kNoDate: not removed
  std::string_view removal_reason;  // "transferred" for a transfer to the other provider
  int priority = 0;                 // 1-4, 0 not recorded
  WaitingListType list_type = WaitingListType::kUnknown;
};

// Matches the pathway's reported periods to its derived ones and appends the disagreements to
// `findings`. A reported row matches the derived period with the same rtt_period and provider;
// failing that, the one with the same provider and clock start. When several rows report one
// period (same provider, and the same rtt_period or clock start), the one that agrees best with
// the derived period is the original (a row removed as "duplicate" loses ties) and each other
// is a duplicate_reported_period finding on that row. Matched derived periods take the reported priority (the activity has none).
// `has_activity` says whether the pathway has any activity rows (for reported_without_activity).
void reconcile_pathway(PathwayKey key, std::span<const ReportedClock> reported, std::span<ClockPeriod> derived,
                       bool has_activity, std::vector<Finding>& findings);

}  // namespace severn::elective
