// The counts of a scan (the native engine's threads, or an SQL engine's result) and how they
// become one definition's measure tables: the part of evaluation every engine shares, so that
// all hand the measures stage the same exact counts.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/csv_writer.h"
#include "disclosure/release.h"
#include "engine/evaluator.h"
#include "engine/groups.h"
#include "engine/measure_counts.h"
#include "engine/worklists.h"
#include "lang/checker.h"
#include "query/model.h"

namespace severn::engine {

// One definition's counting in one thread: the distinct combinations of its group codes seen, and
// counts per (combination, lane, measure): counts[((combo * lanes + lane) * measures + m) * 2 +
// {0: denominator, 1: numerator}].
struct Counter {
  std::unordered_map<std::string, std::uint32_t> combo_index;
  std::vector<std::uint32_t> combo_codes;  // combo x the definition's group columns
  std::vector<std::uint32_t> counts;
  std::uint64_t in_population = 0;
  std::vector<std::vector<WorklistEntry>> worklists;  // per worklist, when they are written
  std::string key;                                    // scratch
  std::vector<std::uint32_t> codes;                   // the combination being counted (set by the caller)
  static constexpr std::uint32_t kNoCombo = ~std::uint32_t{0};
  std::uint32_t last_combo = kNoCombo;                // the combination counts_of() found last
  std::vector<std::uint32_t> last_codes;              // and its codes
  std::vector<std::uint32_t> combo_of_pass;           // the scan's: its combination index -> this one's

  // The index of the combination `codes`, added (its counts zero) the first time it is seen.
  std::uint32_t combo(std::size_t lanes, std::size_t measures);
  // The (denominator, numerator) pairs of every measure of a combination in `lane`.
  std::uint32_t* counts_at(std::uint32_t combo, std::size_t lane, std::size_t lanes, std::size_t measures) {
    return &counts[((combo * lanes + lane) * measures) * 2];
  }
  // counts_at(combo(...)), remembering the last combination: callers that ask lane by lane for
  // the same person mostly ask for the same one.
  std::uint32_t* counts_of(std::size_t lane, std::size_t lanes, std::size_t measures);
};

// What one definition asks of the pass, worked out before it starts.
struct DefinitionLayout {
  std::size_t first_measure = 0, measures = 0;           // its measures among the pass's
  std::vector<std::vector<std::pair<Days, Days>>> intervals;  // per measure
  std::vector<std::vector<std::uint32_t>> lane_of;           // measure, interval -> lane
  std::vector<std::vector<std::string>> breakdowns;          // per measure: group names
  std::vector<std::size_t> columns;                          // its group columns, as pass columns
  std::vector<std::vector<std::size_t>> by;                  // per measure: breakdowns as its columns
  std::size_t age_column = 0, sex_column = 0;                // standardising, as its columns
  bool any_dsr = false, any_isr = false;
};

// One thread's counts (or one SQL result's): group labels per pass column, counts per definition.
struct Tally {
  std::vector<LetGroups> lets;     // per group column of the pass
  std::vector<Counter> counters;   // per definition
};

// A dataset or worklist cell: empty for null, true/false, integers, shortest round-trip floats,
// ISO dates, codes and strings as they are.
void append_value(CsvRow& row, const Value& v);

// The ESP 2013 band of an age_band label: "0-4" -> 0 ... "85-89" -> 17, "90+" -> 18; kDsrBands for
// "unknown".
std::size_t esp_band(const std::string& label);

// Lanes: the distinct intervals of every measure of every definition, answered 64 at a time.
std::vector<Lane> lay_out_lanes(const query::Model& model, Days index_date, std::vector<DefinitionLayout>& layouts);

// Group columns: each definition's breakdowns in its measures' order, then age band and sex when
// it standardises; returns the pass's columns (the union), each definition's as indices into it.
std::vector<std::pair<std::string, query::NodeId>> lay_out_groups(const query::Model& model,
                                                                  const std::vector<const lang::CheckedDefinition*>& defs,
                                                                  std::vector<DefinitionLayout>& layouts);

// Group columns that nest in another among the people counted (docs/disclosure.md). `names` are
// the pass's column names.
std::vector<disclosure::Nesting> find_nestings(const std::vector<std::string>& names, const DefinitionLayout& layout,
                                               const std::vector<const Tally*>& tallies, std::size_t definition);

// Every tally's combinations summed into the definition's measure tables, merged by group label.
std::vector<std::vector<MeasureTable>> merge_counts(const lang::Definition& d, const DefinitionLayout& layout,
                                                    const std::vector<const Tally*>& tallies, std::size_t definition,
                                                    std::size_t total_lanes);

}  // namespace severn::engine
