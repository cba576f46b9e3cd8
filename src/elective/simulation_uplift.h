// The capacity uplift that brings a list to the 18-week standard by a date: the smallest uplift
// (a fraction added to the fitted capacity, on top of the scenario's own) whose median share
// within 18 weeks at the plan's last month end is at least the target, found by bisection over
// Monte Carlo runs. The share rises with capacity in every run (more treatments never lengthen
// a wait under the policies simulated), so bisection on the median is sound up to Monte Carlo error.
#pragma once
#include <cstdint>
#include <span>

#include "elective/scenario.h"
#include "elective/simulation.h"

namespace severn::elective {

struct UpliftSearch {
  double target_share = 0.92;
  double max_uplift = 3.0;  // +300%: beyond it the answer is "not reached"
  int iterations = 10;      // bisection steps: resolution max_uplift / 2^iterations
  std::size_t runs = 100;
  std::uint64_t seed = 1;
  unsigned threads = 2;
};

struct UpliftResult {
  bool reached = false;          // false: even max_uplift falls short
  double uplift = 0;             // the smallest uplift found (max_uplift when not reached)
  double median_share = 0;       // at that uplift, the plan's last month end
  double baseline_share = 0;     // with the scenario alone
};

// `models` together (their totals), e.g. one specialty or all.
UpliftResult uplift_to_reach(std::span<const QueueModel> models, const Scenario& scenario, const MonthlyPlan& plan,
                             const UpliftSearch& search);

}  // namespace severn::elective
