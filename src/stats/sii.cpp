// Slope and relative index of inequality. Source: Low A, Low A. Measuring the gap: quantifying
// and comparing local health inequalities. J Public Health 2004;26:388-395; the simulation of the
// limits and the transformed variant follow PHEindicatormethods' phe_sii (v2.1.0).
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "core/rng.h"
#include "stats/arguments.h"
#include "stats/distributions.h"
#include "stats/sample_quantile.h"
#include "stats/stats.h"

namespace severn::stats {
namespace {

double to_scale(double v, SiiValueType t) {
  switch (t) {
    case SiiValueType::kNormal: return v;
    case SiiValueType::kRate: return std::log(v);
    case SiiValueType::kProportion: return std::log(v / (1 - v));
  }
  return v;
}

double from_scale(double y, SiiValueType t) {
  switch (t) {
    case SiiValueType::kNormal: return y;
    case SiiValueType::kRate: return std::exp(y);
    case SiiValueType::kProportion: {
      // One exp, not two: the library call sets errno, so the compiler does not merge the two.
      const double e = std::exp(y);
      return e / (1 + e);
    }
  }
  return y;
}

// Weighted least squares of y on the relative rank b with weights a (summing to 1): the same
// fit as regressing y sqrt(a) on sqrt(a) and b sqrt(a) without a constant.
struct Ranks {
  std::vector<double> a, b, centred;  // centred = a (b - mean b) / Sxx, so slope = sum centred * y
  double mean_b = 0;
};

Ranks ranks(std::span<const SiiQuantile> q) {
  Ranks r;
  double total = 0;
  for (const auto& x : q) total += x.population;
  double cumulative = 0;
  for (const auto& x : q) {
    const double share = x.population / total;
    r.a.push_back(share);
    r.b.push_back(cumulative + share / 2);
    cumulative += share;
  }
  for (std::size_t i = 0; i < q.size(); ++i) r.mean_b += r.a[i] * r.b[i];
  double sxx = 0;
  for (std::size_t i = 0; i < q.size(); ++i) sxx += r.a[i] * (r.b[i] - r.mean_b) * (r.b[i] - r.mean_b);
  for (std::size_t i = 0; i < q.size(); ++i) r.centred.push_back(r.a[i] * (r.b[i] - r.mean_b) / sxx);
  return r;
}

struct Line {
  double intercept, slope;
};

Line fit(const Ranks& r, std::span<const double> y) {
  double mean_y = 0, slope = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    mean_y += r.a[i] * y[i];
    slope += r.centred[i] * y[i];
  }
  return {mean_y - slope * r.mean_b, slope};
}

// The fitted values at relative ranks 0 and 1 on the natural scale: transformed back from the
// log or logit scale when the line was fitted there.
struct Ends {
  double at0, at1;
};

Ends ends(const Line& l, const SiiOptions& o) {
  if (!o.transform) return {l.intercept, l.intercept + l.slope};
  return {from_scale(l.intercept, o.type), from_scale(l.intercept + l.slope, o.type)};
}

// The SII, RII and intercept of a fitted line (phe_sii, v2.1.0). A negative multiplier turns the
// polarity, so the RII is inverted. The intercept is scaled by |multiplier| only when the line was
// fitted on the transformed scale: the package's untransformed branch reports the coefficient as
// fitted, its transformed branch reports the back-transformed intercept times |multiplier|.
struct Indices {
  double sii, rii, intercept;
};

double polarised(double rii, double multiplier) { return multiplier < 0 ? 1 / rii : rii; }

Indices indices(const Line& l, const SiiOptions& o) {
  const Ends e = ends(l, o);
  const double intercept = o.transform ? e.at0 * std::fabs(o.multiplier) : e.at0;
  return {o.multiplier * (e.at1 - e.at0), polarised(e.at1 / e.at0, o.multiplier), intercept};
}

// The standard normal draws of one seed's stream, in order, shared by every SII of the process:
// each SII draws the same stream (one Rng keyed by the seed), so it is drawn once and each SII
// reads as much of it as it needs (repetitions x quantiles). The values are exactly what drawing
// them SII by SII gave: mean + sd * z is computed by the caller as Rng::normal(mean, sd) does.
std::shared_ptr<const std::vector<double>> standard_normals(std::uint64_t seed, std::size_t count) {
  static std::mutex mutex;
  static std::map<std::uint64_t, std::shared_ptr<const std::vector<double>>> drawn;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& have = drawn[seed];
  if (!have || have->size() < count) {
    auto z = std::make_shared<std::vector<double>>(count);
    Rng rng(seed, 0, "sii");
    for (double& x : *z) x = rng.normal();
    have = std::move(z);
  }
  return have;
}

// The draws behind the limits (SimulationFunc in the package's R/utils.R): each repetition draws
// every quantile's value from a normal distribution on the transformed scale, mean its transformed
// value and sd its standard error, and refits the line; `each` receives the fitted line. With the
// transform off the draws are transformed back and fitted on the natural scale.
template <class Each>
void simulate(const Ranks& r, std::span<const double> centre, std::span<const SiiQuantile> q, const SiiOptions& o,
              Each each) {
  std::vector<double> y(q.size());
  const auto normals = standard_normals(o.seed, static_cast<std::size_t>(o.repetitions) * q.size());
  const double* z = normals->data();
  for (int rep = 0; rep < o.repetitions; ++rep) {
    for (std::size_t i = 0; i < q.size(); ++i) {
      const double drawn = centre[i] + q[i].se * *z++;
      y[i] = o.transform ? drawn : from_scale(drawn, o.type);
    }
    each(fit(r, y));
  }
}

// Transform off: the limits are quantiles of the repetitions' own SIIs and RIIs.
void natural_limits(const Ranks& r, std::span<const double> centre, std::span<const SiiQuantile> q,
                    const SiiOptions& o, SiiResult& out) {
  std::vector<double> siis, riis;
  siis.reserve(static_cast<std::size_t>(o.repetitions));
  riis.reserve(static_cast<std::size_t>(o.repetitions));
  simulate(r, centre, q, o, [&](const Line& l) {
    const Indices s = indices(l, o);
    siis.push_back(s.sii);
    riis.push_back(s.rii);
  });
  for (const double c : o.confidence) {
    const double lo = (1 - c) / 2, hi = (1 + c) / 2;
    out.sii_limits.push_back(sample_quantiles(siis, lo, hi));
    out.rii_limits.push_back(sample_quantiles(riis, lo, hi));
  }
}

// Transform on (phe_sii's transform branch): only the repetitions' slopes are kept, on the log or
// logit scale. Each limit of the slope is laid through the fitted line's midpoint (its value at
// rank 1/2, which stays where the data put it), and that line's ends at ranks 0 and 1 are
// transformed back: their difference times the multiplier is the SII limit, their ratio the RII
// limit. Both rise with the slope, so the slope's lower limit gives the lower limits; a negative
// multiplier turns the polarity, and then it gives the upper ones (the RII inverted).
void transformed_limits(const Ranks& r, std::span<const double> centre, std::span<const SiiQuantile> q,
                        const Line& fitted, const SiiOptions& o, SiiResult& out) {
  std::vector<double> slopes;
  slopes.reserve(static_cast<std::size_t>(o.repetitions));
  simulate(r, centre, q, o, [&](const Line& l) { slopes.push_back(l.slope); });
  const double middle = fitted.intercept + fitted.slope / 2;
  const auto through_middle = [&](double slope) { return indices(Line{middle - slope / 2, slope}, o); };
  for (const double c : o.confidence) {
    const Limits slope = sample_quantiles(slopes, (1 - c) / 2, (1 + c) / 2);
    const Indices low = through_middle(slope.lower);
    const Indices high = through_middle(slope.upper);
    const bool turned = o.multiplier < 0;
    out.sii_limits.push_back(turned ? Limits{high.sii, low.sii} : Limits{low.sii, high.sii});
    out.rii_limits.push_back(turned ? Limits{high.rii, low.rii} : Limits{low.rii, high.rii});
  }
}

}  // namespace

double sii_se_from_limits(double lower, double upper, SiiValueType type) {
  return (to_scale(upper, type) - to_scale(lower, type)) / (2 * two_sided_z(0.95));
}

SiiResult sii(std::span<const SiiQuantile> quantiles, const SiiOptions& o) {
  for (const double c : o.confidence) detail::check_confidence(c);
  if (o.confidence.empty()) throw ArgumentError("confidence", "give at least one confidence level");
  if (quantiles.size() < 5 || quantiles.size() > 100)
    throw ArgumentError("quantiles", "an SII needs 5 to 100 quantiles, not " + std::to_string(quantiles.size()));
  if (o.repetitions < 1000) throw ArgumentError("repetitions", "must be at least 1000");
  if (!(o.multiplier != 0) || !std::isfinite(o.multiplier))
    throw ArgumentError("multiplier", "must be a finite number other than 0");
  for (std::size_t i = 0; i < quantiles.size(); ++i) {
    const auto& q = quantiles[i];
    const std::string where = " (quantile " + std::to_string(i + 1) + ")";
    if (detail::missing(q.population) || !(q.population > 0) || std::isinf(q.population))
      throw ArgumentError("population", "must be greater than 0 in every quantile" + where);
    if (detail::missing(q.se) || q.se < 0 || std::isinf(q.se))
      throw ArgumentError("se", "must be 0 or more in every quantile" + where);
    if (detail::missing(q.value) || std::isinf(q.value)) throw ArgumentError("value", "is missing" + where);
    if (o.type == SiiValueType::kRate && !(q.value > 0))
      throw ArgumentError("value", "a rate must be above 0 (its log is taken)" + where);
    if (o.type == SiiValueType::kProportion && !(q.value > 0 && q.value < 1))
      throw ArgumentError("value", "a proportion must be between 0 and 1 exclusive (its logit is taken)" + where);
  }

  const Ranks r = ranks(quantiles);
  std::vector<double> y(quantiles.size()), centre(quantiles.size());
  for (std::size_t i = 0; i < quantiles.size(); ++i) {
    centre[i] = to_scale(quantiles[i].value, o.type);
    y[i] = o.transform ? centre[i] : quantiles[i].value;
  }
  const Line line = fit(r, y);
  const Indices point = indices(line, o);
  SiiResult out{point.sii, point.rii, point.intercept, {}, {}};
  if (o.transform)
    transformed_limits(r, centre, quantiles, line, o, out);
  else
    natural_limits(r, centre, quantiles, o, out);
  return out;
}

}  // namespace severn::stats
