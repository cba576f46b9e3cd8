// How waits are counted in weeks, as NHS England's RTT statistics count them (Referral to
// Treatment Consultant-led Waiting Times Rules Suite, and the RTT statistics guidance): a wait is
// the whole days from the clock start to the snapshot date (or the clock stop). A pathway that has
// waited exactly 126 days is within 18 weeks; "over N weeks" means more than 7N days.
#pragma once
#include "core/date.h"

namespace severn::elective {

inline constexpr int kDaysPerWeek = 7;
// The operational standard: 92% of incomplete pathways within 18 weeks (NHS Constitution), to
// be met by March 2029 (interim 65% by March 2026).
inline constexpr int kStandardWeeks = 18;

// Days waited on `on` by a clock that started on `clock_start` (both days since 1970-01-01).
constexpr Days days_waited(Days clock_start, Days on) { return on - clock_start; }
constexpr bool within_weeks(Days waited_days, int weeks) { return waited_days <= kDaysPerWeek * weeks; }
constexpr bool over_weeks(Days waited_days, int weeks) { return waited_days > kDaysPerWeek * weeks; }
// Completed weeks (the week band a pathway is reported in: 0-1 weeks is band 0).
constexpr int completed_weeks(Days waited_days) { return waited_days / kDaysPerWeek; }

}  // namespace severn::elective
