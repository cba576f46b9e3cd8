// DuckDB for the SQL-engine tests: a database file loaded from the load.sql that
// `severn export --to-duckdb DIR` writes, queried through tests/sql/duckdb_runner.mjs (Node and
// the @duckdb/node-api that bench/package.json pins, installed by scripts/setup). Results come back
// as text per value, null kept apart, the same QueryResult the PostgreSQL client gives, so a test
// compares the two engines directly. A runner failure throws std::runtime_error with its message.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "sql/postgres_client.h"

namespace simdjson::dom {
class element;
}

namespace severn::testing {

// One result as duckdb_runner.mjs writes it ({"columns": [...], "rows": [[text or null, ...], ...]}).
sql::QueryResult query_result_of(const simdjson::dom::element& result);

class DuckdbSession {
 public:
  // Creates `database` (replacing it) and runs `load_sql` in it.
  DuckdbSession(const std::filesystem::path& load_sql, std::filesystem::path database);
  // Runs `sql`, one or more statements; the result of the last.
  sql::QueryResult query(const std::string& sql) const;
  // Each query (one statement each, no trailing ';') in one DuckDB session; a result per query.
  std::vector<sql::QueryResult> query_all(const std::vector<std::string>& queries) const;

 private:
  std::vector<sql::QueryResult> run_file(const std::string& sql) const;
  std::filesystem::path database_;
};

}  // namespace severn::testing
