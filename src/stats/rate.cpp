#include "stats/arguments.h"
#include "stats/stats.h"

namespace severn::stats {

Estimate crude_rate(double x, double n, double confidence, double multiplier) {
  detail::check_multiplier(multiplier);
  detail::check_non_negative(x, "numerator");
  detail::check_non_negative(n, "denominator");
  Method method = Method::kNone;
  const Limits l = poisson_limits(x, confidence, &method);  // limits of the count
  if (detail::missing(x) || detail::missing(n) || n == 0)
    return {detail::kNaN, detail::kNaN, detail::kNaN, method};
  const double per = multiplier / n;
  return {x * per, l.lower * per, l.upper * per, method};
}

}  // namespace severn::stats
