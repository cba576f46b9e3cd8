// The patient tracking list's date rules: breach dates and when a period's validation is due.
// Dates are days since 1970-01-01; waits are whole days from the clock start (rtt_weeks.h).
#pragma once
#include <array>
#include <string_view>

#include "core/date.h"
#include "elective/ptl_period.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

// The weeks at which the PTL shows a breach date.
inline constexpr std::array<int, 4> kBreachWeeks{18, 52, 65, 78};

// The first day on which a clock started on `clock_start` has waited more than `weeks` weeks:
// clock_start + 7*weeks + 1 (a wait of exactly 7*weeks days is still within, rtt_weeks.h).
constexpr Days breach_date(Days clock_start, int weeks) { return clock_start + kDaysPerWeek * weeks + 1; }

// Validation (NHS England's waiting-list validation guidance, letter of December 2022 to trusts
// and systems, as reported by HTN 9 Dec 2022: pathways over 12, 26 and 52 weeks not validated in
// the previous 12 weeks are to be validated, and patients re-validated as they reach 12, 26 and
// 52 weeks). Severn's precise reading, on day D for a period waiting W = D - clock_start days:
//   * below the first milestone (W <= 84 days, i.e. not over 12 weeks) validation is not due;
//   * otherwise let M be the latest milestone passed (12, 26 or 52 weeks: W > 7M) and
//     reached = breach_date(clock_start, M), the first day over M weeks. Validation is due when
//     there is no validation contact on or after `reached` (kMilestone: re-validate at the
//     milestone), or else none in the last 12 weeks, i.e. the last contact is on or before
//     D - 84 (kStale: the rolling 12-week rule, which keeps long waiters past 52 weeks due
//     every 12 weeks).
inline constexpr std::array<int, 3> kValidationMilestoneWeeks{12, 26, 52};
inline constexpr int kValidationIntervalDays = 12 * kDaysPerWeek;

enum class ValidationDue { kNotDue, kMilestone, kStale, kUnknown };

struct ValidationStatus {
  ValidationDue due = ValidationDue::kNotDue;
  int milestone_weeks = 0;  // the latest milestone passed (0: none)
};

// kUnknown when the period has no validation data (a store that predates last_validation_date)
// and a milestone has been passed.
ValidationStatus validation_status(const PtlPeriod& p, Days on);
// "not_due", "due_at_milestone", "due_12_weeks_since_last", "unknown".
std::string_view validation_due_name(ValidationDue d);

}  // namespace severn::elective
