// The severn binary as a user meets it: exit codes and messages.
#include <gtest/gtest.h>

#include <string>

#include "run_severn.h"

namespace {

using Result = severn::testing::CommandResult;

Result run(const std::string& args) { return severn::testing::run_severn(args); }

TEST(Cli, HelpExitsZero) {
  const auto r = run("synth --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.output.find("--people"), std::string::npos);
}

TEST(Cli, UsageAndInputErrorsExitOneWithAMessage) {
  EXPECT_EQ(run("").code, 1);
  EXPECT_EQ(run("no-such-command").code, 1);
  auto r = run("synth --out /tmp/severn-cli-test --people -3");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--people must be at least 1"), std::string::npos) << r.output;
  r = run("synth --out /tmp/severn-cli-test --people ten");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("not a whole number"), std::string::npos) << r.output;
  r = run("synth --out /tmp/severn-cli-test --end 2025-02-30");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--end"), std::string::npos) << r.output;
  r = run("synth --out /tmp/severn-cli-test --people 10 --data /nonexistent/pack");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("/nonexistent/pack"), std::string::npos) << r.output;
}

// The disclosure policy is checked before anything is read, and naming it wrongly says how.
TEST(Cli, RunRefusesAnInvalidDisclosurePolicy) {
  const std::string base = "run /nonexistent/def.sev --store /nonexistent/store --out /tmp/severn-cli-run ";
  auto r = run(base + "--round-to 0");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--round-to: must be at least 1"), std::string::npos) << r.output;
  r = run(base + "--redact-min 0");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--redact-min: must be at least 1"), std::string::npos) << r.output;
  r = run(base + "--redact-min 5 --redact-max 2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--redact-max: must be at least --redact-min - 1"), std::string::npos) << r.output;
  r = run(base + "--sii-repetitions 10");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--sii-repetitions: must be at least 1000"), std::string::npos) << r.output;
  r = run("run --help");
  EXPECT_NE(r.output.find("--no-disclosure-control"), std::string::npos) << r.output;
}

// The SQL engine's commands: a wrong engine, dialect or DSN is an error that says which, exit 1.
TEST(Cli, SqlEngineOptionsAreCheckedAndNamed) {
  const std::string def = std::string(SEVERN_SOURCE_DIR) + "/definitions/ics_core_measures.sev";
  auto r = run("run " + def + " --engine oracle --dsn x --out /tmp/severn-cli-sql --index-date 2025-03-31");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--engine: 'oracle' is not an engine"), std::string::npos) << r.output;
  r = run("run " + def + " --engine postgres --out /tmp/severn-cli-sql --index-date 2025-03-31");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--dsn"), std::string::npos) << r.output;
  r = run("run " + def + " --engine postgres --dsn 'host=/nonexistent/socket-dir dbname=x' --out /tmp/severn-cli-sql");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--index-date"), std::string::npos) << r.output;
  // An unreachable server: libpq's reason and the DSN, within the connect timeout.
  r = run("run " + def + " --engine postgres --dsn 'host=/nonexistent/socket-dir dbname=x password=secret' --out "
          "/tmp/severn-cli-sql --index-date 2025-03-31");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("/nonexistent/socket-dir"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("secret"), std::string::npos) << "the password is never printed: " << r.output;
  r = run("run " + def + " --out /tmp/severn-cli-sql");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--store"), std::string::npos) << r.output;
  r = run("sql " + def + " --dialect mssql --index-date 2025-03-31");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("unknown SQL dialect 'mssql'"), std::string::npos) << r.output;
  r = run("sql " + def + " --dialect duckdb --index-date 2025-02-30");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--index-date"), std::string::npos) << r.output;
  r = run("sql " + def + " --dialect duckdb --index-date 2025-03-31");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("GROUP BY lane, g0, g1, g2, g3, g4"), std::string::npos);
}

}  // namespace
