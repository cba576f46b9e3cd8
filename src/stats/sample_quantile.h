// Sample quantiles as R's quantile(type = 7) gives them: linear between the order statistics
// floor(h) and floor(h) + 1, h = (n - 1) p. The SII's limits are two of them over 100,000
// simulated values (sii.cpp).
#pragma once
#include <vector>

#include "stats/stats.h"

namespace severn::stats {

// Type 7 at p in [0, 1] of a non-empty vector; reorders it.
double type7(std::vector<double>& values, double p);
// Type 7 at p_lo and at p_hi (p_lo <= p_hi) of a non-empty vector, exactly as type7() gives each,
// in time close to one pass when both are in the tails; reorders it.
Limits sample_quantiles(std::vector<double>& values, double p_lo, double p_hi);

}  // namespace severn::stats
