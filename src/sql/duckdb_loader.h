// Writes a store in the warehouse layout (warehouse_layout.h) as files DuckDB loads: one CSV per
// table (no header, null as an unquoted \N, store order) and load.sql, which creates every table
// and reads its CSV. Running load.sql in DuckDB (tests/sql/duckdb_runner.mjs does) gives the same
// tables, columns and rows as `severn export --to-postgres` gives in PostgreSQL.
#pragma once
#include <filesystem>

#include "refdata/data_dir.h"
#include "sql/load_summary.h"
#include "store/store.h"

namespace severn::sql {

// `dir` is created if missing; files in it are replaced. Throws InputError if it cannot be written.
LoadSummary write_duckdb_load(const store::Store& store, const refdata::DataDir& data,
                              const std::filesystem::path& dir);

}  // namespace severn::sql
