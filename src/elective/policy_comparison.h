// The policy comparison's published table: for each policy and horizon, the list still waiting
// and those treated so far, overall and by IMD quintile and ethnicity group, through Severn's
// disclosure control (src/disclosure, docs/disclosure.md). Counts are of pathways (clock periods).
//
// Each counted quantity (waiting, over 18 weeks, over 52 weeks, over the priority's target,
// treated) of one policy and horizon is a table with two breakdowns (IMD quintile, ethnicity
// group) of one total; disclosure::suppress withholds small counts and any count derivable from
// the published ones, and rounds the rest. Percentages are derived from published counts under
// the rounded policy (from exact ones under suppressed-exact); the median and 92nd percentile of
// weeks waited are shown only for a group whose waiting count is published.
#pragma once
#include <string>
#include <vector>

#include "disclosure/suppression.h"
#include "elective/policy_simulation.h"

namespace severn::elective {

// CSV text with the header
// policy,horizon_weeks,breakdown,group,waiting,median_weeks_waited,p92_weeks_waited,over_18_weeks,
// over_18_weeks_pct,over_52_weeks,over_52_weeks_pct,over_priority_target,over_priority_target_pct,
// treated,treated_median_weeks_waited
// `apply_control` false writes exact counts (the metadata must say so).
std::string policy_comparison_csv(const std::vector<SimResult>& results, const disclosure::Policy& policy,
                                  bool apply_control);

// The q-quantile (0 < q <= 1) of weeks waited, completed weeks, by the nearest-rank method (the
// smallest value with at least q of the values at or below it); -1 for no values.
int quantile_weeks(std::vector<Days> days, double q);

}  // namespace severn::elective
