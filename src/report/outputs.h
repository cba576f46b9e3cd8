// The outputs of one `severn run` as the report reads them back: the definition's text (for its
// header and the comment above each measure), measures.csv, funnels.csv, inequality.csv and
// run.json, grouped by measure. An empty cell (withheld by disclosure control, or not computable)
// reads as NaN or an absent count, never as zero.
#pragma once
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
  std::string description; // the comment lines just above the measure in the definition
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
  std::vector<MeasureOutputs> measures;  // in the order of measures.csv
  RunInfo run;
};

// The header fields and the comment above each measure, from a definition's text.
struct DefinitionText {
  std::string title, source, version, header;
  std::vector<std::pair<std::string, std::string>> descriptions;  // measure name, its comment
};
DefinitionText read_definition_text(const std::string& text);

// Reads DIR/definition.sev (optional), measures.csv, funnels.csv, inequality.csv and run.json.
// Throws InputError naming the file when one is missing or malformed.
DefinitionOutputs load_definition_outputs(const std::filesystem::path& dir, const std::string& name);

// "Apr 2024" for a calendar month, "2024-25" for an NHS financial year, "Q1 2024-25" for a
// calendar quarter, else "2024-04-01 to 2024-06-15".
std::string interval_label(const Interval& interval);
// The same, short, for an axis: "Apr 24", "24-25".
std::string interval_short_label(const Interval& interval);

}  // namespace severn::report
