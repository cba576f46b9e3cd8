#include "duckdb_executor.h"

#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "core/error.h"
#include "core/json_text.h"
#include "duckdb_session.h"

namespace severn::testing {

DuckdbExecutor::DuckdbExecutor(const std::filesystem::path& database) : hooks_(sql::dialect_hooks("duckdb")) {
  int in[2], out[2];  // in: our requests to the runner's stdin; out: its answers
  if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("DuckdbExecutor: pipe: " + std::string(std::strerror(errno)));
  const std::string runner = std::string(SEVERN_SOURCE_DIR) + "/tests/sql/duckdb_runner.mjs";
  const std::string db = database.string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("DuckdbExecutor: fork: " + std::string(std::strerror(errno)));
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[0]);
    ::close(in[1]);
    ::close(out[0]);
    ::close(out[1]);
    ::execlp("node", "node", runner.c_str(), "serve", "--db", db.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  to_runner_ = ::fdopen(in[1], "w");
  from_runner_ = ::fdopen(out[0], "r");
}

DuckdbExecutor::~DuckdbExecutor() {
  if (to_runner_ != nullptr) std::fclose(to_runner_);  // end of input: the runner exits
  if (from_runner_ != nullptr) std::fclose(from_runner_);
  if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
}

sql::QueryResult DuckdbExecutor::query(const std::string& sql) {
  ++queries_;
  const std::string request = "{\"sql\": " + json_quoted(sql) + "}\n";
  if (std::fwrite(request.data(), 1, request.size(), to_runner_) != request.size() || std::fflush(to_runner_) != 0)
    throw std::runtime_error("DuckdbExecutor: the runner is gone (node, @duckdb/node-api installed by scripts/setup?)");
  std::string line;
  char buf[65536];
  while (std::fgets(buf, sizeof buf, from_runner_) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') break;
  }
  if (line.empty() || line.back() != '\n') throw std::runtime_error("DuckdbExecutor: the runner stopped without answering");
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(line);
  std::string_view error;
  if (doc["error"].get(error) == simdjson::SUCCESS) throw InputError("DuckDB: " + std::string(error));
  return query_result_of(doc);
}

}  // namespace severn::testing
