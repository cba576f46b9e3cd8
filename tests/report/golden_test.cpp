// The report page built from fixed CSV inputs (tests/report/golden/small/: one hand-written
// definition's outputs, a registered population, four square "LSOAs") must equal the stored
// page byte for byte. After a deliberate change to the page, regenerate it with
//   SEVERN_UPDATE_GOLDEN=1 build/NAME/tests/test_report --gtest_filter='ReportGolden*'
// and review the difference (git diff tests/report/golden/small/index.html) before committing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/html.h"
#include "report/lsoa_map.h"
#include "csv_outputs.h"
#include "report/outputs.h"

namespace severn::report {
namespace {

const std::filesystem::path kGolden = std::filesystem::path(SEVERN_SOURCE_DIR) / "tests/report/golden/small";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ReportModel golden_model() {
  ReportModel m;
  m.index_date = "2025-03-31";
  m.note = "Golden test: hand-written numbers.";
  m.definitions.push_back(load_definition_outputs(kGolden / "data/demo", "demo"));
  m.population = load_definition_outputs(kGolden / "data/report_population", "report_population");
  m.pcns["P1"] = {"ALPHA PCN", "Shropshire"};
  m.pcns["P2"] = {"BETA PCN", "Telford and Wrekin"};
  return m;
}

TEST(ReportGolden, OutputsAreReadBackWithGapsNotZeros) {
  const DefinitionOutputs d = load_definition_outputs(kGolden / "data/demo", "demo");
  EXPECT_EQ(d.title, "Demonstration indicators (golden test of the report)");
  EXPECT_EQ(d.version, "1, written 2026-11-23");
  ASSERT_EQ(d.measures.size(), 2u);
  const MeasureOutputs& m = d.measures[0];
  EXPECT_EQ(m.name, "demo_pct");
  EXPECT_EQ(m.description, "Share of people with a check, per cent.");
  EXPECT_EQ(d.measures[1].description, "");
  ASSERT_EQ(m.intervals().size(), 3u);
  const MeasureRow* feb = m.row(m.intervals()[1], "all", "all");
  ASSERT_NE(feb, nullptr);
  EXPECT_TRUE(std::isnan(feb->value));
  EXPECT_FALSE(feb->numerator.has_value());
  EXPECT_EQ(feb->denominator.value_or(-1), 1000);
  EXPECT_EQ(m.funnels.size(), 3u);
  EXPECT_EQ(m.inequality.size(), 2u);
  EXPECT_EQ(d.run.numerator_small, 3u);
  EXPECT_EQ(interval_label(m.intervals()[0]), "Jan 2025");
  EXPECT_EQ(interval_label(d.measures[1].intervals()[0]), "2024-25");
  EXPECT_EQ(interval_label({"2025-01-01", "2025-03-31"}), "Jan-Mar 2025");
  EXPECT_EQ(interval_label({"2025-01-02", "2025-03-31"}), "2025-01-02 to 2025-03-31");
  EXPECT_EQ(interval_short_label({"2024-04-01", "2024-04-30"}), "Apr 24");
}

TEST(ReportGolden, UnitsComeFromTheStatisticColumn) {
  EXPECT_EQ(units_of("proportion per 100").axis, "Per cent (%)");
  EXPECT_EQ(units_of("proportion per 100").gap, "percentage points");
  EXPECT_EQ(units_of("rate per 100000").axis, "Rate per 100,000 persons");
  EXPECT_EQ(units_of("dsr per 100000").axis, "Age-standardised rate per 100,000");
  EXPECT_EQ(units_of("isr per 100").axis, "Observed as % of expected");
  EXPECT_EQ(units_of("proportion").axis, "Proportion (0 to 1)");
}

TEST(ReportGolden, PageMatchesTheStoredPage) {
  const LsoaMap map = load_lsoa_map(kGolden / "lsoas.geojson", kGolden / "lsoas.csv");
  ASSERT_EQ(map.areas.size(), 4u);
  EXPECT_EQ(map.areas[2].rings.size(), 2u);  // the MultiPolygon's two parts
  EXPECT_EQ(map.imd_decile[2], 10);
  const std::string html = render_report(golden_model(), map);
  EXPECT_EQ(html, render_report(golden_model(), map));  // deterministic
  const auto golden = kGolden / "index.html";
  if (std::getenv("SEVERN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << html;
    GTEST_SKIP() << "wrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing: run with SEVERN_UPDATE_GOLDEN=1";
  const std::string expected = read(golden);
  if (html != expected) {
    std::size_t at = 0;
    while (at < html.size() && at < expected.size() && html[at] == expected[at]) ++at;
    const std::size_t from = at > 120 ? at - 120 : 0;
    FAIL() << "the page differs from " << golden << " at byte " << at << "\n  built: ..." << html.substr(from, 240)
           << "\n  golden: ..." << expected.substr(from, 240);
  }
}

}  // namespace
}  // namespace severn::report
