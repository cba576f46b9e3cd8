// The published summary: counts by breakdown from crafted cases, exact when disclosure control is
// off, and through the release's control otherwise (small counts withheld, the rest rounded, the
// matched share computed from what is published).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "disclosure/release.h"
#include "elective/mutual_aid_summary.h"

namespace severn::elective {
namespace {

const Days kD = days_from_civil(2025, 3, 31);

std::vector<MutualAidCase> crafted() {
  std::vector<MutualAidCase> cs;
  // 40 T&O pathways at RXW in quintile 1, 30 ask to move, 20 matched to RL1;
  // 3 cardiology pathways at RXW in quintile 5, all ask, none matched.
  for (int i = 0; i < 40; ++i) cs.push_back({110, "RXW", 1, i < 30, i < 20, i < 20 ? "RL1" : ""});
  for (int i = 0; i < 3; ++i) cs.push_back({320, "RXW", 5, true, false, ""});
  return cs;
}

TEST(MutualAidSummary, ExactCountsWhenControlIsOff) {
  const auto rel = mutual_aid_release(crafted(), kD);
  ASSERT_EQ(rel.series.size(), 3u);
  EXPECT_EQ(rel.series[0].total, 43);
  EXPECT_EQ(rel.series[1].total, 33);
  EXPECT_EQ(rel.series[2].total, 20);
  EXPECT_EQ(rel.series[2].within, 1);
  const CsvTable t = CsvTable::parse(mutual_aid_summary_csv(rel, nullptr, kD, 50), "summary");
  ASSERT_EQ(t.cell(0, "breakdown"), "all");
  EXPECT_EQ(t.cell(0, "eligible"), "43");
  EXPECT_EQ(t.cell(0, "opted_in"), "33");
  EXPECT_EQ(t.cell(0, "matched"), "20");
  EXPECT_EQ(t.cell(0, "matched_percent"), "60.6");
  EXPECT_EQ(t.cell(0, "radius_miles"), "50");
  bool saw_q5 = false, saw_receiving = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (t.cell(r, "breakdown") == "imd_quintile" && t.cell(r, "group") == "5") {
      saw_q5 = true;
      EXPECT_EQ(t.cell(r, "eligible"), "3");
      EXPECT_EQ(t.cell(r, "matched"), "0");  // an absent group is 0
    }
    if (t.cell(r, "breakdown") == "receiving_provider") {
      saw_receiving = true;
      EXPECT_EQ(t.cell(r, "group"), "RL1");
      EXPECT_EQ(t.cell(r, "matched"), "20");
      EXPECT_EQ(t.cell(r, "eligible"), "");
    }
  }
  EXPECT_TRUE(saw_q5);
  EXPECT_TRUE(saw_receiving);
}

TEST(MutualAidSummary, ControlledCountsWithholdSmallOnesAndRoundTheRest) {
  const auto rel = mutual_aid_release(crafted(), kD);
  const auto decision = disclosure::control(rel, disclosure::Policy{});
  const CsvTable t = CsvTable::parse(mutual_aid_summary_csv(rel, &decision, kD, 100), "summary");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (const char* c : {"eligible", "opted_in", "matched"}) {
      const std::string& v = t.cell(r, c);
      if (v.empty() || v == "[c]" || v == "0") continue;
      EXPECT_EQ(std::stoll(v) % 5, 0) << "row " << r << " " << c << " = " << v;  // rounded to 5
      EXPECT_GT(std::stoll(v), 7);
    }
    if (t.cell(r, "breakdown") == "imd_quintile" && t.cell(r, "group") == "5") {
      EXPECT_EQ(t.cell(r, "eligible"), "[c]");  // 3 pathways: withheld
      EXPECT_EQ(t.cell(r, "matched_percent"), "[c]");
    }
  }
  // The share is computed from the published counts.
  ASSERT_EQ(t.cell(0, "breakdown"), "all");
  if (t.cell(0, "matched") != "[c]" && t.cell(0, "opted_in") != "[c]") {
    const double m = std::stod(t.cell(0, "matched")), o = std::stod(t.cell(0, "opted_in"));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", 100 * m / o);
    EXPECT_EQ(t.cell(0, "matched_percent"), buf);
  }
}

}  // namespace
}  // namespace severn::elective
