// The PHEindicatormethods test vectors in ../shared/testdata/stats (see its README.md, section 6):
// CSV transcriptions of the package's testthat workbooks (ukhsa-collaboration/PHEindicatormethods
// v2.1.0, commit 093fd288d8f8949dbcfbed70049dbbf385b6141d, tests/testthat/). Every vector's
// `source` column names the workbook, sheet and row its numbers come from; failures print it.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "core/csv_table.h"

#define SEVERN_REQUIRE_TESTDATA()                                                             \
  do {                                                                                        \
    if (!std::filesystem::is_directory(std::filesystem::path(SEVERN_TESTDATA_DIR) / "stats")) \
      GTEST_SKIP() << "PHEindicatormethods test vectors not found at " << SEVERN_TESTDATA_DIR \
                   << "/stats (these tests need ../shared/testdata beside the project)";     \
  } while (0)

namespace severn::stats::testing {

// Acceptance for every deterministic value: 1e-9 relative (issue 5).
inline constexpr double kRelativeTolerance = 1e-9;

inline CsvTable load_vectors(const std::string& name) {
  return CsvTable::read_file(std::filesystem::path(SEVERN_TESTDATA_DIR) / "stats" / name);
}

// "NA" (and an empty cell) is missing: NaN.
inline double number(const std::string& cell) {
  if (cell.empty() || cell == "NA") return std::numeric_limits<double>::quiet_NaN();
  std::size_t used = 0;
  const double v = std::stod(cell, &used);
  if (used != cell.size()) ADD_FAILURE() << "not a number in the vectors: '" << cell << "'";
  return v;
}

// "a|b|c": one number per band.
inline std::vector<double> numbers(const std::string& cell) {
  std::vector<double> out;
  if (cell.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = cell.find('|', start);
    out.push_back(number(cell.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
    if (bar == std::string::npos) return out;
    start = bar + 1;
  }
}

// Compares against the expected values of one CSV and keeps the worst relative error, so each
// test can say how close the whole set came.
inline std::string full(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

class Checker {
 public:
  // NaN expected means the method must give NaN; 0 expected means exactly 0.
  void close(double actual, double expected, const char* what) {
    ++compared_;
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan(actual)) << what << ": expected NA, got " << actual;
      return;
    }
    if (expected == 0) {
      EXPECT_EQ(actual, 0.0) << what;
      return;
    }
    const double rel = std::fabs(actual - expected) / std::fabs(expected);
    if (!(rel <= kRelativeTolerance))  // also catches NaN
      ADD_FAILURE() << what << ": got " << full(actual) << ", expected " << full(expected)
                    << ", relative error " << rel;
    else
      worst_ = std::max(worst_, rel);
  }
  double worst() const { return worst_; }
  int compared() const { return compared_; }

 private:
  double worst_ = 0;
  int compared_ = 0;
};

inline void report(const char* what, int vectors, const Checker& c) {
  std::printf("[ stats    ] %s: %d vectors, %d numbers compared, max relative error %.3g\n", what,
              vectors, c.compared(), c.worst());
}

}  // namespace severn::stats::testing
