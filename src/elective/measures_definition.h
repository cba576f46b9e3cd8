// The waiting list by person attributes, as a Severn definition (.sev): who is on the provider's
// reported RTT list at each month end and whether they have waited over 18 weeks, broken down by
// the same group columns, statistics and disclosure control as every other measure (place, pcn,
// imd_quintile, ethnicity_group, age_band, sex from the engine's group columns; learning
// disability from the QOF register's code list as the library's children.sev counts it; the
// provider, treatment function and priority of the person's longest-waiting open pathway), with
// the SII across IMD deciles. `severn elective measures` writes it beside its outputs and runs it
// as `severn run` would (docs/elective/snapshots.md, "Breakdowns").
#pragma once
#include <string>

#include "core/date.h"

namespace severn::elective {

inline constexpr const char* kWaitingListMeasure = "elective_waiting_over_18_weeks";

// The definition's text for monthly intervals from the month of `from` to the month of `to`.
// The unit is a person: a person with two open pathways is counted once, in the denominator when
// any pathway is open and in the numerator when any has waited more than 126 days. The periods are
// open until their clock stop: the language's wl_pathways has no removal_date yet.
std::string waiting_list_definition(Days from, Days to);

}  // namespace severn::elective
