// `severn export --to-postgres` and `--to-duckdb` on real stores: the warehouse layout
// (src/sql/warehouse_layout.h) in a real PostgreSQL 15 and in DuckDB, the same rows in both, row_id
// in store order, code lists as child rows, the reference tables, and a killed load that leaves
// the previous one in place.
#include <gtest/gtest.h>

#include <chrono>

#include "duckdb_session.h"
#include "ingest_fixture.h"
#include "postgres_cluster.h"
#include "run_severn.h"
#include "sql/postgres_client.h"
#include "sql/warehouse_layout.h"

namespace severn {
namespace {

using testing::CommandResult;
using testing::DuckdbSession;
using testing::PostgresCluster;
using testing::run_severn;
using testing::Scratch;

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// The hand-written three-person extract of tests/ingest, ingested once per binary.
const std::filesystem::path& fixture_store() {
  static Scratch scratch("sql-fixture");
  static const std::filesystem::path store = [] {
    testing::write_extract(scratch.dir() / "src", testing::valid_extract());
    ingest::run_ingest(testing::options_for(scratch.dir() / "src", scratch.dir() / "store", testing::write_key(scratch.dir())));
    return scratch.dir() / "store";
  }();
  return store;
}

// A small synthetic ICS, for volume.
const std::filesystem::path& synthetic_store() {
  static Scratch scratch("sql-synthetic");
  static const std::filesystem::path store = [] {
    testing::synthesize_small(scratch.dir() / "src", 400, 15);
    ingest::run_ingest(testing::options_for(scratch.dir() / "src", scratch.dir() / "store", testing::write_key(scratch.dir())));
    return scratch.dir() / "store";
  }();
  return store;
}

CommandResult export_to_postgres(const std::filesystem::path& store, const std::string& schema, const std::string& env = "") {
  return run_severn("export --store " + store.string() + " --to-postgres " + quoted(PostgresCluster::shared().dsn()) +
                        " --schema " + schema + " --data " + SEVERN_TEST_DATA_DIR,
                    {.env = env});
}

std::string all_rows_sql(const sql::WarehouseTable& t, const std::string& prefix) {
  std::string columns;
  for (std::size_t i = 0; i < t.columns.size(); ++i) columns += (i ? ", " : "") + std::to_string(i + 1);
  return "SELECT * FROM " + prefix + t.name + " ORDER BY " + columns;
}

std::string cell(const sql::QueryResult& r, std::size_t row, std::size_t col) {
  return r.rows.at(row).at(col).value_or("NULL");
}

TEST(Warehouse, PostgresHoldsTheStoreInStoreOrderWithChildRowsAndReferenceTables) {
  SEVERN_REQUIRE_PACK();
  const auto r = export_to_postgres(fixture_store(), "fixture");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("apcs_secondary_diagnoses"), std::string::npos) << r.output;
  sql::PostgresConnection pg(PostgresCluster::shared().dsn());

  // Column names and types exactly as the layout says.
  for (const auto& t : sql::warehouse_tables()) {
    const auto cols = pg.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                               "'fixture' AND table_name = '" + t.name + "' ORDER BY ordinal_position");
    ASSERT_EQ(cols.rows.size(), t.columns.size()) << t.name;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      EXPECT_EQ(cell(cols, c, 0), t.columns[c].name) << t.name;
      EXPECT_EQ(cell(cols, c, 1), sql::type_name(t.columns[c].type, sql::Dialect::kPostgres)) << t.name;
    }
  }
  const auto patients = pg.query("SELECT count(*), count(DISTINCT person_id), min(person_id), max(person_id), "
                                 "count(*) FILTER (WHERE length(pseudonym) = 64) FROM fixture.patients");
  EXPECT_EQ(patients.rows[0], (std::vector<std::optional<std::string>>{"3", "3", "0", "2", "3"}));

  // row_id follows person, then date: the same order first()/latest() use.
  const auto events = pg.query("SELECT count(*) FROM (SELECT row_id, person_id, date, lag(person_id) OVER w AS p, "
                               "lag(date) OVER w AS d, lag(row_id) OVER w AS r FROM fixture.clinical_events "
                               "WINDOW w AS (ORDER BY row_id)) x WHERE p > person_id OR (p = person_id AND d > date) "
                               "OR r <> row_id - 1");
  EXPECT_EQ(cell(events, 0, 0), "0");
  EXPECT_EQ(cell(pg.query("SELECT min(row_id), max(row_id), count(*) FROM fixture.clinical_events"), 0, 2), "4");
  EXPECT_EQ(cell(pg.query("SELECT numeric_value FROM fixture.clinical_events WHERE numeric_value IS NOT NULL "
                          "ORDER BY row_id LIMIT 1"), 0, 0), "158");

  // "F32;I10" becomes two child rows, in order; the other spells have none.
  const auto dx = pg.query("SELECT a.primary_diagnosis, d.position, d.code FROM fixture.apcs a "
                           "JOIN fixture.apcs_secondary_diagnoses d USING (row_id, person_id) ORDER BY d.row_id, d.position");
  ASSERT_EQ(dx.rows.size(), 2U);
  EXPECT_EQ(cell(dx, 0, 0), "W19");
  EXPECT_EQ(cell(dx, 0, 1), "1");
  EXPECT_EQ(cell(dx, 0, 2), "F32");
  EXPECT_EQ(cell(dx, 1, 2), "I10");

  // Group lookups as src/engine/groups.cpp makes them.
  EXPECT_EQ(cell(pg.query("SELECT pcn IS NOT NULL AND place IN ('Shropshire', 'Telford and Wrekin') "
                          "FROM fixture.ref_practice WHERE practice = 'M82007'"), 0, 0), "t");
  EXPECT_EQ(cell(pg.query("SELECT count(*), min(imd_decile), max(imd_decile), bool_and(imd_quintile = (imd_decile + 1) / 2) "
                          "FROM fixture.ref_lsoa"), 0, 3), "t");
  EXPECT_EQ(cell(pg.query("SELECT string_agg(category || '=' || ethnicity_group, ';' ORDER BY category) "
                          "FROM fixture.ref_ethnicity WHERE category IN ('A', 'H', 'Z')"), 0, 0),
            "A=White;H=Asian or Asian British;Z=Not stated");
  const auto bands = pg.query("SELECT count(*), min(age_band), max(age_lower), count(age_upper) FROM fixture.ref_age_band");
  EXPECT_EQ(bands.rows[0], (std::vector<std::optional<std::string>>{"19", "0-4", "90", "18"}));
  EXPECT_EQ(cell(pg.query("SELECT count(*), sum(weight) FROM fixture.ref_esp2013"), 0, 1), "100000");
}

TEST(Warehouse, PostgresAndDuckdbHoldTheSameRows) {
  SEVERN_REQUIRE_PACK();
  const auto& store = synthetic_store();
  const auto t0 = std::chrono::steady_clock::now();
  const auto pg_load = export_to_postgres(store, "synthetic");
  const double pg_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(pg_load.code, 0) << pg_load.output;

  const auto duck_dir = store.parent_path() / "duckdb";
  const auto t1 = std::chrono::steady_clock::now();
  const auto duck_export = run_severn("export --store " + store.string() + " --to-duckdb " + duck_dir.string() +
                                      " --data " + SEVERN_TEST_DATA_DIR);
  ASSERT_EQ(duck_export.code, 0) << duck_export.output;
  const DuckdbSession duck(duck_dir / "load.sql", duck_dir / "warehouse.duckdb");
  const double duck_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  std::fprintf(stderr, "synthetic store: PostgreSQL export %.2f s, DuckDB export and load %.2f s\n%s", pg_seconds,
               duck_seconds, pg_load.output.c_str());

  sql::PostgresConnection pg(PostgresCluster::shared().dsn());
  pg.execute("SET search_path TO synthetic");
  std::string counts_sql;
  for (const auto& t : sql::warehouse_tables())
    counts_sql += (counts_sql.empty() ? "" : " UNION ALL ") + std::string("SELECT '") + t.name +
                  "' AS table_name, count(*) AS n FROM " + t.name;
  counts_sql += " ORDER BY table_name";
  const auto pg_counts = pg.query(counts_sql);
  const auto duck_counts = duck.query(counts_sql);
  EXPECT_EQ(pg_counts.rows, duck_counts.rows);
  EXPECT_EQ(pg_counts.rows.size(), sql::warehouse_tables().size());
  for (const auto& row : pg_counts.rows) {
    if (*row[0] == "patients" || *row[0] == "clinical_events" || *row[0] == "apcs_secondary_diagnoses") {
      EXPECT_NE(*row[1], "0") << *row[0];
    }
  }

  // Beyond counts: every value of every table, as text, in one order.
  std::vector<std::string> queries;
  for (const auto& t : sql::warehouse_tables()) queries.push_back(all_rows_sql(t, ""));
  const auto duck_tables = duck.query_all(queries);
  for (std::size_t k = 0; k < queries.size(); ++k) {
    const auto& t = sql::warehouse_tables()[k];
    const auto a = pg.query(queries[k]);
    const auto& b = duck_tables[k];
    EXPECT_EQ(a.columns, b.columns) << t.name;
    ASSERT_EQ(a.rows.size(), b.rows.size()) << t.name;
    for (std::size_t i = 0; i < a.rows.size(); ++i) ASSERT_EQ(a.rows[i], b.rows[i]) << t.name << " row " << i;
  }
}

TEST(Warehouse, AKilledLoadLeavesThePreviousLoadInPlace) {
  SEVERN_REQUIRE_PACK();
  ASSERT_EQ(export_to_postgres(fixture_store(), "replaced").code, 0);
  sql::PostgresConnection pg(PostgresCluster::shared().dsn());
  const std::string count = "SELECT count(*) FROM replaced.patients";
  ASSERT_EQ(cell(pg.query(count), 0, 0), "3");
  // The synthetic store's load, killed (SIGKILL) after its first table is copied in.
  const auto killed = export_to_postgres(synthetic_store(), "replaced", "SEVERN_FAULT_POINT=postgres_load_after_table");
  // Killed by a signal: popen's shell reports 128 + SIGKILL.
  EXPECT_EQ(killed.code, 128 + 9) << killed.output;
  EXPECT_EQ(cell(pg.query(count), 0, 0), "3");
  // A complete load replaces it.
  ASSERT_EQ(export_to_postgres(synthetic_store(), "replaced").code, 0);
  EXPECT_NE(cell(pg.query(count), 0, 0), "3");
}

TEST(Warehouse, UnreachableServerOrBadStoreExitsOneSayingWhy) {
  SEVERN_REQUIRE_PACK();
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_severn("export --store " + fixture_store().string() +
                            " --to-postgres 'host=/nonexistent/severn port=5999 password=hunter2' --data " +
                            SEVERN_TEST_DATA_DIR);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("cannot connect to PostgreSQL at 'host=/nonexistent/severn port=5999 password=***'"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("hunter2"), std::string::npos) << r.output;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);

  const auto bad_store = run_severn("export --store /nonexistent/store --to-postgres " + quoted(PostgresCluster::shared().dsn()));
  EXPECT_EQ(bad_store.code, 1) << bad_store.output;
  EXPECT_NE(bad_store.output.find("/nonexistent/store"), std::string::npos) << bad_store.output;

  const auto bad_schema = run_severn("export --store " + fixture_store().string() + " --to-postgres x --schema 'Robert;'");
  EXPECT_EQ(bad_schema.code, 1) << bad_schema.output;
  EXPECT_NE(bad_schema.output.find("--schema 'Robert;'"), std::string::npos) << bad_schema.output;

  const auto two = run_severn("export --store " + fixture_store().string() + " --table patients --to-duckdb /tmp/x");
  EXPECT_EQ(two.code, 1) << two.output;
  EXPECT_NE(two.output.find("exactly one of"), std::string::npos) << two.output;
}

}  // namespace
}  // namespace severn
