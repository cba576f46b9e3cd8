// One definition's published results as the report shows them, grouped by measure: built in
// process from the measures stage's values (measures/measure_values.h) and the definition's
// syntax tree (its header, and the comment above each measure). A withheld or not computable
// figure is NaN or an absent count, never zero; values are as measures.csv publishes them
// (6 decimals), so the page and the files beside it agree.
#pragma once
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/run.h"
#include "measures/measure_values.h"

namespace severn::report {

struct Interval {
  std::string start, end;  // YYYY-MM-DD, both included
  bool operator==(const Interval&) const = default;
  auto operator<=>(const Interval&) const = default;
};

struct MeasureRow {
  Interval interval;
  std::string breakdown, group;
  std::optional<std::int64_t> numerator, denominator;
  double value = NAN, lower = NAN, upper = NAN;
  std::string note;
};

struct FunnelRow {
  Interval interval;
  std::string breakdown, group;
  std::optional<std::int64_t> numerator, denominator;
  double value = NAN, target = NAN, lower95 = NAN, upper95 = NAN, lower998 = NAN, upper998 = NAN;
  std::string significance, note;
};

struct InequalityRow {
  Interval interval;
  std::string breakdown, index;  // index: "sii" or "rii"
  double value = NAN, lower = NAN, upper = NAN;
  std::string note;
};

struct MeasureOutputs {
  std::string name;
  std::string statistic;   // "proportion per 100", "rate per 100000", ...
  std::string confidence;  // "95%"
  std::string description; // the comment lines just above the measure in the definition (lang::Measure::comment)
  std::vector<MeasureRow> rows;  // file order
  std::vector<FunnelRow> funnels;
  std::vector<InequalityRow> inequality;
  // The measure's intervals in time order, and the rows of one interval and breakdown.
  std::vector<Interval> intervals() const;
  std::vector<const MeasureRow*> rows_of(const Interval& interval, const std::string& breakdown) const;
  const MeasureRow* row(const Interval& interval, const std::string& breakdown, const std::string& group) const;
  bool has_breakdown(const std::string& breakdown) const;
};

struct RunInfo {
  std::uint64_t persons_scanned = 0, in_population = 0;
  std::string index_date;
  bool disclosure_applied = true;
  std::string policy;  // the policy's description
  std::uint64_t numerator_small = 0, numerator_derivable = 0, denominator_small = 0, denominator_derivable = 0;
  std::uint64_t values_withheld = 0, inequality_rows_withheld = 0;
  double seconds = 0;
};

struct DefinitionOutputs {
  std::string name;   // directory name under data/: the library name or the file's stem
  std::string title, source, version;  // from the definition's header ("" if absent)
  std::string header;  // the header's further comment lines (rules and deviations), joined
  std::vector<MeasureOutputs> measures;  // in the definition's order (those with any rows)
  RunInfo run;
};

// The report's view of one definition named `name` (its directory under data/).
DefinitionOutputs definition_outputs(const std::string& name, const measures::DefinitionValues& values,
                                     const engine::EvaluationSummary& evaluation, const measures::ReleaseValues& release);

// "Apr 2024" for a calendar month, "2024-25" for an NHS financial year, "Q1 2024-25" for a
// calendar quarter, else "2024-04-01 to 2024-06-15".
std::string interval_label(const Interval& interval);
// The same, short, for an axis: "Apr 24", "24-25".
std::string interval_short_label(const Interval& interval);

}  // namespace severn::report
