// A build killed at any moment leaves the previous store intact and readable (DESIGN.md section
// 3). The build runs as a separate severn process and is killed with SIGKILL, either at named
// points (SEVERN_FAULT_POINT) or after a range of delays.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "ingest_fixture.h"
#include "store/store.h"

extern char** environ;

namespace severn::testing {
namespace {

struct Outcome {
  bool killed = false;
  int exit_code = -1;
};

// Runs `severn ingest`; kills it after `kill_after` unless that is negative.
Outcome run_severn_ingest(const std::filesystem::path& src, const std::filesystem::path& store,
                          const std::filesystem::path& key, const std::string& fault_point,
                          std::chrono::milliseconds kill_after = std::chrono::milliseconds(-1)) {
  std::vector<std::string> args{SEVERN_BINARY, "ingest", src.string(), "--store", store.string(),
                                "--key-file", key.string(), "--as-of", "2025-06-30", "--data",
                                SEVERN_TEST_DATA_DIR, "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::string(*e).rfind("SEVERN_FAULT_POINT=", 0) != 0) env_text.emplace_back(*e);
  if (!fault_point.empty()) env_text.push_back("SEVERN_FAULT_POINT=" + fault_point);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, SEVERN_BINARY, nullptr, nullptr, argv.data(), envp.data()) != 0) return {};
  if (kill_after.count() >= 0) {
    std::this_thread::sleep_for(kill_after);
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Outcome o;
  o.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

bool staging_left_behind(const std::filesystem::path& store) {
  for (const auto& e : std::filesystem::directory_iterator(store.parent_path()))
    if (e.path().filename().string().rfind("." + store.filename().string() + ".staging-", 0) == 0)
      return true;
  return false;
}

std::string manifest_of(const std::filesystem::path& store) { return read_text(store / "manifest.json"); }

TEST(CrashSafety, KilledAtEachCommitStepLeavesAReadableStore) {
  SEVERN_REQUIRE_PACK();
  Scratch s("crash-points");
  write_extract(s.dir() / "old", valid_extract());
  auto bigger = valid_extract();
  bigger["gp/events.csv"] += "9997366956,2022-06-01,822851000000102,\n";
  write_extract(s.dir() / "new", bigger);
  const auto key = write_key(s.dir());
  const auto store = s.dir() / "store";
  ASSERT_EQ(run_severn_ingest(s.dir() / "old", store, key, "").exit_code, 0);
  const std::string old_manifest = manifest_of(store);
  ASSERT_EQ(run_severn_ingest(s.dir() / "new", s.dir() / "reference", key, "").exit_code, 0);
  const std::string new_manifest = manifest_of(s.dir() / "reference");
  ASSERT_NE(old_manifest, new_manifest);

  for (const std::string point : {"before_manifest", "before_swap"}) {
    SCOPED_TRACE(point);
    EXPECT_TRUE(run_severn_ingest(s.dir() / "new", store, key, point).killed);
    EXPECT_NO_THROW(store::Store::open(store)->verify_restricted());
    EXPECT_EQ(manifest_of(store), old_manifest);  // the previous store, untouched
  }
  // Killed just after the swap: the new store is complete and in place.
  EXPECT_TRUE(run_severn_ingest(s.dir() / "new", store, key, "after_swap").killed);
  EXPECT_NO_THROW(store::Store::open(store)->verify_restricted());
  EXPECT_EQ(manifest_of(store), new_manifest);
  EXPECT_TRUE(staging_left_behind(store));
  // The next build clears what the killed ones left.
  ASSERT_EQ(run_severn_ingest(s.dir() / "old", store, key, "").exit_code, 0);
  EXPECT_EQ(manifest_of(store), old_manifest);
  EXPECT_FALSE(staging_left_behind(store));
}

TEST(CrashSafety, KilledAfterAnyDelayLeavesTheOldOrTheNewStoreWhole) {
  SEVERN_REQUIRE_PACK();
  Scratch s("crash-timed");
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kPeople = 6000;  // ten sanitised ingests of 20,000 people took 90 s of the CI run
#else
  constexpr int kPeople = 20000;
#endif
  synthesize_small(s.dir() / "new", kPeople, 3);
  write_extract(s.dir() / "old", valid_extract());
  const auto key = write_key(s.dir());
  const auto store = s.dir() / "store";
  ASSERT_EQ(run_severn_ingest(s.dir() / "old", store, key, "").exit_code, 0);
  const std::string old_manifest = manifest_of(store);

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_severn_ingest(s.dir() / "new", s.dir() / "reference", key, "").exit_code, 0);
  const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t0);
  const std::string new_manifest = manifest_of(s.dir() / "reference");

  int killed = 0;
  for (const double fraction : {0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95, 1.0}) {
    const auto delay = std::chrono::milliseconds(static_cast<long>(full.count() * fraction));
    SCOPED_TRACE("killed after " + std::to_string(delay.count()) + " ms of " +
                 std::to_string(full.count()));
    const Outcome o = run_severn_ingest(s.dir() / "new", store, key, "", delay);
    killed += o.killed;
    EXPECT_NO_THROW(store::Store::open(store)->verify_restricted());
    const std::string m = manifest_of(store);
    EXPECT_TRUE(m == old_manifest || m == new_manifest);
    if (m == new_manifest) {  // put the old store back for the next round
      ASSERT_EQ(run_severn_ingest(s.dir() / "old", store, key, "").exit_code, 0);
    }
  }
  EXPECT_GE(killed, 5);  // most delays land inside the build
}

}  // namespace
}  // namespace severn::testing
