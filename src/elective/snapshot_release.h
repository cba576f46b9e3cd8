// Disclosure control of the snapshot outputs (docs/disclosure.md, docs/elective/snapshots.md):
// every count of one `severn elective snapshot` is one series cell of one release, decided
// together by Severn's disclosure control exactly as `severn run` decides measures: counts 1-7
// withheld, others rounded (or exact under suppressed-exact), then the audit withholds further
// cells until no withheld count can be narrowed from the published ones. Each count on one day is a
// two-way table with its margins (provider x treatment function, with the `all` rows): the total
// is the series' total, and the provider, the other column and their cross are its breakdowns,
// the cross nested in both, so a withheld cell is audited against the `all` rows it sums to.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "disclosure/release.h"
#include "elective/snapshot.h"

namespace severn::elective {

// The labels of a two-way layout: rows a (providers), columns b.
struct TwoWayLayout {
  std::string a_name, b_name;  // breakdown names: "provider", "treatment_function", "list_type"
  std::vector<std::string> a_labels, b_labels;
};

// One counted quantity on one interval, laid out on one of the layouts.
struct CountSeries {
  std::size_t layout = 0;
  std::string meaning;   // what is counted, e.g. "elective reported incomplete pathways"
  std::string interval;  // "YYYY-MM-DD/YYYY-MM-DD"
  std::string label;     // for people
  std::ptrdiff_t within = -1;  // index of the series this one never exceeds cell by cell, or -1
  Margins<std::int64_t> counts;
};

struct PublishedCounts {
  std::vector<Margins<disclosure::CellState>> series;  // as the input
  std::optional<disclosure::AuditSummary> audit;       // none when disclosure control is off
};

// `policy` nullopt: disclosure control off (every count published exactly).
PublishedCounts publish_counts(const std::vector<TwoWayLayout>& layouts, const std::vector<CountSeries>& series,
                               const std::optional<disclosure::Policy>& policy);

// The release as the disclosure module sees it (exposed for the tests' feasibility checks).
disclosure::Release release_of(const std::vector<TwoWayLayout>& layouts, const std::vector<CountSeries>& series);

// "YYYY-MM-DD/YYYY-MM-DD".
std::string interval_text(Days from, Days to);

}  // namespace severn::elective
