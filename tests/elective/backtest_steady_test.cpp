// The backtest on a crafted history whose future is known: a steady list must be predicted
// closely, and a list that starts to grow after the fit window must show an error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/date.h"
#include "core/error.h"
#include "core/rng.h"
#include "elective/backtest.h"

namespace severn::elective {
namespace {

// Poisson clock starts (rate per day), each waiting an exponential time (mean days), two
// specialties; from `surge` on, arrivals of specialty 110 double.
ReportedList history(Days from, Days to, Days surge) {
  ReportedList list;
  list.providers = {"RXW"};
  Rng rng(77, 0, "backtest-history");
  for (Days d = from; d <= to; ++d) {
    for (int tf : {110, 130}) {
      const double rate = (tf == 110 ? 80.0 : 30.0) * (tf == 110 && d >= surge ? 2.0 : 1.0);
      const int n = rng.poisson(rate);
      for (int i = 0; i < n; ++i) {
        ReportedPeriod p;
        p.treatment_function = tf;
        p.clock_start = d;
        p.priority = rng.bernoulli(0.3) ? 3 : 0;
        const Days stop = d + 1 + static_cast<Days>(rng.exponential(tf == 110 ? 90.0 : 150.0));
        if (stop <= to) p.clock_stop = stop;
        list.periods.push_back(p);
      }
    }
  }
  list.first_start = from;
  list.last_date = to;
  return list;
}

BacktestOptions options() {
  BacktestOptions o;
  o.fit.fit_from = days_from_civil(2022, 4, 1);
  o.fit.census = days_from_civil(2023, 3, 31);
  o.horizon_months = 12;
  o.runs = 60;
  o.seed = 5;
  return o;
}

const BacktestSummary& at(const BacktestResult& r, int horizon, const std::string& stat) {
  for (const auto& s : r.summary) {
    if (s.horizon == horizon && s.statistic == stat) return s;
  }
  throw std::logic_error("no summary");
}

TEST(BacktestSteady, PredictsASteadyList) {
  const ReportedList list = history(days_from_civil(2019, 1, 1), days_from_civil(2024, 6, 30), kStillOpen);
  const BacktestResult r = run_backtest(list, options());
  EXPECT_EQ(r.points.size(), 12u * 3u * 2u);  // months x (2 specialties + all) x 2 statistics
  std::printf("steady: ICS APE at 6 months %.2f%%, 12 months %.2f%%, share at 12 %.2f%%\n", at(r, 6, "list_size").ics_ape,
              at(r, 12, "list_size").ics_ape, at(r, 12, "within_18_weeks_share").ics_ape);
  EXPECT_LT(at(r, 6, "list_size").ics_ape, 5.0);
  EXPECT_LT(at(r, 12, "list_size").ics_ape, 5.0);
  EXPECT_LT(at(r, 12, "within_18_weeks_share").ics_ape, 5.0);
  EXPECT_EQ(at(r, 12, "list_size").specialties, 2u);
  for (const BacktestPoint& p : r.points) {
    EXPECT_LE(p.predicted.p5, p.predicted.median);
    EXPECT_LE(p.predicted.median, p.predicted.p95);
  }
}

TEST(BacktestSteady, AnUnforeseenSurgeShowsAsError) {
  const ReportedList list = history(days_from_civil(2019, 1, 1), days_from_civil(2024, 6, 30), days_from_civil(2023, 4, 1));
  const BacktestResult r = run_backtest(list, options());
  EXPECT_GT(at(r, 12, "list_size").ics_ape, 20.0);
}

TEST(BacktestSteady, RefusesAHorizonPastTheData) {
  const ReportedList list = history(days_from_civil(2021, 1, 1), days_from_civil(2023, 12, 31), kStillOpen);
  EXPECT_THROW(run_backtest(list, options()), InputError);
}

}  // namespace
}  // namespace severn::elective
