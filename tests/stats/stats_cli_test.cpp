// `severn stats` as an analyst runs it: the funnel methods and their curve, the metadata written
// beside every output, and disclosure control's options, warning and refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "core/csv_table.h"
#include "run_severn.h"
#include "stats/stats.h"

namespace {

using Result = severn::testing::CommandResult;

Result severn(const std::string& args, bool stderr_only = false) {
  return severn::testing::run_severn(args, {.env = "", .stderr_only = stderr_only});
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class StatsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("severn-stats-cli2-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "units.csv") << "practice,numerator,denominator\nM1,3,40\nM2,120,400\nM3,600,1500\n"
                                         "M4,50,90\nM5,900,2000\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(StatsCommand, FunnelWritesUnitsCurveAndMetadataUnderDisclosureControl) {
  const auto r = severn("stats funnel-proportion --in " + path("units.csv") + " --out " + path("f.csv") +
                        " --multiplier 100 --curve " + path("curve.csv") + " --curve-points 20");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("5 input rows -> 5 result rows"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("disclosure control: rounded: counts 1-7 redacted; rounded to the nearest 5; values and "
                          "limits from the published counts; no secondary suppression; counts redacted: 1; rows with "
                          "figures withheld: 1"),
            std::string::npos)
      << r.output;
  const severn::CsvTable f = severn::CsvTable::read_file(path("f.csv"));
  ASSERT_EQ(f.rows(), 5u);
  EXPECT_EQ(f.cell(0, "numerator"), "[c]");
  EXPECT_EQ(f.cell(0, "value"), "[c]");
  EXPECT_EQ(f.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(f.cell(3, "significance"), "above 95% limit");
  EXPECT_EQ(severn::CsvTable::read_file(path("curve.csv")).rows(), 20u);
  const std::string meta = slurp(path("f.csv.json"));
  EXPECT_NE(meta.find("\"method\": \"funnel-proportion\""), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"disclosure\": {\"applied\": true"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"rows_withheld\": 1"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"values_from\": \"published counts\""), std::string::npos) << meta;
  EXPECT_NE(slurp(path("curve.csv.json")).find("\"output_rows\": 20"), std::string::npos);
  for (const char* leftover : {"f.csv.tmp", "f.csv.json.tmp", "curve.csv.tmp"})
    EXPECT_FALSE(std::filesystem::exists(dir_ / leftover)) << leftover;
}

TEST_F(StatsCommand, SwitchingDisclosureControlOffWarnsAndIsRecorded) {
  const auto r = severn("stats proportion --in " + path("units.csv") + " --out " + path("p.csv") +
                            " --no-disclosure-control",
                        true);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("disclosure control is OFF (--no-disclosure-control)"), std::string::npos) << r.output;
  EXPECT_EQ(severn::CsvTable::read_file(path("p.csv")).cell(0, "numerator"), "3");
  EXPECT_NE(slurp(path("p.csv.json")).find("\"disclosure\": {\"applied\": false, \"reason\": \"switched off by "
                                           "--no-disclosure-control"),
            std::string::npos);
}

TEST_F(StatsCommand, PolicyOptionsAreUsedAndRecorded) {
  const auto r = severn("stats rate --in " + path("units.csv") + " --out " + path("r.csv") +
                        " --redact-max 3 --round-to 10 --midpoint-rounding");
  ASSERT_EQ(r.code, 0) << r.output;
  const severn::CsvTable t = severn::CsvTable::read_file(path("r.csv"));
  EXPECT_EQ(t.cell(0, "numerator"), "[c]");
  EXPECT_EQ(t.cell(0, "denominator"), "45");
  EXPECT_EQ(t.cell(3, "numerator"), "55");
  EXPECT_EQ(t.cell(3, "denominator"), "95");
  EXPECT_EQ(std::stod(t.cell(3, "value")), severn::stats::crude_rate(55, 95, 0.95).value);
  EXPECT_NE(slurp(path("r.csv.json")).find("\"redact_max\": 3, \"round_to\": 10, \"rounding\": \"midpoint\""),
            std::string::npos);
}

// --disclosure-policy suppressed-exact: exact counts, small ones withheld as "[c]", figures from
// the exact counts, and the metadata says so.
TEST_F(StatsCommand, SuppressedExactPolicyComputesFromExactCounts) {
  const auto r = severn("stats proportion --in " + path("units.csv") + " --out " + path("e.csv") +
                        " --disclosure-policy suppressed-exact");
  ASSERT_EQ(r.code, 0) << r.output;
  const severn::CsvTable t = severn::CsvTable::read_file(path("e.csv"));
  EXPECT_EQ(t.cell(0, "numerator"), "[c]");
  EXPECT_EQ(t.cell(0, "value"), "[c]");
  EXPECT_EQ(t.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(t.cell(3, "numerator"), "50");
  EXPECT_EQ(t.cell(3, "denominator"), "90");
  EXPECT_EQ(std::stod(t.cell(3, "value")), severn::stats::proportion(50, 90, 0.95).value);
  const std::string meta = slurp(path("e.csv.json"));
  EXPECT_NE(meta.find("\"mode\": \"suppressed-exact\""), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"values_from\": \"exact counts\""), std::string::npos) << meta;
}

TEST_F(StatsCommand, RefusalsSayWhatToFix) {
  // The policy is checked before the input is read.
  auto r = severn("stats rate --in /nonexistent/in.csv --out " + path("x.csv") + " --round-to 0");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--round-to: must be at least 1"), std::string::npos) << r.output;
  r = severn("stats funnel-rate --in " + path("units.csv") + " --out " + path("x.csv") + " --conf 0.9");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--conf: funnel methods always draw 95% and 99.8% limits"), std::string::npos) << r.output;
  r = severn("stats funnel-rate --in " + path("units.csv") + " --out " + path("x.csv") + " --curve-points 50");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--curve-points: give the curve's file with --curve FILE"), std::string::npos) << r.output;
  r = severn("stats rate --in " + path("units.csv") + " --out " + path("x.csv") + " --curve " + path("c.csv"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--curve: only the funnel methods draw a curve"), std::string::npos) << r.output;
  r = severn("stats funnel-proportion --in " + path("units.csv") + " --out " + path("x.csv") + " --curve " +
             path("units.csv"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("is the input file"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.csv.json"));
  r = severn("stats --help");
  EXPECT_NE(r.output.find("--no-disclosure-control"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("funnel-ratio"), std::string::npos) << r.output;
}

}  // namespace
