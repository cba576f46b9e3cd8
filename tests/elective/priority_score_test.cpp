// The prioritisation score's components on crafted patients, computed by hand from the default
// weights (priority_score.h).
#include <gtest/gtest.h>

#include "elective/priority_score.h"

namespace severn::elective {
namespace {

TEST(PriorityScore, TargetsByPriority) {
  EXPECT_EQ(priority_target_days(1), 7);
  EXPECT_EQ(priority_target_days(2), 28);
  EXPECT_EQ(priority_target_days(3), 84);
  EXPECT_EQ(priority_target_days(4), 365);
  EXPECT_EQ(priority_target_days(0), 126);  // unrecorded: the 18-week standard
}

TEST(PriorityScore, AP2PatientPastTargetWithHarmInTheMostDeprivedDecile) {
  ScoreInput in;
  in.priority = 2;
  in.days_waited = 42;  // 1.5 targets
  in.harm.emergency_admissions = 4;  // capped at 3
  in.harm.ae_attendances = 1;
  in.harm.frailty = Frailty::kModerate;
  in.harm.long_term_conditions = 4;
  in.harm.new_long_term_conditions = 1;
  in.person.imd_decile = 2;
  in.person.learning_disability = true;
  in.person.ethnicity_group = "Asian or Asian British";
  const PriorityWeights w;
  const ScoreComponents s = priority_score(in, w);
  EXPECT_DOUBLE_EQ(s.clinical, 30);
  EXPECT_EQ(s.target_days, 28);
  EXPECT_DOUBLE_EQ(s.wait_ratio, 1.5);
  EXPECT_DOUBLE_EQ(s.time, 30);                     // 20 x 1.5
  EXPECT_DOUBLE_EQ(s.harm, 15 + 2 + 5 + 4 + 3);     // admissions 3x5, A&E 1x2, moderate frailty, 4+ LTCs, 1 new x3
  EXPECT_DOUBLE_EQ(s.core20plus, 10 + 5);           // Core20 and LD; ethnic minority weight 0 by default
  EXPECT_DOUBLE_EQ(s.total(), 30 + 30 + 29 + 15);
}

TEST(PriorityScore, TheTimeComponentIsCappedAndTheEthnicMinorityUpliftIsConfigurable) {
  ScoreInput in;
  in.priority = 4;
  in.days_waited = 365 * 5;
  in.person.imd_decile = 3;  // not Core20
  in.person.ethnicity_group = "Black or Black British";
  PriorityWeights w;
  ScoreComponents s = priority_score(in, w);
  EXPECT_DOUBLE_EQ(s.clinical, 10);
  EXPECT_DOUBLE_EQ(s.wait_ratio, 5);
  EXPECT_DOUBLE_EQ(s.time, 60);  // capped at 3 targets
  EXPECT_DOUBLE_EQ(s.harm, 0);
  EXPECT_DOUBLE_EQ(s.core20plus, 0);
  w.ethnic_minority = 4;
  s = priority_score(in, w);
  EXPECT_DOUBLE_EQ(s.core20plus, 4);
  in.person.ethnicity_group = "Not stated";
  EXPECT_DOUBLE_EQ(priority_score(in, w).core20plus, 0);
}

TEST(PriorityScore, AnOverdueP2OutranksAP4WhoHasWaitedLonger) {
  const PriorityWeights w;
  ScoreInput p2;
  p2.priority = 2;
  p2.days_waited = 35;
  ScoreInput p4;
  p4.priority = 4;
  p4.days_waited = 400;
  // P2: 30 + 20 x 1.25 = 55; P4: 10 + 20 x 400/365 = 31.9.
  EXPECT_NEAR(priority_score(p2, w).total(), 55, 1e-9);
  EXPECT_NEAR(priority_score(p4, w).total(), 10 + 20 * 400.0 / 365, 1e-9);
  EXPECT_GT(priority_score(p2, w).total(), priority_score(p4, w).total());
}

TEST(PriorityScore, FrailtyLevelsAndUnrecordedPriority) {
  const PriorityWeights w;
  ScoreInput in;
  in.days_waited = 63;  // half of 126
  in.harm.frailty = Frailty::kSevere;
  const ScoreComponents s = priority_score(in, w);
  EXPECT_DOUBLE_EQ(s.clinical, 10);
  EXPECT_DOUBLE_EQ(s.time, 10);
  EXPECT_DOUBLE_EQ(s.harm, 8);
  in.harm.frailty = Frailty::kMild;
  EXPECT_DOUBLE_EQ(priority_score(in, w).harm, 2);
}

}  // namespace
}  // namespace severn::elective
