// Funnel-plot control limits (Spiegelhalter DJ. Funnel plots for comparing institutional
// performance. Statistics in Medicine 2005;24:1185-1202), with OHID's choices as
// PHEindicatormethods makes them (calculate_funnel_limits, assign_funnel_significance):
// proportions from the Wilson score test, counts, rates and ratios from exact Poisson limits.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "stats/arguments.h"
#include "stats/distributions.h"
#include "stats/stats.h"

namespace severn::stats {

using detail::kInfinity;
using detail::kNaN;
using detail::missing;

namespace {

// Number of decimal digits in the whole number x >= 0 (0 has one).
int digits(double x) {
  int d = 1;
  while (x >= 10) {
    x = std::floor(x / 10);
    ++d;
  }
  return d;
}

// 0.95 x rounded down to one significant figure: a neat start for the axis.
double neat_floor(double x) {
  if (x == 0) return 0;
  const double y = x * 0.95;
  const double scale = std::pow(10.0, digits(std::floor(y)) - 1);
  return std::floor(y / scale) * scale;
}

// 1.05 x rounded up to two significant figures: a neat end for the axis.
double neat_ceiling(double x) {
  if (x == 0) return 0;
  const double y = x * 1.05;
  const double scale = std::pow(10.0, digits(std::ceil(y)) - 2);
  return std::ceil(y / scale) * scale;
}

}  // namespace

Limits funnel_proportion_limits(double target, double n, double confidence) {
  const double z = two_sided_z(confidence);
  detail::check_non_negative(n, "denominator");
  if (!missing(target) && !(target >= 0 && target <= 1))
    throw ArgumentError("target", "a proportion's target must lie between 0 and 1, not " + detail::number_text(target));
  if (missing(target) || missing(n) || n == 0) return {kNaN, kNaN};
  if (std::isinf(z)) return {0, 1};
  // The p whose Wilson score test against the target is just significant: the Wilson interval of
  // p reaches the target when (p - target)^2 = z^2 target (1 - target) / n.
  const double half_width = z * std::sqrt(target * (1 - target) / n);
  return {std::max(0.0, target - half_width), std::min(1.0, target + half_width)};
}

Limits funnel_count_limits(double expected, double confidence) {
  detail::check_confidence(confidence);
  detail::check_non_negative(expected, "expected");
  if (missing(expected)) return {kNaN, kNaN};
  if (confidence == 1) return {0, kInfinity};
  if (expected == 0) return {0, 0};
  const double tail = (1 - confidence) / 2;
  // The exact upper limit of x events is the (1 + c)/2 quantile of Gamma(x + 1), so the count
  // whose upper limit is `expected` has P(x + 1, expected) = (1 + c)/2. Below one event's worth
  // of shape (P(1, expected) = 1 - exp(-expected) <= (1 + c)/2) no count is low enough.
  double lower = 0;
  if (-std::expm1(-expected) > 1 - tail) lower = std::max(0.0, detail::gamma_shape_for_p(expected, 1 - tail) - 1);
  // The exact lower limit of x events is the (1 - c)/2 quantile of Gamma(x).
  const double upper = detail::gamma_shape_for_p(expected, tail);
  return {lower, upper};
}

Limits funnel_rate_limits(double target, double n, double confidence, double multiplier) {
  detail::check_multiplier(multiplier);
  detail::check_non_negative(target, "target");
  detail::check_non_negative(n, "denominator");
  detail::check_confidence(confidence);
  if (missing(target) || missing(n) || n == 0) return {kNaN, kNaN};
  const Limits count = funnel_count_limits(target / multiplier * n, confidence);
  return {count.lower / n * multiplier, count.upper / n * multiplier};
}

Limits funnel_ratio_limits(double target, double expected, double confidence, double multiplier) {
  detail::check_multiplier(multiplier);
  detail::check_non_negative(target, "target");
  detail::check_non_negative(expected, "expected");
  detail::check_confidence(confidence);
  if (missing(target) || missing(expected) || expected == 0) return {kNaN, kNaN};
  const Limits count = funnel_count_limits(target / multiplier * expected, confidence);
  return {count.lower / expected * multiplier, count.upper / expected * multiplier};
}

int funnel_significance(double value, Limits limits95, Limits limits998) {
  if (value < limits998.lower) return -2;
  if (value < limits95.lower) return -1;
  if (value > limits998.upper) return 2;
  if (value > limits95.upper) return 1;
  return 0;
}

const char* funnel_significance_text(int significance) {
  switch (significance) {
    case -2: return "below 99.8% limit";
    case -1: return "below 95% limit";
    case 1: return "above 95% limit";
    case 2: return "above 99.8% limit";
    default: return "within limits";
  }
}

std::vector<double> funnel_curve_denominators(double min_denominator, double max_denominator, int points) {
  if (points < 2) throw ArgumentError("points", "a curve needs at least 2 points, not " + std::to_string(points));
  detail::check_non_negative(min_denominator, "min_denominator");
  detail::check_non_negative(max_denominator, "max_denominator");
  if (missing(min_denominator) || missing(max_denominator) || !(max_denominator > 0) ||
      max_denominator < min_denominator)
    throw ArgumentError("max_denominator", "must be above 0 and at least the smallest denominator");
  const double axis_min = max_denominator > 2 * min_denominator ? 0 : neat_floor(min_denominator);
  const double axis_max = neat_ceiling(max_denominator);
  std::vector<double> out{std::max(1.0, axis_min)};
  // Each point is the previous one times the ratio that would reach the axis end in equal
  // geometric steps over the points left, rounded to a whole number (halves to even) and at least
  // one more than the previous point; the last point is the axis end.
  for (int j = 1; j < points; ++j) {
    const double previous = out.back();
    const double step = std::pow(axis_max / previous, 1.0 / (points - j));
    out.push_back(std::max(std::nearbyint(step * previous), previous + 1));
  }
  return out;
}

}  // namespace severn::stats
