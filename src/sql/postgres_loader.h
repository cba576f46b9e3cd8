// Loads a store into PostgreSQL in the warehouse layout (warehouse_layout.h) with COPY. All
// tables are replaced (DROP TABLE IF EXISTS, CREATE TABLE, COPY) inside one transaction, so a
// load that fails part way leaves the schema as it was.
#pragma once
#include <string>

#include "refdata/data_dir.h"
#include "sql/load_summary.h"
#include "store/store.h"

namespace severn::sql {

// `schema` must be a plain lower-case SQL name ([a-z_][a-z0-9_]*, InputError otherwise); it is
// created if missing. Throws PostgresError if the server cannot be reached or a statement fails.
LoadSummary load_into_postgres(const store::Store& store, const refdata::DataDir& data,
                               const std::string& dsn, const std::string& schema);

// The check load_into_postgres applies to a schema name; throws InputError.
void check_schema_name(const std::string& schema);

}  // namespace severn::sql
