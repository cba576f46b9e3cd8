#include "measures/figures.h"

#include <cstdio>

#include "core/error.h"
#include "engine/groups.h"
#include "refdata/data_dir.h"
#include "refdata/standards.h"

namespace severn::measures {

using engine::kDsrBands;
using lang::StatKind;

StatisticsOptions statistics_options(const lang::Definition& definition, const std::string& data_dir,
                                     int sii_repetitions, std::uint64_t sii_seed, unsigned threads) {
  StatisticsOptions o;
  o.sii_repetitions = sii_repetitions;
  o.sii_seed = sii_seed;
  o.threads = threads;
  bool any_dsr = false;
  for (const auto& m : definition.measures) any_dsr = any_dsr || m.stats.kind == StatKind::kDsr;
  if (any_dsr) {
    for (const auto& band : refdata::load_esp2013(refdata::DataDir::resolve(data_dir))) o.esp2013.push_back(band.weight);
    if (o.esp2013.size() != kDsrBands)
      throw InputError("standards/esp2013.csv: expected " + std::to_string(kDsrBands) + " age bands, found " +
                       std::to_string(o.esp2013.size()));
  }
  return o;
}

Figure figure(const lang::MeasureStats& st, const engine::Cell& cell, const engine::Cell& all, double confidence,
              const std::vector<double>& esp) {
  Figure f;
  if (cell.denominator == 0) {
    f.note = "denominator 0";
    return f;
  }
  const auto x = static_cast<double>(cell.numerator), n = static_cast<double>(cell.denominator);
  switch (st.kind) {
    case StatKind::kProportion: f.estimate = stats::proportion(x, n, confidence, st.multiplier()); break;
    case StatKind::kRate: f.estimate = stats::crude_rate(x, n, confidence, st.multiplier()); break;
    case StatKind::kDsr: {
      // Standardised over the bands the whole measure has people in, so that a measure of, say,
      // people aged 40-74 is standardised over those ages only.
      std::vector<stats::DsrBand> bands;
      for (std::size_t b = 0; b < kDsrBands; ++b) {
        if (all.band_denominator[b] == 0) continue;
        if (cell.band_denominator[b] == 0) {
          f.note = "dsr not computed: nobody aged " + engine::age_band(static_cast<int>(b * 5)) + " in this group";
          return f;
        }
        bands.push_back({static_cast<double>(cell.band_numerator[b]), static_cast<double>(cell.band_denominator[b]), esp[b]});
      }
      if (bands.empty()) {
        f.note = "dsr not computed: nobody of known age";
        return f;
      }
      f.estimate = stats::dsr(bands, confidence, st.multiplier());
      if (std::isnan(f.estimate.value)) f.note = "dsr not computed: fewer than 10 events (OHID rule)";
      break;
    }
    case StatKind::kIsr: {
      // Expected = each band's people times the reference rate of their age band and sex.
      double expected = 0;
      for (std::size_t b = 0; b < 2 * kDsrBands; ++b) {
        if (cell.band_denominator[b] == 0) continue;
        const double rate = st.reference_rates[b];
        if (std::isnan(rate)) {
          f.note = std::string("isr not computed: no reference rate for ") + (b < kDsrBands ? "males" : "females") +
                   " aged " + engine::age_band(static_cast<int>(b % kDsrBands * 5));
          return f;
        }
        expected += rate * static_cast<double>(cell.band_denominator[b]);
      }
      if (!(expected > 0)) {
        f.note = "isr not computed: nobody of known age and sex with a reference rate above 0";
        return f;
      }
      f.estimate = stats::isr_ratio(x, expected, confidence, st.multiplier());
      char buf[64];
      std::snprintf(buf, sizeof buf, "expected %.1f", expected);
      f.note = buf;
      break;
    }
  }
  return f;
}

FunnelLimits funnel_limits(const lang::MeasureStats& st, double target, double n) {
  FunnelLimits l;
  if (st.kind == StatKind::kProportion) {
    const double scale = st.multiplier();
    l.l95 = stats::funnel_proportion_limits(target / scale, n, 0.95);
    l.l998 = stats::funnel_proportion_limits(target / scale, n, 0.998);
    l.l95 = {l.l95.lower * scale, l.l95.upper * scale};
    l.l998 = {l.l998.lower * scale, l.l998.upper * scale};
  } else {
    l.l95 = stats::funnel_rate_limits(target, n, 0.95, st.multiplier());
    l.l998 = stats::funnel_rate_limits(target, n, 0.998, st.multiplier());
  }
  return l;
}

std::string sii_method(const StatisticsOptions& o) {
  return "population-weighted ridit regression; limits from " + std::to_string(o.sii_repetitions) +
         " simulations, seed " + std::to_string(o.sii_seed);
}

}  // namespace severn::measures
