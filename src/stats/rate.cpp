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
  // Divided first, then scaled, in the order PHEindicatormethods computes, so that results agree to
  // the last digit where they can (999 / 3456 * 100 is 28.90625 exactly; 999 * (100 / 3456) is not).
  return {x / n * multiplier, l.lower / n * multiplier, l.upper / n * multiplier, method};
}

}  // namespace severn::stats
