// The policy simulation (policy_simulation.h) on crafted lists: each policy's order, patients
// conserved, determinism per seed, the same arrivals under every policy, and the comparison
// table's disclosure control.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv_table.h"
#include "elective/policy_comparison.h"
#include "elective/policy_inputs.h"
#include "elective/policy_simulation.h"

namespace severn::elective {
namespace {

SimPatient patient(int priority, Days waited, double static_score = 0, int imd = 3) {
  SimPatient p;
  p.priority = priority;
  p.waited = waited;
  p.static_score = static_score;
  p.imd_quintile = imd;
  return p;
}

SimInputs one_queue(double capacity, std::vector<SimPatient> waiting) {
  SimInputs in;
  in.queues.push_back({"RXW", 110, capacity, 0, {}});
  in.waiting = std::move(waiting);
  return in;
}

SimOptions options(std::vector<int> horizons, std::uint64_t seed = 7) {
  SimOptions o;
  o.horizons_weeks = std::move(horizons);
  o.seed = seed;
  o.time_score = &default_time_score;
  return o;
}

TEST(PolicySimulation, PriorityThenWaitTreatsAnOverdueP2BeforeALongerWaitingP4) {
  const SimInputs in = one_queue(1, {patient(4, 400), patient(2, 35)});
  const SimResult ptw = simulate_policy(in, SchedulingPolicy::kPriorityThenWait, options({1}));
  ASSERT_EQ(ptw.horizons.size(), 1u);
  ASSERT_EQ(ptw.horizons[0].treated.size(), 1u);
  EXPECT_EQ(ptw.horizons[0].treated[0].waited, 35);
  ASSERT_EQ(ptw.horizons[0].waiting.size(), 1u);
  EXPECT_EQ(ptw.horizons[0].waiting[0].priority, 4);
  EXPECT_EQ(ptw.horizons[0].waiting[0].waited, 407);  // aged a week
  // The equity-aware score agrees here (55 against 31.9: priority_score_test).
  EXPECT_EQ(simulate_policy(in, SchedulingPolicy::kEquityAware, options({1})).horizons[0].treated[0].waited, 35);
  // Longest wait first treats the P4.
  EXPECT_EQ(simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({1})).horizons[0].treated[0].waited, 400);
}

TEST(PolicySimulation, LongestWaitFirstTreatsInOrderOfWait) {
  const SimInputs in = one_queue(1, {patient(3, 10), patient(1, 50), patient(4, 30)});
  const SimResult r = simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({3}));
  ASSERT_EQ(r.horizons[0].treated.size(), 3u);
  // Treated one a week, each a week older than when the week before's was chosen.
  EXPECT_EQ(r.horizons[0].treated[0].waited, 50);
  EXPECT_EQ(r.horizons[0].treated[1].waited, 37);
  EXPECT_EQ(r.horizons[0].treated[2].waited, 24);
  EXPECT_TRUE(r.horizons[0].waiting.empty());
}

TEST(PolicySimulation, EquityAwareUsesTheStaticComponentsAtEqualWaits) {
  const SimInputs in = one_queue(1, {patient(4, 100, 10, 3), patient(4, 100, 20, 1)});
  const SimResult r = simulate_policy(in, SchedulingPolicy::kEquityAware, options({1}));
  EXPECT_EQ(r.horizons[0].treated[0].imd_quintile, 1);
  // Longest wait first breaks the tie by list order instead.
  EXPECT_EQ(simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({1})).horizons[0].treated[0].imd_quintile, 3);
}

SimInputs busy_list() {
  SimInputs in;
  for (int q = 0; q < 3; ++q) {
    SimQueue sq{"P" + std::to_string(q), 100 + q, 4.6 + q, 4.0 + q, {}};
    for (int t = 0; t < 20; ++t) sq.arrival_templates.push_back(patient(1 + t % 4, 0, t % 7, 1 + t % 5));
    in.queues.push_back(sq);
  }
  for (int i = 0; i < 300; ++i) {
    SimPatient p = patient(1 + i % 4, (i * 37) % 500, i % 11, 1 + i % 5);
    p.queue = static_cast<std::uint32_t>(i % 3);
    in.waiting.push_back(p);
  }
  return in;
}

TEST(PolicySimulation, PatientsAreConservedUnderEveryPolicy) {
  const SimInputs in = busy_list();
  for (const auto p : {SchedulingPolicy::kLongestWaitFirst, SchedulingPolicy::kPriorityThenWait, SchedulingPolicy::kEquityAware}) {
    const SimResult r = simulate_policy(in, p, options({26, 52}));
    EXPECT_EQ(r.initial, 300u);
    EXPECT_GT(r.arrived, 0u);
    EXPECT_EQ(r.initial + r.arrived, r.treated + r.still_waiting) << policy_name(p);
    EXPECT_EQ(r.horizons.back().waiting.size(), r.still_waiting);
    EXPECT_EQ(r.horizons.back().treated.size(), r.treated);
  }
}

TEST(PolicySimulation, TheSameSeedGivesTheSameRunAndEveryPolicySeesTheSameArrivals) {
  const SimInputs in = busy_list();
  const SimResult a = simulate_policy(in, SchedulingPolicy::kEquityAware, options({52}, 11));
  const SimResult b = simulate_policy(in, SchedulingPolicy::kEquityAware, options({52}, 11));
  ASSERT_EQ(a.horizons[0].waiting.size(), b.horizons[0].waiting.size());
  for (std::size_t i = 0; i < a.horizons[0].waiting.size(); ++i) {
    EXPECT_EQ(a.horizons[0].waiting[i].waited, b.horizons[0].waiting[i].waited);
    EXPECT_EQ(a.horizons[0].waiting[i].imd_quintile, b.horizons[0].waiting[i].imd_quintile);
  }
  EXPECT_EQ(a.treated, b.treated);
  const SimResult lwf = simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({52}, 11));
  EXPECT_EQ(lwf.arrived, a.arrived);
  EXPECT_EQ(lwf.treated, a.treated);  // the same capacity draws
  const SimResult other = simulate_policy(in, SchedulingPolicy::kEquityAware, options({52}, 12));
  EXPECT_NE(other.arrived, a.arrived);
}

TEST(PolicySimulation, RefusesBadHorizons) {
  const SimInputs in = one_queue(1, {patient(1, 1)});
  EXPECT_THROW(simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({26, 26})), std::invalid_argument);
  EXPECT_THROW(simulate_policy(in, SchedulingPolicy::kLongestWaitFirst, options({0})), std::invalid_argument);
  SimOptions no_score = options({1});
  no_score.time_score = nullptr;
  EXPECT_THROW(simulate_policy(in, SchedulingPolicy::kEquityAware, no_score), std::invalid_argument);
}

TEST(PolicyComparison, QuantilesAreNearestRankInCompletedWeeks) {
  EXPECT_EQ(quantile_weeks({7, 14, 21, 28}, 0.5), 2);
  EXPECT_EQ(quantile_weeks({7, 14, 21, 28}, 0.92), 4);
  EXPECT_EQ(quantile_weeks({13}, 0.5), 1);
  EXPECT_EQ(quantile_weeks({}, 0.5), -1);
}

TEST(PolicyComparison, SmallGroupsAreWithheldAndCountsRounded) {
  SimResult r;
  r.policy = SchedulingPolicy::kLongestWaitFirst;
  HorizonState h;
  h.weeks = 26;
  for (int i = 0; i < 40; ++i) h.waiting.push_back({static_cast<Days>(100 + i * 3), 4, 3, 0});  // quintile 3, White
  for (int i = 0; i < 3; ++i) h.waiting.push_back({200, 4, 1, 2});                             // quintile 1, Asian
  r.horizons.push_back(h);
  const disclosure::Policy policy;
  const CsvTable t = CsvTable::parse(policy_comparison_csv({r}, policy, true), "policy_comparison.csv");
  std::string q1, q3, all, asian;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (t.cell(i, "breakdown") == "imd_quintile" && t.cell(i, "group") == "1") q1 = t.cell(i, "waiting") + "|" + t.cell(i, "median_weeks_waited");
    if (t.cell(i, "breakdown") == "imd_quintile" && t.cell(i, "group") == "3") q3 = t.cell(i, "waiting");
    if (t.cell(i, "breakdown") == "ethnicity_group" && t.cell(i, "group") == "Asian or Asian British") asian = t.cell(i, "waiting");
    if (t.cell(i, "breakdown") == "all") all = t.cell(i, "waiting");
  }
  EXPECT_EQ(q1, "[c]|[c]");
  EXPECT_EQ(asian, "[c]");
  // 40 in quintile 3 would give the 3 away (43 - 40): it is withheld too, and the total rounded.
  EXPECT_EQ(q3, "[c]");
  EXPECT_EQ(all, "45");
  // Without control, exact counts.
  const CsvTable exact = CsvTable::parse(policy_comparison_csv({r}, policy, false), "policy_comparison.csv");
  for (std::size_t i = 0; i < exact.rows(); ++i)
    if (exact.cell(i, "breakdown") == "imd_quintile" && exact.cell(i, "group") == "1") {
      EXPECT_EQ(exact.cell(i, "waiting"), "3");
    }
}

}  // namespace
}  // namespace severn::elective
