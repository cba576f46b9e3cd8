// measures.csv, funnels.csv, inequality.csv and run.json, written from published values
// (measures/measure_values.h). Columns:
//   measures.csv    measure, interval_start, interval_end, breakdown, group, numerator,
//                   denominator, value, lower, upper, statistic, method, confidence, note
//   funnels.csv     measure, interval_start, interval_end, breakdown, group, numerator,
//                   denominator, value, target, lower_95, upper_95, lower_99_8, upper_99_8,
//                   significance, statistic, note
//   inequality.csv  measure, interval_start, interval_end, breakdown, index, value, lower, upper,
//                   statistic, confidence, method, note
// A withheld cell is disclosure::kWithheldMarker; a figure that could not be computed is empty.
// Values and limits have 6 decimals.
#pragma once
#include <filesystem>
#include <string>

#include "engine/run.h"
#include "measures/measure_values.h"

namespace severn::measures {

std::string measures_csv(const DefinitionValues& values);
std::string funnels_csv(const DefinitionValues& values);
std::string inequality_csv(const DefinitionValues& values);

// run.json: what the engine did (persons, index date, worklists, threads, timings) and what the
// measures stage published (row counts, the disclosure policy, what it withheld, the audit).
// `definitions` is how many definitions the release held.
std::string run_json(const engine::EvaluationSummary& evaluation, const DefinitionValues& values,
                     const ReleaseValues& release);

// Writes the four files into `out`. Throws InputError naming a file that cannot be written.
void write_definition_outputs(const std::filesystem::path& out, const engine::EvaluationSummary& evaluation,
                              const DefinitionValues& values, const ReleaseValues& release);

// JSON object of the counts withheld, for run.json.
std::string withheld_json(const WithheldCounts& withheld);

// A value as measures.csv publishes it (6 decimals), read back: what the report shows, so that
// the page and the files agree to the last digit. NaN stays NaN.
double as_published(double value);

}  // namespace severn::measures
