// The clock engine over whole tables: grouping by pathway number across persons, threads, and
// hostile columns.
#include <gtest/gtest.h>

#include "clock_columns_support.h"
#include "clock_test_support.h"
#include "core/error.h"

namespace severn::elective {
namespace {

using testing::ActivityTable;
using testing::day;
using testing::ReportedTable;

std::vector<std::string> names(const ClockRun& run) {
  std::vector<std::string> out;
  for (const auto& f : run.findings) out.emplace_back(finding_name(f.code));
  return out;
}

TEST(ClockColumns, DerivesAndReconcilesEveryPathwayOfTheTable) {
  ActivityTable a;
  // Person 0: pathway 2 treated; pathway 5 with a first-activity DNA. Rows interleave by date.
  a.add(0, 2, day("2024-01-05"), "referral", "10");
  a.add(0, 5, day("2024-01-10"), "referral", "10");
  a.add(0, 2, day("2024-02-01"), "outpatient_first", "20");
  a.add(0, 5, day("2024-02-11"), "outpatient_first", "33");
  a.add(0, 2, day("2024-05-20"), "admission", "30");
  // Person 1 has the start of pathway 9 at RXW; person 2 (the receiver's record, linked to
  // another person) its continuation at RL1: still one pathway.
  a.add(1, 9, day("2024-03-01"), "referral", "10");
  a.add(1, 9, day("2024-04-01"), "transfer", "21", "RXW", "", "", "RL1");
  a.add(2, 9, day("2024-06-01"), "admission", "30", "RL1");
  // A row without a pathway number.
  a.add(2, -1, day("2024-06-02"), "admission", "30", "RL1");
  ReportedTable r;
  r.add(0, 2, 1, day("2024-01-05"), kStillOpen, "", kStillOpen, "", "RXW", "P2");  // treated, left open
  r.add(0, 5, 1, day("2024-01-10"), day("2024-02-11"), "33", kStillOpen, "");
  r.add(1, 9, 1, day("2024-03-01"), kStillOpen, "", day("2024-04-01"), "transferred");
  r.add(2, 9, 1, day("2024-03-01"), day("2024-06-01"), "30", kStillOpen, "", "RL1");
  r.add(3, 11, 1, day("2024-03-01"), kStillOpen, "", kStillOpen, "");  // no activity
  for (const unsigned threads : {1U, 2U}) {
    const auto act = a.columns();
    const auto rep = r.columns();
    const ClockRun run = derive_clocks(act, &rep, threads);
    EXPECT_EQ(run.pathways, 4U);
    EXPECT_EQ(run.activity_rows, 9U);
    EXPECT_EQ(run.reported_rows, 5U);
    EXPECT_EQ(run.rows_without_pathway, 1U);
    ASSERT_EQ(run.periods.size(), 4U);
    EXPECT_EQ(run.periods[0].pathway, 2U);
    EXPECT_EQ(run.periods[0].end_kind, PeriodEnd::kClockStop);
    EXPECT_EQ(run.periods[0].priority, 2);  // from the reported row
    EXPECT_EQ(run.periods[1].end_kind, PeriodEnd::kNullified);
    EXPECT_EQ(run.periods[2].provider_code, "RXW");
    EXPECT_EQ(run.periods[2].end_kind, PeriodEnd::kTransferred);
    EXPECT_EQ(run.periods[3].provider_code, "RL1");
    EXPECT_EQ(run.periods[3].clock_start, day("2024-03-01"));
    EXPECT_EQ(run.periods[3].person, 1U);  // the pathway's first activity row's person
    EXPECT_EQ(names(run), (std::vector<std::string>{"reported_open_but_stopped", "reported_without_activity"}));
    EXPECT_EQ(run.findings[0].pathway, 2U);
    EXPECT_EQ(run.findings[1].pathway, 11U);
    EXPECT_EQ(run.findings[1].person, 3U);
  }
}

TEST(ClockColumns, WithoutReportedRowsOnlyDerives) {
  ActivityTable a;
  a.add(0, 0, day("2024-01-05"), "referral", "10");
  a.add(0, 0, day("2024-01-06"), "gardening", "77");
  const auto act = a.columns();
  const ClockRun run = derive_clocks(act, nullptr, 2);
  ASSERT_EQ(run.periods.size(), 1U);
  EXPECT_EQ(names(run), (std::vector<std::string>{"unknown_activity_type", "unknown_rtt_status"}));
}

TEST(ClockColumns, APathwayNumberFarAboveTheRowsIsAClearError) {
  ActivityTable a;
  a.add(0, 2000000000, day("2024-01-05"), "referral", "10");
  const auto act = a.columns();
  try {
    derive_clocks(act, nullptr, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not the store's dense pathway numbering"), std::string::npos) << e.what();
  }
}

TEST(ClockColumns, EmptyTablesGiveNothing) {
  ActivityTable a;
  ReportedTable r;
  const auto act = a.columns();
  const auto rep = r.columns();
  const ClockRun run = derive_clocks(act, &rep, 2);
  EXPECT_TRUE(run.periods.empty());
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(run.pathways, 0U);
}

}  // namespace
}  // namespace severn::elective
