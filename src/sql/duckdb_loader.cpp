#include "sql/duckdb_loader.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "sql/row_encoders.h"
#include "sql/warehouse_rows.h"

namespace severn::sql {
namespace {

constexpr std::size_t kWriteChunkBytes = 1U << 20;

class FileSink : public RowSink {
 public:
  explicit FileSink(const std::filesystem::path& path) : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw InputError(path.string() + ": cannot write: " + std::strerror(errno));
  }
  void cell(std::string_view text) override { encoder_.cell(text); }
  void null() override { encoder_.null(); }
  void end_row() override {
    encoder_.end_row();
    if (encoder_.buffer().size() >= kWriteChunkBytes) flush();
  }
  void close() {
    flush();
    out_.close();
    if (!out_) throw InputError(path_.string() + ": write failed (disk full?)");
  }

 private:
  void flush() {
    out_.write(encoder_.buffer().data(), static_cast<std::streamsize>(encoder_.buffer().size()));
    encoder_.buffer().clear();
  }
  std::filesystem::path path_;
  std::ofstream out_;
  NullMarkedCsvEncoder encoder_;
};

std::string sql_string(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// read_csv with every column typed, no guessing, and \N (unquoted only) as null.
std::string load_statement(const WarehouseTable& table, const std::filesystem::path& csv) {
  std::string columns;
  for (const auto& c : table.columns)
    columns += (columns.empty() ? "" : ", ") + sql_string(c.name) + ": " + sql_string(type_name(c.type, Dialect::kDuckdb));
  return "INSERT INTO " + table.name + " SELECT * FROM read_csv(" + sql_string(csv.string()) +
         ", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
         "nullstr = '\\N', allow_quoted_nulls = false, columns = {" + columns + "});\n";
}

}  // namespace

LoadSummary write_duckdb_load(const store::Store& store, const refdata::DataDir& data,
                              const std::filesystem::path& dir) {
  const auto start = std::chrono::steady_clock::now();
  const WarehouseSource source(store, data);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir.string() + ": cannot create directory: " + ec.message());
  const auto absolute = std::filesystem::absolute(dir);
  LoadSummary summary;
  std::string script = "-- Written by severn export --to-duckdb: the warehouse layout of src/sql/warehouse_layout.h.\n";
  for (const auto& table : warehouse_tables()) {
    const auto csv = absolute / (table.name + ".csv");
    FileSink sink(csv);
    const auto rows = source.write(table, sink);
    sink.close();
    summary.tables.push_back({table.name, rows, source.in_store(table)});
    script += create_table_sql(table, table.name, Dialect::kDuckdb) + ";\n";
    script += load_statement(table, csv);
  }
  std::ofstream out(absolute / "load.sql", std::ios::binary | std::ios::trunc);
  out << script;
  out.close();
  if (!out) throw InputError((absolute / "load.sql").string() + ": cannot write");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace severn::sql
