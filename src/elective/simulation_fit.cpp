#include "elective/simulation_fit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/error.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

double dispersion(const std::vector<std::int64_t>& counts) {
  if (counts.size() < 2) return 1.0;
  const double mean = std::accumulate(counts.begin(), counts.end(), 0.0) / static_cast<double>(counts.size());
  if (mean <= 0) return 1.0;
  double ss = 0;
  for (auto c : counts) ss += (static_cast<double>(c) - mean) * (static_cast<double>(c) - mean);
  return std::max(1.0, ss / static_cast<double>(counts.size() - 1) / mean);
}

struct Tally {
  std::vector<double> exposure, stops;  // [class * bands + band]
  std::vector<double> removal_exposure, removals;  // [band]
  std::array<std::int64_t, kClasses> arrivals{};
  std::vector<std::int64_t> weekly_arrivals, weekly_stops;
  std::vector<std::int64_t> initial;
};

}  // namespace

FittedModels fit_models(const ReportedList& list, const FitOptions& o) {
  const std::int64_t K = (static_cast<std::int64_t>(o.census) - o.fit_from + 1) / kDaysPerWeek;
  if (K < 4) throw InputError("the fit window " + format_iso_date(o.fit_from) + " to " + format_iso_date(o.census) +
                              " holds fewer than 4 weeks");
  if (o.census > list.last_date) {
    throw InputError("the fit window ends on " + format_iso_date(o.census) + ", after the data (last date " +
                     format_iso_date(list.last_date) + ")");
  }
  const std::size_t B = o.bands;
  const Days w0 = o.census - static_cast<Days>(kDaysPerWeek * K);
  auto week_end = [&](std::int64_t k) { return static_cast<Days>(w0 + kDaysPerWeek * k); };

  std::map<int, Tally> tallies;
  for (const ReportedPeriod& p : list.periods) {
    if (p.transferred) continue;
    Tally& t = tallies[p.treatment_function];
    if (t.exposure.empty()) {
      t.exposure.assign(kClasses * B, 0);
      t.stops.assign(kClasses * B, 0);
      t.removal_exposure.assign(B, 0);
      t.removals.assign(B, 0);
      t.weekly_arrivals.assign(K, 0);
      t.weekly_stops.assign(K, 0);
      t.initial.assign(kClasses * B, 0);
    }
    const int c = std::clamp(p.priority, 0, kClasses - 1);
    const Days exit = p.exit();
    if (p.open_on(o.census)) {
      const auto b = static_cast<std::size_t>(completed_weeks(days_waited(p.clock_start, o.census)));
      ++t.initial[c * B + std::min(b, B - 1)];
    }
    // Week ends at which the period is open: k_first..k_last.
    const std::int64_t k_first = std::max<std::int64_t>(0, ceil_div(p.clock_start - w0, kDaysPerWeek));
    const std::int64_t k_last =
        exit == kStillOpen ? K : std::min<std::int64_t>(K, ceil_div(static_cast<std::int64_t>(exit) - w0, kDaysPerWeek) - 1);
    if (k_first > k_last) continue;
    // Arrival in week k_first - 1 (ending at W_k_first).
    if (k_first >= 1 && p.clock_start > week_end(k_first - 1)) {
      ++t.arrivals[c];
      ++t.weekly_arrivals[k_first - 1];
    }
    for (std::int64_t k = k_first; k <= std::min(k_last, K - 1); ++k) {
      const auto b = std::min(static_cast<std::size_t>(completed_weeks(days_waited(p.clock_start, week_end(k)))), B - 1);
      t.exposure[c * B + b] += 1;
      t.removal_exposure[b] += 1;
      if (k == k_last) {  // left in (W_k, W_k+1]
        if (p.stopped()) {
          t.stops[c * B + b] += 1;
          ++t.weekly_stops[k];
        } else {
          t.removals[b] += 1;
        }
      }
    }
  }

  // Which treatment functions get their own model.
  FittedModels out;
  out.weeks = static_cast<std::size_t>(K);
  std::vector<int> own, pooled;
  for (const auto& [tf, t] : tallies) {
    const std::int64_t listed = std::accumulate(t.initial.begin(), t.initial.end(), std::int64_t{0});
    const double arrivals = static_cast<double>(std::accumulate(t.arrivals.begin(), t.arrivals.end(), std::int64_t{0})) /
                            static_cast<double>(K);
    (listed >= o.min_list && arrivals >= o.min_arrivals_per_week ? own : pooled).push_back(tf);
  }
  std::vector<std::vector<int>> groups;
  if (!pooled.empty()) groups.push_back(pooled);
  for (int tf : own) groups.push_back({tf});

  for (const auto& group : groups) {
    Tally sum;
    sum.exposure.assign(kClasses * B, 0);
    sum.stops.assign(kClasses * B, 0);
    sum.removal_exposure.assign(B, 0);
    sum.removals.assign(B, 0);
    sum.weekly_arrivals.assign(K, 0);
    sum.weekly_stops.assign(K, 0);
    sum.initial.assign(kClasses * B, 0);
    for (int tf : group) {
      const Tally& t = tallies.at(tf);
      for (std::size_t i = 0; i < kClasses * B; ++i) {
        sum.exposure[i] += t.exposure[i];
        sum.stops[i] += t.stops[i];
        sum.initial[i] += t.initial[i];
      }
      for (std::size_t b = 0; b < B; ++b) {
        sum.removal_exposure[b] += t.removal_exposure[b];
        sum.removals[b] += t.removals[b];
      }
      for (int c = 0; c < kClasses; ++c) sum.arrivals[c] += t.arrivals[c];
      for (std::int64_t k = 0; k < K; ++k) {
        sum.weekly_arrivals[k] += t.weekly_arrivals[k];
        sum.weekly_stops[k] += t.weekly_stops[k];
      }
    }
    QueueModel m;
    m.treatment_function = group.size() == 1 && own.end() != std::find(own.begin(), own.end(), group[0]) ? group[0] : 0;
    m.bands = B;
    m.step_days = kDaysPerWeek;
    m.initial = sum.initial;
    for (int c = 0; c < kClasses; ++c) m.arrivals_per_step[c] = static_cast<double>(sum.arrivals[c]) / static_cast<double>(K);
    m.arrival_dispersion = dispersion(sum.weekly_arrivals);
    m.capacity_mode = CapacityMode::kRate;
    m.capacity_per_step = static_cast<double>(std::accumulate(sum.weekly_stops.begin(), sum.weekly_stops.end(), std::int64_t{0})) /
                          static_cast<double>(K);
    m.capacity_dispersion = dispersion(sum.weekly_stops);

    // Hazards over blocks of weeks: per class, falling back to all classes where thin.
    const std::size_t blk = std::max<std::size_t>(1, o.hazard_block_weeks);
    const std::size_t blocks = (B + blk - 1) / blk;
    std::vector<double> all_exp(blocks, 0), all_stop(blocks, 0), rem_exp(blocks, 0), rem(blocks, 0);
    for (std::size_t b = 0; b < B; ++b) {
      for (int c = 0; c < kClasses; ++c) {
        all_exp[b / blk] += sum.exposure[c * B + b];
        all_stop[b / blk] += sum.stops[c * B + b];
      }
      rem_exp[b / blk] += sum.removal_exposure[b];
      rem[b / blk] += sum.removals[b];
    }
    // A block nobody reached borrows the nearest shorter block's hazard.
    double last_all = 0, last_rem = 0;
    std::vector<double> all_h(blocks), rem_h(blocks);
    for (std::size_t j = 0; j < blocks; ++j) {
      if (all_exp[j] >= o.min_block_exposure) last_all = all_stop[j] / all_exp[j];
      if (rem_exp[j] >= o.min_block_exposure) last_rem = rem[j] / rem_exp[j];
      all_h[j] = last_all;
      rem_h[j] = last_rem;
    }
    m.treatment_weight.assign(kClasses * B, 0);
    m.removal_rate.assign(B, 0);
    for (int c = 0; c < kClasses; ++c) {
      for (std::size_t j = 0; j < blocks; ++j) {
        double e = 0, s = 0;
        for (std::size_t b = j * blk; b < std::min(B, (j + 1) * blk); ++b) {
          e += sum.exposure[c * B + b];
          s += sum.stops[c * B + b];
        }
        const double h = e >= o.min_block_exposure ? s / e : all_h[j];
        for (std::size_t b = j * blk; b < std::min(B, (j + 1) * blk); ++b) m.treatment_weight[c * B + b] = h;
      }
    }
    for (std::size_t b = 0; b < B; ++b) m.removal_rate[b] = std::min(1.0, rem_h[b / blk]);
    m.check();
    out.models.push_back(std::move(m));
    out.pooled_tfs.push_back(group);
  }
  return out;
}

}  // namespace severn::elective
