// Stochastic simulation of waiting lists by compartments of time waited (docs/elective/
// simulation.md). Each step (a week for the RTT model):
//   1. treatments: a count drawn around the capacity (overdispersed Poisson fitted to the
//      history), or, for M/M/c, Binomial(min(N, c), service_prob); chosen among the waiting by
//      the selection policy;
//   2. removals other than treatment: a Poisson count around sum(rate(band) x waiting), plus any
//      validation sprint's extra rate for long waiters;
//   3. everyone still waiting moves up one band (the last band keeps its own);
//   4. arrivals (overdispersed Poisson, growing by the scenario's rate) join band 0.
// Counts are drawn exactly; how a step's treatments and removals are shared among bands uses
// systematic sampling (each band gets the floor or ceiling of its expected share, the total is
// exact), one uniform per step instead of one binomial per band: that is what makes 1,000 runs of
// every specialty to March 2029 take seconds. Every run has its own random streams keyed by
// (seed, run, treatment function), so results do not depend on threads.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/date.h"
#include "core/rng.h"
#include "elective/scenario.h"
#include "elective/simulation_model.h"

namespace severn::elective {

// A scenario resolved for one model: per-step factors.
struct ModelEffects {
  double arrival_growth_per_step = 1;  // arrivals at step s are multiplied by this^s
  double capacity_factor = 1;          // x capacity_per_step
  double capacity_extra_per_step = 0;  // + treatments a step
  SelectionPolicy policy = SelectionPolicy::kFitted;
  struct Sprint {
    std::size_t first_step = 0, last_step = 0;  // steps (1-based) within the sprint
    std::size_t min_band = 0;
    double rate = 0;
  };
  std::vector<Sprint> sprints;
};

// The scenario for a model starting on `start`: extra capacity split by the model's share of
// the total baseline capacity (`total_capacity_per_step`).
ModelEffects resolve_effects(const Scenario& scenario, const QueueModel& model, Days start,
                             double total_capacity_per_step);

// The list after a step: counts (fractions where a band straddles a threshold, see below).
struct ListStats {
  double size = 0;
  double within_18_weeks = 0;  // waited at most 126 days
  double over_52_weeks = 0;    // waited more than 364 days
};

// What a run did, for conservation checks and the queueing check.
struct RunTotals {
  std::int64_t start_size = 0, end_size = 0;
  std::int64_t arrivals = 0, treated = 0, removed = 0;
  double size_step_sum = 0;          // sum over steps of the list size after the step
  double treated_steps_waited = 0;   // sum over treated of (band + 1): steps from arrival to treatment
};

// The fraction of band b's pathways (waits of [b x step_days, (b+1) x step_days) days, uniform
// within the band) that waited at most `days`.
double band_share_at_most(std::size_t band, double step_days, double days);

// Runs one model for `steps` steps, recording ListStats after each step in `record_after`
// (ascending, 1-based) into `out` (resized). `totals` may be null.
void simulate_list(const QueueModel& model, const ModelEffects& effects, Rng& rng, std::size_t steps,
                   std::span<const std::size_t> record_after, std::vector<ListStats>& out, RunTotals* totals);

// Draws around `mean` with variance mean x dispersion: Poisson when dispersion <= 1, else a
// gamma-Poisson (negative binomial) mixture.
std::int64_t draw_overdispersed(Rng& rng, double mean, double dispersion);
double draw_gamma(Rng& rng, double shape);  // scale 1 (Marsaglia and Tsang 2000)
std::int64_t draw_poisson(Rng& rng, double mean);

// Month ends after `start` up to and including `last` (both days since 1970-01-01), and the
// weekly step nearest each.
struct MonthlyPlan {
  Days start = 0;
  std::vector<Days> month_ends;
  std::vector<std::size_t> steps;  // step (1-based) reported for each month end
  std::size_t total_steps() const { return steps.empty() ? 0 : steps.back(); }
};
MonthlyPlan monthly_plan(Days start, Days last, double step_days = 7);

// Monte Carlo over runs: values[(run x models + m) x months + month].
struct MonteCarlo {
  std::size_t runs = 0, models = 0, months = 0;
  std::vector<ListStats> values;
  const ListStats& at(std::size_t run, std::size_t model, std::size_t month) const {
    return values[(run * models + model) * months + month];
  }
};
MonteCarlo run_monte_carlo(std::span<const QueueModel> models, const Scenario& scenario, const MonthlyPlan& plan,
                           std::size_t runs, std::uint64_t seed, unsigned threads);

struct Quantiles {
  double median = 0, p5 = 0, p25 = 0, p75 = 0, p95 = 0;
};
// Linear interpolation between order statistics (type 7, R's default). Sorts `values`.
Quantiles quantiles(std::vector<double>& values);

}  // namespace severn::elective
