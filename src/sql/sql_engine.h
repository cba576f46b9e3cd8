// The SQL engine: definitions evaluated by a SQL database holding the warehouse layout
// (warehouse_layout.h; `severn export --to-postgres`), returning the same exact counts and dataset
// rows as the native engine, so that statistics and disclosure control above are Severn's and the
// outputs are identical. Worklists are not produced here: they are identifiable and read the
// store's identity area, which a warehouse does not hold.
#pragma once
#include <string>
#include <vector>

#include "engine/run.h"
#include "sql/dialect.h"
#include "sql/postgres_client.h"

namespace severn::sql {

// Runs one SQL query and returns its rows as text (nullopt for null): a PostgreSQL connection,
// or in tests DuckDB through its Node client.
class SqlExecutor {
 public:
  virtual ~SqlExecutor() = default;
  virtual const DialectHooks& dialect() const = 0;
  virtual QueryResult query(const std::string& sql) = 0;
};

class PostgresExecutor final : public SqlExecutor {
 public:
  explicit PostgresExecutor(const std::string& dsn);
  const DialectHooks& dialect() const override { return *hooks_; }
  QueryResult query(const std::string& sql) override { return connection_.query(sql); }

 private:
  PostgresConnection connection_;
  std::unique_ptr<DialectHooks> hooks_;
};

// As engine::evaluate, with SQL in place of the scan. `schema` qualifies the warehouse tables
// ("" for the search path). Throws InputError if a definition has worklists and they were asked
// for, or if the database refuses a query (its message quoted).
std::vector<engine::Evaluated> evaluate_sql(SqlExecutor& executor, const std::string& schema,
                                            const std::vector<const lang::CheckedDefinition*>& definitions,
                                            const std::vector<engine::EvaluateOptions>& options);

// The SQL of a definition, as `severn sql` prints it: the dataset query, then the measures query.
std::string definition_sql(const lang::CheckedDefinition& definition, Days index_date, const std::string& data_dir,
                           const DialectHooks& dialect, const std::string& schema);

}  // namespace severn::sql
