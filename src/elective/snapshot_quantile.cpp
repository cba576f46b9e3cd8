#include "elective/snapshot_quantile.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace severn::elective {

void WaitHistogram::add_band(int band, std::int64_t n) {
  if (band < 0) throw std::logic_error("WaitHistogram: negative band");
  const auto b = static_cast<std::size_t>(band);
  if (b >= bands_.size()) bands_.resize(b + 1, 0);
  bands_[b] += n;
}

void WaitHistogram::add(const WaitHistogram& other) {
  if (other.bands_.size() > bands_.size()) bands_.resize(other.bands_.size(), 0);
  for (std::size_t b = 0; b < other.bands_.size(); ++b) bands_[b] += other.bands_[b];
}

std::int64_t WaitHistogram::total() const { return std::accumulate(bands_.begin(), bands_.end(), std::int64_t{0}); }

std::int64_t WaitHistogram::within(int weeks) const {
  const auto end = std::min(bands_.size(), static_cast<std::size_t>(std::max(weeks, 0)));
  return std::accumulate(bands_.begin(), bands_.begin() + static_cast<std::ptrdiff_t>(end), std::int64_t{0});
}

std::optional<double> interpolated_weeks(const WaitHistogram& h, double p) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("interpolated_weeks: p must be in (0, 1)");
  const std::int64_t n = h.total();
  if (n == 0) return std::nullopt;
  const double position = p * static_cast<double>(n);
  double below = 0;  // pathways in the bands before this one
  const auto& bands = h.bands();
  for (std::size_t k = 0; k < bands.size(); ++k) {
    if (bands[k] == 0) continue;
    const double here = static_cast<double>(bands[k]);
    if (below + here >= position) return static_cast<double>(k) + (position - below) / here;
    below += here;
  }
  return static_cast<double>(bands.size());  // unreachable: position <= n
}

}  // namespace severn::elective
