// Indirectly standardised ratios and rates: observed events against those expected if the local
// population had the reference population's band rates. Limits are the Poisson limits of the
// observed count (exact below 10, Byar's above) divided by the expected count, as OHID computes
// them (Fingertips Public Health Technical Guidance, chapter on ISRs).
#include <cmath>

#include "stats/arguments.h"
#include "stats/stats.h"

namespace severn::stats {
namespace {

void check_reference(const IsrBand& band, std::size_t b) {
  const std::string where = " (band " + std::to_string(b + 1) + ")";
  if (detail::missing(band.ref_population) || !(band.ref_population > 0) || std::isinf(band.ref_population))
    throw ArgumentError("ref_population", "must be greater than 0 in every band" + where);
  if (detail::missing(band.ref_count) || band.ref_count < 0 || std::isinf(band.ref_count))
    throw ArgumentError("ref_count", "must be 0 or more in every band" + where);
}

}  // namespace

double expected_events(std::span<const IsrBand> bands) {
  double expected = 0;
  for (std::size_t b = 0; b < bands.size(); ++b) {
    check_reference(bands[b], b);
    detail::check_non_negative(bands[b].population, "population");
    if (!detail::missing(bands[b].population))
      expected += bands[b].population * bands[b].ref_count / bands[b].ref_population;
  }
  return expected;
}

double observed_events(std::span<const IsrBand> bands) {
  double observed = 0;
  for (const IsrBand& band : bands) {
    detail::check_non_negative(band.count, "count");
    if (!detail::missing(band.count)) observed += band.count;
  }
  return observed;
}

double reference_rate(std::span<const IsrBand> bands) {
  double count = 0, population = 0;
  for (std::size_t b = 0; b < bands.size(); ++b) {
    check_reference(bands[b], b);
    count += bands[b].ref_count;
    population += bands[b].ref_population;
  }
  return population > 0 ? count / population : detail::kNaN;
}

Estimate isr_ratio(double observed, double expected, double confidence, double multiplier) {
  detail::check_multiplier(multiplier);
  detail::check_non_negative(observed, "observed");
  detail::check_non_negative(expected, "expected");
  Method method = Method::kNone;
  const Limits o = poisson_limits(observed, confidence, &method);
  if (detail::missing(observed) || detail::missing(expected) || expected == 0)
    return {detail::kNaN, detail::kNaN, detail::kNaN, method};
  return {observed / expected * multiplier, o.lower / expected * multiplier, o.upper / expected * multiplier,
          method};
}

Estimate isr_rate(double observed, double expected, double reference_rate, double confidence,
                  double multiplier) {
  detail::check_non_negative(reference_rate, "reference_rate");
  detail::check_multiplier(multiplier);
  Estimate e = isr_ratio(observed, expected, confidence, 1);
  const double scale = reference_rate * multiplier;  // NaN when the reference rate is missing
  e.value *= scale;
  e.lower *= scale;
  e.upper *= scale;
  return e;
}

}  // namespace severn::stats
