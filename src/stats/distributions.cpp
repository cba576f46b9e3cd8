#include "stats/distributions.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace severn::stats::detail {

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

double chi_square_quantile(double p, double df) {
  return boost::math::quantile(boost::math::chi_squared_distribution<double>(df), p);
}

double students_t_upper(double p_upper, double df) {
  return boost::math::quantile(boost::math::complement(boost::math::students_t_distribution<double>(df), p_upper));
}

}  // namespace severn::stats::detail
