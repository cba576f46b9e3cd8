#include "elective/priority_score.h"

#include <algorithm>

namespace severn::elective {

int priority_target_days(int priority) {
  switch (priority) {
    case 1: return 7;
    case 2: return 28;
    case 3: return 84;
    case 4: return 365;
    default: return 126;
  }
}

bool is_ethnic_minority(const std::string& group) {
  return group != "White" && group != "Not stated" && group != "unknown";
}

ScoreComponents priority_score(const ScoreInput& in, const PriorityWeights& w) {
  ScoreComponents s;
  const int p = in.priority >= 1 && in.priority <= 4 ? in.priority : 0;
  s.clinical = w.clinical[p];
  s.target_days = priority_target_days(p);
  s.wait_ratio = static_cast<double>(std::max<Days>(in.days_waited, 0)) / s.target_days;
  s.time = w.time_per_target * std::min(s.wait_ratio, w.time_ratio_cap);

  const HarmEvidence& h = in.harm;
  s.harm = w.per_emergency_admission * std::min(h.emergency_admissions, w.emergency_admission_cap) +
           w.per_ae_attendance * std::min(h.ae_attendances, w.ae_attendance_cap) +
           w.per_new_condition * std::min(h.new_long_term_conditions, w.new_condition_cap) +
           (h.long_term_conditions >= 4 ? w.multimorbidity_4plus : 0.0);
  switch (h.frailty) {
    case Frailty::kMild: s.harm += w.frailty_mild; break;
    case Frailty::kModerate: s.harm += w.frailty_moderate; break;
    case Frailty::kSevere: s.harm += w.frailty_severe; break;
    case Frailty::kNoneRecorded: break;
  }

  const PersonAttributes& a = in.person;
  if (a.imd_decile == 1 || a.imd_decile == 2) s.core20plus += w.core20;
  if (a.learning_disability) s.core20plus += w.learning_disability;
  if (is_ethnic_minority(a.ethnicity_group)) s.core20plus += w.ethnic_minority;
  return s;
}

}  // namespace severn::elective
