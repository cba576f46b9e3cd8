#include <cmath>

#include "stats/arguments.h"
#include "stats/distributions.h"
#include "stats/stats.h"

namespace severn::stats {

MeanEstimate mean(std::span<const double> values, double confidence) {
  detail::check_confidence(confidence);
  MeanEstimate m{{detail::kNaN, detail::kNaN, detail::kNaN, Method::kStudentT}, 0, 0, detail::kNaN};
  for (const double v : values) {
    if (std::isinf(v)) throw ArgumentError("value", "must be finite");
    m.sum += v;
  }
  m.count = static_cast<double>(values.size());
  if (values.empty() || detail::missing(m.sum)) return m;
  const double average = m.sum / m.count;
  m.estimate.value = average;
  if (values.size() < 2) return m;
  // Sample variance from deviations about the mean (two passes: no cancellation).
  double squares = 0;
  for (const double v : values) squares += (v - average) * (v - average);
  m.sd = std::sqrt(squares / (m.count - 1));
  const double t = confidence == 1 ? detail::kInfinity
                                   : detail::students_t_upper((1 - confidence) / 2, m.count - 1);
  const double half_width = t * m.sd / std::sqrt(m.count);
  m.estimate.lower = average - half_width;
  m.estimate.upper = average + half_width;
  return m;
}

}  // namespace severn::stats
