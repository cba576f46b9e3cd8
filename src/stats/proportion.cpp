#include "stats/arguments.h"
#include "stats/stats.h"

namespace severn::stats {

Estimate proportion(double x, double n, double confidence, double multiplier) {
  detail::check_multiplier(multiplier);
  const Limits l = wilson_limits(x, n, confidence);  // checks x, n and confidence
  if (detail::missing(l.lower)) return {detail::kNaN, detail::kNaN, detail::kNaN, Method::kWilson};
  return {x / n * multiplier, l.lower * multiplier, l.upper * multiplier, Method::kWilson};
}

}  // namespace severn::stats
