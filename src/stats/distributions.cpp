#include "stats/distributions.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace severn::stats::detail {

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

double chi_square_quantile(double p, double df) {
  return boost::math::quantile(boost::math::chi_squared_distribution<double>(df), p);
}

double students_t_upper(double p_upper, double df) {
  return boost::math::quantile(boost::math::complement(boost::math::students_t_distribution<double>(df), p_upper));
}

double gamma_shape_for_p(double x, double p) { return boost::math::gamma_p_inva(x, p); }

}  // namespace severn::stats::detail
