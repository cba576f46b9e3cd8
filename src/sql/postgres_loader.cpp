#include "sql/postgres_loader.h"

#include <chrono>

#include "core/fault_point.h"

#include "sql/postgres_client.h"
#include "sql/row_encoders.h"
#include "sql/warehouse_rows.h"

namespace severn::sql {
namespace {

constexpr std::size_t kCopyChunkBytes = 1U << 20;

// Sends the encoder's buffer to the server whenever it passes a chunk, so memory stays flat.
class StreamingCopy : public RowSink {
 public:
  explicit StreamingCopy(CopyIn& copy) : copy_(copy) {}
  void cell(std::string_view text) override { encoder_.cell(text); }
  void null() override { encoder_.null(); }
  void end_row() override {
    encoder_.end_row();
    if (encoder_.buffer().size() >= kCopyChunkBytes) flush();
  }
  void flush() {
    copy_.write(encoder_.buffer());
    encoder_.buffer().clear();
  }

 private:
  CopyIn& copy_;
  CopyTextEncoder encoder_;
};

std::string column_list(const WarehouseTable& table) {
  std::string s;
  for (const auto& c : table.columns) s += (s.empty() ? "" : ", ") + c.name;
  return s;
}

}  // namespace

void check_schema_name(const std::string& schema) {
  bool ok = !schema.empty() && schema.size() <= 63 && !(schema[0] >= '0' && schema[0] <= '9');
  for (const char c : schema) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw InputError("--schema '" + schema +
                     "': a schema name must be 1-63 lower-case letters, digits or '_', not starting with a digit");
}

LoadSummary load_into_postgres(const store::Store& store, const refdata::DataDir& data,
                               const std::string& dsn, const std::string& schema) {
  check_schema_name(schema);
  const auto start = std::chrono::steady_clock::now();
  const WarehouseSource source(store, data);
  PostgresConnection pg(dsn);
  LoadSummary summary;
  pg.execute("BEGIN");
  pg.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
  for (const auto& table : warehouse_tables()) {
    const std::string name = schema + "." + table.name;
    pg.execute("DROP TABLE IF EXISTS " + name);
    pg.execute(create_table_sql(table, name, Dialect::kPostgres));
    CopyIn copy = pg.copy_in("COPY " + name + " (" + column_list(table) + ") FROM STDIN");
    StreamingCopy sink(copy);
    source.write(table, sink);
    sink.flush();
    summary.tables.push_back({table.name, copy.finish(), source.in_store(table)});
    // The SQL engine reads a person's rows of a table (or a row's codes) in correlated subqueries
    // (query_compiler.h): without these indexes each would scan the whole table.
    if (table.kind == TableKind::kPatients) pg.execute("CREATE UNIQUE INDEX ON " + name + " (person_id)");
    if (table.kind == TableKind::kEvents) pg.execute("CREATE INDEX ON " + name + " (person_id, row_id)");
    if (table.kind == TableKind::kCodeListChild) pg.execute("CREATE INDEX ON " + name + " (row_id, position)");
    // Planner statistics now, so that the first query over a fresh load is planned on real counts.
    pg.execute("ANALYZE " + name);
    // Crash-safety tests kill the load here, mid-transaction (tests/sql/warehouse_test.cpp).
    fault_point("postgres_load_after_table");
  }
  pg.execute("COMMIT");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace severn::sql
