// `severn elective mutual-aid` as a user runs it: the identifiable list is refused without a named
// reader and purpose (before any store is opened), and on a small synthetic store the list and the
// summary agree and every identity read is audited.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/csv_table.h"
#include "run_severn.h"
#include "shared_world.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("severn-mutual-aid-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(MutualAidCli, IdentifiableListIsRefusedWithoutWhoAndPurpose) {
  const fs::path out = scratch("refuse");
  // The store does not exist: the refusal must come first, naming what is missing.
  for (const std::string extra : {"", "--who analyst", "--purpose 'validation'"}) {
    const auto r = run_severn("elective mutual-aid --store /nonexistent/store --out " + out.string() +
                              " --identifiable " + extra);
    EXPECT_NE(r.code, 0) << extra;
    EXPECT_NE(r.output.find("--who NAME"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("nonexistent"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(out / "mutual_aid_list.csv"));
  const auto r = run_severn("elective mutual-aid --store /nonexistent/store --out " + out.string() + " --who analyst");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("--identifiable"), std::string::npos) << r.output;
  fs::remove_all(out);
}

TEST(MutualAidCli, ListAndSummaryAgreeOnASyntheticStore) {
  const fs::path world = shared_world("mutual-aid", [](const fs::path& d) {
    {
      std::ofstream key(d / "key", std::ios::binary);
      key << "mutual-aid-test-key-0123456789abcdef";
    }
    auto r = run_severn("synth --out " + (d / "src").string() + " --people 3000 --seed 5 --years 3 --threads 2");
    if (r.code != 0) throw std::runtime_error("synth: " + r.output);
    r = run_severn("ingest " + (d / "src").string() + " --store " + (d / "store").string() + " --key-file " +
                   (d / "key").string() + " --as-of 2025-04-01 --threads 2 --quiet");
    if (r.code != 0) throw std::runtime_error("ingest: " + r.output);
  });
  const fs::path out = scratch("e2e");
  const auto r = run_severn("elective mutual-aid --store " + (world / "store").string() + " --out " + out.string() +
                            " --date 2025-03-31 --radius-miles national --no-disclosure-control --identifiable --who "
                            "tester --purpose 'mutual aid test'");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("identity area read by tester for mutual aid test"), std::string::npos) << r.output;
  const CsvTable list = CsvTable::read_file(out / "mutual_aid_list.csv");
  const CsvTable summary = CsvTable::read_file(out / "mutual_aid_summary.csv");
  ASSERT_EQ(summary.cell(0, "breakdown"), "all");
  ASSERT_GT(list.rows(), 0u);
  EXPECT_EQ(std::to_string(list.rows()), summary.cell(0, "eligible"));
  std::size_t matched = 0;
  for (std::size_t i = 0; i < list.rows(); ++i) {
    EXPECT_EQ(list.cell(i, "nhs_number").size(), 10u);
    EXPECT_GT(std::stoi(list.cell(i, "weeks_waited")), 39);  // over 280 days: 40 completed weeks or more
    if (list.cell(i, "outcome") == "matched") {
      ++matched;
      EXPECT_NE(list.cell(i, "offered_provider"), list.cell(i, "provider_code"));
      EXPECT_LT(std::stod(list.cell(i, "expected_wait_weeks_offered")), std::stod(list.cell(i, "expected_wait_weeks_now")));
    }
  }
  EXPECT_EQ(std::to_string(matched), summary.cell(0, "matched"));
  // The aggregate output carries no identifiers.
  std::ifstream f(out / "mutual_aid_summary.csv");
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(list.cell(0, "nhs_number")), std::string::npos);
  fs::remove_all(out);
}

}  // namespace
}  // namespace severn::testing
