// One crafted PTL row through make_ptl_row and ptl_csv: every column a user reads, by hand.
#include <gtest/gtest.h>

#include "core/csv_table.h"
#include "elective/ptl.h"

namespace severn::elective {
namespace {

TEST(PtlCsv, ACraftedRowReadsBackColumnByColumn) {
  PtlPeriod p;
  p.person = 3;
  p.row = 17;
  p.pathway = 42;
  p.provider_code = "RXW";
  p.treatment_function = 110;
  p.priority = 3;
  p.list_type = WaitingListType::kAdmitted;
  p.clock_start = days_from_civil(2024, 1, 1);
  p.referral_received = days_from_civil(2023, 12, 28);
  p.planned_procedure = "W371";
  p.tci_date = days_from_civil(2024, 9, 1);
  p.last_validation = days_from_civil(2024, 3, 1);
  p.has_validation_data = true;
  const Days on = p.clock_start + 200;  // 28 weeks 4 days: past the 26-week milestone (day 183)
  PersonAttributes a;
  a.pseudonym = std::string(64, 'a');
  a.imd_decile = 1;
  a.ethnicity_group = "White";
  a.age = 70;
  HarmEvidence h;
  h.emergency_admissions = 1;
  h.frailty = Frailty::kMild;
  h.long_term_conditions = 2;
  PatientTrackingList ptl;
  ptl.on = on;
  ptl.provider = "RXW";
  ptl.rows.push_back(make_ptl_row(p, on, a, h, PriorityWeights{}));
  const CsvTable t = CsvTable::parse(ptl_csv(ptl, nullptr), "ptl.csv");
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.cell(0, "rank"), "1");
  EXPECT_EQ(t.cell(0, "pathway"), "42");
  EXPECT_EQ(t.cell(0, "waiting_list_type"), "admitted");
  EXPECT_EQ(t.cell(0, "priority"), "P3");
  EXPECT_EQ(t.cell(0, "days_waited"), "200");
  EXPECT_EQ(t.cell(0, "weeks_waited"), "28");
  EXPECT_EQ(t.cell(0, "breach_18_weeks_date"), "2024-05-07");
  EXPECT_EQ(t.cell(0, "breach_52_weeks_date"), "2024-12-31");
  EXPECT_EQ(t.cell(0, "tci_date"), "2024-09-01");
  EXPECT_EQ(t.cell(0, "validation_due"), "due_at_milestone");
  EXPECT_EQ(t.cell(0, "validation_milestone_weeks"), "26");
  EXPECT_EQ(t.cell(0, "frailty"), "mild");
  EXPECT_EQ(t.cell(0, "imd_quintile"), "1");
  // Score: P3 20; time 20 x 200/84 = 47.62 (ratio 2.381); harm 5 + 2 = 7; Core20 10.
  EXPECT_EQ(t.cell(0, "wait_to_target_ratio"), "2.381");
  EXPECT_EQ(t.cell(0, "score_clinical_priority"), "20.00");
  EXPECT_EQ(t.cell(0, "score_time_waited"), "47.62");
  EXPECT_EQ(t.cell(0, "score_harm"), "7.00");
  EXPECT_EQ(t.cell(0, "score_core20plus"), "10.00");
  EXPECT_EQ(t.cell(0, "score_total"), "84.62");
  EXPECT_FALSE(t.has_column("nhs_number"));
}

TEST(PtlCsv, OrderByScoreBreaksTiesByWaitThenPerson) {
  std::vector<PtlRow> rows(3);
  rows[0].score.clinical = 10;
  rows[0].days_waited = 5;
  rows[0].period.person = 2;
  rows[1].score.clinical = 10;
  rows[1].days_waited = 9;
  rows[1].period.person = 5;
  rows[2].score.clinical = 30;
  rows[2].period.person = 9;
  order_by_score(rows);
  EXPECT_EQ(rows[0].period.person, 9u);
  EXPECT_EQ(rows[1].period.person, 5u);
  EXPECT_EQ(rows[2].period.person, 2u);
}

}  // namespace
}  // namespace severn::elective
