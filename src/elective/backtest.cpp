#include "elective/backtest.h"

#include <cmath>
#include <map>

#include "core/error.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

BacktestResult run_backtest(const ReportedList& list, const BacktestOptions& o) {
  const FittedModels fitted = fit_models(list, o.fit);
  // The month ends after the census, as the simulation reports them.
  CivilDate c = civil_from_days(o.fit.census);
  for (int i = 0; i < o.horizon_months; ++i) {
    c.month = c.month == 12 ? 1 : c.month + 1;
    if (c.month == 1) ++c.year;
  }
  const Days last = days_from_civil(c.year, c.month, days_in_month(c.year, c.month));
  if (last > list.last_date) {
    throw InputError("the backtest compares month ends up to " + format_iso_date(last) + ", after the data (last date " +
                     format_iso_date(list.last_date) + ")");
  }
  const MonthlyPlan plan = monthly_plan(o.fit.census, last);
  const std::size_t months = plan.month_ends.size();
  const std::size_t M = fitted.models.size();

  // What the list held: per model and month end, size and within 18 weeks.
  std::map<int, std::size_t> model_of_tf;
  for (std::size_t m = 0; m < M; ++m) {
    for (int tf : fitted.pooled_tfs[m]) model_of_tf[tf] = m;
  }
  std::vector<std::int64_t> size(M * months, 0), within(M * months, 0);
  for (const ReportedPeriod& p : list.periods) {
    if (p.transferred) continue;
    const auto it = model_of_tf.find(p.treatment_function);
    if (it == model_of_tf.end()) continue;
    for (std::size_t k = 0; k < months; ++k) {
      const Days d = plan.month_ends[k];
      if (!p.open_on(d)) continue;
      ++size[it->second * months + k];
      if (within_weeks(days_waited(p.clock_start, d), kStandardWeeks)) ++within[it->second * months + k];
    }
  }

  Scenario status_quo;
  const MonteCarlo mc = run_monte_carlo(fitted.models, status_quo, plan, o.runs, o.seed, o.threads);

  BacktestResult r;
  r.pooled_tfs = fitted.pooled_tfs;
  std::vector<double> sizes(o.runs), shares(o.runs);
  auto add_points = [&](int tf, std::size_t k, std::int64_t actual_size, std::int64_t actual_within) {
    Quantiles qs = quantiles(sizes);
    Quantiles qh = quantiles(shares);
    BacktestPoint ps{tf, plan.month_ends[k], static_cast<int>(k + 1), "list_size", static_cast<double>(actual_size),
                     actual_size, qs, 0};
    ps.abs_pct_error = actual_size > 0 ? std::abs(qs.median - ps.actual) / ps.actual * 100.0 : NAN;
    const double share = actual_size > 0 ? static_cast<double>(actual_within) / static_cast<double>(actual_size) : NAN;
    BacktestPoint ph{tf, plan.month_ends[k], static_cast<int>(k + 1), "within_18_weeks_share", share, actual_size, qh, 0};
    ph.abs_pct_error = std::abs(qh.median - share) / share * 100.0;
    r.points.push_back(ps);
    r.points.push_back(ph);
  };
  for (std::size_t k = 0; k < months; ++k) {
    std::int64_t all_size = 0, all_within = 0;
    for (std::size_t m = 0; m < M; ++m) {
      for (std::size_t run = 0; run < o.runs; ++run) {
        const ListStats& s = mc.at(run, m, k);
        sizes[run] = s.size;
        shares[run] = s.size > 0 ? s.within_18_weeks / s.size : 0;
      }
      add_points(fitted.models[m].treatment_function, k, size[m * months + k], within[m * months + k]);
      all_size += size[m * months + k];
      all_within += within[m * months + k];
    }
    for (std::size_t run = 0; run < o.runs; ++run) {
      double sz = 0, w = 0;
      for (std::size_t m = 0; m < M; ++m) {
        sz += mc.at(run, m, k).size;
        w += mc.at(run, m, k).within_18_weeks;
      }
      sizes[run] = sz;
      shares[run] = sz > 0 ? w / sz : 0;
    }
    add_points(kAllSpecialties, k, all_size, all_within);
  }
  for (int h = 1; h <= static_cast<int>(months); ++h) {
    for (const char* stat : {"list_size", "within_18_weeks_share"}) {
      BacktestSummary s{h, stat, 0, 0, 0};
      double total = 0;
      for (const BacktestPoint& p : r.points) {
        if (p.horizon != h || p.statistic != stat || std::isnan(p.abs_pct_error)) continue;
        if (p.treatment_function == kAllSpecialties) {
          s.ics_ape = p.abs_pct_error;
        } else {
          total += p.abs_pct_error;
          ++s.specialties;
        }
      }
      s.mape_across_specialties = s.specialties > 0 ? total / static_cast<double>(s.specialties) : NAN;
      r.summary.push_back(s);
    }
  }
  return r;
}

}  // namespace severn::elective
