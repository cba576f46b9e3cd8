#include "stats/sample_quantile.h"

#include <algorithm>
#include <cmath>

namespace severn::stats {

// R's default sample quantile (type 7): linear between the order statistics floor(h) and the
// next, h = (n - 1) p. Only the order statistics needed are selected, not the whole vector sorted.
double type7(std::vector<double>& v, double p) {
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto at = [&](std::size_t k) { return v.begin() + static_cast<std::ptrdiff_t>(k); };
  if (lo + 1 >= v.size()) return *std::max_element(v.begin(), v.end());
  std::nth_element(v.begin(), at(lo), v.end());
  const double below = v[lo];
  const double above = *std::min_element(at(lo + 1), v.end());
  return below + (h - static_cast<double>(lo)) * (above - below);
}

// The two quantiles of an interval (p_lo <= p_hi, both tails of 100,000 repetitions). Selecting
// over the whole vector twice was most of an SII's cost after the draws; instead, thresholds from
// an evenly spaced sample of the values pick out a few percent of them beyond each, and the order
// statistics are selected among those. The thresholds only decide how much is looked at: when a
// tail picked out does not hold the order statistics needed (checked by counting), the whole
// vector is used, so the values are always exactly type 7's. Reorders `v`.
Limits sample_quantiles(std::vector<double>& v, double p_lo, double p_hi) {
  const std::size_t n = v.size();
  const auto index_of = [&](double p) { return static_cast<std::size_t>(std::floor((static_cast<double>(n) - 1) * p)); };
  const std::size_t k_lo = index_of(p_lo), k_hi = index_of(p_hi);
  constexpr std::size_t kStride = 64;
  constexpr double kMargin = 0.01;  // of the sample, beyond each quantile
  if (n < 64 * kStride || k_hi + 1 >= n || p_lo + kMargin >= p_hi - kMargin) {
    const double lower = type7(v, p_lo);
    return {lower, type7(v, p_hi)};
  }
  std::vector<double> sample;
  for (std::size_t i = 0; i < n; i += kStride) sample.push_back(v[i]);
  const auto sample_at = [&](double p) {
    const auto k = static_cast<std::size_t>(std::clamp(p, 0.0, 1.0) * static_cast<double>(sample.size() - 1));
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(k), sample.end());
    return sample[k];
  };
  const double low_cut = sample_at(p_lo + kMargin), high_cut = sample_at(p_hi - kMargin);
  std::vector<double> low, high;
  for (const double x : v) {
    if (x <= low_cut) low.push_back(x);
    if (x >= high_cut) high.push_back(x);
  }
  // Order statistic k of v is order statistic k of `low` when low holds every value up to it: it
  // does when low has more than k + 1 values (all of v's smallest values are <= low_cut). The same
  // from the top for `high`.
  // Type 7 at p from `part`, in which v's order statistic k sits at k - offset.
  const auto pick = [&](std::vector<double>& part, std::size_t offset, std::size_t k, double p) {
    const double h = (static_cast<double>(n) - 1) * p;
    const auto at = [&](std::size_t j) { return part.begin() + static_cast<std::ptrdiff_t>(j); };
    std::nth_element(part.begin(), at(k - offset), part.end());
    const double below = part[k - offset];
    const double above = *std::min_element(at(k - offset + 1), part.end());
    return below + (h - static_cast<double>(k)) * (above - below);
  };
  const double lower = low.size() > k_lo + 1 ? pick(low, 0, k_lo, p_lo) : type7(v, p_lo);
  const double upper = high.size() > n - k_hi ? pick(high, n - high.size(), k_hi, p_hi) : type7(v, p_hi);
  return {lower, upper};
}

}  // namespace severn::stats
