// Disclosure control of the snapshot outputs: no published count in 1..7, every count rounded, the
// medians of a withheld cell withheld too, and a withheld cell never recoverable from its `all` rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/csv_table.h"
#include "disclosure/release.h"
#include "elective/snapshot_output.h"
#include "elective/snapshot_release.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;

const Days kEnd = days_from_civil(2025, 3, 31);

// RXW: 110 x50, 120 x3; RL1: 110 x40, 130 x12; waits spread over a year; one closed period so the
// history has a start.
std::vector<ClockPeriod> crafted() {
  std::vector<ClockPeriod> out;
  const auto add = [&](const char* provider, int function, int n) {
    for (int i = 0; i < n; ++i) {
      ClockPeriod p;
      p.provider_code = provider;
      p.treatment_function = function;
      p.clock_start = kEnd - 400 + 7 * i;
      out.push_back(p);
    }
  };
  add("RXW", 110, 50);
  add("RXW", 120, 3);
  add("RL1", 110, 40);
  add("RL1", 130, 12);
  ClockPeriod closed = out.front();
  closed.end = kEnd - 300;
  closed.end_kind = PeriodEnd::kClockStop;
  out.push_back(closed);
  return out;
}

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("severn-snapshot-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

const char* kCounts[] = {"incomplete", "within_18_weeks", "over_52_weeks", "over_65_weeks", "over_78_weeks",
                         "over_104_weeks"};

CsvTable write_and_read(const disclosure::Policy& policy, const std::string& name) {
  SnapshotOutputOptions o;
  o.out_dir = scratch(name);
  o.from = kEnd - 150;
  o.to = kEnd;
  o.policy = policy;
  write_snapshot_outputs(crafted(), o);
  CsvTable t = CsvTable::read_file(o.out_dir / "snapshot.csv");
  fs::remove_all(o.out_dir);
  return t;
}

TEST(SnapshotDisclosure, NoSmallCountIsPublishedAndEveryCountIsRounded) {
  const CsvTable t = write_and_read(disclosure::Policy{}, "rounded");
  ASSERT_GT(t.rows(), 0u);
  std::size_t withheld = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (const char* c : kCounts) {
      const std::string& v = t.cell(r, c);
      if (v == "[c]") {
        ++withheld;
        continue;
      }
      const long n = std::stol(v);
      EXPECT_FALSE(n >= 1 && n <= 7) << "row " << r << " " << c << " = " << v;
      EXPECT_EQ(n % 5, 0) << "row " << r << " " << c << " = " << v;
    }
    if (t.cell(r, "incomplete") == "[c]") {
      EXPECT_EQ(t.cell(r, "median_weeks"), "[c]");
      EXPECT_EQ(t.cell(r, "p92_weeks"), "[c]");
    }
  }
  EXPECT_GT(withheld, 0u);  // RXW 120 (3 pathways) at least
}

// Under suppressed-exact every published count is exact, so a lone withheld cell in a line of a
// table (a parent `all` row and its parts) could be worked out by subtraction: there must be none.
TEST(SnapshotDisclosure, AWithheldCellCannotBeRecoveredFromItsAllRows) {
  disclosure::Policy policy;
  policy.mode = disclosure::Mode::kSuppressedExact;
  const CsvTable t = write_and_read(policy, "exact");
  // Lines: key = (date, count column, parent), members = the parent's row and its parts.
  std::map<std::string, std::vector<std::string>> lines;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string d = t.cell(r, "snapshot_date"), p = t.cell(r, "provider_code"),
                      f = t.cell(r, "treatment_function_code");
    for (const char* c : kCounts) {
      const std::string v = t.cell(r, c), k = d + "/" + c + "/";
      if (p == "all" && f == "all") {
        lines[k + "providers"].push_back(v);
        lines[k + "functions"].push_back(v);
      } else if (f == "all") {
        lines[k + "providers"].push_back(v);
        lines[k + "p=" + p].push_back(v);
      } else if (p == "all") {
        lines[k + "functions"].push_back(v);
        lines[k + "f=" + f].push_back(v);
      } else {
        lines[k + "p=" + p].push_back(v);
        lines[k + "f=" + f].push_back(v);
      }
    }
  }
  std::size_t lines_with_withheld = 0;
  for (const auto& [key, values] : lines) {
    const auto n = std::count(values.begin(), values.end(), "[c]");
    EXPECT_NE(n, 1) << key << ": one withheld cell would be recovered by subtraction";
    if (n > 0) ++lines_with_withheld;
  }
  EXPECT_GT(lines_with_withheld, 0u);
}

// The audit's own feasibility: every withheld count of a crafted table keeps an interval at least
// the protection width wide, given everything published beside it.
TEST(SnapshotDisclosure, EveryWithheldCountKeepsItsProtectionWidth) {
  std::vector<TwoWayLayout> layouts(1);
  layouts[0] = {"provider", "treatment_function", {"RL1", "RXW"}, {"110", "120", "130"}};
  CountSeries s;
  s.meaning = "test incomplete";
  s.interval = interval_text(kEnd, kEnd);
  s.counts.by_ab = {40, 0, 12, 50, 3, 0};
  s.counts.by_a = {52, 53};
  s.counts.by_b = {90, 3, 12};
  s.counts.all = 105;
  const std::vector<CountSeries> series = {s};
  const disclosure::Policy policy;
  const disclosure::Release release = release_of(layouts, series);
  const disclosure::ReleaseDecision d = disclosure::control(release, policy);
  const auto intervals = disclosure::feasible_intervals(release, d, policy);
  std::size_t withheld = 0;
  std::size_t cell = 1;
  for (const auto& b : d.series[0].groups)
    for (const auto& g : b) {
      if (g.withheld()) {
        ++withheld;
        const auto& f = intervals[0][cell];
        EXPECT_GE(f.hi - f.lo, 8.0) << "cell " << cell;
        EXPECT_GT(f.hi, 7.0) << "cell " << cell;
      }
      ++cell;
    }
  EXPECT_GE(withheld, 2u);  // RXW|120 and all|120 (3), at least
  const PublishedCounts pub = publish_counts(layouts, series, policy);
  EXPECT_TRUE(pub.series[0].by_ab[4].withheld());
  EXPECT_TRUE(pub.series[0].by_b[1].withheld());
  const PublishedCounts off = publish_counts(layouts, series, std::nullopt);
  EXPECT_EQ(off.series[0].by_ab[4].shown, 3);
  EXPECT_FALSE(off.audit);
}

}  // namespace
}  // namespace severn::elective
