// Weekly wait bands and the median / 92nd percentile of weeks waited, computed as NHS England's
// RTT statistics compute them: from the counts in weekly time bands, interpolating linearly within
// the band that holds the quantile (docs/elective/snapshots.md, "Median and 92nd percentile").
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/date.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

// The weekly band a wait of `waited_days` is published in. RTT statistics band waits as
// ">0-1 weeks", ">1-2 weeks", ...: band k holds waits of more than 7k days up to 7(k+1) days, and a
// wait of 0 days is in band 0. So a wait of exactly 126 days is in band 17 (">17-18 weeks", within
// 18 weeks) and 127 days in band 18: bands 0..N-1 are exactly "within N weeks" (rtt_weeks.h).
constexpr int wait_band(Days waited_days) { return waited_days <= 0 ? 0 : (waited_days - 1) / kDaysPerWeek; }

// Counts of pathways by weekly band (index = band). Grows as needed; never capped, so the top
// band is never open-ended (the published tables stop at ">104 weeks"; patient-level data need not).
class WaitHistogram {
 public:
  void add_wait(Days waited_days) { add_band(wait_band(waited_days)); }
  void add_band(int band, std::int64_t n = 1);
  void add(const WaitHistogram& other);
  void clear() { bands_.clear(); }
  std::int64_t total() const;
  // Waits within `weeks` weeks (at most 7*weeks days): bands 0..weeks-1.
  std::int64_t within(int weeks) const;
  // Waits over `weeks` weeks (more than 7*weeks days): bands weeks and above.
  std::int64_t over(int weeks) const { return total() - within(weeks); }
  const std::vector<std::int64_t>& bands() const { return bands_; }

 private:
  std::vector<std::int64_t> bands_;
};

// The `p` quantile (0 < p < 1) of weeks waited, by linear interpolation within weekly bands: with
// N pathways, the position is p*N; band k is the first whose cumulative count C_k (pathways in bands
// 0..k) reaches it; the value is k + (p*N - C_{k-1}) / n_k weeks, n_k the band's count, as if its
// pathways were spread evenly over the week from k to k+1. Empty histogram: nullopt.
std::optional<double> interpolated_weeks(const WaitHistogram& h, double p);

}  // namespace severn::elective
