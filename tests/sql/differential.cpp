#include "differential.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "duckdb_session.h"
#include "engine/run.h"
#include "measures/csv_writers.h"
#include "measures/publish.h"
#include "ingest/ingest_fixture.h"
#include "postgres_cluster.h"
#include "refdata/data_dir.h"
#include "sql/duckdb_loader.h"
#include "sql/postgres_client.h"
#include "sql/postgres_loader.h"
#include "sql/warehouse_layout.h"

namespace severn::testing {
namespace {

engine::EvaluateOptions options(Days index_date, const std::filesystem::path& out) {
  engine::EvaluateOptions o;
  o.out = out;
  o.index_date = index_date;
  o.threads = 2;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  return o;
}

// Everything publish() reads of an evaluated definition besides its options, as text: the
// definition, intervals, breakdowns, every cell's counts (standardising bands included) and the
// nestings of group columns.
std::string publish_inputs(const engine::Evaluated& e) {
  const engine::MeasureResults& m = e.measures;
  std::ostringstream out;
  out << static_cast<const void*>(m.definition) << "\n";
  const auto cell = [&](const engine::Cell& c) {
    out << c.numerator << "/" << c.denominator;
    for (std::size_t b = 0; b < c.band_numerator.size(); ++b) out << " " << c.band_numerator[b] << "/" << c.band_denominator[b];
    out << ";";
  };
  for (std::size_t k = 0; k < m.tables.size(); ++k) {
    for (const auto& [from, to] : m.intervals.at(k)) out << from << "-" << to << ",";
    for (const auto& b : m.breakdowns.at(k)) out << b << ",";
    out << "\n";
    for (const auto& t : m.tables[k]) {
      cell(t.all);
      for (const auto& by : t.by)
        for (const auto& [label, c] : by) {
          out << label << "=";
          cell(c);
        }
      out << "\n";
    }
  }
  for (const auto& n : m.nestings) {
    out << n.child << " in " << n.parent << ":";
    for (const auto& [c, p] : n.parent_of) out << c << ">" << p << ",";
    out << "\n";
  }
  return out.str();
}

// measures.csv with disclosure control by what publish() was given: the audit's linear programs
// take minutes on the larger library definitions, and publish() is a deterministic function of
// its inputs, so an engine whose inputs are identical to the native engine's gets the file the
// native engine's inputs gave, and any other engine is published afresh.
std::map<std::string, std::string>& disclosed_by_inputs() {
  static std::map<std::string, std::string> cache;
  return cache;
}

// The measures stage on one evaluated definition alone, its files written to `dir`.
void publish_one(const engine::Evaluated& e, const std::filesystem::path& dir, bool disclosure_control) {
  std::filesystem::create_directories(dir);
  measures::DefinitionCounts counts;
  counts.label = "definition";
  counts.counts = &e.measures;
  counts.statistics = measures::statistics_options(*e.measures.definition, SEVERN_TEST_DATA_DIR, 100000, 1, 2);
  measures::PublishOptions po;
  po.disclosure_control = disclosure_control;
  const measures::ReleaseValues release = measures::publish({counts}, po);
  measures::write_definition_outputs(dir, e.summary, release.definitions.front(), release);
}

// Publishes each evaluated definition alone, with disclosure control and then without.
std::vector<Published> publish_each(std::vector<engine::Evaluated>& evaluated) {
  std::vector<Published> out;
  for (auto& e : evaluated) {
    Published& p = out.emplace_back();
    p.dataset = read_text(e.out / "dataset.csv");
    publish_one(e, e.out / "off", false);
    p.measures_exact = read_text(e.out / "off" / "measures.csv");
    const std::string inputs = publish_inputs(e);
    const auto known = disclosed_by_inputs().find(inputs);
    if (known != disclosed_by_inputs().end()) {
      p.measures_disclosed = known->second;
      continue;
    }
    const auto t = std::chrono::steady_clock::now();
    publish_one(e, e.out / "on", true);
    if (std::getenv("SEVERN_SQL_SLOW") != nullptr)
      std::fprintf(stderr, "%s: published with disclosure control in %.2f s\n", e.out.string().c_str(),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
    p.measures_disclosed = read_text(e.out / "on" / "measures.csv");
    disclosed_by_inputs().emplace(inputs, p.measures_disclosed);
  }
  return out;
}

template <class Evaluate>
std::vector<Published> run_engine(const std::vector<const lang::CheckedDefinition*>& defs, Days index_date,
                                  const std::filesystem::path& out, bool one_at_a_time, Evaluate evaluate) {
  std::vector<engine::EvaluateOptions> opts;
  for (std::size_t k = 0; k < defs.size(); ++k) opts.push_back(options(index_date, out / std::to_string(k)));
  if (!one_at_a_time) {
    auto evaluated = evaluate(defs, opts);
    return publish_each(evaluated);
  }
  std::vector<Published> all;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    try {
      auto evaluated = evaluate(std::vector<const lang::CheckedDefinition*>{defs[k]}, std::vector<engine::EvaluateOptions>{opts[k]});
      all.push_back(publish_each(evaluated)[0]);
    } catch (const InputError& e) {
      Published refused;
      refused.error = e.what();
      all.push_back(refused);
    }
  }
  return all;
}

// A database of the test cluster whose default collation is ICU's English (en-US), created once
// per process: the cluster itself is initialised with the C locale, under which text compares
// byte by byte anyway and a compiler that forgot the byte order would pass unnoticed. In en-US,
// "a" < "B" < "b" < "District" and "Äpfel" < "Zeta"; the native engine's order is the bytes'.
const std::string& english_database() {
  static const std::string dsn = [] {
    const std::string& cluster = PostgresCluster::shared().dsn();
    sql::PostgresConnection pg(cluster);
    pg.execute("CREATE DATABASE severn_en_us TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
    return cluster + " dbname=severn_en_us";  // libpq: the last dbname given wins
  }();
  return dsn;
}

}  // namespace

Warehouses::Warehouses(const store::Store& store, const std::string& name, const std::filesystem::path& dir)
    : schema_(name) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto data = refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR);
  const std::string dsn = english_database();
  sql::load_into_postgres(store, data, dsn, schema_);
  {
    // The correlated subqueries of the compiled SQL look up one person's rows: a warehouse has
    // these indexes (docs/sql.md); without them PostgreSQL scans each table per person and lane.
    sql::PostgresConnection pg(dsn);
    for (const auto& t : sql::warehouse_tables())
      if (t.kind == sql::TableKind::kEvents || t.kind == sql::TableKind::kPatients)
        pg.execute("CREATE INDEX ON " + schema_ + "." + t.name + " (person_id)");
      else if (t.kind == sql::TableKind::kCodeListChild)
        pg.execute("CREATE INDEX ON " + schema_ + "." + t.name + " (row_id)");
    pg.execute("ANALYZE");
  }
  postgres_ = std::make_unique<sql::PostgresExecutor>(dsn);
  sql::write_duckdb_load(store, data, dir / "duckdb");
  const DuckdbSession load(dir / "duckdb" / "load.sql", dir / "duckdb" / "warehouse.duckdb");
  duckdb_ = std::make_unique<DuckdbExecutor>(dir / "duckdb" / "warehouse.duckdb");
  load_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<Published> run_native(const store::Store& store, const std::vector<const lang::CheckedDefinition*>& defs,
                                  Days index_date, const std::filesystem::path& out, bool one_at_a_time) {
  return run_engine(defs, index_date, out / "native", one_at_a_time,
                    [&](const auto& d, const auto& o) { return engine::evaluate(store, d, o); });
}

namespace {

// Forwards to another executor; with SEVERN_SQL_SLOW=seconds set, prints each query that takes
// longer, to find what a database finds hard.
class Timed final : public sql::SqlExecutor {
 public:
  explicit Timed(sql::SqlExecutor& inner) : inner_(inner) {
    const char* slow = std::getenv("SEVERN_SQL_SLOW");
    slow_seconds_ = slow != nullptr ? std::atof(slow) : -1;
  }
  const sql::DialectHooks& dialect() const override { return inner_.dialect(); }
  sql::QueryResult query(const std::string& sql) override {
    const auto t = std::chrono::steady_clock::now();
    sql::QueryResult r = inner_.query(sql);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    if (slow_seconds_ >= 0 && s > slow_seconds_)
      std::fprintf(stderr, "%s: %.2f s, %zu bytes of SQL:\n%s\n", inner_.dialect().name(), s, sql.size(), sql.c_str());
    return r;
  }

 private:
  sql::SqlExecutor& inner_;
  double slow_seconds_ = -1;
};

}  // namespace

std::vector<Published> run_sql(sql::SqlExecutor& executor, const std::string& schema,
                               const std::vector<const lang::CheckedDefinition*>& defs, Days index_date,
                               const std::filesystem::path& out, bool one_at_a_time) {
  Timed timed(executor);
  return run_engine(defs, index_date, out / executor.dialect().name(), one_at_a_time,
                    [&](const auto& d, const auto& o) { return sql::evaluate_sql(timed, schema, d, o); });
}

std::string first_difference(const std::string& want, const std::string& got) {
  if (want == got) return "";
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "differ only in a final newline";
    if (!ha || !hb || la != lb)
      return "line " + std::to_string(line) + ":\n  native: " + (ha ? la : "(end)") + "\n  other:  " + (hb ? lb : "(end)");
  }
}

std::string compare(const Published& native, const Published& other, const std::string& engine) {
  if (!native.error.empty() || !other.error.empty())
    return native.error == other.error ? "" : engine + ": native error '" + native.error + "', " + engine + " error '" + other.error + "'";
  std::string d = first_difference(native.dataset, other.dataset);
  if (!d.empty()) return engine + ": dataset.csv differs at " + d;
  d = first_difference(native.measures_exact, other.measures_exact);
  if (!d.empty()) return engine + ": measures.csv (disclosure control off) differs at " + d;
  d = first_difference(native.measures_disclosed, other.measures_disclosed);
  if (!d.empty()) return engine + ": measures.csv (disclosure control on) differs at " + d;
  return "";
}

}  // namespace severn::testing
