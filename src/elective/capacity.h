// Waiting-list quantities of NHSRwaitinglist (NHS-R community, CRAN 0.1.x; documentation at
// https://nhs-r-community.github.io/NHSRwaitinglist/), which follows Fong, Grout, Walton et al.,
// "Waiting list management using queueing theory" (medRxiv 2022, doi:10.1101/2022.08.23.22279117).
// Our own implementation of the package's published definitions. Rates are per week, waits in
// weeks, sizes in pathways.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/date.h"
#include "elective/capacity_flows.h"

namespace severn::elective {

// The package's default: the mean wait should be a quarter of the target (calc_target_mean_wait,
// factor 4). Its documentation: a mean wait between target/6 and target/4 gives a 0.2%-1.8% chance
// of missing the target, i.e. waits roughly exponential, P(W > T) = exp(-factor). For the RTT
// standard (92% within 18 weeks) factor 4 is stricter than needed: exponential waits meet a 92nd
// percentile of 18 weeks with factor ln(1/0.08) = 2.53 (see exponential_factor_for_percentile).
inline constexpr double kDefaultTargetFactor = 4.0;

// demand / capacity (calc_queue_load). Above 1 the list grows without bound.
double queue_load(double demand_per_week, double capacity_per_week);
// target / factor (calc_target_mean_wait).
double target_mean_wait(double target_weeks, double factor = kDefaultTargetFactor);
// Little's law: demand x target mean wait (calc_target_queue_size).
double target_queue_size(double demand_per_week, double target_weeks, double factor = kDefaultTargetFactor);
// 2 x mean wait / target (calc_waiting_list_pressure). Above 1 the list will likely miss its target.
double waiting_list_pressure(double mean_wait_weeks, double target_weeks);
// Kingman/Marchal as the package applies it (calc_target_capacity):
// demand + (cv_demand^2 + cv_capacity^2) / 2 x factor / target.
double target_capacity(double demand_per_week, double target_weeks, double cv_demand, double cv_capacity,
                       double factor = kDefaultTargetFactor);
// demand + (queue - target queue) / weeks to target (calc_relief_capacity, without its optional
// demand inflation).
double relief_capacity(double demand_per_week, double queue_size, double target_queue_size, double weeks_to_target);
// The factor that makes exponential waits meet `share` within the target: -ln(1 - share).
double exponential_factor_for_percentile(double share);

// The clinical priorities' targets (NHSRwaitinglist's documentation and the FSSA prioritisation:
// P1 7 days, P2 28 days, P3 84 days, P4 365 days), in weeks; 18 weeks (the RTT standard) for a
// pathway without a priority. priority: 1-4, or 0.
double priority_target_weeks(int priority);

// What the quantities are computed from, for one list (a specialty, a priority within it, or all).
struct ListObservation {
  std::int64_t list_size = 0;        // open on the census day
  double mean_wait_weeks = 0;        // mean wait of the open list on the census day
  std::int64_t clock_starts = 0;     // over the window
  std::int64_t clock_stops = 0;      // over the window
  std::int64_t removals = 0;         // over the window
  std::size_t weeks = 0;             // the window's length
  double cv_demand = 1, cv_capacity = 1;  // see observe_list
};

// The list in `scope` on `census` and its flows over the `weeks` weeks ending on `census`.
// cv_demand and cv_capacity: the square root of the index of dispersion (variance / mean) of the
// weekly counts, which for a renewal process equals the coefficient of variation of the times
// between events (Cox and Lewis 1966); Poisson arrivals give 1, the package's default.
// `priority`: only periods of that priority (1-4, or 0 for none); nullopt for all.
ListObservation observe_list(const ReportedList& list, const FlowScope& scope, std::optional<int> priority,
                             Days census, std::size_t weeks);

struct CapacityQuantities {
  double demand_per_week = 0, capacity_per_week = 0, removals_per_week = 0;
  double load = 0, pressure = 0;
  double target_weeks = 0, target_mean_wait_weeks = 0, target_queue_size = 0, queue_ratio = 0;
  double target_capacity = 0;
  double relief_capacity = 0;  // to reach the target queue in weeks_to_target
};

// From counts as published (disclosure: the rounded policy derives every figure from published
// counts), so the caller passes the published list size and flows.
CapacityQuantities capacity_quantities(const ListObservation& obs, double target_weeks, double weeks_to_target);

}  // namespace severn::elective
