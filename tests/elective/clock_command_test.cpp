// `severn elective clocks` as a user runs it, on a small synthetic ICS ingested once per build of
// the tests: the outputs and their disclosure control, the identifiable list only on request and
// owner-only, and clear messages for bad arguments and for a store without pathway activity.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv_table.h"
#include "ingest/ingest_fixture.h"
#include "run_severn.h"
#include "shared_world.h"
#include "store/store.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;
using severn::testing::run_severn;

fs::path small_store() {
  static const fs::path dir = severn::testing::shared_world("elective-clock-store", [](const fs::path& d) {
    severn::testing::synthesize_small(d / "src", 1500, 20261207);
    ingest::run_ingest(severn::testing::options_for(d / "src", d / "store", severn::testing::write_key(d)));
  });
  return dir / "store";
}

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("severn-clock-cli-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Scratch() { fs::remove_all(dir); }
  ~Scratch() { fs::remove_all(dir); }
};

bool has_activity(const fs::path& store) { return store::Store::open(store)->has_table("wl_activity"); }

TEST(ClockCommand, IdentifiableOutputNeedsWhoAndWhy) {
  Scratch s;
  const auto r = run_severn("elective clocks --store " + small_store().string() + " --out " + s.dir.string() + " --identifiable");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("say who reads it (--who) and why (--purpose)"), std::string::npos) << r.output;
  const auto w = run_severn("elective clocks --store " + small_store().string() + " --out " + s.dir.string() + " --who me");
  EXPECT_EQ(w.code, 1) << w.output;
  EXPECT_NE(w.output.find("only with --identifiable"), std::string::npos) << w.output;
}

TEST(ClockCommand, AStoreWithoutPathwayActivitySaysSo) {
  // The small world's extract without its activity file: ingest builds wl_activity empty.
  Scratch s;
  const fs::path src = small_store().parent_path() / "src";
  fs::create_directories(s.dir);
  fs::copy(src, s.dir / "src", fs::copy_options::recursive);
  fs::remove(s.dir / "src" / "wlmds" / "rtt_activity.csv");
  ingest::run_ingest(severn::testing::options_for(s.dir / "src", s.dir / "store", severn::testing::write_key(s.dir)));
  ASSERT_EQ(store::Store::open(s.dir / "store")->table("wl_activity").rows(), 0U);
  const auto r = run_severn("elective clocks --store " + (s.dir / "store").string() + " --out " + (s.dir / "out").string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("wl_activity is empty"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rebuild the store with severn ingest"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(s.dir / "out" / "validation_findings.csv"));
}

TEST(ClockCommand, WritesTheOutputs) {
  ASSERT_TRUE(has_activity(small_store()));
  Scratch s;
  const auto r = run_severn("elective clocks --store " + small_store().string() + " --out " + s.dir.string() + " --threads 2");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("derived periods"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(s.dir / "validation_list.csv"));
  const CsvTable periods = CsvTable::read_file(s.dir / "derived_periods.csv");
  ASSERT_GT(periods.rows(), 0U);
  for (std::size_t i = 0; i < periods.rows(); ++i) {
    const std::string& v = periods.cell(i, "periods");
    if (v == "[c]") continue;
    const long n = std::stol(v);
    EXPECT_TRUE(n == 0 || (n >= 8 && n % 5 == 0)) << "a count that disclosure control should have withheld or rounded: " << v;
  }
  const CsvTable findings = CsvTable::read_file(s.dir / "validation_findings.csv");
  EXPECT_EQ(findings.header(), (std::vector<std::string>{"pathway", "rtt_period", "provider_code", "treatment_function_code",
                                                         "finding", "reported", "derived", "detail"}));
  EXPECT_TRUE(fs::exists(s.dir / "clocks.json"));

  const auto id = run_severn("elective clocks --store " + small_store().string() + " --out " + s.dir.string() +
                             " --identifiable --who 'test' --purpose 'validation of the test list'");
  ASSERT_EQ(id.code, 0) << id.output;
  EXPECT_NE(id.output.find("identity area read by test for validation of the test list"), std::string::npos) << id.output;
  struct stat st {};
  ASSERT_EQ(::stat((s.dir / "validation_list.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const CsvTable list = CsvTable::read_file(s.dir / "validation_list.csv");
  EXPECT_EQ(list.rows(), findings.rows());
  EXPECT_EQ(list.header().front(), "patient_pathway_id");
  // Without --identifiable again, the identifiable list from before is gone.
  ASSERT_EQ(run_severn("elective clocks --store " + small_store().string() + " --out " + s.dir.string()).code, 0);
  EXPECT_FALSE(fs::exists(s.dir / "validation_list.csv"));
}

}  // namespace
}  // namespace severn::elective
