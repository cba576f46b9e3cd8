#include "elective/policy_simulation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

const std::vector<std::string> kEthnicityGroups{"White",  "Mixed",          "Asian or Asian British", "Black or Black British",
                                                "Other ethnic groups", "Not stated", "unknown"};

std::uint8_t ethnicity_index(const std::string& group) {
  for (std::size_t i = 0; i + 1 < kEthnicityGroups.size(); ++i)
    if (kEthnicityGroups[i] == group) return static_cast<std::uint8_t>(i);
  return static_cast<std::uint8_t>(kEthnicityGroups.size() - 1);
}

const char* policy_name(SchedulingPolicy p) {
  switch (p) {
    case SchedulingPolicy::kLongestWaitFirst: return "longest_wait_first";
    case SchedulingPolicy::kPriorityThenWait: return "priority_then_wait";
    case SchedulingPolicy::kEquityAware: return "equity_aware";
  }
  return "";
}

namespace {

struct Live {
  SimPatient p;
  std::uint64_t order = 0;  // arrival order: the tie-break
};

// True when a is treated before b under the policy.
struct Before {
  SchedulingPolicy policy;
  TimeScore time_score;
  bool operator()(const Live& a, const Live& b) const {
    switch (policy) {
      case SchedulingPolicy::kLongestWaitFirst:
        if (a.p.waited != b.p.waited) return a.p.waited > b.p.waited;
        break;
      case SchedulingPolicy::kPriorityThenWait: {
        const int ra = a.p.priority >= 1 && a.p.priority <= 4 ? a.p.priority : 4;
        const int rb = b.p.priority >= 1 && b.p.priority <= 4 ? b.p.priority : 4;
        if (ra != rb) return ra < rb;
        if (a.p.waited != b.p.waited) return a.p.waited > b.p.waited;
        break;
      }
      case SchedulingPolicy::kEquityAware: {
        const double sa = a.p.static_score + time_score(a.p.priority, a.p.waited);
        const double sb = b.p.static_score + time_score(b.p.priority, b.p.waited);
        if (sa != sb) return sa > sb;
        if (a.p.waited != b.p.waited) return a.p.waited > b.p.waited;
        break;
      }
    }
    return a.order < b.order;
  }
};

}  // namespace

SimResult simulate_policy(const SimInputs& inputs, SchedulingPolicy policy, const SimOptions& options) {
  if (options.horizons_weeks.empty() || std::adjacent_find(options.horizons_weeks.begin(), options.horizons_weeks.end(), [](int a, int b) { return a >= b; }) != options.horizons_weeks.end() ||
      options.horizons_weeks.front() < 1)
    throw std::invalid_argument("simulate_policy: horizons must be ascending whole weeks >= 1");
  if (policy == SchedulingPolicy::kEquityAware && options.time_score == nullptr)
    throw std::invalid_argument("simulate_policy: the equity-aware policy needs a time score");
  SimResult result;
  result.policy = policy;
  result.initial = inputs.waiting.size();
  std::vector<std::vector<Live>> queues(inputs.queues.size());
  std::uint64_t order = 0;
  for (const SimPatient& p : inputs.waiting) {
    if (p.queue >= queues.size()) throw std::invalid_argument("simulate_policy: a patient's queue is out of range");
    queues[p.queue].push_back({p, order++});
  }
  std::vector<TreatedBy> treated;
  const Before before{policy, options.time_score};
  const int last = options.horizons_weeks.back();
  std::size_t next_horizon = 0;
  for (int week = 0; week < last; ++week) {
    for (std::size_t q = 0; q < queues.size(); ++q) {
      const SimQueue& sq = inputs.queues[q];
      // One stream per (seed, week, queue): the same draws under every policy.
      Rng rng(options.seed, static_cast<std::uint64_t>(week) * 1000003u + q, "elective policy simulation");
      const int arrivals = sq.arrival_templates.empty() ? 0 : rng.poisson(sq.arrivals_per_week);
      for (int a = 0; a < arrivals; ++a) {
        SimPatient p = sq.arrival_templates[rng.below(sq.arrival_templates.size())];
        p.queue = static_cast<std::uint32_t>(q);
        p.waited = 0;
        queues[q].push_back({p, order++});
      }
      result.arrived += static_cast<std::uint64_t>(arrivals);
      const double whole = std::floor(sq.capacity_per_week);
      std::size_t capacity = static_cast<std::size_t>(whole) + (rng.bernoulli(sq.capacity_per_week - whole) ? 1 : 0);
      auto& live = queues[q];
      capacity = std::min(capacity, live.size());
      if (capacity > 0) {
        if (capacity < live.size()) std::nth_element(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(capacity) - 1, live.end(), before);
        // nth_element puts the `capacity` first under `before` in front (their own order aside).
        for (std::size_t i = 0; i < capacity; ++i) treated.push_back({live[i].p.waited, live[i].p.imd_quintile, live[i].p.ethnicity});
        live.erase(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(capacity));
      }
      for (Live& l : live) l.p.waited += kDaysPerWeek;
    }
    if (week + 1 == options.horizons_weeks[next_horizon]) {
      HorizonState h;
      h.weeks = week + 1;
      for (const auto& live : queues)
        for (const Live& l : live) h.waiting.push_back({l.p.waited, l.p.priority, l.p.imd_quintile, l.p.ethnicity});
      h.treated = treated;
      result.horizons.push_back(std::move(h));
      ++next_horizon;
    }
  }
  result.treated = treated.size();
  for (const auto& live : queues) result.still_waiting += live.size();
  return result;
}

}  // namespace severn::elective
