// The published summary of a mutual-aid run (DIR/mutual_aid_summary.csv): how many open pathways
// were PIDMAS-eligible on D, how many of those patients asked to move (the opt-in scenario), and
// how many were matched to a provider with a shorter wait, overall and by treatment function,
// current provider and IMD quintile (and matched ones by receiving provider). Counts are pathways;
// every count passes Severn's disclosure control as one release (docs/disclosure.md), and the
// matched share is computed from the published counts.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "disclosure/release.h"
#include "elective/mutual_aid_matching.h"

namespace severn::elective {

// One PIDMAS-eligible pathway's part in the summary.
struct MutualAidCase {
  int treatment_function = 0;
  std::string provider_code;
  int imd_quintile = 0;  // 1-5; 0 when the home LSOA is not in the geography
  bool opted_in = false;
  bool matched = false;
  std::string receiving_provider;  // when matched
};

// Series 0 eligible, 1 opted in (within 0), 2 matched (within 1).
disclosure::Release mutual_aid_release(const std::vector<MutualAidCase>& cases, Days on);

// The CSV text (header date,radius_miles,breakdown,group,eligible,opted_in,matched,matched_percent)
// from a decision, or from the exact counts when `decision` is null (disclosure control off).
std::string mutual_aid_summary_csv(const disclosure::Release& release, const disclosure::ReleaseDecision* decision,
                                   Days on, double radius_miles);

// "50", "100" or "national".
std::string radius_text(double radius_miles);

}  // namespace severn::elective
