#include "duckdb_session.h"

#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace severn::testing {

sql::QueryResult query_result_of(const simdjson::dom::element& r) {
  sql::QueryResult result;
  for (const auto c : r["columns"].get_array()) result.columns.emplace_back(std::string_view(c.get_string()));
  for (const auto row_json : r["rows"].get_array()) {
    auto& row = result.rows.emplace_back();
    for (const auto v : row_json.get_array()) {
      if (v.is_null())
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(std::string_view(v.get_string())));
    }
  }
  return result;
}
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

void run_node(const std::string& args) {
  const std::string cmd = "node " + shell_quote(std::string(SEVERN_SOURCE_DIR) + "/tests/sql/duckdb_runner.mjs") + " " +
                          args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot start: " + cmd);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  const int status = ::pclose(p);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("DuckDB runner failed (" + cmd + "): " + out);
}

}  // namespace

DuckdbSession::DuckdbSession(const std::filesystem::path& load_sql, std::filesystem::path database)
    : database_(std::move(database)) {
  run_node("load --db " + shell_quote(database_.string()) + " --script " + shell_quote(load_sql.string()));
}

sql::QueryResult DuckdbSession::query(const std::string& sql) const {
  auto results = run_file(sql);
  if (results.empty()) throw std::runtime_error("DuckDB runner returned no result for: " + sql);
  return std::move(results.back());
}

std::vector<sql::QueryResult> DuckdbSession::query_all(const std::vector<std::string>& queries) const {
  std::string sql;
  for (const auto& q : queries) sql += q + ";\n";
  auto results = run_file(sql);
  if (results.size() != queries.size())
    throw std::runtime_error("DuckDB runner returned " + std::to_string(results.size()) + " results for " +
                             std::to_string(queries.size()) + " queries");
  return results;
}

std::vector<sql::QueryResult> DuckdbSession::run_file(const std::string& sql) const {
  const auto sql_file = database_.string() + ".query.sql";
  const auto out_file = database_.string() + ".result.json";
  {
    std::ofstream out(sql_file, std::ios::binary | std::ios::trunc);
    out << sql;
  }
  run_node("query --db " + shell_quote(database_.string()) + " --sql " + shell_quote(sql_file) + " --out " +
           shell_quote(out_file));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(out_file);
  std::vector<sql::QueryResult> results;
  for (const auto r : doc["results"].get_array()) {
    results.push_back(query_result_of(r));
  }
  return results;
}

}  // namespace severn::testing
