// `severn run`: evaluates a checked definition over a store and writes
//   OUT/dataset.csv     one row per person in the population on --index-date: pseudonym, variables
//                       (record level, pseudonymised: not an aggregate, so no disclosure control)
//   OUT/measures.csv    one row per measure, interval, breakdown and group: numerator, denominator,
//                       the measure's statistic with its limits, and a note (engine/measure_output.h)
//   OUT/funnels.csv     each group against the whole measure, with funnel-plot control limits
//   OUT/inequality.csv  slope and relative index of inequality, for measures with `sii by`
//   OUT/run.json        persons scanned, in the population, measure rows, time, and the disclosure
//                       control applied (its policy and what it withheld) or that it was off
// Measures are broken down by each `by` column in turn, plus an overall row (breakdown "all").
#pragma once
#include <filesystem>
#include <string>

#include "core/date.h"
#include "disclosure/suppression.h"
#include "engine/measure_output.h"
#include "engine/worklists.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::engine {

struct RunOptions {
  std::filesystem::path out;
  Days index_date = 0;
  std::string index_date_source;  // why this date (--index-date, the data's end ...), for run.json
  unsigned threads = 0;  // 0: all cores
  std::string data_dir;  // reference pack for group columns
  // Disclosure control of measures.csv, funnels.csv and inequality.csv. Off only for direct
  // analysis by an explicit choice, which run.json records.
  bool disclosure_control = true;
  disclosure::Policy policy;
  int sii_repetitions = 100000;  // simulations behind the SII's limits
  std::uint64_t sii_seed = 1;
  // Write the definition's worklists (identifiable, for direct care: engine/worklists.h).
  bool worklists = false;
  // Append what the run publishes to this release ledger, and audit against what it holds
  // ("": no ledger). docs/disclosure.md.
  std::filesystem::path release_ledger;
};

struct RunSummary {
  std::uint64_t persons_scanned = 0;
  std::uint64_t in_population = 0;
  std::uint64_t measure_rows = 0, funnel_rows = 0, inequality_rows = 0;
  WithheldCounts withheld;
  double seconds_prepare = 0;   // bind the store, compile, load group reference data
  double seconds_evaluate = 0;  // every person, every lane
  double seconds_write = 0;     // merge the threads' counts, write the files
  double seconds_total = 0;
  unsigned threads = 0;
  std::vector<WorklistSummary> worklists;  // when RunOptions::worklists
  disclosure::AuditSummary audit;          // when disclosure control is on
};

RunSummary run(const store::Store& store, const lang::CheckedDefinition& definition,
               const RunOptions& options);

// A definition evaluated, its dataset and worklists written, its measures counted but not yet
// published: `severn report` evaluates every definition first and publishes them as one release.
struct Evaluated {
  RunSummary summary;
  MeasureResults measures;
  OutputOptions output;
  std::string run_json_fields;  // run.json's fields from the evaluation (no braces)
  std::filesystem::path out;
};
Evaluated evaluate(const store::Store& store, const lang::CheckedDefinition& definition, const RunOptions& options);
// Several definitions in one pass over the store: one query model of them all (equal
// subexpressions, code lists and their row buckets shared), every person visited once. Each has
// its own options (output directory, disclosure settings); the index date, threads, reference pack
// and worklist choice of the first apply to the pass.
std::vector<Evaluated> evaluate(const store::Store& store, const std::vector<const lang::CheckedDefinition*>& definitions,
                                const std::vector<RunOptions>& options);

struct PublishOptions {
  bool disclosure_control = true;
  disclosure::Policy policy;
  std::filesystem::path release_ledger;  // "": none
  std::string release_tag;               // names the release in the ledger, after its UTC time
};

// Disclosure control over every definition's measures as one release (the audit included), then
// each definition's measures.csv, funnels.csv, inequality.csv and run.json. Fills each summary's
// row counts, withheld counts and audit. `labels` name the definitions for the audit.
disclosure::AuditSummary publish(std::vector<Evaluated>& evaluated, const std::vector<std::string>& labels,
                                 const PublishOptions& options);

// The [start, end] intervals (inclusive) of a measure; `intervals last N ...` counts back from
// the run's index date.
std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec, Days index_date);

}  // namespace severn::engine
