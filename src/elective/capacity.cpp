#include "elective/capacity.h"

#include <cmath>
#include <numeric>

#include "elective/rtt_weeks.h"

namespace severn::elective {

double queue_load(double demand_per_week, double capacity_per_week) { return demand_per_week / capacity_per_week; }

double target_mean_wait(double target_weeks, double factor) { return target_weeks / factor; }

double target_queue_size(double demand_per_week, double target_weeks, double factor) {
  return demand_per_week * target_mean_wait(target_weeks, factor);
}

double waiting_list_pressure(double mean_wait_weeks, double target_weeks) { return 2.0 * mean_wait_weeks / target_weeks; }

double target_capacity(double demand_per_week, double target_weeks, double cv_demand, double cv_capacity,
                       double factor) {
  return demand_per_week + (cv_demand * cv_demand + cv_capacity * cv_capacity) / 2.0 * (factor / target_weeks);
}

double relief_capacity(double demand_per_week, double queue_size, double target_queue_size, double weeks_to_target) {
  return demand_per_week + (queue_size - target_queue_size) / weeks_to_target;
}

double exponential_factor_for_percentile(double share) { return -std::log(1.0 - share); }

double priority_target_weeks(int priority) {
  switch (priority) {
    case 1: return 1.0;
    case 2: return 4.0;
    case 3: return 12.0;
    case 4: return 365.0 / kDaysPerWeek;
    default: return kStandardWeeks;
  }
}

namespace {

// sqrt(variance / mean) of weekly counts; 1 (Poisson) when the mean is 0.
double sqrt_dispersion(const std::vector<std::int64_t>& counts) {
  if (counts.size() < 2) return 1.0;
  const double mean = std::accumulate(counts.begin(), counts.end(), 0.0) / static_cast<double>(counts.size());
  if (mean <= 0) return 1.0;
  double ss = 0;
  for (auto c : counts) ss += (static_cast<double>(c) - mean) * (static_cast<double>(c) - mean);
  return std::sqrt(ss / static_cast<double>(counts.size() - 1) / mean);
}

}  // namespace

ListObservation observe_list(const ReportedList& list, const FlowScope& scope, std::optional<int> priority,
                             Days census, std::size_t weeks) {
  ListObservation obs;
  obs.weeks = weeks;
  ReportedList subset;
  const ReportedList* source = &list;
  if (priority) {
    subset.providers = list.providers;
    for (const ReportedPeriod& p : list.periods) {
      if (p.priority == *priority && scope.contains(p)) subset.periods.push_back(p);
    }
    source = &subset;
  }
  double wait_days = 0;
  for (const ReportedPeriod& p : source->periods) {
    if (!scope.contains(p) || !p.open_on(census)) continue;
    ++obs.list_size;
    wait_days += days_waited(p.clock_start, census);
  }
  if (obs.list_size > 0) obs.mean_wait_weeks = wait_days / kDaysPerWeek / static_cast<double>(obs.list_size);
  if (weeks > 0) {
    const WeeklyFlows f = weekly_flows(*source, scope, census - static_cast<Days>(kDaysPerWeek * (weeks - 1)), weeks);
    std::vector<std::int64_t> stops(weeks);
    for (std::size_t w = 0; w < weeks; ++w) {
      obs.clock_starts += f.clock_starts[w];
      stops[w] = f.stops(w);
      obs.clock_stops += stops[w];
      obs.removals += f.removals[w];
    }
    obs.cv_demand = sqrt_dispersion(f.clock_starts);
    obs.cv_capacity = sqrt_dispersion(stops);
  }
  return obs;
}

CapacityQuantities capacity_quantities(const ListObservation& obs, double target_weeks, double weeks_to_target) {
  CapacityQuantities q;
  const double weeks = obs.weeks == 0 ? 1.0 : static_cast<double>(obs.weeks);
  q.demand_per_week = static_cast<double>(obs.clock_starts) / weeks;
  q.capacity_per_week = static_cast<double>(obs.clock_stops) / weeks;
  q.removals_per_week = static_cast<double>(obs.removals) / weeks;
  q.load = q.capacity_per_week > 0 ? queue_load(q.demand_per_week, q.capacity_per_week) : NAN;
  q.target_weeks = target_weeks;
  q.pressure = waiting_list_pressure(obs.mean_wait_weeks, target_weeks);
  q.target_mean_wait_weeks = target_mean_wait(target_weeks);
  q.target_queue_size = target_queue_size(q.demand_per_week, target_weeks);
  q.queue_ratio = q.target_queue_size > 0 ? static_cast<double>(obs.list_size) / q.target_queue_size : NAN;
  q.target_capacity = target_capacity(q.demand_per_week, target_weeks, obs.cv_demand, obs.cv_capacity);
  q.relief_capacity = relief_capacity(q.demand_per_week, static_cast<double>(obs.list_size), q.target_queue_size,
                                      weeks_to_target);
  return q;
}

}  // namespace severn::elective
