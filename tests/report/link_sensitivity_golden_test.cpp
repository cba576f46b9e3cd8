// The page's linkage-sensitivity section (docs/linkage-uncertainty.md), built from the golden
// test's fixed outputs (tests/report/golden/small/) and a strong-links copy of them with
// hand-changed figures, must equal the stored section byte for byte; a page without the option
// has no such section. Regenerate after a deliberate change with
//   SEVERN_UPDATE_GOLDEN=1 build/NAME/tests/test_report --gtest_filter='LinkSensitivityGolden*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "csv_outputs.h"
#include "report/html.h"
#include "report/lsoa_map.h"
#include "report/outputs.h"

namespace severn::report {
namespace {

const std::filesystem::path kGolden = std::filesystem::path(SEVERN_SOURCE_DIR) / "tests/report/golden/small";

ReportModel model() {
  ReportModel m;
  m.index_date = "2025-03-31";
  m.definitions.push_back(load_definition_outputs(kGolden / "data/demo", "demo"));
  m.population = load_definition_outputs(kGolden / "data/report_population", "report_population");
  m.pcns["P1"] = {"ALPHA PCN", "Shropshire"};
  return m;
}

std::string section_of(const std::string& html) {
  const auto from = html.find("<section id=\"linkage\">");
  if (from == std::string::npos) return "";
  return html.substr(from, html.find("</section>", from) + 10 - from);
}

TEST(LinkSensitivityGolden, SectionMatchesTheStoredSection) {
  const LsoaMap map = load_lsoa_map(kGolden / "lsoas.geojson", kGolden / "lsoas.csv");
  ReportModel m = model();
  EXPECT_EQ(section_of(render_report(m, map)), "") << "a page without the option has no linkage section";
  EXPECT_EQ(render_report(m, map).find("href=\"#linkage\""), std::string::npos);
  // Strong links: March's whole-ICS figure falls from 450 to 430 of 1000; the second measure's
  // latest value is withheld on the strong side.
  DefinitionOutputs strong = m.definitions[0];
  for (auto& r : strong.measures[0].rows)
    if (r.interval.start == "2025-03-01" && r.breakdown == "all") {
      r.numerator = 430;
      r.value = 43.0;
    }
  for (auto& r : strong.measures[1].rows)
    if (r.breakdown == "all") {
      r.numerator.reset();
      r.value = NAN;
    }
  m.min_link_probability = 0.9;
  m.link_filter_text = "25 partner records were linked with a probability below 0.9 and are left out of the second figures "
                       "(apcs: 25 of 400).";
  m.strong_definitions.push_back(strong);
  const std::string html = render_report(m, map);
  EXPECT_NE(html.find("<a href=\"#linkage\">Linkage</a>"), std::string::npos);
  const std::string section = section_of(html);
  ASSERT_FALSE(section.empty());
  EXPECT_NE(section.find("1 of 2 headline values change; the largest change is demo_pct (2.0 percentage points)."),
            std::string::npos) << section;
  const auto golden = kGolden / "linkage_section.html";
  if (std::getenv("SEVERN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << section;
    GTEST_SKIP() << "wrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing: run with SEVERN_UPDATE_GOLDEN=1";
  std::ifstream in(golden, std::ios::binary);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(section, expected.str());
}

}  // namespace
}  // namespace severn::report
