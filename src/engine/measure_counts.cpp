#include "engine/measure_counts.h"

namespace severn::engine {

void Cell::add(const Cell& o) {
  numerator += o.numerator;
  denominator += o.denominator;
  if (band_denominator.size() < o.band_denominator.size()) {
    band_numerator.resize(o.band_numerator.size(), 0);
    band_denominator.resize(o.band_denominator.size(), 0);
  }
  for (std::size_t b = 0; b < o.band_denominator.size(); ++b) {
    band_numerator[b] += o.band_numerator[b];
    band_denominator[b] += o.band_denominator[b];
  }
}

}  // namespace severn::engine
