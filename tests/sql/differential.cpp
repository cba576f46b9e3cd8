#include "differential.h"

#include <chrono>
#include <sstream>

#include "duckdb_session.h"
#include "engine/run.h"
#include "ingest/ingest_fixture.h"
#include "postgres_cluster.h"
#include "refdata/data_dir.h"
#include "sql/duckdb_loader.h"
#include "sql/postgres_client.h"
#include "sql/postgres_loader.h"
#include "sql/warehouse_layout.h"

namespace severn::testing {
namespace {

engine::RunOptions options(Days index_date, const std::filesystem::path& out) {
  engine::RunOptions o;
  o.out = out;
  o.index_date = index_date;
  o.threads = 2;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  return o;
}

// Publishes each evaluated definition alone, with disclosure control and then without.
std::vector<Published> publish_each(std::vector<engine::Evaluated>& evaluated) {
  std::vector<Published> out;
  for (auto& e : evaluated) {
    Published& p = out.emplace_back();
    p.dataset = read_text(e.out / "dataset.csv");
    std::vector<engine::Evaluated> one{e};
    engine::PublishOptions po;
    po.disclosure_control = true;
    one[0].out = e.out / "on";
    std::filesystem::create_directories(one[0].out);
    engine::publish(one, {"definition"}, po);
    p.measures_disclosed = read_text(one[0].out / "measures.csv");
    one = {e};
    po.disclosure_control = false;
    one[0].out = e.out / "off";
    std::filesystem::create_directories(one[0].out);
    engine::publish(one, {"definition"}, po);
    p.measures_exact = read_text(one[0].out / "measures.csv");
  }
  return out;
}

template <class Evaluate>
std::vector<Published> run_engine(const std::vector<const lang::CheckedDefinition*>& defs, Days index_date,
                                  const std::filesystem::path& out, bool one_at_a_time, Evaluate evaluate) {
  std::vector<engine::RunOptions> opts;
  for (std::size_t k = 0; k < defs.size(); ++k) opts.push_back(options(index_date, out / std::to_string(k)));
  if (!one_at_a_time) {
    auto evaluated = evaluate(defs, opts);
    return publish_each(evaluated);
  }
  std::vector<Published> all;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    try {
      auto evaluated = evaluate(std::vector<const lang::CheckedDefinition*>{defs[k]}, std::vector<engine::RunOptions>{opts[k]});
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

std::vector<Published> run_sql(sql::SqlExecutor& executor, const std::string& schema,
                               const std::vector<const lang::CheckedDefinition*>& defs, Days index_date,
                               const std::filesystem::path& out, bool one_at_a_time) {
  return run_engine(defs, index_date, out / executor.dialect().name(), one_at_a_time,
                    [&](const auto& d, const auto& o) { return sql::evaluate_sql(executor, schema, d, o); });
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
