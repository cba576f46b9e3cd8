// Compares prioritisation policies by simulating the current waiting list forward, week by week,
// patient by patient (docs/elective/ptl-and-prioritisation.md):
//   * queues: one per provider and treatment function, each treating a fixed number of patients a
//     week (its capacity: the recent weekly clock-stop rate, a fraction carried as a Bernoulli
//     draw), chosen by the policy;
//   * arrivals: Poisson with the queue's recent weekly clock-start rate, each a copy of a recent
//     clock start of that queue drawn uniformly (its priority and person attributes; harm evidence
//     as it stood at its clock start), waiting 0 days on arrival;
//   * each week: arrivals join, the queue treats its capacity, everyone still waiting ages 7 days;
//   * nobody leaves other than by treatment (no removals, no deaths: the policies are compared on
//     the same flows).
// Policies: longest wait first; priority then wait (P1 before P2 ..., unrecorded as routine P4,
// then longest wait); equity-aware (the prioritisation score, highest first). Ties go to the
// patient first in the list, so a run is a function of its inputs and seed alone.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"

namespace severn::elective {

enum class SchedulingPolicy : std::uint8_t { kLongestWaitFirst, kPriorityThenWait, kEquityAware };
// "longest_wait_first", "priority_then_wait", "equity_aware".
const char* policy_name(SchedulingPolicy p);

struct SimPatient {
  std::uint32_t queue = 0;
  int priority = 0;           // 1-4; 0 unrecorded (routine)
  Days waited = 0;            // days at the start of the simulation
  double static_score = 0;    // clinical + harm + core20plus components (they do not change with the wait)
  int imd_quintile = 0;       // 1-5, 0 unknown
  std::uint8_t ethnicity = 0; // index into kEthnicityGroups
};

struct SimQueue {
  std::string provider_code;
  int treatment_function = 0;
  double capacity_per_week = 0;  // treatments a week
  double arrivals_per_week = 0;  // Poisson mean
  std::vector<SimPatient> arrival_templates;  // recent clock starts to copy (waited = 0)
};

struct SimInputs {
  std::vector<SimQueue> queues;
  std::vector<SimPatient> waiting;  // the list on the start day
};

// The ethnicity groups (src/query/reference.cpp), in output order; a group not listed maps to
// "unknown", the last.
extern const std::vector<std::string> kEthnicityGroups;
std::uint8_t ethnicity_index(const std::string& group);

// The score's wait component for a patient (priority_score.h, default weights) after `waited` days.
using TimeScore = double (*)(int priority, Days waited);

struct SimOptions {
  std::vector<int> horizons_weeks{26, 52};  // ascending; the simulation runs to the last
  std::uint64_t seed = 1;
  TimeScore time_score = nullptr;  // required for kEquityAware
};

// One patient still waiting at a horizon.
struct WaitingAt {
  Days waited = 0;
  int priority = 0;
  int imd_quintile = 0;
  std::uint8_t ethnicity = 0;
};
// One patient treated by a horizon (the wait when treated).
struct TreatedBy {
  Days waited = 0;
  int imd_quintile = 0;
  std::uint8_t ethnicity = 0;
};

struct HorizonState {
  int weeks = 0;
  std::vector<WaitingAt> waiting;
  std::vector<TreatedBy> treated;  // cumulative from the start
};

struct SimResult {
  SchedulingPolicy policy{};
  std::uint64_t initial = 0, arrived = 0, treated = 0, still_waiting = 0;  // at the last horizon
  std::vector<HorizonState> horizons;
};

// Runs one policy. The random draws (arrivals, capacity fractions) depend on the seed, the week
// and the queue only, never on the policy, so every policy sees the same arrivals and capacity.
SimResult simulate_policy(const SimInputs& inputs, SchedulingPolicy policy, const SimOptions& options);

}  // namespace severn::elective
