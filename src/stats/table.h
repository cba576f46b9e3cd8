// One method applied to a table of counts: what `severn stats` does with a CSV an analyst
// brings. Rows are grouped by the `by` columns (in order of first appearance); each group gives
// one output row per confidence level. docs/methods.md lists the columns each method reads and
// writes.
//
// Input numbers: an empty cell or NA is missing; anything else must be a finite decimal number.
// Output numbers are written in full (shortest text that reads back exactly); missing is empty.
// Every input error names the file, line, column and reason.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_table.h"

namespace severn::stats {

enum class TableMethod { kProportion, kRate, kMean, kDsr, kIsrRatio, kIsrRate, kSii };
// "proportion", "rate", "mean", "dsr", "isr-ratio", "isr-rate", "sii"; throws InputError otherwise.
TableMethod parse_table_method(std::string_view name);
const char* table_method_names();  // for help text

// A standard population's band and weight, e.g. ESP 2013 "0-4" 5000.
struct StandardBand {
  std::string band;
  double weight;
};

struct TableOptions {
  TableMethod method = TableMethod::kProportion;
  std::vector<double> confidence{0.95};
  double multiplier = 0;  // 0: the method's default (1, 100000, 1, 100000, 1, 100000)
  std::vector<std::string> by;

  // Column names.
  std::string numerator = "numerator", denominator = "denominator";  // proportion, rate
  std::string value = "value";                                       // mean, sii
  std::string count = "count", population = "population";            // dsr, isr
  std::string band = "age_band";                                     // dsr
  std::string stdpop;           // dsr: a column of standard weights instead of `standard`
  std::string event_frequency;  // dsr: events per person; `count` then counts persons
  std::string ref_count = "ref_count", ref_population = "ref_population";  // isr
  std::string observed;         // isr: a column holding each group's observed total
  // sii: one row per quantile, ordered by the numeric `quantile` column; each quantile's standard
  // error from `se`, or else from its 95% limits `lowercl` and `uppercl`.
  std::string quantile = "quantile", se = "se", lower = "lowercl", upper = "uppercl";
  std::string value_type = "normal";  // sii: normal, rate or proportion
  bool transform = false;
  int repetitions = 100000;
  std::uint64_t seed = 1;

  // dsr without `stdpop`: each group needs one row per band, matched on the `band` column.
  std::vector<StandardBand> standard;
  std::string standard_name;  // e.g. "ESP2013", for error messages
};

// Applies the method; returns the output CSV text. Throws InputError for bad input.
std::string apply_to_table(const CsvTable& in, const TableOptions& options);

}  // namespace severn::stats
