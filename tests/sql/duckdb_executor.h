// The SQL engine's executor for DuckDB in tests: one `duckdb_runner.mjs serve` process (Node and
// @duckdb/node-api, as duckdb_session.h) holding one read-only session on a database that
// DuckdbSession loaded, asked one query at a time over a pipe. One Node start for a whole test,
// however many definitions evaluate_sql runs through it. A query DuckDB refuses throws
// InputError with DuckDB's message, as PostgresExecutor does for PostgreSQL's.
#pragma once
#include <sys/types.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "sql/dialect.h"
#include "sql/sql_engine.h"

namespace severn::testing {

class DuckdbExecutor final : public sql::SqlExecutor {
 public:
  explicit DuckdbExecutor(const std::filesystem::path& database);
  ~DuckdbExecutor() override;
  DuckdbExecutor(const DuckdbExecutor&) = delete;
  DuckdbExecutor& operator=(const DuckdbExecutor&) = delete;

  const sql::DialectHooks& dialect() const override { return *hooks_; }
  sql::QueryResult query(const std::string& sql) override;
  std::size_t queries() const { return queries_; }

 private:
  std::unique_ptr<sql::DialectHooks> hooks_;
  pid_t pid_ = -1;
  std::FILE* to_runner_ = nullptr;
  std::FILE* from_runner_ = nullptr;
  std::size_t queries_ = 0;
};

}  // namespace severn::testing
