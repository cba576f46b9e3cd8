// The confidence limits every indicator is built from: Wilson for proportions, Byar's and exact
// Poisson limits for counts.
#include <charconv>
#include <cmath>

#include "stats/arguments.h"
#include "stats/distributions.h"
#include "stats/stats.h"

namespace severn::stats {

namespace detail {

std::string number_text(double x) {
  char buf[64];
  // Whole numbers in full (100000, not the shorter 1e+05); others in the shortest exact form.
  const bool whole = std::fabs(x) < 1e15 && x == std::floor(x);
  const auto r = whole ? std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 0)
                       : std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

void check_confidence(double confidence) {
  if (!(confidence >= 0.9 && confidence <= 1))
    throw ArgumentError("confidence", "must be between 0.9 and 1 (e.g. 0.95 or 0.998), not " +
                                          number_text(confidence));
}

void check_non_negative(double x, const char* argument) {
  if (missing(x)) return;
  if (x < 0) throw ArgumentError(argument, "must not be negative, not " + number_text(x));
  if (std::isinf(x)) throw ArgumentError(argument, "must be finite");
}

void check_multiplier(double multiplier) {
  if (!(multiplier > 0) || std::isinf(multiplier))
    throw ArgumentError("multiplier", "must be a finite number above 0, not " + number_text(multiplier));
}

}  // namespace detail

using detail::kInfinity;
using detail::kNaN;
using detail::missing;

const char* method_name(Method m) {
  switch (m) {
    case Method::kNone: return "NA";
    case Method::kWilson: return "Wilson";
    case Method::kByar: return "Byars";
    case Method::kExact: return "Exact";
    case Method::kStudentT: return "Student's t-distribution";
    case Method::kDobson: return "Dobson";
  }
  return "NA";
}

double two_sided_z(double confidence) {
  detail::check_confidence(confidence);
  if (confidence == 1) return kInfinity;
  // The upper (1 + confidence) / 2 point, taken from the lower tail where p is exact.
  return -detail::normal_quantile((1 - confidence) / 2);
}

// Wilson's score interval: the p whose score test against x/n is not rejected, i.e. the roots of
// (x - n p)^2 = z^2 n p (1 - p):  (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2 (n + z^2)).
Limits wilson_limits(double x, double n, double confidence) {
  const double z = two_sided_z(confidence);
  detail::check_non_negative(x, "numerator");
  detail::check_non_negative(n, "denominator");
  if (missing(x) || missing(n) || n == 0) return {kNaN, kNaN};
  if (x > n)
    throw ArgumentError("numerator", "must not exceed the denominator (" + detail::number_text(x) +
                                         " > " + detail::number_text(n) + ")");
  if (std::isinf(z)) return {0, 1};
  const double centre = 2 * x + z * z;
  const double spread = z * std::sqrt(z * z + 4 * x * (1 - x / n));
  const double scale = 2 * (n + z * z);
  return {(centre - spread) / scale, (centre + spread) / scale};
}

// Byar's approximation: lower = x (1 - 1/(9x) - z/(3 sqrt x))^3,
//                       upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3.
Limits byar_limits(double x, double confidence) {
  const double z = two_sided_z(confidence);
  detail::check_non_negative(x, "count");
  if (missing(x)) return {kNaN, kNaN};
  double lower = 0;
  if (x > 0) {
    const double base = 1 - 1 / (9 * x) - z / (3 * std::sqrt(x));
    lower = base < 0 ? kNaN : x * base * base * base;
  }
  const double y = x + 1;
  const double base = 1 - 1 / (9 * y) + z / (3 * std::sqrt(y));
  const double upper = std::isinf(z) ? kInfinity : y * base * base * base;
  return {lower, upper};
}

// Exact limits: lower = chi2((1 - c)/2; 2x) / 2, upper = chi2((1 + c)/2; 2x + 2) / 2.
Limits exact_poisson_limits(double x, double confidence) {
  detail::check_confidence(confidence);
  detail::check_non_negative(x, "count");
  if (missing(x)) return {kNaN, kNaN};
  const double alpha = 1 - confidence;
  const double lower = (x == 0 || alpha == 0) ? 0 : detail::chi_square_quantile(alpha / 2, 2 * x) / 2;
  const double upper = alpha == 0 ? kInfinity : detail::chi_square_quantile(1 - alpha / 2, 2 * x + 2) / 2;
  return {lower, upper};
}

Limits poisson_limits(double x, double confidence, Method* method) {
  if (missing(x)) {
    *method = Method::kNone;
    return exact_poisson_limits(x, confidence);  // checks confidence, gives NaN
  }
  *method = x < 10 ? Method::kExact : Method::kByar;
  return x < 10 ? exact_poisson_limits(x, confidence) : byar_limits(x, confidence);
}

}  // namespace severn::stats
