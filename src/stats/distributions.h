// Quantiles of the distributions the methods need, from Boost.Math (Debian's libboost-math-dev),
// which computes them to within a few units in the last place.
#pragma once

namespace severn::stats::detail {

double normal_quantile(double p);                   // standard normal, 0 < p < 1
double chi_square_quantile(double p, double df);    // 0 <= p < 1, df > 0
double students_t_upper(double p_upper, double df);  // t with P(T > t) = p_upper, df > 0
// The shape a with P(a, x) = p, P the regularised lower incomplete gamma function: x > 0,
// 0 < p < 1. P(a, x) falls as a rises, so a larger p gives a smaller shape.
double gamma_shape_for_p(double x, double p);

}  // namespace severn::stats::detail
