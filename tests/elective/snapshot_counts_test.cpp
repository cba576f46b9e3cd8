// Snapshot counts on crafted periods, every figure computed by hand: the 18-week and 52-week edges,
// the day a period starts and ends, removals, transfers and nullified clocks.
#include <gtest/gtest.h>

#include "elective/snapshot.h"

namespace severn::elective {
namespace {

const Days kDay = days_from_civil(2024, 12, 31);

ClockPeriod period(std::string provider, int function, Days start, Days end = kStillOpen,
                   PeriodEnd kind = PeriodEnd::kOpen) {
  ClockPeriod p;
  p.provider_code = std::move(provider);
  p.treatment_function = function;
  p.clock_start = start;
  p.end = end;
  p.end_kind = end == kStillOpen ? PeriodEnd::kOpen : kind;
  return p;
}

WaitFigures all_on(const std::vector<ClockPeriod>& periods, Days day) {
  return compute_snapshots(periods, {day}).days.at(0).all;
}

TEST(SnapshotCounts, ExactlyOneHundredTwentySixDaysIsWithinEighteenWeeks) {
  const auto f = all_on({period("RXW", 110, kDay - 126), period("RXW", 110, kDay - 127)}, kDay);
  EXPECT_EQ(f.incomplete, 2);
  EXPECT_EQ(f.within_18_weeks, 1);  // 126 days: within; 127 days: over
  EXPECT_EQ(f.over_52_weeks, 0);
}

TEST(SnapshotCounts, FiftyTwoWeeksIsMoreThan364Days) {
  const auto f = all_on({period("RXW", 110, kDay - 364), period("RXW", 110, kDay - 365)}, kDay);
  EXPECT_EQ(f.incomplete, 2);
  EXPECT_EQ(f.within_18_weeks, 0);
  EXPECT_EQ(f.over_52_weeks, 1);  // 365 days only
  const auto g = all_on({period("RXW", 110, kDay - 455), period("RXW", 110, kDay - 456),
                         period("RXW", 110, kDay - 546), period("RXW", 110, kDay - 547),
                         period("RXW", 110, kDay - 728), period("RXW", 110, kDay - 729)},
                        kDay);
  EXPECT_EQ(g.over_52_weeks, 6);
  EXPECT_EQ(g.over_65_weeks, 5);   // 455 = 65 weeks exactly is not over
  EXPECT_EQ(g.over_78_weeks, 3);   // 546 = 78 weeks is not over; 547 is
  EXPECT_EQ(g.over_104_weeks, 1);  // 728 = 104 weeks is not over; 729 is
}

TEST(SnapshotCounts, OpenOnTheDayItStartsNotOnTheDayItEnds) {
  const std::vector<ClockPeriod> p = {
      period("RXW", 110, kDay),                                     // starts today: waited 0 days
      period("RXW", 110, kDay - 30, kDay, PeriodEnd::kClockStop),   // stopped today: gone
      period("RXW", 110, kDay - 30, kDay + 1, PeriodEnd::kClockStop),  // stops tomorrow: still here
      period("RXW", 110, kDay + 1),                                 // starts tomorrow
  };
  const auto f = all_on(p, kDay);
  EXPECT_EQ(f.incomplete, 2);
  EXPECT_EQ(f.within_18_weeks, 2);
}

TEST(SnapshotCounts, RemovalsLeaveTheListOnTheirDayAndNullifiedPeriodsNeverCount) {
  const std::vector<ClockPeriod> p = {
      period("RXW", 110, kDay - 200, kDay, PeriodEnd::kRemoved),
      period("RXW", 110, kDay - 200, kDay + 5, PeriodEnd::kRemoved),
      period("RXW", 110, kDay - 10, kDay + 5, PeriodEnd::kNullified),
  };
  EXPECT_EQ(all_on(p, kDay).incomplete, 1);
  EXPECT_EQ(all_on(p, kDay - 1).incomplete, 2);
}

TEST(SnapshotCounts, ATransferMovesThePathwayWithItsClock) {
  // Transferred from RXW to RL1 on day t: RXW's period ends then; RL1's period of the same pathway
  // and RTT period keeps the original clock start (the clock runs on) and is on RL1's list from t.
  const Days t = kDay - 10, start = kDay - 150;
  std::vector<ClockPeriod> p = {period("RXW", 110, start, t, PeriodEnd::kTransferred), period("RL1", 110, start)};
  for (auto& q : p) q.pathway = 7;
  p[0].removal_reason = "transferred";
  const Snapshots s = compute_snapshots(p, {t - 1, t});
  ASSERT_EQ(s.providers, (std::vector<std::string>{"RL1", "RXW"}));
  EXPECT_EQ(s.days[0].all.incomplete, 1);         // the day before: once, at RXW
  EXPECT_EQ(s.days[0].by_a[1].incomplete, 1);
  EXPECT_EQ(s.days[1].all.incomplete, 1);         // the transfer day: once, at RL1
  EXPECT_EQ(s.days[1].by_a[0].incomplete, 1);
  EXPECT_EQ(s.days[1].by_a[1].incomplete, 0);
  EXPECT_EQ(s.days[1].all.within_18_weeks, 0);  // 140 days: the clock ran on
  // Another pathway's transfer changes nothing here.
  p[1].pathway = 8;
  EXPECT_EQ(compute_snapshots(p, {t - 1}).days[0].all.incomplete, 2);
}

TEST(SnapshotCounts, MarginsSumTheCells) {
  const std::vector<ClockPeriod> p = {period("RXW", 110, kDay - 1), period("RXW", 120, kDay - 200),
                                      period("RL1", 110, kDay - 400), period("RL1", 110, kDay - 5)};
  const Snapshots s = compute_snapshots(p, {kDay, kDay - 100});
  ASSERT_EQ(s.dates, (std::vector<Days>{kDay - 100, kDay}));
  ASSERT_EQ(s.functions, (std::vector<int>{110, 120}));
  const auto& d = s.days[1];
  EXPECT_EQ(d.all.incomplete, 4);
  EXPECT_EQ(d.by_a[0].incomplete, 2);         // RL1
  EXPECT_EQ(d.by_b[0].incomplete, 3);         // 110
  EXPECT_EQ(d.by_ab[0 * 2 + 0].incomplete, 2);  // RL1 110
  EXPECT_EQ(d.by_ab[1 * 2 + 1].incomplete, 1);  // RXW 120
  EXPECT_EQ(d.by_ab[0].over_52_weeks, 1);
  EXPECT_EQ(s.days[0].all.incomplete, 2);  // 100 days earlier: the 200- and 400-day waits
}

TEST(SnapshotCounts, TheSweepAgreesWithCountingEveryPeriodOnEveryDay) {
  std::vector<ClockPeriod> p;
  std::uint32_t x = 12345;
  const auto next = [&] { return x = x * 1103515245u + 12345u, (x >> 8) % 1000; };
  for (int i = 0; i < 3000; ++i) {
    const Days start = kDay - 900 + static_cast<Days>(next());
    const Days len = static_cast<Days>(next() % 700);
    p.push_back(period(i % 3 ? "RXW" : "RL1", 100 + 10 * static_cast<int>(next() % 4), start,
                       next() % 5 ? start + len : kStillOpen, PeriodEnd::kClockStop));
  }
  const std::vector<Days> days = month_ends(kDay - 900, kDay + 100);
  const Snapshots s = compute_snapshots(p, days);
  for (std::size_t d = 0; d < days.size(); ++d) {
    std::int64_t open = 0, within = 0, over52 = 0;
    for (const auto& q : p)
      if (q.open_on(days[d])) {
        ++open;
        within += days[d] - q.clock_start <= 126;
        over52 += days[d] - q.clock_start > 364;
      }
    EXPECT_EQ(s.days[d].all.incomplete, open) << format_iso_date(days[d]);
    EXPECT_EQ(s.days[d].all.within_18_weeks, within);
    EXPECT_EQ(s.days[d].all.over_52_weeks, over52);
  }
}

TEST(SnapshotDates, MonthEndsAndSundays) {
  EXPECT_EQ(month_ends(days_from_civil(2024, 11, 15), days_from_civil(2025, 2, 10)),
            (std::vector<Days>{days_from_civil(2024, 11, 30), days_from_civil(2024, 12, 31),
                               days_from_civil(2025, 1, 31)}));
  EXPECT_EQ(month_end_of(days_from_civil(2024, 2, 3)), days_from_civil(2024, 2, 29));
  // 2025-03-31 was a Monday: the last week ended on Sunday 30 March.
  const auto w = week_ends(days_from_civil(2025, 3, 31), 26);
  ASSERT_EQ(w.size(), 26u);
  EXPECT_EQ(w.back(), days_from_civil(2025, 3, 30));
  EXPECT_EQ(w.front(), days_from_civil(2025, 3, 30) - 25 * 7);
  EXPECT_EQ(week_ends(days_from_civil(2025, 3, 30), 1).back(), days_from_civil(2025, 3, 30));
}

TEST(SnapshotDates, TheHistoryStartsInTheFirstMonthWithAFullShareOfExits) {
  EXPECT_FALSE(history_start({period("RXW", 110, kDay - 9)}));
  // One early stop in August 2024 (a period that started and closed before the history), then 8
  // exits a month from October: the median month has 8, a quarter is 2, so October starts it.
  std::vector<ClockPeriod> p = {period("RXW", 110, kDay - 200, days_from_civil(2024, 8, 3), PeriodEnd::kClockStop)};
  for (int m = 10; m <= 12; ++m)
    for (int i = 0; i < 8; ++i)
      p.push_back(period("RXW", 110, kDay - 300, days_from_civil(2024, m, 1 + i), i % 2 ? PeriodEnd::kRemoved
                                                                                         : PeriodEnd::kClockStop));
  EXPECT_EQ(history_start(p), days_from_civil(2024, 10, 1));
  p.push_back(period("RXW", 110, kDay - 200, days_from_civil(2024, 8, 9), PeriodEnd::kClockStop));
  EXPECT_EQ(history_start(p), days_from_civil(2024, 8, 1));  // 2 of 8: a quarter
}

TEST(ClockStops, AdmittedNonAdmittedAndWithin18Weeks) {
  const Days dec1 = days_from_civil(2024, 12, 1);
  std::vector<ClockPeriod> p = {
      period("RXW", 110, dec1 - 126, dec1, PeriodEnd::kClockStop),        // Dec, 126 days: within
      period("RXW", 110, dec1 - 127, dec1 + 3, PeriodEnd::kClockStop),    // Dec, 130 days: over
      period("RXW", 110, dec1 - 10, dec1 - 1, PeriodEnd::kClockStop),     // 30 Nov
      period("RXW", 110, dec1 - 10, dec1 + 2, PeriodEnd::kRemoved),       // not a stop
      period("RXW", 110, dec1 - 10, dec1 + 2, PeriodEnd::kNullified),     // nullified
      period("RL1", 110, dec1 - 10, dec1 + 2, PeriodEnd::kClockStop),     // status 33: nullified
  };
  p[0].list_type = WaitingListType::kAdmitted;
  p[5].stop_status = 33;
  const ClockStops c = compute_clock_stops(p, days_from_civil(2024, 11, 5), days_from_civil(2024, 12, 31));
  ASSERT_EQ(c.months.size(), 2u);
  EXPECT_EQ(c.by_month[0].all.stops, 1);
  EXPECT_EQ(c.by_month[1].all.stops, 2);
  EXPECT_EQ(c.by_month[1].all.within_18_weeks, 1);
  EXPECT_EQ(c.by_month[1].by_b[0].stops, 1);  // admitted
  EXPECT_EQ(c.by_month[1].by_b[0].within_18_weeks, 1);
  EXPECT_EQ(c.by_month[1].by_b[1].stops, 1);  // non-admitted
  ASSERT_EQ(c.providers, (std::vector<std::string>{"RXW"}));
}

}  // namespace
}  // namespace severn::elective
