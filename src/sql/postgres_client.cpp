#include "sql/postgres_client.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <regex>

namespace severn::sql {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// libpq's messages end with a newline and sometimes span lines; one line reads better after ": ".
std::string one_line(const char* message) {
  std::string s = message == nullptr ? "" : message;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

std::string abbreviated(const std::string& sql) {
  constexpr std::size_t kShown = 120;
  std::string s = sql.size() > kShown ? sql.substr(0, kShown) + "..." : sql;
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

// Whether the parsed DSN sets connect_timeout; throws PostgresError if libpq cannot parse it.
bool sets_connect_timeout(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    const std::string message = one_line(error);
    PQfreemem(error);
    throw PostgresError("PostgreSQL connection string '" + redact_dsn(dsn) + "' is not valid: " + message);
  }
  bool found = false;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o)
    if (std::string_view(o->keyword) == "connect_timeout" && o->val != nullptr && *o->val != '\0') found = true;
  PQconninfoFree(options);
  return found;
}

void discard_notice(void*, const char*) {}

}  // namespace

std::string redact_dsn(std::string_view dsn) {
  const std::string s(dsn);
  static const std::regex uri_scheme(R"(^postgres(ql)?://)", std::regex::icase);
  if (std::regex_search(s, uri_scheme)) {
    // scheme://user:secret@host... and ...?password=secret&...
    static const std::regex userinfo(R"(^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@)", std::regex::icase);
    static const std::regex param(R"(([?&]password=)[^&]*)", std::regex::icase);
    return std::regex_replace(std::regex_replace(s, userinfo, "$1:***@"), param, "$1***");
  }
  // key=value: password=secret or password = 'sec ret' (quoted, with \' and \\ escapes)
  static const std::regex kv(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*))", std::regex::icase);
  return std::regex_replace(s, kv, "$1***");
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

PostgresConnection::PostgresConnection(const std::string& dsn) : redacted_dsn_(redact_dsn(dsn)) {
  const bool has_timeout = sets_connect_timeout(dsn) || std::getenv("PGCONNECT_TIMEOUT") != nullptr;
  // libpq takes keywords in order and keeps the last value, so the DSN (expanded from dbname)
  // overrides the default timeout placed before it.
  const std::string timeout = std::to_string(kDefaultConnectTimeoutSeconds);
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), dsn.c_str(), nullptr};
  conn_ = has_timeout ? PQconnectdbParams(keywords + 1, values + 1, 1) : PQconnectdbParams(keywords, values, 1);
  if (conn_ == nullptr) throw PostgresError("cannot connect to PostgreSQL at '" + redacted_dsn_ + "': out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = one_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw PostgresError("cannot connect to PostgreSQL at '" + redacted_dsn_ + "': " + message);
  }
  // NOTICEs (such as DROP ... IF EXISTS on a missing table) would otherwise go to stderr.
  PQsetNoticeProcessor(conn_, discard_notice, nullptr);
}

PostgresConnection::~PostgresConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void PostgresConnection::fail(const std::string& what) const {
  throw PostgresError("PostgreSQL at '" + redacted_dsn_ + "': " + what + ": " + one_line(PQerrorMessage(conn_)));
}

void PostgresConnection::execute(const std::string& sql) {
  ResultPtr r(PQexec(conn_, sql.c_str()), &PQclear);
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("'" + abbreviated(sql) + "' failed");
}

QueryResult PostgresConnection::query(const std::string& sql) {
  ResultPtr r(PQexec(conn_, sql.c_str()), &PQclear);
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail("'" + abbreviated(sql) + "' failed");
  QueryResult out;
  const int columns = PQnfields(r.get());
  const int rows = PQntuples(r.get());
  for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(r.get(), c));
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    auto& row = out.rows.emplace_back();
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r.get(), i, c))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(PQgetvalue(r.get(), i, c), static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
    }
  }
  return out;
}

CopyIn PostgresConnection::copy_in(const std::string& copy_sql) {
  ResultPtr r(PQexec(conn_, copy_sql.c_str()), &PQclear);
  if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) fail("'" + abbreviated(copy_sql) + "' failed");
  return CopyIn(*this);
}

int PostgresConnection::server_version() const { return PQserverVersion(conn_); }

CopyIn::CopyIn(CopyIn&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }

CopyIn::~CopyIn() {
  if (connection_ == nullptr) return;
  // Abandoned mid-COPY (an exception while producing rows): end it as failed and drain results
  // so that the connection stays usable, for a ROLLBACK at least.
  PGconn* conn = connection_->conn_;
  if (PQputCopyEnd(conn, "COPY abandoned by the client") == 1)
    while (PGresult* r = PQgetResult(conn)) PQclear(r);
}

void CopyIn::write(std::string_view data) {
  if (data.empty()) return;
  if (PQputCopyData(connection_->conn_, data.data(), static_cast<int>(data.size())) != 1)
    connection_->fail("sending COPY data");
}

std::uint64_t CopyIn::finish() {
  PostgresConnection* c = connection_;
  connection_ = nullptr;
  if (PQputCopyEnd(c->conn_, nullptr) != 1) c->fail("ending COPY");
  std::uint64_t rows = 0;
  std::string error;
  while (PGresult* r = PQgetResult(c->conn_)) {
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
      rows = std::strtoull(PQcmdTuples(r), nullptr, 10);
    else if (error.empty())
      error = one_line(PQresultErrorMessage(r));
    PQclear(r);
  }
  if (!error.empty()) throw PostgresError("PostgreSQL at '" + c->redacted_dsn_ + "': COPY failed: " + error);
  return rows;
}

}  // namespace severn::sql
