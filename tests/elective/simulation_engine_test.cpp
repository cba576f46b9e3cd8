// The waiting-list simulation: conservation, reproducibility, selection policies, scenario
// effects, month-end plans and quantiles, and the fit on a crafted steady-state history.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/rng.h"
#include "elective/capacity_flows.h"
#include "elective/simulation.h"
#include "elective/simulation_fit.h"
#include "elective/simulation_uplift.h"

namespace severn::elective {
namespace {

QueueModel weekly_model(int tf, std::int64_t per_band, std::size_t filled_bands, double arrivals, double capacity) {
  QueueModel m;
  m.treatment_function = tf;
  m.bands = 105;
  m.initial.assign(kClasses * m.bands, 0);
  for (std::size_t b = 0; b < filled_bands; ++b) m.initial[m.cell(0, b)] = per_band;
  m.arrivals_per_step[0] = arrivals * 0.7;
  m.arrivals_per_step[3] = arrivals * 0.3;
  m.arrival_dispersion = 1.5;
  m.capacity_per_step = capacity;
  m.capacity_dispersion = 2.0;
  m.treatment_weight.assign(kClasses * m.bands, 0.0);
  for (int c = 0; c < kClasses; ++c) {
    for (std::size_t b = 0; b < m.bands; ++b) m.treatment_weight[m.cell(c, b)] = 0.01 + 0.002 * static_cast<double>(b);
  }
  m.removal_rate.assign(m.bands, 0.002);
  return m;
}

TEST(SimulationEngine, ConservesPathways) {
  const QueueModel m = weekly_model(110, 40, 60, 100, 95);
  Scenario sprint;
  sprint.validation.push_back({days_from_civil(2025, 4, 1), days_from_civil(2025, 9, 30), 12, 0.02});
  sprint.referral_growth_per_year = 0.05;
  const Days start = days_from_civil(2025, 3, 31);
  for (SelectionPolicy policy :
       {SelectionPolicy::kFitted, SelectionPolicy::kLongestWaitFirst, SelectionPolicy::kWaitOverTarget}) {
    sprint.policy = policy;
    const ModelEffects e = resolve_effects(sprint, m, start, m.capacity_per_step);
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed, 0, "conservation");
      std::vector<ListStats> out;
      RunTotals t;
      const std::size_t record[] = {10, 100, 209};
      simulate_list(m, e, rng, 209, record, out, &t);
      EXPECT_EQ(t.start_size, m.initial_size());
      EXPECT_EQ(t.end_size, t.start_size + t.arrivals - t.treated - t.removed) << policy_name(policy);
      EXPECT_DOUBLE_EQ(out.back().size, static_cast<double>(t.end_size));
      EXPECT_GT(t.arrivals, 0);
      EXPECT_GT(t.treated, 0);
      EXPECT_GT(t.removed, 0);
      for (const ListStats& s : out) {
        EXPECT_LE(s.within_18_weeks, s.size + 1e-9);
        EXPECT_LE(s.over_52_weeks, s.size + 1e-9);
        EXPECT_GE(s.within_18_weeks, 0);
      }
    }
  }
}

TEST(SimulationEngine, SameSeedSameOutputWhateverTheThreads) {
  std::vector<QueueModel> models{weekly_model(110, 30, 50, 60, 58), weekly_model(130, 10, 80, 20, 21)};
  const Days start = days_from_civil(2025, 3, 31);
  const MonthlyPlan plan = monthly_plan(start, days_from_civil(2026, 3, 31));
  Scenario s;
  const MonteCarlo a = run_monte_carlo(models, s, plan, 16, 42, 1);
  const MonteCarlo b = run_monte_carlo(models, s, plan, 16, 42, 2);
  const MonteCarlo c = run_monte_carlo(models, s, plan, 16, 43, 2);
  ASSERT_EQ(a.values.size(), b.values.size());
  bool differs = false;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_EQ(a.values[i].size, b.values[i].size);
    EXPECT_EQ(a.values[i].within_18_weeks, b.values[i].within_18_weeks);
    differs = differs || a.values[i].size != c.values[i].size;
  }
  EXPECT_TRUE(differs) << "another seed gave the same runs";
  // A specialty's runs do not depend on which others are simulated beside it.
  const MonteCarlo alone = run_monte_carlo(std::span<const QueueModel>(&models[1], 1), s, plan, 16, 42, 2);
  for (std::size_t run = 0; run < 16; ++run) {
    for (std::size_t k = 0; k < plan.month_ends.size(); ++k) EXPECT_EQ(alone.at(run, 0, k).size, a.at(run, 1, k).size);
  }
}

// Servers that finish every patient each step: exactly min(N, c) treated, no randomness.
QueueModel exact_capacity(std::size_t bands, int servers) {
  QueueModel m;
  m.bands = bands;
  m.initial.assign(kClasses * bands, 0);
  m.capacity_mode = CapacityMode::kServers;
  m.servers = servers;
  m.service_prob = 1.0;
  m.treatment_weight.assign(kClasses * bands, 1.0);
  m.removal_rate.assign(bands, 0.0);
  return m;
}

TEST(SimulationEngine, LongestWaitFirstTreatsTheLongestWaiters) {
  QueueModel m = exact_capacity(105, 5);
  m.initial[m.cell(0, 0)] = 5;
  m.initial[m.cell(0, 30)] = 5;  // 30 weeks: over 18
  ModelEffects e;
  e.policy = SelectionPolicy::kLongestWaitFirst;
  Rng rng(1, 0, "policy");
  std::vector<ListStats> out;
  const std::size_t record[] = {1};
  simulate_list(m, e, rng, 1, record, out, nullptr);
  EXPECT_DOUBLE_EQ(out[0].size, 5);
  EXPECT_DOUBLE_EQ(out[0].within_18_weeks, 5);  // the 30-week waiters went first
}

TEST(SimulationEngine, WaitOverTargetPutsUrgentPrioritiesFirst) {
  QueueModel m = exact_capacity(105, 5);
  m.initial[m.cell(1, 2)] = 5;   // P1 at 2 weeks: 3 weeks by the step / 1-week target = 3
  m.initial[m.cell(4, 30)] = 5;  // P4 at 30 weeks: 31 / 52.14 = 0.59
  ModelEffects e;
  e.policy = SelectionPolicy::kWaitOverTarget;
  Rng rng(1, 0, "policy");
  std::vector<ListStats> out;
  const std::size_t record[] = {1};
  simulate_list(m, e, rng, 1, record, out, nullptr);
  EXPECT_DOUBLE_EQ(out[0].within_18_weeks, 0);  // the P4s wait on
  e.policy = SelectionPolicy::kLongestWaitFirst;
  simulate_list(m, e, rng, 1, record, out, nullptr);
  EXPECT_DOUBLE_EQ(out[0].within_18_weeks, 5);
}

TEST(SimulationEngine, FittedPolicyFollowsTheHazards) {
  QueueModel m = exact_capacity(105, 10);
  m.initial[m.cell(0, 1)] = 100;
  m.initial[m.cell(0, 40)] = 100;
  std::fill(m.treatment_weight.begin(), m.treatment_weight.end(), 0.0);
  m.treatment_weight[m.cell(0, 40)] = 1.0;  // only the 40-week band is ever treated
  ModelEffects e;
  Rng rng(3, 0, "policy");
  std::vector<ListStats> out;
  const std::size_t record[] = {1};
  simulate_list(m, e, rng, 1, record, out, nullptr);
  EXPECT_DOUBLE_EQ(out[0].size, 190);
  EXPECT_DOUBLE_EQ(out[0].within_18_weeks, 100);
}

TEST(SimulationEngine, FittedPolicyGivesUnusableCapacityToTheLongestWaiters) {
  QueueModel m = exact_capacity(105, 30);
  m.initial[m.cell(0, 1)] = 10;
  m.initial[m.cell(0, 40)] = 10;
  m.initial[m.cell(0, 60)] = 10;
  std::fill(m.treatment_weight.begin(), m.treatment_weight.end(), 0.0);
  m.treatment_weight[m.cell(0, 1)] = 1.0;  // the history treated only short waiters
  ModelEffects e;
  Rng rng(3, 0, "policy");
  std::vector<ListStats> out;
  const std::size_t record[] = {1};
  RunTotals t;
  simulate_list(m, e, rng, 1, record, out, &t);
  EXPECT_EQ(t.treated, 30);  // 10 by the hazards, 20 more to the 60- and 40-week waiters
  EXPECT_DOUBLE_EQ(out[0].size, 0);
}

TEST(SimulationEngine, AgingCapsAtTheLastBandAndCountsThresholdsByDay) {
  QueueModel m = exact_capacity(20, 1);
  m.service_prob = 1e-12;  // practically nobody treated
  m.initial[m.cell(0, 17)] = 7;
  m.initial[m.cell(0, 19)] = 3;
  ModelEffects e;
  Rng rng(1, 0, "aging");
  std::vector<ListStats> out;
  const std::size_t record[] = {1, 5};
  simulate_list(m, e, rng, 5, record, out, nullptr);
  EXPECT_DOUBLE_EQ(out[1].size, 10);
  // After one week the 17-week band is in band 18 (126..132 days): 1 day in 7 within 18 weeks.
  EXPECT_NEAR(out[0].within_18_weeks, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(out[1].within_18_weeks, 0);
  EXPECT_DOUBLE_EQ(band_share_at_most(18, 7, 126), 1.0 / 7.0);
  EXPECT_DOUBLE_EQ(band_share_at_most(17, 7, 126), 1.0);
  EXPECT_DOUBLE_EQ(1.0 - band_share_at_most(52, 7, 364), 6.0 / 7.0);
}

TEST(SimulationEngine, ScenariosMoveTheListTheRightWay) {
  std::vector<QueueModel> models{weekly_model(110, 40, 60, 100, 100)};
  const Days start = days_from_civil(2025, 3, 31);
  const MonthlyPlan plan = monthly_plan(start, days_from_civil(2027, 3, 31));
  auto median_end = [&](const Scenario& s) {
    const MonteCarlo mc = run_monte_carlo(models, s, plan, 40, 7, 2);
    std::vector<double> v;
    for (std::size_t r = 0; r < mc.runs; ++r) v.push_back(mc.at(r, 0, mc.months - 1).size);
    return quantiles(v).median;
  };
  Scenario base, growth, capacity, extra;
  growth.referral_growth_per_year = 0.05;
  capacity.capacity_uplift = 0.10;
  extra.capacity_extra_per_week = 10;
  const double b = median_end(base);
  EXPECT_GT(median_end(growth), b + 500);
  EXPECT_LT(median_end(capacity), b - 500);
  EXPECT_LT(median_end(extra), b - 500);
}

TEST(SimulationEngine, SprintStepsCoverTheDates) {
  QueueModel m = weekly_model(1, 1, 1, 1, 1);
  Scenario s;
  const Days start = days_from_civil(2025, 3, 31);
  s.validation.push_back({start + 1, start + 28, 12, 0.5});
  const ModelEffects e = resolve_effects(s, m, start, 1);
  ASSERT_EQ(e.sprints.size(), 1u);
  EXPECT_EQ(e.sprints[0].first_step, 1u);
  EXPECT_EQ(e.sprints[0].last_step, 4u);
  EXPECT_EQ(e.sprints[0].min_band, 12u);
  EXPECT_DOUBLE_EQ(e.sprints[0].rate, 0.5);
}

TEST(SimulationEngine, MonthlyPlanAndQuantiles) {
  const MonthlyPlan p = monthly_plan(days_from_civil(2025, 3, 31), days_from_civil(2029, 3, 31));
  ASSERT_EQ(p.month_ends.size(), 48u);
  EXPECT_EQ(format_iso_date(p.month_ends.front()), "2025-04-30");
  EXPECT_EQ(format_iso_date(p.month_ends.back()), "2029-03-31");
  EXPECT_EQ(p.steps.front(), 4u);    // 30 days: 4 weeks (28 days) is nearest
  EXPECT_EQ(p.total_steps(), 209u);  // 1461 days / 7 = 208.7
  std::vector<double> v{5, 1, 4, 2, 3};
  const Quantiles q = quantiles(v);
  EXPECT_DOUBLE_EQ(q.median, 3);
  EXPECT_DOUBLE_EQ(q.p25, 2);
  EXPECT_DOUBLE_EQ(q.p5, 1.2);
  EXPECT_DOUBLE_EQ(q.p95, 4.8);
}

TEST(SimulationEngine, OverdispersedDrawsHaveTheFittedVariance) {
  Rng rng(9, 0, "nb");
  double sum = 0, ss = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const auto x = static_cast<double>(draw_overdispersed(rng, 50, 3));
    sum += x;
    ss += x * x;
  }
  const double mean = sum / n, var = ss / n - mean * mean;
  EXPECT_NEAR(mean, 50, 0.5);
  EXPECT_NEAR(var / mean, 3, 0.25);
}

// A steady history: one clock start a day, each clock stopping after 143 days (20 weeks 3 days).
ReportedList steady_history(Days from, Days to) {
  ReportedList list;
  list.providers = {"RXW"};
  for (Days d = from; d <= to; ++d) {
    ReportedPeriod p;
    p.treatment_function = 110;
    p.clock_start = d;
    if (d + 143 <= to) p.clock_stop = d + 143;
    list.periods.push_back(p);
  }
  list.first_start = from;
  list.last_date = to;
  return list;
}

TEST(SimulationFit, RecoversASteadyHistory) {
  const Days from = days_from_civil(2021, 1, 1), to = days_from_civil(2024, 12, 31);
  const ReportedList list = steady_history(from, to);
  FitOptions o;
  o.census = days_from_civil(2024, 3, 31);
  o.fit_from = o.census - 7 * 52 + 1;
  const FittedModels f = fit_models(list, o);
  ASSERT_EQ(f.models.size(), 1u);
  const QueueModel& m = f.models[0];
  EXPECT_EQ(m.treatment_function, 110);
  EXPECT_EQ(f.weeks, 52u);
  EXPECT_DOUBLE_EQ(m.arrivals_per_step[0], 7.0);
  EXPECT_DOUBLE_EQ(m.capacity_per_step, 7.0);
  EXPECT_DOUBLE_EQ(m.capacity_dispersion, 1.0);
  EXPECT_EQ(m.initial_size(), 143);
  const auto bands = list_by_weeks_waited(list, FlowScope{}, o.census, m.bands);
  for (std::size_t b = 0; b < m.bands; ++b) EXPECT_EQ(m.initial[m.cell(0, b)], bands[b]);
  // Treated only from the bands at 19-20 weeks at the week's start: blocks 16-19 and 20-23.
  for (std::size_t b = 0; b < 16; ++b) EXPECT_EQ(m.treatment_weight[m.cell(0, b)], 0.0) << b;
  EXPECT_GT(m.treatment_weight[m.cell(0, 19)], 0.0);
  EXPECT_GT(m.treatment_weight[m.cell(0, 20)], 0.0);
  for (double r : m.removal_rate) EXPECT_EQ(r, 0.0);
}

TEST(SimulationFit, PoolsSmallSpecialtiesAndLeavesTransfersOut) {
  const Days from = days_from_civil(2023, 1, 1), to = days_from_civil(2024, 12, 31);
  ReportedList list = steady_history(from, to);
  ReportedPeriod small;
  small.treatment_function = 502;
  small.clock_start = to - 30;
  list.periods.push_back(small);
  ReportedPeriod moved = small;
  moved.treatment_function = 110;
  moved.removal = to;
  moved.transferred = true;
  list.periods.push_back(moved);
  FitOptions o;
  o.census = to - 1;
  o.fit_from = o.census - 7 * 20 + 1;
  const FittedModels f = fit_models(list, o);
  ASSERT_EQ(f.models.size(), 2u);
  EXPECT_EQ(f.models[0].treatment_function, 0);
  EXPECT_EQ(f.pooled_tfs[0], std::vector<int>{502});
  EXPECT_EQ(f.models[1].initial_size(), 143);  // the transferred-out row is not on the list
  EXPECT_THROW(
      {
        FitOptions late = o;
        late.census = to + 10;
        fit_models(list, late);
      },
      InputError);
}

}  // namespace
}  // namespace severn::elective

namespace severn::elective {
namespace {

TEST(SimulationUplift, FindsTheSmallestUpliftReachingTheTarget) {
  // 60 weeks of waits spread evenly, demand equal to capacity: about a third within 18 weeks.
  std::vector<QueueModel> models{weekly_model(110, 30, 60, 100, 100)};
  const Days start = days_from_civil(2025, 3, 31);
  const MonthlyPlan plan = monthly_plan(start, days_from_civil(2027, 3, 31));
  UpliftSearch s;
  s.runs = 20;
  s.iterations = 8;
  s.seed = 3;
  const UpliftResult r = uplift_to_reach(models, Scenario{}, plan, s);
  ASSERT_TRUE(r.reached);
  EXPECT_LT(r.baseline_share, 0.92);
  EXPECT_GE(r.median_share, 0.92);
  EXPECT_GT(r.uplift, 0.0);
  // One resolution step less falls short.
  Scenario less;
  less.capacity_uplift = r.uplift - s.max_uplift / (1 << s.iterations);
  const MonteCarlo mc = run_monte_carlo(models, less, plan, s.runs, s.seed, s.threads);
  std::vector<double> shares;
  for (std::size_t run = 0; run < mc.runs; ++run) {
    const ListStats& x = mc.at(run, 0, mc.months - 1);
    shares.push_back(x.within_18_weeks / x.size);
  }
  EXPECT_LT(quantiles(shares).median, 0.92);
  // A list already within the standard needs nothing.
  std::vector<QueueModel> fine{weekly_model(120, 50, 5, 20, 30)};
  const UpliftResult none = uplift_to_reach(fine, Scenario{}, plan, s);
  EXPECT_TRUE(none.reached);
  EXPECT_EQ(none.uplift, 0.0);
}

}  // namespace
}  // namespace severn::elective
