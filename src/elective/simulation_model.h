// One waiting list as the simulation sees it: pathways counted by class (clinical priority) and
// by steps waited (compartments), with arrivals, treatment capacity and removals other than
// treatment per step. The RTT model uses weekly steps and 105 bands (0..103 completed weeks, then
// 104 weeks or more); the queueing check uses short steps and many bands (simulation.h).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace severn::elective {

// Class 0: no clinical priority (non-admitted pathways, admitted ones not yet prioritised);
// classes 1-4: P1-P4.
inline constexpr int kClasses = 5;

enum class CapacityMode : std::uint8_t {
  kRate,     // treatments per step drawn around capacity_per_step (an RTT list)
  kServers,  // c servers, each finishing its patient in a step with probability service_prob (M/M/c)
};

// How the treatments of a step are chosen among the waiting pathways.
enum class SelectionPolicy : std::uint8_t {
  kFitted,            // as the history did: in proportion to the fitted treatment hazard by class
                      // and wait (status quo)
  kLongestWaitFirst,  // strictly by time waited, whatever the priority (first come, first served)
  kWaitOverTarget,    // by time waited over the priority's target (P1 1 week, P2 4, P3 12,
                      // P4 52; none 18): priority-weighted
};
const char* policy_name(SelectionPolicy p);

struct QueueModel {
  int treatment_function = 0;  // NHS DD treatment function; 0 for the pooled small specialties
  std::size_t bands = 105;     // compartments; the last holds every longer wait
  double step_days = 7;

  std::vector<std::int64_t> initial;  // [class * bands + band] on the list at the start

  std::array<double, kClasses> arrivals_per_step{};  // mean arrivals of each class
  double arrival_dispersion = 1;  // variance / mean of a step's total arrivals (1: Poisson)

  CapacityMode capacity_mode = CapacityMode::kRate;
  double capacity_per_step = 0;    // kRate: mean treatments a step
  double capacity_dispersion = 1;  // kRate: variance / mean of a step's treatments
  int servers = 0;                 // kServers
  double service_prob = 0;         // kServers: 1 - exp(-mu x step)

  // [class * bands + band]: relative treatment hazard (kFitted). Only ratios matter.
  std::vector<double> treatment_weight;
  // [band]: probability a waiting pathway is removed other than by treatment in a step.
  std::vector<double> removal_rate;

  std::size_t cell(int cls, std::size_t band) const { return static_cast<std::size_t>(cls) * bands + band; }
  std::int64_t initial_size() const;
  // Throws std::invalid_argument naming what is inconsistent (vector sizes, negative rates).
  void check() const;
};

}  // namespace severn::elective
