#include "elective/simulation_model.h"

#include <numeric>
#include <stdexcept>

namespace severn::elective {

const char* policy_name(SelectionPolicy p) {
  switch (p) {
    case SelectionPolicy::kFitted: return "fitted";
    case SelectionPolicy::kLongestWaitFirst: return "longest_wait_first";
    case SelectionPolicy::kWaitOverTarget: return "wait_over_target";
  }
  return "";
}

std::int64_t QueueModel::initial_size() const { return std::accumulate(initial.begin(), initial.end(), std::int64_t{0}); }

void QueueModel::check() const {
  const std::string who = "queue model " + std::to_string(treatment_function) + ": ";
  if (bands < 2) throw std::invalid_argument(who + "needs at least 2 bands");
  if (!(step_days > 0)) throw std::invalid_argument(who + "step_days must be positive");
  if (initial.size() != kClasses * bands) throw std::invalid_argument(who + "initial has the wrong size");
  if (treatment_weight.size() != kClasses * bands) throw std::invalid_argument(who + "treatment_weight has the wrong size");
  if (removal_rate.size() != bands) throw std::invalid_argument(who + "removal_rate has the wrong size");
  for (auto n : initial) {
    if (n < 0) throw std::invalid_argument(who + "negative initial count");
  }
  for (double a : arrivals_per_step) {
    if (!(a >= 0)) throw std::invalid_argument(who + "arrivals must be >= 0");
  }
  for (double r : removal_rate) {
    if (!(r >= 0 && r <= 1)) throw std::invalid_argument(who + "removal rates must be in [0, 1]");
  }
  for (double w : treatment_weight) {
    if (!(w >= 0)) throw std::invalid_argument(who + "treatment weights must be >= 0");
  }
  if (!(arrival_dispersion > 0) || !(capacity_dispersion > 0)) throw std::invalid_argument(who + "dispersion must be > 0");
  if (capacity_mode == CapacityMode::kRate && !(capacity_per_step >= 0)) {
    throw std::invalid_argument(who + "capacity must be >= 0");
  }
  if (capacity_mode == CapacityMode::kServers && (servers < 1 || !(service_prob > 0 && service_prob <= 1))) {
    throw std::invalid_argument(who + "servers need c >= 1 and 0 < service_prob <= 1");
  }
}

}  // namespace severn::elective
