// `severn stats` given hostile numbers: every method, every numeric column it reads, and values an
// outside fuzzing audit used (2^64, 1e400, NaN, infinities, text, negatives, zero, empty). Nothing
// may escape as an internal error (exit 2) or a crash: a value that cannot be used gives exit 1
// with the file, the line of the row and the field named; a value the method accepts (an empty
// cell is missing; a mean's values may be negative) gives exit 0.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "run_severn.h"

namespace {

struct MethodCase {
  std::string name;     // test name
  std::string args;     // method and its options, before --in and --out
  std::string csv;      // a valid input; line 2 is the row made hostile
  std::vector<std::string> columns;  // the numeric columns the method reads
};

void PrintTo(const MethodCase& c, std::ostream* os) { *os << c.name; }

const std::vector<MethodCase>& methods() {
  static const std::vector<MethodCase> cases{
      {"proportion", "proportion", "area,numerator,denominator\nA,30,400\nB,50,500\n", {"numerator", "denominator"}},
      {"rate", "rate", "area,numerator,denominator\nA,30,400\nB,50,500\n", {"numerator", "denominator"}},
      {"mean", "mean --by area", "area,value\nA,3.5\nA,4\nA,6\nB,2\nB,8\n", {"value"}},
      {"dsr", "dsr --by area --stdpop stdpop",
       "area,count,population,stdpop\nA,20,1000,5000\nA,30,2000,6000\nA,40,3000,7000\n"
       "B,25,1500,5000\nB,35,2500,6000\nB,45,3500,7000\n",
       {"count", "population", "stdpop"}},
      {"isr_ratio", "isr-ratio --by area",
       "area,count,population,ref_count,ref_population\nA,10,1000,100,10000\nA,20,2000,300,20000\n"
       "B,15,1500,100,10000\nB,25,2500,300,20000\n",
       {"count", "population", "ref_count", "ref_population"}},
      {"isr_rate", "isr-rate --by area",
       "area,count,population,ref_count,ref_population\nA,10,1000,100,10000\nA,20,2000,300,20000\n"
       "B,15,1500,100,10000\nB,25,2500,300,20000\n",
       {"count", "population", "ref_count", "ref_population"}},
      {"sii", "sii --repetitions 1000",
       "quantile,value,se,population\n1,50,2,1000\n2,45,2,1000\n3,40,2,1000\n4,35,2,1000\n5,30,2,1000\n",
       {"quantile", "value", "se", "population"}},
      {"sii_limits", "sii --repetitions 1000",
       "quantile,value,lowercl,uppercl,population\n1,50,46,54,1000\n2,45,41,49,1000\n3,40,36,44,1000\n"
       "4,35,31,39,1000\n5,30,26,34,1000\n",
       {"quantile", "value", "lowercl", "uppercl", "population"}},
      {"funnel_proportion", "funnel-proportion --curve CURVE",
       "practice,numerator,denominator\nM1,30,400\nM2,50,500\nM3,80,600\n", {"numerator", "denominator"}},
      {"funnel_rate", "funnel-rate --curve CURVE",
       "practice,numerator,denominator\nM1,30,400\nM2,50,500\nM3,80,600\n", {"numerator", "denominator"}},
      {"funnel_rate_dsr", "funnel-rate --rate rate", "practice,numerator,rate\nM1,30,700\nM2,50,900\nM3,80,1000\n",
       {"numerator", "rate"}},
      {"funnel_ratio", "funnel-ratio --curve CURVE",
       "practice,observed,expected\nM1,30,25\nM2,50,60\nM3,80,70\n", {"observed", "expected"}},
  };
  return cases;
}

// Values that can never be used: exit 1, naming the row and field.
const std::vector<std::string> kRefused{"18446744073709551616", "1e400", "-1e400", "1e16", "NaN", "nan", "inf",
                                        "-Infinity", "abc", "0x10", "1,5"};
// Values a method may accept or refuse, but never with an internal error.
const std::vector<std::string> kAcceptedOrRefused{"", "NA", "0", "-1", "0.5", "9007199254740992", "1e-320"};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == ',') out.emplace_back(); else out.back() += c;
  }
  return out;
}

// Replaces column `column` of line 2 (the first data row) with `value`, quoting it when needed.
std::string with_value(const std::string& csv, const std::string& column, const std::string& value) {
  const auto header_end = csv.find('\n');
  const auto row_end = csv.find('\n', header_end + 1);
  const auto names = split(csv.substr(0, header_end));
  auto cells = split(csv.substr(header_end + 1, row_end - header_end - 1));
  std::string row;
  bool found = false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == column) {
      cells[i] = value.find(',') != std::string::npos ? "\"" + value + "\"" : value;
      found = true;
    }
    row += (i ? "," : "") + cells[i];
  }
  EXPECT_TRUE(found) << "no column " << column;
  return csv.substr(0, header_end + 1) + row + csv.substr(row_end);
}

class StatsHostileInput : public ::testing::TestWithParam<MethodCase> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("severn-stats-hostile-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  severn::testing::CommandResult run(const MethodCase& m, const std::string& csv) {
    std::ofstream(dir_ / "in.csv", std::ios::trunc) << csv;
    std::string args = m.args;
    const auto curve = args.find("CURVE");
    if (curve != std::string::npos) args.replace(curve, 5, (dir_ / "curve.csv").string());
    return severn::testing::run_severn("stats " + args + " --in " + in() + " --out " + (dir_ / "out.csv").string(),
                                       {.env = "", .stderr_only = true});
  }
  std::string in() const { return (dir_ / "in.csv").string(); }
  std::filesystem::path dir_;
};

TEST_P(StatsHostileInput, ValidInputRuns) {
  const MethodCase& m = GetParam();
  const auto r = run(m, m.csv);
  EXPECT_EQ(r.code, 0) << r.output;
}

TEST_P(StatsHostileInput, UnusableNumbersExitOneNamingRowAndField) {
  const MethodCase& m = GetParam();
  for (const auto& column : m.columns) {
    for (const auto& value : kRefused) {
      const auto r = run(m, with_value(m.csv, column, value));
      EXPECT_EQ(r.code, 1) << m.name << " " << column << "='" << value << "': " << r.output;
      EXPECT_NE(r.output.find(in() + ":2: field '" + column + "': "), std::string::npos)
          << m.name << " " << column << "='" << value << "': " << r.output;
      EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
    }
  }
}

TEST_P(StatsHostileInput, OtherValuesNeverGiveAnInternalError) {
  const MethodCase& m = GetParam();
  for (const auto& column : m.columns) {
    for (const auto& value : kAcceptedOrRefused) {
      const auto r = run(m, with_value(m.csv, column, value));
      EXPECT_TRUE(r.code == 0 || r.code == 1) << m.name << " " << column << "='" << value << "': exit " << r.code
                                              << ": " << r.output;
      if (r.code == 1) {
        // Refused: the row (or the group starting on it) and a field are named.
        EXPECT_NE(r.output.find(in() + ":2: field '"), std::string::npos)
            << m.name << " " << column << "='" << value << "': " << r.output;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Methods, StatsHostileInput, ::testing::ValuesIn(methods()),
                         [](const ::testing::TestParamInfo<MethodCase>& info) { return info.param.name; });

// The audit's case: an expected count of 2^64 in funnel-ratio escaped from Boost as exit 2.
TEST(StatsHostileInputAudit, FunnelRatioExpectedTwoToTheSixtyFour) {
  const auto dir = std::filesystem::temp_directory_path() / ("severn-stats-audit-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string in = (dir / "in.csv").string();
  std::ofstream(in) << "practice,observed,expected\nM1,30,18446744073709551616\nM2,50,60\n";
  const auto r = severn::testing::run_severn("stats funnel-ratio --in " + in + " --out " + (dir / "out.csv").string(),
                                             {.env = "", .stderr_only = true});
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find(in + ":2: field 'expected': too large"), std::string::npos) << r.output;
}

}  // namespace
