// The engine's entry point: evaluates a checked definition over a store and returns exact counts.
//   OUT/dataset.csv     one row per person in the population on the index date: pseudonym,
//                       variables (record level, pseudonymised: not an aggregate, so no
//                       disclosure control); unless EvaluateOptions::dataset is off
//   OUT/worklists/      the definition's worklists, when asked for (identifiable: engine/worklists.h)
//   counts              every measure's exact counts by interval, breakdown and group
//                       (engine/measure_counts.h), for the measures stage (src/measures/), which
//                       computes the statistics, applies disclosure control and writes
//                       measures.csv, funnels.csv, inequality.csv and run.json. The engine never
//                       applies statistics or disclosure control itself.
// Measures are broken down by each `by` column in turn, plus an overall row (breakdown "all").
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "engine/measure_counts.h"
#include "engine/worklists.h"
#include "lang/checker.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::engine {

struct EvaluateOptions {
  std::filesystem::path out;
  Days index_date = 0;
  std::string index_date_source;  // why this date (--index-date, the data's end ...), for run.json
  unsigned threads = 0;  // 0: all cores
  std::string data_dir;  // reference pack for group columns
  // Write OUT/dataset.csv (record level). The report publishes aggregates only and asks for none,
  // which also spares every person's variables being evaluated a second time at the index date.
  bool dataset = true;
  // Write the definition's worklists (identifiable, for direct care: engine/worklists.h).
  bool worklists = false;
  // With worklists: keep each worklist's entries in Evaluated::worklist_entries instead of writing
  // OUT/worklists/ (the server joins who each person is per request, under the reader's own
  // access context: engine/worklists.h worklist_csv).
  bool keep_worklists = false;
  // Told of every read of the identity area the worklists make (store/identity_area.h); empty:
  // no one is told.
  store::AccessObserver identity_observer;
};

struct EvaluationSummary {
  std::uint64_t persons_scanned = 0;
  std::uint64_t in_population = 0;
  Days index_date = 0;
  std::string index_date_source;
  std::size_t lanes = 0;        // distinct (interval start, end) pairs evaluated
  double seconds_prepare = 0;   // bind the store, compile, load group reference data
  double seconds_evaluate = 0;  // every person, every lane
  double seconds_write = 0;     // merge the threads' counts, write the dataset (and worklists)
  double seconds_total = 0;
  unsigned threads = 0;
  bool worklists_written = false;
  std::vector<WorklistSummary> worklists;  // when EvaluateOptions::worklists
  // When the store evaluated was a view without weak links (store::Store::without_weak_links,
  // `--min-link-probability`): what it left out, for run.json.
  std::optional<store::LinkFilter> link_filter;
};

// A definition evaluated, its dataset and worklists written, its measures counted but not yet
// published (measures::publish does that, for one definition or for several as one release).
struct Evaluated {
  EvaluationSummary summary;
  MeasureResults measures;
  std::filesystem::path out;
  // With EvaluateOptions::keep_worklists: entries[w] are worklist w's people (the definition's
  // order), pseudonymous until joined to the identity area.
  std::vector<std::vector<WorklistEntry>> worklist_entries;
};
Evaluated evaluate(const store::Store& store, const lang::CheckedDefinition& definition, const EvaluateOptions& options);
// Several definitions in one pass over the store: one query model of them all (equal
// subexpressions, code lists and their row buckets shared), every person visited once. Each has
// its own options (output directory); the index date, threads, reference pack and worklist choice
// of the first apply to the pass.
std::vector<Evaluated> evaluate(const store::Store& store, const std::vector<const lang::CheckedDefinition*>& definitions,
                                const std::vector<EvaluateOptions>& options);

// The [start, end] intervals (inclusive) of a measure; `intervals last N ...` counts back from
// the run's index date.
std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec, Days index_date);

}  // namespace severn::engine
