// An independent recomputation of snapshot.csv: a small synthetic ICS is synthesised and ingested
// with the real commands, `severn elective snapshot --no-disclosure-control` counts the store, and
// this test counts the extract wlmds/rtt_pathways.csv itself, with its own simple code (one pass
// over every row for every month end, nothing shared with src/elective), then compares every cell.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/csv_table.h"
#include "elective/snapshot_world.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

// Lines of the extract (header = line 1) that ingest did not put in the store.
std::set<std::size_t> lines_not_in_store(const fs::path& store) {
  std::set<std::size_t> out;
  for (const char* area : {"unlinked", "quarantine"}) {
    const fs::path p = store / area / "wl_pathways.csv";
    if (!fs::exists(p)) continue;
    const CsvTable t = CsvTable::read_file(p);
    for (std::size_t r = 0; r < t.rows(); ++r) out.insert(std::stoul(t.cell(r, "line")));
  }
  return out;
}

long day_number(const std::string& iso) {
  // Days from a civil date by the classic algorithm, so the test shares no date code either.
  const int y0 = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
  const int y = m <= 2 ? y0 - 1 : y0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Row {
  std::string provider, function;
  long start, leaves, listed_from;  // leaves: first day off the list (LONG_MAX if never)
};

struct Cell {
  std::vector<long> waits;
};

// The interpolated quantile, written independently: sort the waits, turn each into its weekly
// band (">k to k+1 weeks"; 0 days in band 0), find the band holding position p*N and interpolate.
double quantile(std::vector<long> waits, double p) {
  std::vector<long> bands;
  for (long w : waits) bands.push_back(w == 0 ? 0 : (w + 6) / 7 - 1);
  std::sort(bands.begin(), bands.end());
  const double pos = p * static_cast<double>(bands.size());
  std::size_t i = 0;
  while (i < bands.size()) {
    std::size_t j = i;
    while (j < bands.size() && bands[j] == bands[i]) ++j;
    if (static_cast<double>(j) >= pos) return static_cast<double>(bands[i]) + (pos - static_cast<double>(i)) / static_cast<double>(j - i);
    i = j;
  }
  return -1;
}

TEST(SnapshotRecompute, EveryCellOfSnapshotCsvMatchesACountOfTheExtract) {
  const World& w = world();
  ASSERT_EQ(w.snapshot.code, 0) << w.snapshot.output;
  const CsvTable x = CsvTable::read_file(w.src / "wlmds" / "rtt_pathways.csv");
  const std::set<std::size_t> skip = lines_not_in_store(w.store);
  const bool has_removal = x.has_column("removal_date");
  std::vector<Row> rows;
  for (std::size_t r = 0; r < x.rows(); ++r) {
    if (skip.count(r + 2)) continue;
    Row row;
    row.provider = x.cell(r, "provider_code");
    row.function = x.cell(r, "treatment_function_code");
    row.start = row.listed_from = day_number(x.cell(r, "clock_start_date"));
    row.leaves = x.cell(r, "clock_stop_date").empty() ? LONG_MAX : day_number(x.cell(r, "clock_stop_date"));
    if (has_removal && !x.cell(r, "removal_date").empty())
      row.leaves = std::min(row.leaves, day_number(x.cell(r, "removal_date")));
    rows.push_back(row);
  }
  // A pathway transferred to the other trust is on the receiver's list from the transfer day.
  if (has_removal) {
    std::map<std::pair<std::string, std::string>, std::pair<std::string, long>> transferred;  // (ppi, period)
    for (std::size_t r = 0; r < x.rows(); ++r)
      if (!skip.count(r + 2) && x.cell(r, "removal_reason") == "transferred")
        transferred[{x.cell(r, "patient_pathway_id"), x.cell(r, "rtt_period")}] = {
            x.cell(r, "provider_code"), day_number(x.cell(r, "removal_date"))};
    std::size_t k = 0;
    for (std::size_t r = 0; r < x.rows(); ++r) {
      if (skip.count(r + 2)) continue;
      const auto it = transferred.find({x.cell(r, "patient_pathway_id"), x.cell(r, "rtt_period")});
      if (it != transferred.end() && it->second.first != rows[k].provider)
        rows[k].listed_from = std::max(rows[k].start, it->second.second);
      ++k;
    }
  }

  const CsvTable s = CsvTable::read_file(w.out / "snapshot.csv");
  std::set<std::string> dates;
  for (std::size_t r = 0; r < s.rows(); ++r) dates.insert(s.cell(r, "snapshot_date"));
  // Every month end from January 2019 to March 2025.
  ASSERT_EQ(dates.size(), 75u);
  EXPECT_EQ(*dates.begin(), "2019-01-31");
  EXPECT_EQ(*dates.rbegin(), "2025-03-31");

  std::map<std::tuple<std::string, std::string, std::string>, Cell> expected;
  for (const std::string& date : dates) {
    const long d = day_number(date);
    expected[{date, "all", "all"}];
    for (const Row& r : rows) {
      if (!(r.listed_from <= d && d < r.leaves)) continue;
      const long wait = d - r.start;
      for (const auto& key : {std::tuple{date, std::string("all"), std::string("all")},
                              std::tuple{date, r.provider, std::string("all")}, std::tuple{date, std::string("all"), r.function},
                              std::tuple{date, r.provider, r.function}})
        expected[key].waits.push_back(wait);
    }
  }
  std::size_t compared = 0, nonzero = 0;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (std::size_t r = 0; r < s.rows(); ++r) {
    const auto key = std::tuple{s.cell(r, "snapshot_date"), s.cell(r, "provider_code"), s.cell(r, "treatment_function_code")};
    seen.insert(key);
    const auto it = expected.find(key);
    const std::vector<long> waits = it == expected.end() ? std::vector<long>{} : it->second.waits;
    const auto n = [&](auto pred) { return static_cast<long>(std::count_if(waits.begin(), waits.end(), pred)); };
    const std::string where = std::get<0>(key) + " " + std::get<1>(key) + " " + std::get<2>(key);
    EXPECT_EQ(std::stol(s.cell(r, "incomplete")), static_cast<long>(waits.size())) << where;
    EXPECT_EQ(std::stol(s.cell(r, "within_18_weeks")), n([](long v) { return v <= 126; })) << where;
    EXPECT_EQ(std::stol(s.cell(r, "over_52_weeks")), n([](long v) { return v > 364; })) << where;
    EXPECT_EQ(std::stol(s.cell(r, "over_65_weeks")), n([](long v) { return v > 455; })) << where;
    EXPECT_EQ(std::stol(s.cell(r, "over_78_weeks")), n([](long v) { return v > 546; })) << where;
    EXPECT_EQ(std::stol(s.cell(r, "over_104_weeks")), n([](long v) { return v > 728; })) << where;
    if (waits.empty()) {
      EXPECT_EQ(s.cell(r, "median_weeks"), "") << where;
    } else {
      ++nonzero;
      EXPECT_NEAR(std::stod(s.cell(r, "median_weeks")), quantile(waits, 0.5), 0.0501) << where;
      EXPECT_NEAR(std::stod(s.cell(r, "p92_weeks")), quantile(waits, 0.92), 0.0501) << where;
    }
    ++compared;
  }
  // Every cell with anyone in it has its row.
  for (const auto& [key, cell] : expected)
    if (!cell.waits.empty()) {
      EXPECT_TRUE(seen.count(key)) << std::get<0>(key) << " " << std::get<1>(key) << " " << std::get<2>(key);
    }
  EXPECT_GT(nonzero, 300u);
  EXPECT_GT(compared, 0u);
}

TEST(SnapshotRecompute, DisclosureControlIsOnByDefault) {
  const World& w = world();
  const fs::path out = w.out.parent_path() / ("controlled-" + std::to_string(::getpid()));
  const CommandResult c = run_severn("elective snapshot --store " + w.store.string() + " --out " + out.string() +
                                     " --from " + kFrom + " --to " + kTo);
  ASSERT_EQ(c.code, 0) << c.output;
  const CsvTable s = CsvTable::read_file(out / "snapshot.csv");
  std::size_t withheld = 0;
  for (std::size_t r = 0; r < s.rows(); ++r)
    for (const char* col : {"incomplete", "within_18_weeks", "over_52_weeks"}) {
      const std::string v = s.cell(r, col);
      if (v == "[c]") {
        ++withheld;
        continue;
      }
      const long n = std::stol(v);
      EXPECT_TRUE(n == 0 || (n > 7 && n % 5 == 0)) << v;
    }
  EXPECT_GT(withheld, 0u);
  EXPECT_NE(read_text(out / "snapshot.json").find("\"disclosure_control\": true"), std::string::npos);
  fs::remove_all(out);
}

TEST(SnapshotRecompute, BadArgumentsGiveClearErrors) {
  const World& w = world();
  const CommandResult c = run_severn("elective snapshot --store " + w.store.string() + " --out /tmp/x --from 2025-13-01");
  EXPECT_NE(c.code, 0);
  EXPECT_NE(c.output.find("--from"), std::string::npos) << c.output;
  const CommandResult d = run_severn("elective snapshot --store /nonexistent --out /tmp/x");
  EXPECT_NE(d.code, 0);
}

}  // namespace
}  // namespace severn::testing
