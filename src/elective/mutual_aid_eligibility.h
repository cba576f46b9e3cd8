// Who NHS England's patient-initiated mutual aid (PIDMAS) invites to ask to move provider, applied
// to one reported RTT period on a date D (docs/elective/mutual-aid.md has the sources and dates).
// From 31 October 2023 trusts contacted patients (NHS England letters; e.g. Nottingham University
// Hospitals' published cohort 1 criteria, Royal Devon, Royal Papworth, Barnsley pages):
//   * waiting over 40 weeks on a consultant-led RTT pathway: more than 280 days (exactly 280 is
//     not over 40 weeks, as in rtt_weeks.h);
//   * no appointment or to-come-in (TCI) date within the next 8 weeks (56 days, D+1..D+56; a date
//     on D itself is today's and also counts as within);
//   * aged 18 or over, and not a tertiary referral (a patient already moved to another provider is
//     not offered a second move: "not already transferred");
//   * then the patient chooses how far they will travel: 50 miles, 100 miles or nationally.
// The right to ask to move after 18 weeks (NHS Constitution / choice framework) is wider and
// patient-initiated; PIDMAS's proactive offer is the 40-week cohort, the one modelled here.
// Dates are days since 1970-01-01.
#pragma once
#include <cstdint>
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "elective/clock_period.h"

namespace severn::elective {

struct PidmasRules {
  int over_weeks = 40;           // waited more than 7 x this many days
  int no_date_within_days = 56;  // no appointment/TCI on D..D+this
  int min_age_years = 18;
};

// One reported open-or-closed RTT period with what eligibility needs.
struct WaitingPeriod {
  std::uint32_t person = kNoPerson;
  std::uint32_t pathway = 0;       // the store's pathway number (row number when the store predates it)
  std::string provider_code;       // ODS code of the provider holding the list
  int treatment_function = 0;
  int priority = 0;                // 1-4 (P1-P4), 0 not recorded
  Days clock_start = 0;
  Days end = kStillOpen;           // min(clock_stop_date, removal_date); kStillOpen if neither
  Days date_of_birth = 0;
  // The next appointment or TCI date when the list records one; nullopt when it records none.
  std::optional<Days> next_date;
  bool dates_known = true;   // false: the store has no tci_date column; treated as "no date", said so
  bool transferred = false;  // the pathway came from, or already went to, another provider
  // On this provider's list from: the clock start, or the day a transferred pathway arrived
  // (reported_transfers.h); the lowest date means the clock start.
  Days on_list_from = std::numeric_limits<Days>::min();
  bool open_on(Days on) const { return std::max(clock_start, on_list_from) <= on && on < end; }
};

enum class PidmasOutcome : std::uint8_t {
  kEligible,
  kNotOpen,             // not on the list on D
  kNotOverWeeks,        // waited 280 days or fewer
  kUnderAge,            // under 18 on D
  kDateWithinHorizon,   // appointment/TCI on D..D+56
  kAlreadyTransferred,  // moved provider already
};

// "eligible", "not_open", "not_over_40_weeks", "under_18", "date_within_8_weeks",
// "already_transferred".
std::string_view outcome_name(PidmasOutcome o);

// The first rule the period fails on `on`, in the order above, or kEligible.
PidmasOutcome assess_pidmas(const WaitingPeriod& p, Days on, const PidmasRules& rules = {});

}  // namespace severn::elective
