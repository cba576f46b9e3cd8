// Test fixture only: the report's view of one definition read from a directory of fixed files
// (definition.sev, measures.csv, funnels.csv, inequality.csv, run.json), so the golden page can be
// built from hand-written numbers. `severn report` itself never reads these files back: it builds
// the same view from the measures stage's values (report/outputs.h).
#pragma once
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/csv_table.h"
#include "core/error.h"
#include "disclosure/suppression.h"
#include "lang/parser.h"
#include "report/outputs.h"

namespace severn::report {

namespace csv_outputs {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A withheld cell and a figure that could not be computed (empty) both read as absent.
inline bool absent(const CsvTable& t, std::size_t row, std::size_t col) {
  return t.is_empty(row, col) || t.cell(row, col) == disclosure::kWithheldMarker;
}
inline double number_or_nan(const CsvTable& t, std::size_t row, const char* column) {
  const std::size_t col = t.column(column);
  return absent(t, row, col) ? NAN : t.get_double(row, col);
}
inline std::optional<std::int64_t> count_or_none(const CsvTable& t, std::size_t row, const char* column) {
  const std::size_t col = t.column(column);
  if (absent(t, row, col)) return std::nullopt;
  return t.get_int(row, col);
}
inline MeasureOutputs& measure_named(DefinitionOutputs& d, const std::string& name) {
  for (auto& m : d.measures)
    if (m.name == name) return m;
  d.measures.push_back({});
  d.measures.back().name = name;
  return d.measures.back();
}

}  // namespace csv_outputs

inline DefinitionOutputs load_definition_outputs(const std::filesystem::path& dir, const std::string& name) {
  using namespace csv_outputs;
  DefinitionOutputs d;
  d.name = name;
  lang::Definition definition;
  if (std::filesystem::exists(dir / "definition.sev")) {
    const lang::SourceFile file((dir / "definition.sev").string(), read_text(dir / "definition.sev"));
    definition = lang::parse(file);
    d.title = definition.header.title;
    d.source = definition.header.source;
    d.version = definition.header.version;
    d.header = definition.header.notes;
  }
  const CsvTable m = CsvTable::read_file(dir / "measures.csv");
  for (std::size_t r = 0; r < m.rows(); ++r) {
    MeasureOutputs& mo = measure_named(d, m.cell(r, "measure"));
    mo.statistic = m.cell(r, "statistic");
    mo.confidence = m.cell(r, "confidence");
    MeasureRow row;
    row.interval = {m.cell(r, "interval_start"), m.cell(r, "interval_end")};
    row.breakdown = m.cell(r, "breakdown");
    row.group = m.cell(r, "group");
    row.numerator = count_or_none(m, r, "numerator");
    row.denominator = count_or_none(m, r, "denominator");
    row.value = number_or_nan(m, r, "value");
    row.lower = number_or_nan(m, r, "lower");
    row.upper = number_or_nan(m, r, "upper");
    row.note = m.cell(r, "note");
    mo.rows.push_back(std::move(row));
  }
  const CsvTable f = CsvTable::read_file(dir / "funnels.csv");
  for (std::size_t r = 0; r < f.rows(); ++r) {
    MeasureOutputs& mo = measure_named(d, f.cell(r, "measure"));
    FunnelRow row;
    row.interval = {f.cell(r, "interval_start"), f.cell(r, "interval_end")};
    row.breakdown = f.cell(r, "breakdown");
    row.group = f.cell(r, "group");
    row.numerator = count_or_none(f, r, "numerator");
    row.denominator = count_or_none(f, r, "denominator");
    row.value = number_or_nan(f, r, "value");
    row.target = number_or_nan(f, r, "target");
    row.lower95 = number_or_nan(f, r, "lower_95");
    row.upper95 = number_or_nan(f, r, "upper_95");
    row.lower998 = number_or_nan(f, r, "lower_99_8");
    row.upper998 = number_or_nan(f, r, "upper_99_8");
    row.significance = f.cell(r, "significance");
    row.note = f.cell(r, "note");
    mo.funnels.push_back(std::move(row));
  }
  const CsvTable q = CsvTable::read_file(dir / "inequality.csv");
  for (std::size_t r = 0; r < q.rows(); ++r) {
    MeasureOutputs& mo = measure_named(d, q.cell(r, "measure"));
    InequalityRow row;
    row.interval = {q.cell(r, "interval_start"), q.cell(r, "interval_end")};
    row.breakdown = q.cell(r, "breakdown");
    row.index = q.cell(r, "index");
    row.value = number_or_nan(q, r, "value");
    row.lower = number_or_nan(q, r, "lower");
    row.upper = number_or_nan(q, r, "upper");
    row.note = q.cell(r, "note");
    mo.inequality.push_back(std::move(row));
  }
  for (auto& mo : d.measures)
    for (const auto& measure : definition.measures)
      if (measure.name == mo.name) mo.description = measure.comment;

  const auto json_path = dir / "run.json";
  const std::string json = read_text(json_path);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) throw InputError(json_path.string() + ": not valid JSON");
  const auto u64 = [&](simdjson::dom::element e, const char* key, std::uint64_t& into) {
    std::uint64_t v = 0;
    if (e[key].get(v) == simdjson::SUCCESS) into = v;
  };
  u64(root, "persons_scanned", d.run.persons_scanned);
  u64(root, "in_population", d.run.in_population);
  std::string_view sv;
  if (root["index_date"].get(sv) == simdjson::SUCCESS) d.run.index_date = std::string(sv);
  double seconds = 0;
  if (root["seconds_total"].get(seconds) == simdjson::SUCCESS) d.run.seconds = seconds;
  simdjson::dom::element disclosure;
  if (root["disclosure"].get(disclosure) == simdjson::SUCCESS) {
    bool applied = true;
    if (disclosure["applied"].get(applied) == simdjson::SUCCESS) d.run.disclosure_applied = applied;
    if (disclosure["policy"]["description"].get(sv) == simdjson::SUCCESS) d.run.policy = std::string(sv);
  }
  simdjson::dom::element withheld;
  if (root["withheld"].get(withheld) == simdjson::SUCCESS) {
    u64(withheld, "numerator_small", d.run.numerator_small);
    u64(withheld, "numerator_derivable", d.run.numerator_derivable);
    u64(withheld, "denominator_small", d.run.denominator_small);
    u64(withheld, "denominator_derivable", d.run.denominator_derivable);
    u64(withheld, "values_withheld", d.run.values_withheld);
    u64(withheld, "inequality_rows_withheld", d.run.inequality_rows_withheld);
  }
  return d;
}

}  // namespace severn::report
