// `severn elective measures`: the generated definition checks; the engine's count of people on the
// list at each month end, and of those waiting over 18 weeks, matches a count of the store's
// reported periods by person made without the engine; and the outputs carry every breakdown and
// the SII across IMD deciles in the shape of measures.csv and inequality.csv.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/csv_table.h"
#include "elective/measures_definition.h"
#include "elective/snapshot.h"
#include "elective/snapshot_store.h"
#include "elective/snapshot_world.h"
#include "store/store.h"

namespace severn::testing {
namespace {

TEST(SnapshotMeasures, TheEngineCountsThePeopleOnTheList) {
  const World& w = world();
  ASSERT_EQ(w.measures_run.code, 0) << w.measures_run.output;
  const auto store = store::Store::open(w.store);
  const auto periods = elective::read_reported_clocks(*store).periods;
  const CsvTable m = CsvTable::read_file(w.measures / "measures.csv");
  std::size_t months = 0;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    if (m.cell(r, "breakdown") != "all") continue;
    const Days d = *parse_iso_date(m.cell(r, "interval_end"));
    std::set<std::uint32_t> waiting, over;
    for (const auto& p : periods)
      if (p.open_on(d)) {
        waiting.insert(p.person);
        if (d - p.clock_start > 126) over.insert(p.person);
      }
    EXPECT_EQ(std::stoul(m.cell(r, "denominator")), waiting.size()) << m.cell(r, "interval_end");
    EXPECT_EQ(std::stoul(m.cell(r, "numerator")), over.size()) << m.cell(r, "interval_end");
    ++months;
  }
  EXPECT_EQ(months, 75u);  // January 2019 to March 2025
}

TEST(SnapshotMeasures, EveryBreakdownAndTheSiiAreWritten) {
  const World& w = world();
  ASSERT_EQ(w.measures_run.code, 0) << w.measures_run.output;
  const CsvTable m = CsvTable::read_file(w.measures / "measures.csv");
  std::set<std::string> breakdowns;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    breakdowns.insert(m.cell(r, "breakdown"));
    EXPECT_EQ(m.cell(r, "measure"), elective::kWaitingListMeasure);
  }
  for (const char* b : {"all", "provider_of_longest_wait", "function_of_longest_wait", "priority_of_longest_wait",
                        "imd_quintile", "imd_decile", "ethnicity_group", "age_band", "sex", "learning_disability",
                        "place", "pcn"})
    EXPECT_TRUE(breakdowns.count(b)) << b;
  const CsvTable q = CsvTable::read_file(w.measures / "inequality.csv");
  std::size_t sii = 0;
  for (std::size_t r = 0; r < q.rows(); ++r)
    if (q.cell(r, "index") == "sii" && q.cell(r, "breakdown") == "imd_decile" && !q.cell(r, "value").empty()) ++sii;
  EXPECT_GT(sii, 0u);
  EXPECT_NE(read_text(w.measures / "elective_waiting_list.sev").find("sii by imd_decile"), std::string::npos);
}

TEST(SnapshotMeasures, TheDefinitionCoversTheMonthsAsked) {
  const std::string s = elective::waiting_list_definition(days_from_civil(2019, 1, 17), days_from_civil(2025, 3, 31));
  EXPECT_NE(s.find("intervals monthly from 2019-01-01 to 2025-03-31"), std::string::npos) << s;
  EXPECT_NE(s.find("index_date - 126 days"), std::string::npos);
}

}  // namespace
}  // namespace severn::testing
