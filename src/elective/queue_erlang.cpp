#include "elective/queue_erlang.h"

#include <stdexcept>

namespace severn::elective {

double erlang_b(int servers, double offered_load) {
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = offered_load * b / (k + offered_load * b);
  return b;
}

double erlang_c(int servers, double offered_load) {
  if (servers < 1 || offered_load < 0 || offered_load >= servers) {
    throw std::invalid_argument("Erlang C needs servers >= 1 and 0 <= load < servers");
  }
  const double b = erlang_b(servers, offered_load);
  return servers * b / (servers - offered_load * (1.0 - b));
}

MmcResult mmc(double lambda, double mu, int servers) {
  if (!(lambda > 0) || !(mu > 0) || servers < 1 || !(lambda < servers * mu)) {
    throw std::invalid_argument("M/M/c needs lambda > 0, mu > 0, c >= 1 and lambda < c mu");
  }
  MmcResult r;
  r.offered_load = lambda / mu;
  r.utilisation = r.offered_load / servers;
  r.p_wait = erlang_c(servers, r.offered_load);
  r.mean_queue = r.p_wait * r.utilisation / (1.0 - r.utilisation);
  r.mean_in_system = r.mean_queue + r.offered_load;
  r.mean_wait = r.mean_queue / lambda;
  r.mean_sojourn = r.mean_wait + 1.0 / mu;
  return r;
}

}  // namespace severn::elective
