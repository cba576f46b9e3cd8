// `severn elective simulate` end to end on a small synthetic ICS (synthesised and ingested once
// per build of the tests): the files and their columns, Monte Carlo bands in order, disclosure
// control on the published counts, and the same output for the same seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/ingest_fixture.h"
#include "run_severn.h"
#include "shared_world.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

struct SimWorld {
  fs::path dir;
  CommandResult first, second;
};

const SimWorld& world() {
  static const SimWorld w = [] {
    const fs::path dir = shared_world("elective-simulate", [](const fs::path& d) {
      synthesize_small(d / "src", 4000, 20251207);
      ingest::run_ingest(options_for(d / "src", d / "store", write_key(d)));
      for (const char* out : {"out1", "out2"}) {
        const CommandResult c = run_severn("elective simulate --store " + (d / "store").string() + " --out " +
                                           (d / out).string() + " --runs 40 --uplift-runs 8 --seed 11");
        write_text(d / (std::string(out) + ".code"), std::to_string(c.code));
        write_text(d / (std::string(out) + ".output"), c.output);
      }
    });
    SimWorld s;
    s.dir = dir;
    s.first = {std::stoi(read_text(dir / "out1.code")), read_text(dir / "out1.output")};
    s.second = {std::stoi(read_text(dir / "out2.code")), read_text(dir / "out2.output")};
    return s;
  }();
  return w;
}

TEST(SimulationCli, WritesEveryFile) {
  const SimWorld& w = world();
  ASSERT_EQ(w.first.code, 0) << w.first.output;
  for (const char* f : {"capacity.csv", "flows.csv", "simulation.csv", "simulation_by_specialty.csv",
                        "uplift_to_92.csv", "backtest.csv", "backtest_summary.csv", "simulation.json"}) {
    EXPECT_TRUE(fs::exists(w.dir / "out1" / f)) << f;
  }
  const auto sim = read_csv(w.dir / "out1" / "simulation.csv");
  ASSERT_FALSE(sim.empty());
  EXPECT_EQ(sim[0], (std::vector<std::string>{"scenario", "month", "statistic", "median", "p5", "p25", "p75", "p95"}));
  // 4 default scenarios x 48 month ends (2025-04 .. 2029-03) x 3 statistics.
  EXPECT_EQ(sim.size(), 1u + 4u * 48u * 3u);
  std::set<std::string> scenarios;
  for (std::size_t i = 1; i < sim.size(); ++i) {
    scenarios.insert(sim[i][0]);
    const double median = std::stod(sim[i][3]), p5 = std::stod(sim[i][4]), p25 = std::stod(sim[i][5]),
                 p75 = std::stod(sim[i][6]), p95 = std::stod(sim[i][7]);
    EXPECT_LE(p5, p25);
    EXPECT_LE(p25, median);
    EXPECT_LE(median, p75);
    EXPECT_LE(p75, p95);
    if (sim[i][2] == "within_18_weeks_share") {
      EXPECT_GE(p5, 0.0);
      EXPECT_LE(p95, 1.0);
    } else {
      EXPECT_EQ(static_cast<long long>(median) % 5, 0) << "a simulated count not rounded to 5";
    }
  }
  EXPECT_EQ(scenarios, (std::set<std::string>{"status quo", "referrals +5% a year", "capacity +10%", "validation sprint"}));
  EXPECT_EQ(sim.back()[1], "2029-03-31");
}

TEST(SimulationCli, PublishedCountsPassDisclosureControl) {
  const SimWorld& w = world();
  ASSERT_EQ(w.first.code, 0) << w.first.output;
  const auto cap = read_csv(w.dir / "out1" / "capacity.csv");
  ASSERT_GT(cap.size(), 2u);
  EXPECT_EQ(cap[0][0], "treatment_function");
  EXPECT_EQ(cap[1][0], "all");
  for (std::size_t i = 1; i < cap.size(); ++i) {
    for (std::size_t col : {4u, 6u, 7u, 8u}) {  // list_size and the 52-week flows
      const std::string& v = cap[i][col];
      if (v == "[c]") continue;
      const long long n = std::stoll(v);
      EXPECT_EQ(n % 5, 0) << "row " << i << " col " << col << ": " << v;
      EXPECT_TRUE(n == 0 || n > 7) << v;
    }
  }
  const auto flows = read_csv(w.dir / "out1" / "flows.csv");
  ASSERT_GT(flows.size(), 52u);
  EXPECT_EQ(flows[0][0], "week_ending");
  std::size_t withheld = 0;
  for (std::size_t i = 1; i < flows.size(); ++i) {
    for (std::size_t col = 3; col < flows[i].size(); ++col) {
      if (flows[i][col] == "[c]") {
        ++withheld;
        continue;
      }
      const long long n = std::stoll(flows[i][col]);
      EXPECT_EQ(n % 5, 0) << "flows row " << i << " col " << col;
      EXPECT_TRUE(n == 0 || n > 7);
    }
  }
  EXPECT_GT(withheld, 0u) << "a small ICS's weekly flows by provider and specialty have small cells";
  const std::string meta = read_text(w.dir / "out1" / "simulation.json");
  EXPECT_NE(meta.find("\"applied\": true"), std::string::npos) << meta;
}

TEST(SimulationCli, SameSeedSameFiles) {
  const SimWorld& w = world();
  ASSERT_EQ(w.second.code, 0) << w.second.output;
  for (const char* f : {"capacity.csv", "flows.csv", "simulation.csv", "simulation_by_specialty.csv",
                        "uplift_to_92.csv", "backtest.csv"}) {
    EXPECT_EQ(read_text(w.dir / "out1" / f), read_text(w.dir / "out2" / f)) << f;
  }
}

TEST(SimulationCli, BacktestReportsTheAnchor) {
  const SimWorld& w = world();
  ASSERT_EQ(w.first.code, 0) << w.first.output;
  const auto s = read_csv(w.dir / "out1" / "backtest_summary.csv");
  ASSERT_EQ(s.size(), 1u + 12u * 2u);
  EXPECT_EQ(s[0], (std::vector<std::string>{"horizon_months", "statistic", "ics_ape", "ics_mape_window",
                                            "mape_across_specialties",
                                            "specialties", "anchor_mape"}));
  bool six = false, twelve = false;
  for (const auto& r : s) {
    if (r[0] == "6" && r[1] == "list_size") six = r[6] == "0.4";
    if (r[0] == "12" && r[1] == "list_size") twelve = r[6] == "4.7";
  }
  EXPECT_TRUE(six && twelve);
}

}  // namespace
}  // namespace severn::testing
