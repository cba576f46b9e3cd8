// Benchmark of the clock engine at the full store's size (about 1.9M pathways, 8M activity rows,
// 566,100 persons), on generated in-memory columns: derivation plus reconciliation on 2 threads
// must take at most 5 s of CPU time (issue 17 asks 5 s on 2 cores; the month-end snapshots share that budget, measured by
// bench/run_elective_clocks_bench.sh on a real store). Runs only when SEVERN_ELECTIVE_CLOCK_BENCH
// is set (it generates about 1 GB of columns); bench/run_elective_clocks_bench.sh sets it.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "clock_columns_support.h"
#include "core/date.h"

namespace severn::elective {
namespace {

using testing::ActivityTable;
using testing::ReportedTable;

struct Generated {
  ActivityTable a;
  ReportedTable r;
};

// One person's pathways: a realistic mix of outcomes (treated, not treated, declined, first-
// activity DNA, active monitoring then a new period, removal, transfer, still open) with about
// 2% of reported rows wrong.
void generate(Generated& g, std::size_t persons, std::size_t pathways) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0, 1);
  auto between = [&](int lo, int hi) { return lo + static_cast<int>(u(rng) * (hi - lo + 1)); };
  const Days first = days_from_civil(2015, 1, 1), last = days_from_civil(2024, 12, 31);
  struct Row {
    Days date;
    std::int32_t pathway;
    const char *type, *status, *provider, *outcome = "", *reason = "", *to = "";
  };
  std::vector<Row> rows;
  std::int32_t next_pathway = 0;
  for (std::size_t p = 0; p < persons; ++p) {
    const std::size_t mine = pathways / persons + (p < pathways % persons ? 1 : 0);
    rows.clear();
    for (std::size_t k = 0; k < mine; ++k) {
      const std::int32_t pw = next_pathway++;
      const char* prov = u(rng) < 0.8 ? "RXW" : "RL1";
      Days s = between(first, last);
      int period = 1;
      for (;;) {
        rows.push_back({s, pw, period == 1 ? "referral" : "active_monitoring_end", period == 1 ? "10" : "11", prov});
        const double o = u(rng);
        const Days e = s + between(20, 500);
        const bool open = e > last;
        Days stop = kStillOpen, removal = kStillOpen;
        const char* status = "";
        const char* reason = "";
        if (period == 1 && o < 0.05) {  // first-activity DNA
          if (!open) rows.push_back({e, pw, "outpatient_first", "33", prov}), stop = e, status = "33";
        } else {
          const Days f = s + between(7, 19);
          if (period == 1) rows.push_back({f, pw, "outpatient_first", "20", prov});
          if (u(rng) < 0.35) rows.push_back({f + 1, pw, "diagnostic", "20", prov});
          if (u(rng) < 0.4) rows.push_back({f + 2, pw, "validation", "20", prov, "still_waiting"});
          if (!open) {
            if (o < 0.55) {
              rows.push_back({f + 3, pw, "decision_to_admit", "20", prov});
              rows.push_back({e, pw, "admission", "30", prov}), status = "30";
            } else if (o < 0.75) {
              rows.push_back({e, pw, "outpatient_follow_up", "30", prov}), status = "30";
            } else if (o < 0.8) {
              rows.push_back({e, pw, "decision_not_to_treat", "34", prov}), status = "34";
            } else if (o < 0.83) {
              rows.push_back({e, pw, "patient_declined", "35", prov}), status = "35";
            } else if (o < 0.88) {
              rows.push_back({e, pw, "active_monitoring_start", "32", prov}), status = "32";
            } else if (o < 0.92) {
              rows.push_back({e, pw, "validation", "20", prov, "removed", "no_longer_required"});
              removal = e, reason = "no_longer_required";
            }
            if (*status) stop = e;
          }
        }
        // 2% of reported rows wrong: the start keyed as a later date, or a stopped period left open.
        const double err = u(rng);
        const Days reported_start = err < 0.01 ? s + 10 : s;
        if (err >= 0.01 && err < 0.02) stop = kStillOpen, status = "";
        g.r.add(static_cast<std::uint32_t>(p), pw, period, reported_start, stop, status, removal, reason, prov);
        if (std::string_view(status) == "32" && u(rng) < 0.3 && e + 120 < last) {
          s = e + between(90, 120);
          ++period;
          continue;
        }
        break;
      }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.date < y.date; });
    for (const Row& x : rows)
      g.a.add(static_cast<std::uint32_t>(p), x.pathway, x.date, x.type, x.status, x.provider, x.outcome, x.reason, x.to);
  }
}

TEST(ClockBench, FullStoreSizeDerivationAndReconciliationWithinBudget) {
  if (std::getenv("SEVERN_ELECTIVE_CLOCK_BENCH") == nullptr)
    GTEST_SKIP() << "set SEVERN_ELECTIVE_CLOCK_BENCH=1 to run the full-size benchmark (bench/run_elective_clocks_bench.sh)";
  const auto g0 = std::chrono::steady_clock::now();
  Generated g;
  generate(g, 566100, 1900000);
  const auto act = g.a.columns();
  const auto rep = g.r.columns();
  const double gen = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
  const auto cpu_seconds = [] {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  std::vector<double> times, cpu;
  std::size_t periods = 0, findings = 0;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    const ClockRun run = derive_clocks(act, &rep, 2);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    cpu.push_back(cpu_seconds() - c0);
    periods = run.periods.size();
    findings = run.findings.size();
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("clock bench: %zu activity rows, %zu reported rows, %zu derived periods, %zu findings; generated in %.1f s; "
              "derivation + reconciliation on 2 threads: median %.3f s wall (min %.3f, max %.3f), median %.3f s CPU "
              "(user + system, both threads; load average at the time matters on a shared machine)\n",
              act.rows(), rep.rows(), periods, findings, gen, times[1], times[0], times[2], cpu[1]);
  EXPECT_GT(act.rows(), 7000000U);
  // The budget is 5 s on 2 dedicated cores. The machine the tests run on is shared, so the test
  // holds the CPU time (both threads together) to it, which is no easier: 5 s of CPU is 2.5 s
  // of wall time on 2 idle cores.
  EXPECT_LE(cpu[1], 5.0);
}

}  // namespace
}  // namespace severn::elective
