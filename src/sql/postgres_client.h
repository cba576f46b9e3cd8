// A small RAII client for PostgreSQL over libpq: connect from a DSN, run statements, read rows as
// text, stream COPY ... FROM STDIN. Every failure is a PostgresError (an InputError, so the CLI
// exits 1) naming the DSN with its password redacted and carrying libpq's own message.
//
// A DSN is anything libpq accepts: "host=/tmp/x dbname=postgres user=me" or
// "postgresql://me@localhost:5432/db". connect_timeout is added (10 s) when neither the DSN nor
// $PGCONNECT_TIMEOUT sets one, so that an unreachable server is an error, not a hang.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

struct pg_conn;

namespace severn::sql {

class PostgresError : public InputError {
 public:
  explicit PostgresError(const std::string& message) : InputError(message) {}
};

inline constexpr int kDefaultConnectTimeoutSeconds = 10;

// The DSN with any password replaced by "***" (key=value password=..., or the URI's user:pw@ and
// ?password=...), fit for an error message or a log.
std::string redact_dsn(std::string_view dsn);

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = SQL null
};

class PostgresConnection;

// One COPY ... FROM STDIN in progress. Data goes in with write() in COPY's own format; finish()
// ends it and returns the rows the server stored. Destroyed unfinished, it aborts the COPY (the
// statement fails; in a transaction, the transaction with it).
class CopyIn {
 public:
  CopyIn(CopyIn&& other) noexcept;
  CopyIn& operator=(CopyIn&&) = delete;
  CopyIn(const CopyIn&) = delete;
  ~CopyIn();
  void write(std::string_view data);
  std::uint64_t finish();

 private:
  friend class PostgresConnection;
  explicit CopyIn(PostgresConnection& connection) : connection_(&connection) {}
  PostgresConnection* connection_;
};

class PostgresConnection {
 public:
  // Throws PostgresError: a DSN libpq cannot parse, or a server it cannot reach or log in to.
  explicit PostgresConnection(const std::string& dsn);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // One or more statements with no result rows wanted (several may be separated by ';').
  void execute(const std::string& sql);
  // One statement; every value as PostgreSQL's text output.
  QueryResult query(const std::string& sql);
  // `copy_sql` is a "COPY table (...) FROM STDIN ..." statement.
  CopyIn copy_in(const std::string& copy_sql);

  // Server version as PQserverVersion gives it (150018 for 15.18).
  int server_version() const;
  const std::string& redacted_dsn() const { return redacted_dsn_; }

 private:
  friend class CopyIn;
  [[noreturn]] void fail(const std::string& what) const;
  pg_conn* conn_ = nullptr;
  std::string redacted_dsn_;
};

// Quotes an identifier for PostgreSQL and DuckDB alike ("a""b").
std::string quote_identifier(std::string_view name);

}  // namespace severn::sql
