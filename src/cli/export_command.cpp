// `severn export`: a store table as CSV on standard output, or the whole store in the warehouse
// layout of src/sql/warehouse_layout.h, loaded into PostgreSQL or written as files for DuckDB
// (docs/sql.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "refdata/data_dir.h"
#include "sql/duckdb_loader.h"
#include "sql/postgres_client.h"
#include "sql/postgres_loader.h"
#include "store/export.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct ExportOptions {
  std::string store;
  std::string table;
  std::string postgres_dsn;
  std::string schema = "public";
  std::string duckdb_dir;
  std::string data_dir;
};

void print_summary(const sql::LoadSummary& summary, const std::string& where) {
  std::uint64_t total = 0;
  for (const auto& t : summary.tables) {
    std::printf("  %-34s %12llu rows%s\n", t.table.c_str(), static_cast<unsigned long long>(t.rows),
                t.in_store ? "" : "  (not in this store: empty)");
    total += t.rows;
  }
  std::printf("loaded %zu tables, %llu rows, into %s in %.2f s\n", summary.tables.size(),
              static_cast<unsigned long long>(total), where.c_str(), summary.seconds);
}

void run_export(const ExportOptions& o) {
  const int targets = !o.table.empty() + !o.postgres_dsn.empty() + !o.duckdb_dir.empty();
  if (targets != 1)
    throw InputError("export: give exactly one of --table NAME (CSV to standard output), "
                     "--to-postgres DSN or --to-duckdb DIR");
  if (!o.postgres_dsn.empty()) sql::check_schema_name(o.schema);  // before the slow part, opening the store
  const auto store = store::Store::open(o.store);
  if (!o.table.empty()) {
    store::export_table_csv(*store, o.table, std::cout);
    return;
  }
  const auto data = refdata::DataDir::resolve(o.data_dir);
  if (!o.postgres_dsn.empty()) {
    const auto summary = sql::load_into_postgres(*store, data, o.postgres_dsn, o.schema);
    print_summary(summary, "PostgreSQL schema " + o.schema + " at '" + sql::redact_dsn(o.postgres_dsn) + "'");
    return;
  }
  const auto summary = sql::write_duckdb_load(*store, data, o.duckdb_dir);
  print_summary(summary, o.duckdb_dir + "/ (run load.sql in DuckDB)");
}

}  // namespace

void add_export(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write one store table as CSV to standard output (--table; person_id first, codes decoded), or load the "
      "whole store, with row_id and reference tables, into PostgreSQL (--to-postgres) or as files for DuckDB "
      "(--to-duckdb). docs/sql.md describes the tables.");
  cmd->add_option("--store", o->store, "Store directory")->required();
  cmd->add_option("--table", o->table, "Table name (see severn info): CSV to standard output");
  cmd->add_option("--to-postgres", o->postgres_dsn,
                  "libpq connection string (key=value or postgresql:// URI); the tables are replaced in one "
                  "transaction");
  cmd->add_option("--schema", o->schema, "PostgreSQL schema to load into (default: public)");
  cmd->add_option("--to-duckdb", o->duckdb_dir, "Directory for one CSV per table and load.sql, for DuckDB");
  cmd->add_option("--data", o->data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->callback([o] { run_export(*o); });
}

}  // namespace severn::cli
