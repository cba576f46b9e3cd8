// The report's elective section on the shared small synthetic ICS (whose synth writes the WLMDS
// waiting list): the section and its charts are on the page, its data files are written, no
// published count is in 1..7, withheld counts are gaps on the page (never zeros), the page's
// headline agrees with snapshot.csv read here independently, and the person-level breakdown joins
// the report's release. A store without wl_pathways gets a section that says so.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>

#include "core/csv_table.h"
#include "pack.h"
#include "report/elective_section.h"
#include "report_world.h"

namespace severn::testing {
namespace {

std::string section_of(const std::string& html) {
  const auto b = html.find("<section id=\"elective\">");
  if (b == std::string::npos) return "";
  return html.substr(b, html.find("</section>", b) - b);
}

TEST(ReportElective, SectionHasItsChartsAndDataFiles) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const auto dir = w.report / "data" / "elective";
  for (const char* f : {"snapshot.csv", "weekly_snapshot.csv", "clock_stops.csv", "snapshot.json", "simulation.csv",
                        "measures.csv", "definition.sev", "run.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << dir / f;
  const std::string html = read_text(w.report / "index.html");
  const std::string s = section_of(html);
  ASSERT_FALSE(s.empty()) << "no elective section";
  EXPECT_EQ(s.find("has no waiting list"), std::string::npos);
  for (const char* title : {"Incomplete RTT pathways at each month end", "Share of incomplete pathways within 18 weeks",
                            "People waiting over 18 weeks by deprivation", "Waiting over 52 weeks by treatment function",
                            "Waiting over 65 weeks by treatment function", "Scenario: status quo"})
    EXPECT_NE(s.find(title), std::string::npos) << title;
  EXPECT_NE(s.find("92% standard"), std::string::npos) << "the fan chart's reference line";
  std::size_t svgs = 0;
  for (auto p = s.find("<svg"); p != std::string::npos; p = s.find("<svg", p + 1)) ++svgs;
  EXPECT_GE(svgs, 5u + 4u) << "two trends, three bar charts and one fan per default scenario";
  EXPECT_NE(html.find("href=\"#elective\""), std::string::npos);
}

TEST(ReportElective, SnapshotCountsPassDisclosureControlAndTheHeadlineMatchesThem) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const CsvTable t = CsvTable::read_file(w.report / "data" / "elective" / "snapshot.csv");
  ASSERT_GT(t.rows(), 0u);
  std::size_t counts = 0, withheld = 0;
  std::string last_date;
  std::size_t last_all = t.rows();
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (const char* c : {"incomplete", "within_18_weeks", "over_52_weeks", "over_65_weeks", "over_78_weeks", "over_104_weeks"}) {
      if (t.cell(r, c) == "[c]") {
        ++withheld;
        continue;
      }
      const auto v = t.get_int(r, t.column(c));
      EXPECT_FALSE(v >= 1 && v <= 7) << "row " << r + 2 << " " << c << " = " << v << ": a small count published";
      EXPECT_EQ(v % 5, 0) << "row " << r + 2 << " " << c << ": not rounded";
      ++counts;
    }
    if (t.cell(r, "provider_code") == "all" && t.cell(r, "treatment_function_code") == "all" &&
        t.cell(r, "snapshot_date") >= last_date) {
      last_date = t.cell(r, "snapshot_date");
      last_all = r;
    }
  }
  EXPECT_GT(counts, 0u);
  EXPECT_GT(withheld, 0u) << "a 1,500-person ICS should have small cells to withhold";
  ASSERT_LT(last_all, t.rows());
  const std::string s = section_of(read_text(w.report / "index.html"));
  const std::string incomplete = t.cell(last_all, "incomplete");
  ASSERT_NE(incomplete, "[c]");
  EXPECT_NE(s.find("held <b>" + incomplete + "</b> incomplete pathways"), std::string::npos) << incomplete;
  const std::string within = t.cell(last_all, "within_18_weeks");
  if (within != "[c]" && std::stod(incomplete) > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "<b>%.1f%%</b> within 18 weeks", 100 * std::stod(within) / std::stod(incomplete));
    EXPECT_NE(s.find(buf), std::string::npos) << buf;
  }
}

TEST(ReportElective, WithheldLongWaitersAreGapsNotZeros) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const CsvTable t = CsvTable::read_file(w.report / "data" / "elective" / "snapshot.csv");
  std::string last;
  for (std::size_t r = 0; r < t.rows(); ++r) last = std::max(last, t.cell(r, "snapshot_date"));
  std::size_t withheld_functions = 0;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.cell(r, "snapshot_date") == last && t.cell(r, "provider_code") == "all" &&
        t.cell(r, "treatment_function_code") != "all" && t.cell(r, "over_52_weeks") == "[c]")
      ++withheld_functions;
  const std::string s = section_of(read_text(w.report / "index.html"));
  const auto b = s.find("Waiting over 52 weeks by treatment function");
  ASSERT_NE(b, std::string::npos);
  const std::string fig = s.substr(b, s.find("</figure>", b) - b);
  if (withheld_functions > 0) {
    EXPECT_NE(fig.find(std::to_string(withheld_functions) + " treatment function(s) withheld by disclosure control (gaps, not zeros)"),
              std::string::npos)
        << fig.substr(fig.size() > 600 ? fig.size() - 600 : 0);
    EXPECT_NE(fig.find("withheld"), std::string::npos);
  } else {
    EXPECT_EQ(fig.find("withheld by disclosure control"), std::string::npos);
  }
}

TEST(ReportElective, DeprivationBreakdownJoinsTheReportsRelease) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const auto dir = w.report / "data" / "elective";
  EXPECT_NE(read_text(dir / "run.json").find("\"applied\": true"), std::string::npos);
  const CsvTable t = CsvTable::read_file(dir / "measures.csv");
  std::size_t quintiles = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (t.cell(r, "breakdown") == "imd_quintile") ++quintiles;
    for (const char* c : {"numerator", "denominator"}) {
      if (t.cell(r, c) == "[c]") continue;
      const auto v = t.get_int(r, t.column(c));
      EXPECT_FALSE(v >= 1 && v <= 7) << "measures.csv row " << r + 2;
    }
  }
  EXPECT_GE(quintiles, 5u);
}

TEST(ReportElective, SimulationFansReachMarch2029) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const CsvTable t = CsvTable::read_file(w.report / "data" / "elective" / "simulation.csv");
  ASSERT_GT(t.rows(), 0u);
  bool reaches = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    reaches |= t.cell(r, "month") == "2029-03-31";
    const double lo = std::stod(t.cell(r, "p5")), med = std::stod(t.cell(r, "median")), hi = std::stod(t.cell(r, "p95"));
    EXPECT_LE(lo, med);
    EXPECT_LE(med, hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0);
  }
  EXPECT_TRUE(reaches);
}

TEST(ReportElective, SectionSaysWhenTheStoreHasNoWaitingList) {
  report::ElectiveSection none;
  none.reason = "The store has no waiting list (no wl_pathways table): it was built without the RTT extracts.";
  const std::string html = report::render_elective_section(none);
  EXPECT_NE(html.find("has no waiting list"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

TEST(ReportElective, WithheldMonthIsAGapInTheTrend) {
  report::ElectiveSection s;
  s.has_list = true;
  const Days d0 = days_from_civil(2025, 1, 31), d1 = days_from_civil(2025, 2, 28), d2 = days_from_civil(2025, 3, 31);
  s.months = {{d0, 1000, 500, 20, 10}, {d1, std::nullopt, std::nullopt, std::nullopt, std::nullopt}, {d2, 1010, 505, 20, 10}};
  s.by_function = {{100, 500, std::nullopt, std::nullopt}, {110, 510, 20, 10}};
  const std::string html = report::render_elective_section(s);
  EXPECT_NE(html.find("class=\"withheld\""), std::string::npos) << "the withheld month is drawn as a dotted gap";
  EXPECT_NE(html.find("1 month(s) withheld by disclosure control (gaps, not zeros)"), std::string::npos);
  EXPECT_NE(html.find("1 treatment function(s) withheld"), std::string::npos);
  // The list-size trend draws a point for each published month only: the withheld one is not at zero.
  const auto b = html.find("Incomplete RTT pathways at each month end");
  ASSERT_NE(b, std::string::npos);
  const std::string trend = html.substr(b, html.find("</svg>", b) - b);
  std::size_t points = 0;
  for (auto p = trend.find("<circle"); p != std::string::npos; p = trend.find("<circle", p + 1)) ++points;
  EXPECT_EQ(points, 2u);
  EXPECT_NE(html.find("The simulation was not run (--elective-runs 0)."), std::string::npos);
}

}  // namespace
}  // namespace severn::testing
