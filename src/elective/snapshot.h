// Waiting-list snapshots: the incomplete pathways (RTT periods open on the list) on each snapshot
// day, with their waits, by provider and treatment function with every margin ("all"); and the
// clock stops of each month by provider and waiting-list type. Counted over ClockPeriods, so the
// same code counts the provider's reported list (snapshot_store.h) and the clocks Severn derives.
// Dates are days since 1970-01-01; a month end is the month's last day; waits are whole days from
// the clock start to the snapshot day, in weeks as rtt_weeks.h counts them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "elective/clock_period.h"
#include "elective/snapshot_quantile.h"

namespace severn::elective {

// The figures of one cell of a snapshot: counts of incomplete pathways, and weeks waited.
struct WaitFigures {
  std::int64_t incomplete = 0;
  std::int64_t within_18_weeks = 0;  // waited at most 126 days
  std::int64_t over_52_weeks = 0;    // more than 364 days
  std::int64_t over_65_weeks = 0;
  std::int64_t over_78_weeks = 0;
  std::int64_t over_104_weeks = 0;
  std::optional<double> median_weeks, p92_weeks;  // interpolated within weekly bands; none when empty
};
WaitFigures figures_of(const WaitHistogram& h);

// A two-way table with its margins, as every snapshot output is laid out: rows of `a` (provider),
// columns of `b` (treatment function or list type), the `all` margins and the grand total.
template <class T>
struct Margins {
  T all{};
  std::vector<T> by_a, by_b;  // [a], [b]
  std::vector<T> by_ab;       // [a * b_count + b]
};

// The incomplete list on each snapshot day.
struct Snapshots {
  std::vector<std::string> providers;  // sorted ODS codes
  std::vector<int> functions;          // sorted treatment function codes
  std::vector<Days> dates;             // ascending, distinct
  std::vector<Margins<WaitFigures>> days;  // [date]: a = provider, b = treatment function
};

// A transfer between providers (docs/data-model.md: a transferred pathway has a row at each
// provider, and its clock runs on): the sending period ends on the transfer day (PeriodEnd::
// kTransferred) and the receiving period, of the same pathway and RTT period, keeps the original
// clock start but is on the receiving provider's list only from that day, so the pathway is counted
// once, at the sender before the transfer and at the receiver from the transfer day.
struct TransferDay {
  Days day = 0;
  std::string from_provider;
};
inline std::uint64_t pathway_period_key(const ClockPeriod& p) {
  return (static_cast<std::uint64_t>(p.pathway) << 32) | static_cast<std::uint32_t>(p.period);
}
// Transfers by pathway_period_key (periods without a pathway number, pathway 0, have none).
std::unordered_map<std::uint64_t, TransferDay> transfer_days(const std::vector<ClockPeriod>& periods);
// The first day `p` is on its provider's list: its clock start, or the day it was transferred in.
Days on_list_from(const ClockPeriod& p, const std::unordered_map<std::uint64_t, TransferDay>& transfers);

// Counts every period open at the end of each date (ClockPeriod::open_on; a transferred-in period
// only from its transfer day, on_list_from). A sweep: periods sorted
// by the first snapshot date they are open on and dropped after their last, so the work is the
// periods plus their (period, date) pairs, never periods x dates. `dates` need not be sorted.
Snapshots compute_snapshots(const std::vector<ClockPeriod>& periods, std::vector<Days> dates);

// Clock stops in each calendar month: a period that ended by a clock stop (nullified periods and
// RTT status 33 excluded: a first-activity DNA nullifies the clock, it is not a completed pathway),
// admitted when its list type is admitted and non-admitted otherwise, within 18 weeks when the
// clock ran at most 126 days.
struct StopFigures {
  std::int64_t stops = 0;
  std::int64_t within_18_weeks = 0;
};
struct ClockStops {
  std::vector<std::string> providers;      // sorted
  std::vector<std::string> list_types;     // {"admitted", "non_admitted"}
  std::vector<Days> months;                // month ends, ascending
  std::vector<Margins<StopFigures>> by_month;  // a = provider, b = list type
};
// Months from the month of `from` to the month of `to` (both days, inclusive).
ClockStops compute_clock_stops(const std::vector<ClockPeriod>& periods, Days from, Days to);

// Month ends (last days of months) from the first on or after `from` to the last on or before `to`.
std::vector<Days> month_ends(Days from, Days to);
// The last `count` Sundays on or before `to` (weeks ending Sunday, as the WLMDS reports), ascending.
std::vector<Days> week_ends(Days to, int count);
// The last day of the month holding `day`.
Days month_end_of(Days day);

// The first day of the first month the reported history supports: the first month whose exits
// (clock stops, removals, transfers) reach a quarter of the median month's. Before the history
// began the extract holds the periods still open then, and only a few that had already closed (so
// the earliest exit alone is not the start), so a snapshot then would miss most of the list.
// nullopt when no period has ended.
std::optional<Days> history_start(const std::vector<ClockPeriod>& periods);

}  // namespace severn::elective
