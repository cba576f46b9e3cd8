// A transparent prioritisation score for an open RTT period: the sum of four components, each
// shown per patient on the PTL (docs/elective/ptl-and-prioritisation.md gives the weights' sources):
//   clinical   points for the clinical priority (P1-P4; FSSA surgical prioritisation);
//   time       points per multiple of the priority's target wait waited (capped), so a patient
//              past their clinical target rises above a routine patient who has waited longer;
//   harm       harm-while-waiting evidence since the clock start (unplanned care, frailty,
//              multimorbidity, new long-term conditions);
//   core20plus an uplift for the most deprived 20% nationally (IMD deciles 1-2) and PLUS groups.
// Higher scores are treated first under the equity-aware policy.
#pragma once
#include <string>

#include "core/date.h"
#include "elective/harm_evidence.h"

namespace severn::elective {

// Target waits by clinical priority, days: P1 7, P2 28, P3 84, P4 365 (the anchor, as
// NHSRwaitinglist's priority-to-target conversion and the FSSA categories: P2 within a month, P3
// within three months, P4 longer). A period with no recorded priority (non-admitted pathways are
// not given one) takes the RTT standard's 18 weeks, 126 days.
int priority_target_days(int priority);

struct PriorityWeights {
  // Clinical priority points, P1..P4, and for an unrecorded priority (treated as routine).
  double clinical[5] = {10, 40, 30, 20, 10};  // [0] unrecorded (as routine P4), [1..4] P1..P4
  // Time: points per target waited (days waited / target days), the ratio capped.
  double time_per_target = 20;
  double time_ratio_cap = 3;
  // Harm while waiting.
  double per_emergency_admission = 5;
  int emergency_admission_cap = 3;
  double per_ae_attendance = 2;
  int ae_attendance_cap = 3;
  double frailty_mild = 2, frailty_moderate = 5, frailty_severe = 8;
  double multimorbidity_4plus = 4;  // 4 or more long-term conditions
  double per_new_condition = 3;
  int new_condition_cap = 2;
  // Core20PLUS5.
  double core20 = 10;               // IMD deciles 1-2
  double learning_disability = 5;   // a PLUS group
  double ethnic_minority = 0;       // a PLUS group, off by default: a local choice (see the doc)
};

struct ScoreInput {
  int priority = 0;     // 1-4, 0 unrecorded
  Days days_waited = 0;
  HarmEvidence harm;
  PersonAttributes person;
};

struct ScoreComponents {
  int target_days = 0;
  double wait_ratio = 0;  // days waited / target days (uncapped)
  double clinical = 0, time = 0, harm = 0, core20plus = 0;
  double total() const { return clinical + time + harm + core20plus; }
};

ScoreComponents priority_score(const ScoreInput& in, const PriorityWeights& w);

// Whether an ethnicity group counts as an ethnic minority for the PLUS uplift: every group other
// than White, Not stated and unknown.
bool is_ethnic_minority(const std::string& group);

}  // namespace severn::elective
