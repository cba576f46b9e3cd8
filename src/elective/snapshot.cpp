#include "elective/snapshot.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace severn::elective {
namespace {

// Distinct sorted keys and each value's index among them.
template <class K>
std::vector<K> sorted_distinct(std::vector<K> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

template <class K>
std::size_t index_of(const std::vector<K>& sorted, const K& key) {
  return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), key) - sorted.begin());
}

bool is_counted_stop(const ClockPeriod& p) {
  return p.end_kind == PeriodEnd::kClockStop && p.stop_status != 33 && p.end != kStillOpen;
}

}  // namespace

std::unordered_map<std::uint64_t, TransferDay> transfer_days(const std::vector<ClockPeriod>& periods) {
  std::unordered_map<std::uint64_t, TransferDay> out;
  for (const ClockPeriod& p : periods)
    if (p.end_kind == PeriodEnd::kTransferred)  // only stores with pathway numbers have transfers
      out[pathway_period_key(p)] = {p.end, p.provider_code};
  return out;
}

Days on_list_from(const ClockPeriod& p, const std::unordered_map<std::uint64_t, TransferDay>& transfers) {
  if (transfers.empty()) return p.clock_start;  // pathway 0 is a real pathway number
  const auto it = transfers.find(pathway_period_key(p));
  if (it == transfers.end() || it->second.from_provider == p.provider_code) return p.clock_start;
  return std::max(p.clock_start, it->second.day);
}

WaitFigures figures_of(const WaitHistogram& h) {
  WaitFigures f;
  f.incomplete = h.total();
  f.within_18_weeks = h.within(kStandardWeeks);
  f.over_52_weeks = h.over(52);
  f.over_65_weeks = h.over(65);
  f.over_78_weeks = h.over(78);
  f.over_104_weeks = h.over(104);
  f.median_weeks = interpolated_weeks(h, 0.5);
  f.p92_weeks = interpolated_weeks(h, 0.92);
  return f;
}

Days month_end_of(Days day) {
  const CivilDate c = civil_from_days(day);
  return days_from_civil(c.year, c.month, days_in_month(c.year, c.month));
}

std::vector<Days> month_ends(Days from, Days to) {
  std::vector<Days> out;
  for (Days d = month_end_of(from); d <= to; d = month_end_of(d + 1)) out.push_back(d);
  return out;
}

std::vector<Days> week_ends(Days to, int count) {
  // 1970-01-04 (day 3) was a Sunday.
  const Days back = static_cast<Days>(((to - 3) % 7 + 7) % 7);
  std::vector<Days> out;
  for (int i = count - 1; i >= 0; --i) out.push_back(to - back - 7 * i);
  return out;
}

std::optional<Days> history_start(const std::vector<ClockPeriod>& periods) {
  // Exits (clock stops, removals, transfers) by month, keyed by the month's last day.
  std::map<Days, std::int64_t> exits;
  for (const ClockPeriod& p : periods)
    if (p.end != kStillOpen && p.end_kind != PeriodEnd::kOpen && p.end_kind != PeriodEnd::kNullified)
      ++exits[month_end_of(p.end)];
  if (exits.empty()) return std::nullopt;
  std::vector<std::int64_t> counts;
  for (const auto& [month, n] : exits) counts.push_back(n);
  std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(counts.size() / 2), counts.end());
  const std::int64_t median = counts[counts.size() / 2];
  for (const auto& [month, n] : exits)
    if (4 * n >= median) {
      const CivilDate c = civil_from_days(month);
      return days_from_civil(c.year, c.month, 1);
    }
  return std::nullopt;  // unreachable: the median month qualifies
}

Snapshots compute_snapshots(const std::vector<ClockPeriod>& periods, std::vector<Days> dates) {
  Snapshots s;
  s.dates = sorted_distinct(std::move(dates));
  {
    // Distinct values through small sets: a handful of providers and functions, millions of periods.
    std::unordered_set<std::string_view> providers;
    std::unordered_set<int> functions;
    for (const ClockPeriod& p : periods) {
      if (p.end_kind == PeriodEnd::kNullified) continue;
      providers.insert(p.provider_code);
      functions.insert(p.treatment_function);
    }
    s.providers = sorted_distinct(std::vector<std::string>(providers.begin(), providers.end()));
    s.functions = sorted_distinct(std::vector<int>(functions.begin(), functions.end()));
  }
  const std::size_t na = s.providers.size(), nb = s.functions.size(), nd = s.dates.size();
  std::unordered_map<std::string, std::size_t> provider_index;
  for (std::size_t a = 0; a < na; ++a) provider_index.emplace(s.providers[a], a);

  // Each period's cell and the first date it is open on; periods that are open on no date are left
  // out. open_on(d) is clock_start <= d < end, so the dates form one run [first, last).
  struct Entry {
    std::uint32_t first_date, end_date;  // date indexes [first, end)
    std::uint32_t cell;
    Days clock_start;
  };
  const auto transfers = transfer_days(periods);
  std::vector<Entry> entries;
  entries.reserve(periods.size() / 4);
  for (const ClockPeriod& p : periods) {
    if (p.end_kind == PeriodEnd::kNullified) continue;
    const auto first =
        std::lower_bound(s.dates.begin(), s.dates.end(), on_list_from(p, transfers)) - s.dates.begin();
    const auto end = std::lower_bound(s.dates.begin(), s.dates.end(), p.end) - s.dates.begin();  // dates < end
    if (first >= end) continue;
    const std::size_t a = provider_index.at(p.provider_code);
    const std::size_t b = index_of(s.functions, p.treatment_function);
    entries.push_back({static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(end),
                       static_cast<std::uint32_t>(a * nb + b), p.clock_start});
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& x, const Entry& y) { return x.first_date < y.first_date; });

  // The sweep: `active` holds the periods open on the current date.
  std::vector<Entry> active;
  std::size_t next = 0;
  std::vector<WaitHistogram> cells(na * nb), by_a(na), by_b(nb);
  WaitHistogram all;
  s.days.resize(nd);
  for (std::size_t d = 0; d < nd; ++d) {
    active.erase(std::remove_if(active.begin(), active.end(), [&](const Entry& e) { return e.end_date <= d; }),
                 active.end());
    while (next < entries.size() && entries[next].first_date == d) active.push_back(entries[next++]);
    for (auto& h : cells) h.clear();
    const Days on = s.dates[d];
    for (const Entry& e : active) cells[e.cell].add_wait(days_waited(e.clock_start, on));
    for (auto& h : by_a) h.clear();
    for (auto& h : by_b) h.clear();
    all.clear();
    Margins<WaitFigures>& out = s.days[d];
    out.by_ab.resize(na * nb);
    for (std::size_t a = 0; a < na; ++a)
      for (std::size_t b = 0; b < nb; ++b) {
        const WaitHistogram& h = cells[a * nb + b];
        by_a[a].add(h);
        by_b[b].add(h);
        out.by_ab[a * nb + b] = figures_of(h);
      }
    for (const auto& h : by_a) all.add(h);
    out.by_a.reserve(na);
    for (const auto& h : by_a) out.by_a.push_back(figures_of(h));
    out.by_b.reserve(nb);
    for (const auto& h : by_b) out.by_b.push_back(figures_of(h));
    out.all = figures_of(all);
  }
  return s;
}

ClockStops compute_clock_stops(const std::vector<ClockPeriod>& periods, Days from, Days to) {
  ClockStops c;
  c.list_types = {"admitted", "non_admitted"};
  c.months = month_ends(from, month_end_of(to));
  {
    std::unordered_set<std::string_view> providers;
    for (const ClockPeriod& p : periods)
      if (is_counted_stop(p)) providers.insert(p.provider_code);
    c.providers = sorted_distinct(std::vector<std::string>(providers.begin(), providers.end()));
  }
  const std::size_t na = c.providers.size(), nb = c.list_types.size();
  c.by_month.resize(c.months.size());
  for (auto& m : c.by_month) {
    m.by_a.assign(na, {});
    m.by_b.assign(nb, {});
    m.by_ab.assign(na * nb, {});
  }
  const CivilDate first_month = civil_from_days(from);
  const Days first_day = days_from_civil(first_month.year, first_month.month, 1);
  const auto add = [](StopFigures& f, bool within) {
    ++f.stops;
    if (within) ++f.within_18_weeks;
  };
  for (const ClockPeriod& p : periods) {
    if (!is_counted_stop(p)) continue;
    if (p.end < first_day) continue;
    const auto m = std::lower_bound(c.months.begin(), c.months.end(), p.end) - c.months.begin();
    if (m == static_cast<std::ptrdiff_t>(c.months.size())) continue;
    const bool within = within_weeks(days_waited(p.clock_start, p.end), kStandardWeeks);
    const std::size_t a = index_of(c.providers, p.provider_code);
    const std::size_t b = p.list_type == WaitingListType::kAdmitted ? 0 : 1;
    Margins<StopFigures>& out = c.by_month[static_cast<std::size_t>(m)];
    add(out.all, within);
    add(out.by_a[a], within);
    add(out.by_b[b], within);
    add(out.by_ab[a * nb + b], within);
  }
  return c;
}

}  // namespace severn::elective
