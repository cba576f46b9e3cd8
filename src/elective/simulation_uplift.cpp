#include "elective/simulation_uplift.h"

#include <vector>

namespace severn::elective {

namespace {

double median_final_share(std::span<const QueueModel> models, const Scenario& scenario, const MonthlyPlan& plan,
                          const UpliftSearch& s) {
  const MonteCarlo mc = run_monte_carlo(models, scenario, plan, s.runs, s.seed, s.threads);
  const std::size_t last = mc.months - 1;
  std::vector<double> shares(mc.runs);
  for (std::size_t run = 0; run < mc.runs; ++run) {
    double size = 0, within = 0;
    for (std::size_t m = 0; m < mc.models; ++m) {
      size += mc.at(run, m, last).size;
      within += mc.at(run, m, last).within_18_weeks;
    }
    shares[run] = size > 0 ? within / size : 1.0;
  }
  return quantiles(shares).median;
}

}  // namespace

UpliftResult uplift_to_reach(std::span<const QueueModel> models, const Scenario& scenario, const MonthlyPlan& plan,
                             const UpliftSearch& s) {
  UpliftResult r;
  if (plan.month_ends.empty() || models.empty()) return r;
  auto share_at = [&](double uplift) {
    Scenario sc = scenario;
    sc.capacity_uplift = (1.0 + scenario.capacity_uplift) * (1.0 + uplift) - 1.0;
    return median_final_share(models, sc, plan, s);
  };
  r.baseline_share = share_at(0.0);
  if (r.baseline_share >= s.target_share) {
    r.reached = true;
    r.median_share = r.baseline_share;
    return r;
  }
  const double top = share_at(s.max_uplift);
  if (top < s.target_share) {
    r.uplift = s.max_uplift;
    r.median_share = top;
    return r;
  }
  double lo = 0, hi = s.max_uplift, hi_share = top;
  for (int i = 0; i < s.iterations; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double share = share_at(mid);
    if (share >= s.target_share) {
      hi = mid;
      hi_share = share;
    } else {
      lo = mid;
    }
  }
  r.reached = true;
  r.uplift = hi;
  r.median_share = hi_share;
  return r;
}

}  // namespace severn::elective
