// `severn run`: evaluates a checked definition over a store and writes
//   OUT/dataset.csv   one row per person in the population on --index-date: pseudonym, variables
//   OUT/measures.csv  one row per measure, interval, breakdown and group: numerator, denominator,
//                     value (numerator / denominator)
//   OUT/run.json      persons scanned, in the population, measure rows, total time
// Measures are broken down by each `by` column in turn, plus an overall row (breakdown "all").
#pragma once
#include <filesystem>
#include <string>

#include "core/date.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::engine {

struct RunOptions {
  std::filesystem::path out;
  Days index_date = 0;
  unsigned threads = 0;  // 0: all cores
  std::string data_dir;  // reference pack for group columns
};

struct RunSummary {
  std::uint64_t persons_scanned = 0;
  std::uint64_t in_population = 0;
  std::uint64_t measure_rows = 0;
  double seconds_prepare = 0;   // bind the store, compile, load group reference data
  double seconds_evaluate = 0;  // every person, every lane
  double seconds_write = 0;     // merge the threads' counts, write the files
  double seconds_total = 0;
  unsigned threads = 0;
};

RunSummary run(const store::Store& store, const lang::CheckedDefinition& definition,
               const RunOptions& options);

// The [start, end] intervals (inclusive) of a measure.
std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec);

}  // namespace severn::engine
