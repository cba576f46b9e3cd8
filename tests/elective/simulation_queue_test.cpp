// The simulation against the M/M/c queue (Erlang C, queue_erlang.h) on a toy case: Poisson
// arrivals, exponential service, c servers, first come first served. The compartment model with
// short steps (servers mode: each busy server finishes with probability 1 - exp(-mu dt) a step)
// must give the M/M/c mean number in system and mean time in system within Monte Carlo error
// plus the discretisation's own bias (of order the step).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/rng.h"
#include "elective/queue_erlang.h"
#include "elective/simulation.h"

namespace severn::elective {
namespace {

struct Toy {
  double lambda, mu;
  int servers;
};

QueueModel toy_model(const Toy& toy, double dt, std::size_t bands) {
  QueueModel m;
  m.treatment_function = 999;
  m.bands = bands;
  m.step_days = dt;  // "days" here are the toy's time units
  m.initial.assign(kClasses * bands, 0);
  m.arrivals_per_step[0] = toy.lambda * dt;
  m.capacity_mode = CapacityMode::kServers;
  m.servers = toy.servers;
  m.service_prob = 1.0 - std::exp(-toy.mu * dt);
  m.treatment_weight.assign(kClasses * bands, 1.0);
  m.removal_rate.assign(bands, 0.0);
  return m;
}

struct Estimate {
  double mean = 0, se = 0;
};

Estimate mean_se(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return {m, std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()))};
}

// Shorter runs under AddressSanitizer, so a looser (but still bounded) tolerance.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kHorizon = 2000;
constexpr double kMaxRelativeTolerance = 0.15;
#else
constexpr double kHorizon = 6000;
constexpr double kMaxRelativeTolerance = 0.10;
#endif

void check_against_mmc(const Toy& toy, double dt, double horizon, int replications) {
  const MmcResult exact = mmc(toy.lambda, toy.mu, toy.servers);
  const QueueModel model = toy_model(toy, dt, 4000);
  ModelEffects fifo;
  fifo.policy = SelectionPolicy::kLongestWaitFirst;
  const auto steps = static_cast<std::size_t>(horizon / dt);
  const std::size_t warmup = steps / 10;
  std::vector<double> in_system, sojourn;
  for (int r = 0; r < replications; ++r) {
    // Warm up from empty, then measure from the state reached.
    Rng rng(2025, static_cast<std::uint64_t>(r), "mmc-toy");
    std::vector<ListStats> out;
    RunTotals warm, run;
    const std::size_t record[] = {steps};
    simulate_list(model, fifo, rng, warmup, {}, out, &warm);
    simulate_list(model, fifo, rng, steps, record, out, &run);
    ASSERT_EQ(run.start_size + run.arrivals - run.treated - run.removed, run.end_size);
    in_system.push_back(run.size_step_sum / static_cast<double>(steps));
    sojourn.push_back(run.treated_steps_waited * dt / static_cast<double>(run.treated));
  }
  const Estimate l = mean_se(in_system), w = mean_se(sojourn);
  std::printf("M/M/%d lambda %.2f mu %.2f dt %.3f: L %.4f +- %.4f (Erlang C %.4f), W %.4f +- %.4f (Erlang C %.4f)\n",
              toy.servers, toy.lambda, toy.mu, dt, l.mean, l.se, exact.mean_in_system, w.mean, w.se, exact.mean_sojourn);
  // Monte Carlo error (4 standard errors) plus the step's bias: an arrival waits for the end of
  // its step to be served and a service is counted in whole steps, each about dt / 2 of time,
  // i.e. lambda dt of queue length (Little's law).
  const double l_tol = 4 * l.se + toy.lambda * dt;
  const double w_tol = 4 * w.se + dt;
  EXPECT_NEAR(l.mean, exact.mean_in_system, l_tol) << "L: simulated " << l.mean << " +- " << l.se << ", M/M/c "
                                                   << exact.mean_in_system;
  EXPECT_NEAR(w.mean, exact.mean_sojourn, w_tol) << "W: simulated " << w.mean << " +- " << w.se << ", M/M/c "
                                                 << exact.mean_sojourn;
  // Not vacuous: the tolerances are a small part of what is checked.
  EXPECT_LT(l_tol, kMaxRelativeTolerance * exact.mean_in_system);
  EXPECT_LT(w_tol, kMaxRelativeTolerance * exact.mean_sojourn);
}


TEST(SimulationQueue, MatchesMM3) { check_against_mmc({2.0, 1.0, 3}, 0.02, kHorizon, 8); }

TEST(SimulationQueue, MatchesMM1) { check_against_mmc({0.5, 1.0, 1}, 0.02, kHorizon, 8); }

TEST(SimulationQueue, MatchesMMcWithManyServers) { check_against_mmc({8.0, 1.0, 10}, 0.01, kHorizon / 3, 8); }

}  // namespace
}  // namespace severn::elective
