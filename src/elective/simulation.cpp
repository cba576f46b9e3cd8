#include "elective/simulation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/parallel.h"
#include "elective/capacity.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

double draw_gamma(Rng& rng, double shape) {
  if (shape < 1.0) {
    // Boost a shape below 1: G(a) = G(a + 1) x U^(1/a).
    const double u = rng.uniform();
    return draw_gamma(rng, shape + 1.0) * std::pow(u > 0 ? u : 1e-300, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u > 0 ? u : 1e-300) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

std::int64_t draw_poisson(Rng& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 1e9) return rng.poisson(mean);
  return static_cast<std::int64_t>(std::llround(rng.normal(mean, std::sqrt(mean))));
}

std::int64_t draw_overdispersed(Rng& rng, double mean, double dispersion) {
  if (!(mean > 0)) return 0;
  if (dispersion <= 1.0) return draw_poisson(rng, mean);
  // Negative binomial with variance mean x dispersion: a gamma(shape k, scale mean / k) rate,
  // k = mean / (dispersion - 1), then Poisson.
  const double k = mean / (dispersion - 1.0);
  return draw_poisson(rng, draw_gamma(rng, k) * (mean / k));
}

double band_share_at_most(std::size_t band, double step_days, double days) {
  const double share = (days + 1.0 - static_cast<double>(band) * step_days) / step_days;
  return std::clamp(share, 0.0, 1.0);
}

ModelEffects resolve_effects(const Scenario& scenario, const QueueModel& model, Days start,
                             double total_capacity_per_step) {
  ModelEffects e;
  e.arrival_growth_per_step = std::pow(1.0 + scenario.referral_growth_per_year, model.step_days / 365.25);
  e.capacity_factor = 1.0 + scenario.capacity_uplift;
  if (total_capacity_per_step > 0 && model.capacity_mode == CapacityMode::kRate) {
    e.capacity_extra_per_step = scenario.capacity_extra_per_week * (model.step_days / kDaysPerWeek) *
                                (model.capacity_per_step / total_capacity_per_step);
  }
  e.policy = scenario.policy;
  for (const ValidationSprint& v : scenario.validation) {
    if (v.end <= start) continue;
    ModelEffects::Sprint s;
    // Step s covers days (start + (s-1) step, start + s step].
    const double from = std::max(0.0, static_cast<double>(v.start - start) / model.step_days);
    s.first_step = static_cast<std::size_t>(std::floor(from)) + 1;
    s.last_step = static_cast<std::size_t>(std::ceil(static_cast<double>(v.end - start) / model.step_days));
    s.min_band = static_cast<std::size_t>(std::ceil(v.min_weeks * kDaysPerWeek / model.step_days));
    s.rate = 1.0 - std::pow(1.0 - v.removal_rate_per_week, model.step_days / kDaysPerWeek);
    e.sprints.push_back(s);
  }
  return e;
}

namespace {

// The cells in the order an ordered policy treats them.
std::vector<std::uint32_t> treatment_order(const QueueModel& m, SelectionPolicy policy) {
  std::vector<std::uint32_t> order;
  order.reserve(kClasses * m.bands);
  for (std::size_t b = m.bands; b-- > 0;) {
    for (int c = 1; c <= kClasses; ++c) order.push_back(static_cast<std::uint32_t>(m.cell(c % kClasses, b)));
  }
  if (policy == SelectionPolicy::kWaitOverTarget) {
    auto key = [&](std::uint32_t cell) {
      const int c = static_cast<int>(cell / m.bands);
      const double waited_weeks = static_cast<double>(cell % m.bands + 1) * m.step_days / kDaysPerWeek;
      return waited_weeks / priority_target_weeks(c);
    };
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return key(a) > key(b); });
  }
  return order;
}

}  // namespace

void simulate_list(const QueueModel& model, const ModelEffects& effects, Rng& rng, std::size_t steps,
                   std::span<const std::size_t> record_after, std::vector<ListStats>& out, RunTotals* totals) {
  const std::size_t B = model.bands;
  std::vector<std::int64_t> n = model.initial;
  std::array<std::size_t, kClasses> hi{};  // bands [0, hi[c]) may be occupied
  std::int64_t size = 0;
  for (int c = 0; c < kClasses; ++c) {
    for (std::size_t b = 0; b < B; ++b) {
      if (n[model.cell(c, b)] > 0) hi[c] = b + 1;
      size += n[model.cell(c, b)];
    }
  }
  const double arrivals_mean = std::accumulate(model.arrivals_per_step.begin(), model.arrivals_per_step.end(), 0.0);
  std::vector<double> within(B), over(B);
  for (std::size_t b = 0; b < B; ++b) {
    within[b] = band_share_at_most(b, model.step_days, kDaysPerWeek * kStandardWeeks);
    over[b] = 1.0 - band_share_at_most(b, model.step_days, kDaysPerWeek * 52);
  }
  const std::vector<std::uint32_t> order = treatment_order(
      model, effects.policy == SelectionPolicy::kFitted ? SelectionPolicy::kLongestWaitFirst : effects.policy);
  std::vector<double> sprint_removal(B);
  const bool base_removal = std::any_of(model.removal_rate.begin(), model.removal_rate.end(), [](double r) { return r > 0; });
  RunTotals t;
  t.start_size = size;
  out.assign(record_after.size(), ListStats{});
  std::size_t next_record = 0;
  double growth = 1.0;

  for (std::size_t step = 1; step <= steps; ++step) {
    // 1. Treatments.
    std::int64_t capacity = 0;
    if (model.capacity_mode == CapacityMode::kRate) {
      const double mean = model.capacity_per_step * effects.capacity_factor + effects.capacity_extra_per_step;
      capacity = draw_overdispersed(rng, mean, model.capacity_dispersion);
    } else {
      const std::int64_t busy = std::min<std::int64_t>(size, model.servers);
      for (std::int64_t i = 0; i < busy; ++i) capacity += rng.uniform() < model.service_prob ? 1 : 0;
    }
    capacity = std::min(capacity, size);
    std::int64_t treated = 0;
    if (capacity > 0) {
      if (effects.policy == SelectionPolicy::kFitted) {
        double weight = 0;
        for (int c = 0; c < kClasses; ++c) {
          const std::int64_t* nc = &n[model.cell(c, 0)];
          const double* wc = &model.treatment_weight[model.cell(c, 0)];
          for (std::size_t b = 0; b < hi[c]; ++b) weight += wc[b] * static_cast<double>(nc[b]);
        }
        if (weight > 0) {
          const double lambda = static_cast<double>(capacity) / weight;
          double cum = rng.uniform();
          double floor_before = 0;
          for (int c = 0; c < kClasses; ++c) {
            std::int64_t* nc = &n[model.cell(c, 0)];
            const double* wc = &model.treatment_weight[model.cell(c, 0)];
            for (std::size_t b = 0; b < hi[c]; ++b) {
              if (nc[b] == 0) continue;
              cum += static_cast<double>(nc[b]) * std::min(1.0, lambda * wc[b]);
              const double f = std::floor(cum);
              const std::int64_t k = std::min(static_cast<std::int64_t>(f - floor_before), nc[b]);
              floor_before = f;
              nc[b] -= k;
              treated += k;
              t.treated_steps_waited += static_cast<double>(k) * static_cast<double>(b + 1);
            }
          }
        }
      }
      // Ordered policies take the whole capacity in order; under kFitted, capacity the fitted
      // pattern cannot use (its cells emptied, or hazards of 0 where nobody was treated in the
      // history) goes to the longest waiters rather than idle.
      if (treated < capacity) {
        std::int64_t left = capacity - treated;
        for (std::uint32_t cell : order) {
          if (left == 0) break;
          const std::int64_t k = std::min(left, n[cell]);
          if (k == 0) continue;
          n[cell] -= k;
          left -= k;
          treated += k;
          t.treated_steps_waited += static_cast<double>(k) * static_cast<double>(cell % B + 1);
        }
      }
    }
    size -= treated;

    // 2. Removals other than treatment (the fitted rates, raised during a validation sprint).
    const double* removal = model.removal_rate.data();
    bool any_removal = base_removal;
    bool sprint_now = false;
    for (const auto& s : effects.sprints) sprint_now = sprint_now || (step >= s.first_step && step <= s.last_step);
    if (sprint_now) {
      for (std::size_t b = 0; b < B; ++b) {
        double r = model.removal_rate[b];
        for (const auto& s : effects.sprints) {
          if (step >= s.first_step && step <= s.last_step && b >= s.min_band) r = 1.0 - (1.0 - r) * (1.0 - s.rate);
        }
        sprint_removal[b] = r;
        any_removal = any_removal || r > 0;
      }
      removal = sprint_removal.data();
    }
    std::int64_t removed = 0;
    if (any_removal && size > 0) {
      double expected = 0;
      for (int c = 0; c < kClasses; ++c) {
        const std::int64_t* nc = &n[model.cell(c, 0)];
        for (std::size_t b = 0; b < hi[c]; ++b) expected += removal[b] * static_cast<double>(nc[b]);
      }
      if (expected > 0) {
        const std::int64_t draws = std::min(draw_poisson(rng, expected), size);
        const double scale = static_cast<double>(draws) / expected;
        double cum = rng.uniform();
        double floor_before = 0;
        for (int c = 0; c < kClasses; ++c) {
          std::int64_t* nc = &n[model.cell(c, 0)];
          for (std::size_t b = 0; b < hi[c]; ++b) {
            if (nc[b] == 0) continue;
            cum += std::min(static_cast<double>(nc[b]), static_cast<double>(nc[b]) * removal[b] * scale);
            const double f = std::floor(cum);
            const std::int64_t k = std::min(static_cast<std::int64_t>(f - floor_before), nc[b]);
            floor_before = f;
            nc[b] -= k;
            removed += k;
          }
        }
      }
    }
    size -= removed;

    // 3. Waits grow by one step; the last band keeps its own.
    for (int c = 0; c < kClasses; ++c) {
      while (hi[c] > 0 && n[model.cell(c, hi[c] - 1)] == 0) --hi[c];
      if (hi[c] == 0) continue;
      std::int64_t* nc = &n[model.cell(c, 0)];
      if (hi[c] == B) {
        nc[B - 1] += nc[B - 2];
        for (std::size_t b = B - 2; b >= 1; --b) nc[b] = nc[b - 1];
      } else {
        for (std::size_t b = hi[c]; b >= 1; --b) nc[b] = nc[b - 1];
      }
      nc[0] = 0;
      hi[c] = std::min(hi[c] + 1, B);
    }

    // 4. Arrivals.
    growth *= effects.arrival_growth_per_step;
    std::int64_t arrived = 0;
    if (arrivals_mean > 0) {
      const std::int64_t a = draw_overdispersed(rng, arrivals_mean * growth, model.arrival_dispersion);
      double cum = rng.uniform();
      double floor_before = 0;
      for (int c = 0; c < kClasses; ++c) {
        cum += static_cast<double>(a) * model.arrivals_per_step[c] / arrivals_mean;
        const double f = std::floor(cum);
        const auto k = static_cast<std::int64_t>(f - floor_before);
        floor_before = f;
        if (k > 0) {
          n[model.cell(c, 0)] += k;
          hi[c] = std::max<std::size_t>(hi[c], 1);
          arrived += k;
        }
      }
    }
    size += arrived;

    t.arrivals += arrived;
    t.treated += treated;
    t.removed += removed;
    t.size_step_sum += static_cast<double>(size);

    while (next_record < record_after.size() && record_after[next_record] == step) {
      ListStats s;
      s.size = static_cast<double>(size);
      for (int c = 0; c < kClasses; ++c) {
        const std::int64_t* nc = &n[model.cell(c, 0)];
        for (std::size_t b = 0; b < hi[c]; ++b) {
          s.within_18_weeks += within[b] * static_cast<double>(nc[b]);
          s.over_52_weeks += over[b] * static_cast<double>(nc[b]);
        }
      }
      out[next_record++] = s;
    }
  }
  t.end_size = size;
  if (totals != nullptr) *totals = t;
}

MonthlyPlan monthly_plan(Days start, Days last, double step_days) {
  MonthlyPlan p;
  p.start = start;
  CivilDate d = civil_from_days(start);
  for (;;) {
    Days month_end = days_from_civil(d.year, d.month, days_in_month(d.year, d.month));
    if (month_end <= start) {
      d.month = d.month == 12 ? 1 : d.month + 1;
      if (d.month == 1) ++d.year;
      continue;
    }
    if (month_end > last) break;
    p.month_ends.push_back(month_end);
    const auto step = static_cast<std::size_t>(std::max(1.0, std::round((month_end - start) / step_days)));
    p.steps.push_back(step);
    d.month = d.month == 12 ? 1 : d.month + 1;
    if (d.month == 1) ++d.year;
  }
  return p;
}

MonteCarlo run_monte_carlo(std::span<const QueueModel> models, const Scenario& scenario, const MonthlyPlan& plan,
                           std::size_t runs, std::uint64_t seed, unsigned threads) {
  MonteCarlo mc;
  mc.runs = runs;
  mc.models = models.size();
  mc.months = plan.month_ends.size();
  mc.values.resize(runs * mc.models * mc.months);
  double total_capacity = 0;
  for (const QueueModel& m : models) {
    m.check();
    if (m.capacity_mode == CapacityMode::kRate) total_capacity += m.capacity_per_step;
  }
  std::vector<ModelEffects> effects;
  for (const QueueModel& m : models) effects.push_back(resolve_effects(scenario, m, plan.start, total_capacity));
  const std::uint64_t purpose = purpose_key("elective-simulation");
  parallel_for(runs, threads, [&](std::size_t run) {
    std::vector<ListStats> out;
    for (std::size_t m = 0; m < models.size(); ++m) {
      // A stream per (run, specialty): a specialty's runs are the same whichever others are simulated.
      Rng rng(seed, run, purpose ^ (static_cast<std::uint64_t>(models[m].treatment_function + 1) * 0x9E3779B97F4A7C15ull));
      simulate_list(models[m], effects[m], rng, plan.total_steps(), plan.steps, out, nullptr);
      std::copy(out.begin(), out.end(), mc.values.begin() + static_cast<std::ptrdiff_t>((run * mc.models + m) * mc.months));
    }
  });
  return mc;
}

Quantiles quantiles(std::vector<double>& v) {
  Quantiles q;
  if (v.empty()) return q;
  std::sort(v.begin(), v.end());
  auto at = [&](double p) {
    const double h = (static_cast<double>(v.size()) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  q.median = at(0.5);
  q.p5 = at(0.05);
  q.p25 = at(0.25);
  q.p75 = at(0.75);
  q.p95 = at(0.95);
  return q;
}

}  // namespace severn::elective
