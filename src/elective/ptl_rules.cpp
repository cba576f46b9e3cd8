#include "elective/ptl_rules.h"

#include "elective/rtt_weeks.h"

namespace severn::elective {

ValidationStatus validation_status(const PtlPeriod& p, Days on) {
  ValidationStatus s;
  const Days waited = days_waited(p.clock_start, on);
  for (const int m : kValidationMilestoneWeeks)
    if (over_weeks(waited, m)) s.milestone_weeks = m;
  if (s.milestone_weeks == 0) return s;
  if (!p.has_validation_data) {
    s.due = ValidationDue::kUnknown;
    return s;
  }
  const Days reached = breach_date(p.clock_start, s.milestone_weeks);
  if (p.last_validation == kNoDate || p.last_validation < reached)
    s.due = ValidationDue::kMilestone;
  else if (p.last_validation <= on - kValidationIntervalDays)
    s.due = ValidationDue::kStale;
  return s;
}

std::string_view validation_due_name(ValidationDue d) {
  switch (d) {
    case ValidationDue::kNotDue: return "not_due";
    case ValidationDue::kMilestone: return "due_at_milestone";
    case ValidationDue::kStale: return "due_12_weeks_since_last";
    case ValidationDue::kUnknown: return "unknown";
  }
  return "";
}

}  // namespace severn::elective
