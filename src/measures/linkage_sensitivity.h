// Linkage sensitivity (docs/linkage-uncertainty.md): a definition's measures published twice in
// one release, from every linked record ("all links") and without the partner records linked to
// their person with a probability below a threshold ("strong links"), side by side, so that an
// analyst sees how much each figure depends on probabilistic matches.
//
// linkage_sensitivity.csv, one row per row of measures.csv (and per group that only the strong
// links give):
//   definition, measure, interval_start, interval_end, breakdown, group, min_link_probability,
//   value_all_links, value_strong_links, value_difference,
//   numerator_all_links, numerator_strong_links, numerator_difference,
//   denominator_all_links, denominator_strong_links, denominator_difference, statistic
// Differences are all links minus strong links, computed from the figures as published (so they
// tell a reader nothing the two figures do not), and withheld (disclosure::kWithheldMarker) when
// either figure is. Each figure has passed disclosure control as part of the release, and the
// strong-links counts whose difference from the all-links counts would reveal a small number are
// withheld (disclosure/differencing.h). A group nobody is in on one side counts 0 there.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "measures/measure_values.h"

namespace severn::measures {

struct LinkSensitivityRow {
  std::string measure, statistic;
  Days start = 0, end = 0;
  std::string breakdown, group;
  PublishedCount numerator_all, numerator_strong, denominator_all, denominator_strong;
  bool value_all_withheld = false, value_strong_withheld = false;
  double value_all = NAN, value_strong = NAN;  // NaN: withheld or not computable

  // All links minus strong links, from the published figures: nullopt-like flags say withheld.
  bool numerator_difference_withheld() const { return numerator_all.withheld() || numerator_strong.withheld(); }
  bool denominator_difference_withheld() const { return denominator_all.withheld() || denominator_strong.withheld(); }
  bool value_difference_withheld() const { return value_all_withheld || value_strong_withheld; }
  std::int64_t numerator_difference() const { return numerator_all.shown - numerator_strong.shown; }
  std::int64_t denominator_difference() const { return denominator_all.shown - denominator_strong.shown; }
  double value_difference() const { return value_all - value_strong; }  // NaN when either is
};

// The rows of one definition published both ways (values of the same definition, in one release).
std::vector<LinkSensitivityRow> link_sensitivity_rows(const DefinitionValues& all_links, const DefinitionValues& strong_links);

// linkage_sensitivity.csv's text; `definition` names the definition in its first column.
std::string linkage_sensitivity_csv(const std::string& definition, double min_link_probability,
                                    const std::vector<LinkSensitivityRow>& rows);

}  // namespace severn::measures
