// `severn ingest`, `info` and `export` as a user meets them: exit codes, messages, the printed
// ledger.
#include <gtest/gtest.h>


#include "ingest_fixture.h"
#include "run_severn.h"

namespace severn::testing {
namespace {

using Result = CommandResult;

Result run(const std::string& args, const std::string& env = "") { return run_severn(args, {.env = env}); }

bool has(const Result& r, const std::string& text) { return r.output.find(text) != std::string::npos; }

TEST(IngestCli, BuildsPrintsTheLedgerAndInfoAndExportReadTheStore) {
  SEVERN_REQUIRE_PACK();
  Scratch s("cli");
  write_extract(s.dir() / "src", valid_extract());
  const auto key = write_key(s.dir());
  const std::string store = (s.dir() / "store").string();
  const std::string common = (s.dir() / "src").string() + " --store " + store + " --key-file " +
                             key.string() + " --as-of 2025-06-30 --data " SEVERN_TEST_DATA_DIR;
  auto r = run("ingest " + common);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r, "severn ingest: 3 persons")) << r.output;
  EXPECT_TRUE(has(r, "total")) << r.output;
  EXPECT_FALSE(has(r, "DOES NOT BALANCE")) << r.output;

  r = run("info --store " + store + " --verify-restricted");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r, "persons: 3")) << r.output;
  EXPECT_TRUE(has(r, "balanced")) << r.output;
  EXPECT_TRUE(has(r, "clinical_events")) << r.output;

  r = run("export --store " + store + " --table medications");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output, "person_id,date,dmd_code\n0,2016-05-02,321991008\n1,2019-05-02,321991008\n");

  r = run("export --store " + store + " --table nonsense");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "the store has no table 'nonsense'")) << r.output;
}

TEST(IngestCli, BadOptionsExitOneAndLeaveNoStore) {
  SEVERN_REQUIRE_PACK();
  Scratch s("cli-bad");
  write_extract(s.dir() / "src", valid_extract());
  const auto key = write_key(s.dir());
  const std::string store = (s.dir() / "store").string();
  const std::string src = (s.dir() / "src").string();
  auto r = run("ingest " + src + " --store " + store + " --key-file " + key.string() +
               " --as-of 2025-02-30");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "--as-of: '2025-02-30' is not a date")) << r.output;
  r = run("ingest " + src + " --store " + store, "env -u SEVERN_PSEUDONYM_KEY");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "no pseudonymisation key")) << r.output;
  r = run("ingest " + (s.dir() / "nowhere").string() + " --store " + store + " --key-file " +
          key.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "extract directory not found")) << r.output;
  r = run("ingest " + src + " --store " + (s.dir() / "no/such/parent").string() + " --key-file " +
          key.string() + " --data " SEVERN_TEST_DATA_DIR);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "parent directory")) << r.output;
  EXPECT_FALSE(std::filesystem::exists(store));
  // A directory that is not a store is never replaced.
  write_text(s.dir() / "precious/notes.txt", "keep me");
  r = run("ingest " + src + " --store " + (s.dir() / "precious").string() + " --key-file " +
          key.string() + " --data " SEVERN_TEST_DATA_DIR);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "is not a Severn store; refusing to replace it")) << r.output;
  EXPECT_EQ(read_text(s.dir() / "precious/notes.txt"), "keep me");
  r = run("info --store " + (s.dir() / "precious").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r, "not a Severn store")) << r.output;
}

}  // namespace
}  // namespace severn::testing
