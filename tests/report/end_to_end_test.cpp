// `severn report` on a small synthetic ICS with the whole built-in library: every definition's
// aggregates are written under data/, the record-level dataset is not, the page names every
// measure with its latest ICS value (read independently from measures.csv), shows the
// registered population, and fetches nothing at view time.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/csv_table.h"
#include "lang/library.h"
#include "pack.h"
#include "report_world.h"

namespace severn::testing {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "12,345" for 12345, written here rather than with the report's own formatter.
std::string with_commas(long long v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

TEST(ReportEndToEnd, CommandSucceedsAndWritesEveryLibraryDefinition) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  EXPECT_NE(w.result.output.find("report in"), std::string::npos) << w.result.output;
  ASSERT_TRUE(std::filesystem::exists(w.report / "index.html"));
  EXPECT_FALSE(std::filesystem::exists(w.report / "index.html.tmp"));
  const auto entries = lang::library_entries();
  ASSERT_FALSE(entries.empty());
  for (const auto& e : entries) {
    const auto dir = w.report / "data" / e.name;
    for (const char* f : {"definition.sev", "measures.csv", "funnels.csv", "inequality.csv", "run.json"})
      EXPECT_TRUE(std::filesystem::exists(dir / f)) << dir / f;
    EXPECT_FALSE(std::filesystem::exists(dir / "dataset.csv")) << "record-level data must not be in the report: " << dir;
    EXPECT_EQ(read(dir / "definition.sev"), std::string(e.text));
  }
}

TEST(ReportEndToEnd, PublishedCountsPassDisclosureControl) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  std::size_t counts = 0;
  for (const auto& dir : std::filesystem::directory_iterator(w.report / "data")) {
    const CsvTable t = CsvTable::read_file(dir.path() / "measures.csv");
    for (std::size_t r = 0; r < t.rows(); ++r)
      for (const char* c : {"numerator", "denominator"}) {
        ASSERT_FALSE(t.cell(r, c).empty()) << dir.path() << " row " << r + 2 << ": a count is a number or the marker [c]";
        if (t.cell(r, c) == "[c]") continue;
        const auto v = t.get_int(r, t.column(c));
        EXPECT_EQ(v % 5, 0) << dir.path() << " row " << r + 2 << " " << c << " " << v;
        ++counts;
      }
    EXPECT_NE(read(dir.path() / "run.json").find("\"applied\": true"), std::string::npos) << dir.path();
  }
  EXPECT_GT(counts, 0u);
}

TEST(ReportEndToEnd, PageShowsEveryMeasureWithItsLatestValue) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const std::string html = read(w.report / "index.html");
  std::size_t checked_values = 0;
  for (const auto& e : lang::library_entries()) {
    const CsvTable t = CsvTable::read_file(w.report / "data" / e.name / "measures.csv");
    std::map<std::string, std::size_t> latest;  // measure -> its last `all` row
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (t.cell(r, "breakdown") == "all") {
        const auto it = latest.find(t.cell(r, "measure"));
        if (it == latest.end() || t.cell(r, "interval_end") >= t.cell(it->second, "interval_end")) latest[t.cell(r, "measure")] = r;
      }
    ASSERT_FALSE(latest.empty()) << e.name;
    for (const auto& [measure, r] : latest) {
      EXPECT_NE(html.find("id=\"m-" + e.name + "-" + measure + "\""), std::string::npos) << measure;
      if (t.cell(r, "statistic") != "proportion per 100" || t.cell(r, "value").empty() || t.cell(r, "value") == "[c]") continue;
      char value[64];
      std::snprintf(value, sizeof value, "%.1f%% (%.1f to %.1f)", t.get_double(r, t.column("value")),
                    t.get_double(r, t.column("lower")), t.get_double(r, t.column("upper")));
      EXPECT_NE(html.find(value), std::string::npos) << measure << ": " << value;
      ++checked_values;
    }
  }
  EXPECT_GT(checked_values, 0u);
  // The overview's population: the registered population's `all` row, as published.
  const CsvTable p = CsvTable::read_file(w.report / "data/report_population/measures.csv");
  ASSERT_EQ(p.cell(0, "breakdown"), "all");
  const std::string population = with_commas(p.get_int(0, p.column("numerator")));
  EXPECT_NE(html.find("<div class=\"v\">" + population + "</div>"), std::string::npos) << population;
  EXPECT_NE(html.find("Synthetic test population."), std::string::npos);
  // The map: one path per STW LSOA in each of the two maps.
  EXPECT_NE(html.find("id=\"map-imd\""), std::string::npos);
  EXPECT_NE(html.find("id=\"map-indicator\""), std::string::npos);
  const CsvTable lsoas = CsvTable::read_file(std::filesystem::path(SEVERN_TEST_DATA_DIR) / "geography/lsoa21_stw.csv");
  std::size_t lsoa_titles = 0;
  for (std::size_t r = 0; r < lsoas.rows(); ++r) {
    const std::string code = lsoas.cell(r, "lsoa21_code");
    std::size_t n = 0;
    for (std::size_t at = html.find("<title>" + code); at != std::string::npos; at = html.find("<title>" + code, at + 1)) ++n;
    EXPECT_EQ(n, 2u) << code;
    lsoa_titles += n;
  }
  EXPECT_EQ(lsoa_titles, 2 * lsoas.rows());
}

TEST(ReportEndToEnd, PageIsSelfContained) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  const std::string html = read(w.report / "index.html");
  // Nothing fetched at view time: no external script, style sheet, image, font or frame.
  for (const char* bad : {"<script src", "<link", "<img", "<iframe", "@import", "url(http", "src=\"http", "href=\"http"})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // The only absolute URL is the SVG namespace name, which is never fetched.
  const std::regex url("https?://[^\"' <)]+");
  std::set<std::string> urls;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it) urls.insert(it->str());
  EXPECT_EQ(urls, (std::set<std::string>{"http://www.w3.org/2000/svg"}));
}

TEST(ReportEndToEnd, RefusesAnUnknownDefinitionBeforeRunningAnything) {
  SEVERN_REQUIRE_PACK();
  const ReportWorld& w = report_world();
  Scratch scratch("report-refused");
  const auto out = scratch.dir() / "refused";
  const auto r = run_severn("report --store " + w.store.string() + " --out " + out.string() +
                            " --definitions library:no_such_definition --data " + SEVERN_TEST_DATA_DIR);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("no library definition 'no_such_definition'"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out / "index.html"));
}

}  // namespace
}  // namespace severn::testing
