#include "elective/mutual_aid_eligibility.h"

#include "elective/rtt_weeks.h"

namespace severn::elective {

std::string_view outcome_name(PidmasOutcome o) {
  switch (o) {
    case PidmasOutcome::kEligible: return "eligible";
    case PidmasOutcome::kNotOpen: return "not_open";
    case PidmasOutcome::kNotOverWeeks: return "not_over_40_weeks";
    case PidmasOutcome::kUnderAge: return "under_18";
    case PidmasOutcome::kDateWithinHorizon: return "date_within_8_weeks";
    case PidmasOutcome::kAlreadyTransferred: return "already_transferred";
  }
  return "unknown";
}

PidmasOutcome assess_pidmas(const WaitingPeriod& p, Days on, const PidmasRules& rules) {
  if (!p.open_on(on)) return PidmasOutcome::kNotOpen;
  if (!over_weeks(days_waited(p.clock_start, on), rules.over_weeks)) return PidmasOutcome::kNotOverWeeks;
  if (age_in_years(p.date_of_birth, on) < rules.min_age_years) return PidmasOutcome::kUnderAge;
  // A date already past (before D) is not an upcoming one: the patient is still waiting.
  if (p.next_date && *p.next_date >= on && *p.next_date - on <= rules.no_date_within_days)
    return PidmasOutcome::kDateWithinHorizon;
  if (p.transferred) return PidmasOutcome::kAlreadyTransferred;
  return PidmasOutcome::kEligible;
}

}  // namespace severn::elective
