// The policy simulation's inputs read from a store on a day D (policy_simulation.h): the list
// open on D across every provider, each queue's (provider, treatment function) weekly clock-stop
// rate and clock-start rate over the `lookback_weeks` weeks to D (the days D-7L+1 .. D), and the
// recent clock starts that arrivals copy. Person attributes and harm evidence come from the
// linked record (harm_evidence.h); each patient's wait-independent score components are
// precomputed with `weights`.
#pragma once
#include "elective/harm_evidence.h"
#include "elective/policy_simulation.h"
#include "elective/priority_score.h"
#include "store/store.h"

namespace severn::elective {

struct PolicyInputOptions {
  Days on = 0;
  int lookback_weeks = 26;
  double capacity_factor = 1.0;  // scales every queue's capacity (1: the recent clock-stop rate)
};

struct PolicyInputSummary {
  std::uint64_t open = 0, recent_starts = 0, recent_stops = 0;
  double capacity_per_week = 0, arrivals_per_week = 0;  // summed over queues
  bool has_wlmds_columns = false;
};

SimInputs read_policy_inputs(const store::Store& store, const LinkedRecord& record, const PriorityWeights& weights,
                             const PolicyInputOptions& options, PolicyInputSummary* summary = nullptr);

// The score's wait-independent components (clinical + harm + core20plus) of a patient.
double static_score(int priority, const HarmEvidence& harm, const PersonAttributes& person, const PriorityWeights& w);
// The time component under the default weights (a plain function, for SimOptions::time_score).
double default_time_score(int priority, Days waited);

}  // namespace severn::elective
