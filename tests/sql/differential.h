// Differential testing of the engines (DESIGN.md section 5): the same checked definitions
// evaluated by the native engine over a store and by the SQL engine over the store's warehouse
// in PostgreSQL and in DuckDB, each published by the same measures stage with disclosure control
// on and, separately, off. The files each engine writes must be byte-identical.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "duckdb_executor.h"
#include "lang/checker.h"
#include "sql/sql_engine.h"
#include "store/store.h"

namespace severn::testing {

// What an engine wrote for one definition.
struct Published {
  std::string dataset;             // dataset.csv
  std::string measures_disclosed;  // measures.csv with disclosure control (the default policy)
  std::string measures_exact;      // measures.csv without
  std::string error;               // the engine refused the definition: its message
};

// A store loaded into PostgreSQL (schema `name` of PostgresCluster::shared(), with an index on
// person_id per table, as a warehouse would have) and into DuckDB (`dir`/warehouse.duckdb), with
// an executor for each.
class Warehouses {
 public:
  Warehouses(const store::Store& store, const std::string& name, const std::filesystem::path& dir);
  sql::SqlExecutor& postgres() { return *postgres_; }
  DuckdbExecutor& duckdb() { return *duckdb_; }
  const std::string& schema() const { return schema_; }
  double load_seconds() const { return load_seconds_; }

 private:
  std::string schema_;
  std::unique_ptr<sql::PostgresExecutor> postgres_;
  std::unique_ptr<DuckdbExecutor> duckdb_;
  double load_seconds_ = 0;
};

// Each definition through the native engine (one pass over the store) or the SQL engine (one
// evaluate_sql call), published one definition at a time into `out`/<engine>/<k>/{on,off}.
// Disclosure control's audit (linear programs) takes minutes on the library's larger definitions,
// so its measures.csv is kept by everything publish() reads (every cell's counts, the nestings of
// group columns, the definition): an engine whose inputs to publish() are identical to an earlier
// engine's gets that file, since publish() is a deterministic function of them; any difference
// in those inputs is published afresh and compared.
// With `one_at_a_time`, each definition is evaluated on its own, so that one the engine refuses
// gives its error rather than failing the others.
std::vector<Published> run_native(const store::Store& store, const std::vector<const lang::CheckedDefinition*>& defs,
                                  Days index_date, const std::filesystem::path& out, bool one_at_a_time = false);
std::vector<Published> run_sql(sql::SqlExecutor& executor, const std::string& schema,
                               const std::vector<const lang::CheckedDefinition*>& defs, Days index_date,
                               const std::filesystem::path& out, bool one_at_a_time = false);

// "" if equal, else where the first difference is, with a few lines of each.
std::string first_difference(const std::string& want, const std::string& got);
// "" if the two engines wrote the same files, else which file differs and where.
std::string compare(const Published& native, const Published& other, const std::string& engine);

}  // namespace severn::testing
