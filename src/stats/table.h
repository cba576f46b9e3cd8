// One method applied to a table of counts: what `severn stats` does with a CSV an analyst
// brings. Rows are grouped by the `by` columns (in order of first appearance); each group gives
// one output row per confidence level. The funnel methods instead write one row per input row (a
// unit: a practice, a PCN), each `by` group being a funnel of its own. docs/methods.md lists the
// columns each method reads and writes.
//
// Input numbers: an empty cell or NA is missing; anything else must be a finite decimal number no
// larger in size than 2^53 (9007199254740992). A figure the numerical library still cannot use is
// an input error located at its row or group, never an internal error.
// Output numbers are written in full (shortest text that reads back exactly); missing is empty.
// Every input error names the file, line, column and reason.
//
// Disclosure control (docs/disclosure.md) is on unless `disclosure_control` is false: every count
// written (numerators, denominators, populations, observed events, counts of values) is withheld
// (written as disclosure::kWithheldMarker, "[c]") when it lies in the policy's range and rounded
// otherwise. Under the rounded policy every figure derived from counts is computed from the
// published (rounded) counts; under suppressed-exact, or with control off, from the exact counts.
// Figures derived from a withheld count are "[c]" too, and the row's `disclosure` column then says
// "withheld", never why. Secondary suppression is not applied: the rows of an arbitrary table need
// not add up in any known way.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_table.h"
#include "disclosure/suppression.h"

namespace severn::stats {

enum class TableMethod {
  kProportion, kRate, kMean, kDsr, kIsrRatio, kIsrRate, kSii, kFunnelProportion, kFunnelRate, kFunnelRatio
};
// "proportion", "rate", "mean", "dsr", "isr-ratio", "isr-rate", "sii", "funnel-proportion",
// "funnel-rate", "funnel-ratio"; throws InputError otherwise.
TableMethod parse_table_method(std::string_view name);
const char* table_method_name(TableMethod m);  // as parse_table_method reads it
const char* table_method_names();  // for help text

// A standard population's band and weight, e.g. ESP 2013 "0-4" 5000.
struct StandardBand {
  std::string band;
  double weight;
};

struct TableOptions {
  TableMethod method = TableMethod::kProportion;
  std::vector<double> confidence{0.95};
  double multiplier = 0;  // 0: the method's default (1 for proportions, means and ratios, 100000 for rates)
  std::vector<std::string> by;

  // Column names.
  std::string numerator = "numerator", denominator = "denominator";  // proportion, rate
  std::string value = "value";                                       // mean, sii
  std::string count = "count", population = "population";            // dsr, isr
  std::string band = "age_band";                                     // dsr
  std::string stdpop;           // dsr: a column of standard weights instead of `standard`
  std::string event_frequency;  // dsr: events per person; `count` then counts persons
  std::string ref_count = "ref_count", ref_population = "ref_population";  // isr
  std::string observed;         // isr: a column holding each group's observed total; funnel-ratio: the
                                // observed events (default "observed")
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

  // funnel-*: each row is a unit. funnel-rate reads `numerator` (events) and `denominator`
  // (population), or with `rate` a column of directly standardised rates per multiplier, whose
  // population is then multiplier * events / rate (PHEindicatormethods' rate_type = "dsr").
  // funnel-ratio reads `observed` and `expected`.
  std::string rate;
  std::string expected = "expected";
  // The target in the output's units (times multiplier). NaN: the pooled value of each funnel
  // (all its numerators over all its denominators) for proportions and rates, and a ratio of 1
  // (observed = expected) for ratios.
  double target = std::nan("");
  // More than 0: also draw each funnel's limits at this many denominators (TableResult::curve).
  int curve_points = 0;

  disclosure::Policy policy;
  bool disclosure_control = true;  // false only by an explicit choice (--no-disclosure-control)
};

struct TableResult {
  std::string csv;             // the output table
  std::string metadata;        // JSON for beside the output: method, disclosure policy, what was withheld
  std::string curve;           // with curve_points: the funnels' limits over a range of denominators
  std::string curve_metadata;  // JSON for beside the curve
  std::uint64_t rows = 0, rows_withheld = 0, counts_redacted = 0;
};

// Applies the method. `output_name` and `curve_name` name the outputs in their metadata. Throws
// InputError for bad input.
TableResult run_table(const CsvTable& in, const TableOptions& options, const std::string& output_name = "",
                      const std::string& curve_name = "");
// run_table(in, options).csv
std::string apply_to_table(const CsvTable& in, const TableOptions& options);

}  // namespace severn::stats
