// The libpq client against a real PostgreSQL 15 started by the test (postgres_cluster.h): COPY
// in and read back exactly, nulls apart from empty text, and clear errors for a bad or
// unreachable server.
#include <gtest/gtest.h>

#include <chrono>

#include "postgres_cluster.h"
#include "sql/postgres_client.h"
#include "sql/row_encoders.h"

namespace severn {
namespace {

using testing::PostgresCluster;

TEST(PostgresClient, CopiesAwkwardTextInAndReadsItBackExactly) {
  const auto& cluster = PostgresCluster::shared();
  std::fprintf(stderr, "test cluster started in %.2f s\n", cluster.start_seconds());
  sql::PostgresConnection pg(cluster.dsn());
  EXPECT_GE(pg.server_version(), 150000);
  EXPECT_LT(pg.server_version(), 160000);
  pg.execute("DROP TABLE IF EXISTS awkward; CREATE TABLE awkward (id integer, label text, day date, x double precision)");

  const std::vector<std::optional<std::string>> labels = {
      "plain",  "comma, inside", "\"quoted\" and 'single'", "line\nbreak", "carriage\rreturn",
      "back\\slash", "tab\there", "\\N", "", std::nullopt, "ünïcødé £", " padded "};
  sql::CopyTextEncoder encoder;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    encoder.cell(std::to_string(i));
    if (labels[i])
      encoder.cell(*labels[i]);
    else
      encoder.null();
    if (i % 2 == 0)
      encoder.cell("2024-02-29");
    else
      encoder.null();
    encoder.cell(i == 3 ? "0.1" : std::to_string(i));
    encoder.end_row();
  }
  auto copy = pg.copy_in("COPY awkward (id, label, day, x) FROM STDIN");
  copy.write(encoder.buffer());
  EXPECT_EQ(copy.finish(), labels.size());

  const auto result = pg.query("SELECT id, label, day, x FROM awkward ORDER BY id");
  ASSERT_EQ(result.columns, (std::vector<std::string>{"id", "label", "day", "x"}));
  ASSERT_EQ(result.rows.size(), labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& row = result.rows[i];
    EXPECT_EQ(row[0], std::to_string(i));
    EXPECT_EQ(row[1], labels[i]) << "row " << i;
    EXPECT_EQ(row[2], i % 2 == 0 ? std::optional<std::string>("2024-02-29") : std::nullopt);
    EXPECT_EQ(row[3], i == 3 ? "0.1" : std::to_string(i));
  }
}

TEST(PostgresClient, AStatementErrorNamesTheStatementAndPostgresReason) {
  sql::PostgresConnection pg(PostgresCluster::shared().dsn());
  try {
    pg.execute("SELECT * FROM no_such_table");
    FAIL() << "expected an error";
  } catch (const sql::PostgresError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  // The connection is still usable after a failed statement outside a transaction.
  EXPECT_EQ(pg.query("SELECT 1").rows.at(0).at(0), "1");
}

TEST(PostgresClient, AbandonedCopyFailsTheTransactionAndLeavesTheConnectionUsable) {
  sql::PostgresConnection pg(PostgresCluster::shared().dsn());
  pg.execute("DROP TABLE IF EXISTS kept; CREATE TABLE kept (v integer); INSERT INTO kept VALUES (1)");
  pg.execute("BEGIN");
  pg.execute("DELETE FROM kept");
  {
    auto copy = pg.copy_in("COPY kept (v) FROM STDIN");
    copy.write("2\n");
  }  // dropped without finish()
  pg.execute("ROLLBACK");
  EXPECT_EQ(pg.query("SELECT string_agg(v::text, ',') FROM kept").rows.at(0).at(0), "1");
}

TEST(PostgresClient, UnreachableServerIsAClearErrorWithinSeconds) {
  const auto t0 = std::chrono::steady_clock::now();
  try {
    // A socket directory with no server: refused at once. The password must not be shown.
    sql::PostgresConnection pg("host=/nonexistent/severn-socket port=5999 user=x password=hunter2 dbname=y");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("cannot connect to PostgreSQL at 'host=/nonexistent/severn-socket"), std::string::npos) << m;
    EXPECT_NE(m.find("password=***"), std::string::npos) << m;
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
    EXPECT_NE(m.find("No such file or directory"), std::string::npos) << m;
  }
  try {
    // A TCP address that does not answer (TEST-NET-1, RFC 5737): the connect timeout ends it.
    sql::PostgresConnection pg("postgresql://me:hunter2@192.0.2.1:5432/db?connect_timeout=2");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("postgresql://me:***@192.0.2.1"), std::string::npos) << m;
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 8.0);
}

TEST(PostgresClient, AMalformedDsnIsRejectedBeforeConnecting) {
  try {
    sql::PostgresConnection pg("host=/tmp password='hunter2");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("is not valid"), std::string::npos) << m;
    EXPECT_NE(m.find("unterminated quoted string"), std::string::npos) << m;
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
  }
}

TEST(PostgresClient, RedactsPasswordsInEveryDsnForm) {
  EXPECT_EQ(sql::redact_dsn("host=h password=secret user=u"), "host=h password=*** user=u");
  EXPECT_EQ(sql::redact_dsn("host=h password = 'se cret' user=u"), "host=h password = *** user=u");
  EXPECT_EQ(sql::redact_dsn("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(sql::redact_dsn("postgres://h/db?user=u&password=secret&sslmode=disable"),
            "postgres://h/db?user=u&password=***&sslmode=disable");
  EXPECT_EQ(sql::redact_dsn("postgresql://u@h/db"), "postgresql://u@h/db");
}

}  // namespace
}  // namespace severn
