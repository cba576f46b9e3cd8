#include "sql/sql_engine.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/csv_writer.h"
#include "core/error.h"
#include "engine/counts.h"
#include "engine/measure_meaning.h"
#include "query/lower.h"
#include "refdata/data_dir.h"
#include "sql/query_compiler.h"

namespace severn::sql {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A value of the SQL result as the native engine holds it, for the same CSV text.
engine::Value parse_value(const std::optional<std::string>& cell, query::ValueType type, std::string& storage,
                          const std::string& what) {
  if (!cell) return {};
  const std::string& t = *cell;
  const auto bad = [&] { return InputError("SQL result: " + what + ": '" + t + "' is not a " + query::type_name(type)); };
  switch (type) {
    case query::ValueType::kNull: return {};
    case query::ValueType::kBool:
      if (t == "t" || t == "true") return engine::Value::of_bool(true);
      if (t == "f" || t == "false") return engine::Value::of_bool(false);
      throw bad();
    case query::ValueType::kInt: {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(t.c_str(), &end, 10);
      if (t.empty() || *end != '\0' || errno != 0) throw bad();
      return engine::Value::of_int(v);
    }
    case query::ValueType::kFloat: {
      char* end = nullptr;
      const double v = std::strtod(t.c_str(), &end);
      if (t.empty() || *end != '\0') throw bad();
      return std::isfinite(v) ? engine::Value::of_float(v) : engine::Value{};
    }
    case query::ValueType::kDate: {
      const auto d = parse_iso_date(t.substr(0, 10));
      if (!d) throw bad();
      return engine::Value::of_date(*d);
    }
    case query::ValueType::kCode:
    case query::ValueType::kString:
      storage = t;
      return engine::Value::of_string(storage);
  }
  return {};
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write");
}

std::uint64_t count_cell(const std::optional<std::string>& cell, const std::string& what) {
  if (!cell) return 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(cell->c_str(), &end, 10);
  if (cell->empty() || *end != '\0') throw InputError("SQL result: " + what + ": '" + *cell + "' is not a count");
  return v;
}

}  // namespace

PostgresExecutor::PostgresExecutor(const std::string& dsn) : connection_(dsn), hooks_(dialect_hooks("postgres")) {}

std::vector<engine::Evaluated> evaluate_sql(SqlExecutor& executor, const std::string& schema,
                                            const std::vector<const lang::CheckedDefinition*>& defs,
                                            const std::vector<engine::EvaluateOptions>& opts) {
  if (defs.empty() || defs.size() != opts.size()) throw std::invalid_argument("evaluate_sql: one set of options per definition");
  const engine::EvaluateOptions& o = opts[0];
  const auto t0 = Clock::now();
  for (std::size_t d = 0; d < defs.size(); ++d)
    if (o.worklists && !defs[d]->definition.worklists.empty())
      throw InputError("worklists are identifiable and read the store's identity area, which a SQL warehouse does not hold: "
                       "write them with the native engine (severn run --store ... --worklists)");
  for (const auto* def : defs)
    for (const auto& m : def->definition.measures)
      if (!m.over.empty()) throw InputError(row_measure_refusal(m.name, m.over));
  query::LowerOptions lower_options;
  lower_options.data_dir = o.data_dir;
  query::Model model;
  for (const auto* def : defs) query::lower_into(model, *def, lower_options);
  std::vector<engine::DefinitionLayout> layouts(defs.size());
  const std::vector<engine::Lane> lanes = engine::lay_out_lanes(model, o.index_date, layouts);
  const auto pass_columns = engine::lay_out_groups(model, defs, layouts);
  std::vector<std::pair<Days, Days>> sql_lanes;
  for (const auto& l : lanes) sql_lanes.emplace_back(l.index_date, l.interval_start);
  const SqlTarget target{&executor.dialect(), schema};
  std::vector<std::string> column_names;
  for (const auto& [name, node] : pass_columns) column_names.push_back(name);

  std::vector<engine::Evaluated> results(defs.size());
  engine::Tally tally;
  tally.lets.resize(pass_columns.size());
  tally.counters.resize(defs.size());
  for (std::size_t d = 0; d < defs.size(); ++d) {
    const auto t = Clock::now();
    const engine::EvaluateOptions& od = opts[d];
    const lang::Definition& ld = defs[d]->definition;
    const query::Definition& qd = model.definitions[d];
    const engine::DefinitionLayout& L = layouts[d];
    std::error_code ec;
    std::filesystem::create_directories(od.out, ec);
    if (ec) throw InputError(od.out.string() + ": cannot create output directory: " + ec.message());

    // The dataset: persons in the population on the index date, with their variables.
    const QueryResult rows = executor.query(compile_dataset(model, d, od.index_date, target));
    if (rows.columns.size() != 2 + qd.variables.size()) throw InputError("SQL result: the dataset query returned the wrong columns");
    std::string dataset;
    {
      CsvRow header(dataset);
      header.text("pseudonym");
      for (const auto& v : ld.variables) header.text(v.name);
    }
    std::string storage;
    for (const auto& r : rows.rows) {
      CsvRow row(dataset);
      row.text(r[1].value_or(""));
      for (std::size_t v = 0; v < qd.variables.size(); ++v)
        engine::append_value(row, parse_value(r[2 + v], model.node(qd.variables[v].value).type, storage, qd.variables[v].name));
    }
    write_file(od.out / "dataset.csv", dataset);

    // The measures: counts per lane and combination of group labels.
    engine::Counter& k = tally.counters[d];
    k.in_population = rows.rows.size();
    if (!qd.measures.empty()) {
      MeasuresQuery mq;
      mq.lanes = sql_lanes;
      mq.lanes_of = L.lane_of;
      for (const auto c : L.columns) mq.groups.push_back(pass_columns[c].second);
      const QueryResult counts = executor.query(compile_measures(model, d, mq, target));
      const std::size_t ncols = L.columns.size();
      if (counts.columns.size() != 1 + ncols + 2 * L.measures) throw InputError("SQL result: the measures query returned the wrong columns");
      k.codes.resize(ncols);
      for (const auto& r : counts.rows) {
        const std::uint64_t lane = count_cell(r[0], "lane");
        if (lane >= lanes.size()) throw InputError("SQL result: lane " + std::to_string(lane) + " out of range");
        for (std::size_t c = 0; c < ncols; ++c) k.codes[c] = tally.lets[L.columns[c]].code(r[1 + c].value_or("unknown"));
        std::uint32_t* c = k.counts_of(lane, lanes.size(), L.measures);
        for (std::size_t m = 0; m < L.measures; ++m) {
          c[2 * m] += static_cast<std::uint32_t>(count_cell(r[1 + ncols + 2 * m], "denominator"));
          c[2 * m + 1] += static_cast<std::uint32_t>(count_cell(r[2 + ncols + 2 * m], "numerator"));
        }
      }
    }
    engine::Evaluated& result = results[d];
    result.out = od.out;
    const std::vector<const engine::Tally*> tallies{&tally};
    result.measures.definition = &ld;
    result.measures.tables = engine::merge_counts(ld, L, tallies, d, lanes.size());
    result.measures.nestings = engine::find_nestings(column_names, L, tallies, d);
    result.measures.intervals = L.intervals;
    result.measures.breakdowns = L.breakdowns;
    for (const auto& meaning : engine::measure_meanings(*defs[d])) {
      result.measures.numerator_meaning.push_back(meaning.numerator);
      result.measures.denominator_meaning.push_back(meaning.denominator);
    }
    engine::EvaluationSummary& s = result.summary;
    s.in_population = k.in_population;
    s.index_date = od.index_date;
    s.index_date_source = od.index_date_source;
    s.lanes = lanes.size();
    s.threads = 1;
    s.seconds_evaluate = since(t);
    s.seconds_total = since(t0);
  }
  return results;
}

std::string definition_sql(const lang::CheckedDefinition& definition, Days index_date, const std::string& data_dir,
                           const DialectHooks& dialect, const std::string& schema) {
  query::LowerOptions lower_options;
  lower_options.data_dir = data_dir;
  const query::Model model = query::lower(definition, lower_options);
  std::vector<engine::DefinitionLayout> layouts(1);
  const std::vector<engine::Lane> lanes = engine::lay_out_lanes(model, index_date, layouts);
  const auto pass_columns = engine::lay_out_groups(model, {&definition}, layouts);
  const SqlTarget target{&dialect, schema};
  std::string out = "-- Severn: the dataset on " + format_iso_date(index_date) + " (" + dialect.name() + ")\n" +
                    compile_dataset(model, 0, index_date, target) + ";\n";
  if (!model.definitions[0].measures.empty()) {
    MeasuresQuery mq;
    for (const auto& l : lanes) mq.lanes.emplace_back(l.index_date, l.interval_start);
    mq.lanes_of = layouts[0].lane_of;
    for (const auto c : layouts[0].columns) mq.groups.push_back(pass_columns[c].second);
    out += "\n-- Severn: the measures' counts by interval (lane) and group columns";
    for (std::size_t g = 0; g < layouts[0].columns.size(); ++g) out += " g" + std::to_string(g) + "=" + pass_columns[layouts[0].columns[g]].first;
    out += "\n" + compile_measures(model, 0, mq, target) + ";\n";
  }
  return out;
}

}  // namespace severn::sql
