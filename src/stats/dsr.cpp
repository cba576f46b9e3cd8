// Directly standardised rates with Dobson limits. Sources: Dobson AJ, Kuulasmaa K, Eberle E,
// Scherer J. Confidence intervals for weighted sums of Poisson parameters. Stat Med 1991;10:457-62;
// OHID Fingertips Public Health Technical Guidance, chapter on DSRs (the 10-event threshold and
// the adjustment for non-independent events).
#include <cmath>

#include "stats/arguments.h"
#include "stats/stats.h"

namespace severn::stats {
namespace {

void check_band(double population, double standard, std::size_t band) {
  const std::string where = " (band " + std::to_string(band + 1) + ")";
  if (detail::missing(population) || !(population > 0) || std::isinf(population))
    throw ArgumentError("population", "must be greater than 0 in every band" + where);
  if (detail::missing(standard) || standard < 0 || std::isinf(standard))
    throw ArgumentError("standard", "must be 0 or more in every band" + where);
}

double count_or_zero(double x) { return detail::missing(x) ? 0 : x; }

// Dobson's limits: the DSR moves with the Poisson limits of the total count O, scaled by the
// DSR's standard error per unit of count: DSR + sqrt(var / O) * (O_limit - O).
Estimate dobson(double dsr, double variance, double total, double confidence, double multiplier) {
  if (total < kDsrMinimumCount) return {detail::kNaN, detail::kNaN, detail::kNaN, Method::kDobson};
  const Limits o = byar_limits(total, confidence);
  const double per_count = std::sqrt(variance / total);
  return {dsr * multiplier, (dsr + per_count * (o.lower - total)) * multiplier,
          (dsr + per_count * (o.upper - total)) * multiplier, Method::kDobson};
}

}  // namespace

// DSR = sum(w_i x_i / n_i) / sum(w_i);  var(DSR) = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2.
Estimate dsr(std::span<const DsrBand> bands, double confidence, double multiplier) {
  detail::check_confidence(confidence);
  detail::check_multiplier(multiplier);
  if (bands.empty()) throw ArgumentError("bands", "there must be at least one band");
  double weights = 0, weighted = 0, variance = 0, total = 0;
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const DsrBand& band = bands[b];
    check_band(band.population, band.standard, b);
    detail::check_non_negative(band.count, "count");
    const double x = count_or_zero(band.count), w = band.standard / band.population;
    weights += band.standard;
    weighted += w * x;
    variance += w * w * x;
    total += x;
  }
  if (!(weights > 0)) throw ArgumentError("standard", "the standard population must not be all 0");
  return dobson(weighted / weights, variance / (weights * weights), total, confidence, multiplier);
}

Estimate dsr_nonindependent(std::span<const double> population, std::span<const double> standard,
                            const std::vector<std::vector<double>>& persons, double confidence,
                            double multiplier) {
  detail::check_confidence(confidence);
  detail::check_multiplier(multiplier);
  if (population.empty()) throw ArgumentError("bands", "there must be at least one band");
  if (standard.size() != population.size())
    throw ArgumentError("standard", "must have one weight per band");
  double weights = 0;
  for (std::size_t b = 0; b < population.size(); ++b) {
    check_band(population[b], standard[b], b);
    weights += standard[b];
  }
  if (!(weights > 0)) throw ArgumentError("standard", "the standard population must not be all 0");
  double weighted = 0, variance = 0, total = 0;
  for (std::size_t k = 0; k < persons.size(); ++k) {
    if (persons[k].size() != population.size())
      throw ArgumentError("persons", "must have one count per band for every event frequency");
    const double events = static_cast<double>(k + 1);
    double weighted_k = 0, variance_k = 0, persons_k = 0;
    for (std::size_t b = 0; b < population.size(); ++b) {
      detail::check_non_negative(persons[k][b], "persons");
      const double p = count_or_zero(persons[k][b]), w = standard[b] / population[b];
      weighted_k += w * p;
      variance_k += w * w * p;
      persons_k += p;
    }
    weighted += events * weighted_k;
    variance += events * events * variance_k;
    total += events * persons_k;
  }
  return dobson(weighted / weights, variance / (weights * weights), total, confidence, multiplier);
}

}  // namespace severn::stats
