// The M/M/c queue in equilibrium (Poisson arrivals at rate lambda, exponential service at rate mu
// per server, c servers, first come first served, no abandonment): Erlang's C formula and the
// mean queue length and waits that follow from it (Kleinrock, Queueing Systems vol. 1, 1975,
// section 3.5; Gross and Harris, Fundamentals of Queueing Theory, section 2.3). The simulation is
// checked against these on a toy case (tests/elective/simulation_queue_test.cpp). Rates in any
// one time unit; waits in that unit.
#pragma once

namespace severn::elective {

struct MmcResult {
  double offered_load = 0;   // a = lambda / mu (erlangs)
  double utilisation = 0;    // rho = a / c
  double p_wait = 0;         // Erlang C: the probability an arrival has to wait
  double mean_queue = 0;     // Lq: mean number waiting (not in service)
  double mean_in_system = 0; // L = Lq + a
  double mean_wait = 0;      // Wq = Lq / lambda
  double mean_sojourn = 0;   // W = Wq + 1 / mu
};

// Erlang B (blocking) by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), which stays
// in floating-point range for any c.
double erlang_b(int servers, double offered_load);
// Erlang C from Erlang B: C = c B / (c - a (1 - B)). Requires a < c.
double erlang_c(int servers, double offered_load);
// Throws std::invalid_argument unless lambda > 0, mu > 0, servers >= 1 and lambda < servers * mu.
MmcResult mmc(double lambda, double mu, int servers);

}  // namespace severn::elective
