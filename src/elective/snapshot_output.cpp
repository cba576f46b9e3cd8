#include "elective/snapshot_output.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/json_text.h"
#include "elective/snapshot_release.h"

namespace severn::elective {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

constexpr const char* kWithheld = "[c]";

// The six counts of a snapshot, in the order of the output's columns.
constexpr int kCounts = 6;
std::int64_t count_of(const WaitFigures& f, int k) {
  switch (k) {
    case 0: return f.incomplete;
    case 1: return f.within_18_weeks;
    case 2: return f.over_52_weeks;
    case 3: return f.over_65_weeks;
    case 4: return f.over_78_weeks;
    default: return f.over_104_weeks;
  }
}
constexpr const char* kCountMeaning[kCounts] = {"incomplete pathways", "incomplete pathways within 18 weeks",
                                               "incomplete pathways over 52 weeks", "incomplete pathways over 65 weeks",
                                               "incomplete pathways over 78 weeks", "incomplete pathways over 104 weeks"};
// The count each never exceeds, cell by cell (-1: none): within 18 and over 52 within the list, then
// each longer wait within the shorter.
constexpr int kCountWithin[kCounts] = {-1, 0, 0, 2, 3, 4};

template <class F>
Margins<std::int64_t> project(const Margins<F>& m, auto&& get) {
  Margins<std::int64_t> out;
  out.all = get(m.all);
  for (const auto& x : m.by_a) out.by_a.push_back(get(x));
  for (const auto& x : m.by_b) out.by_b.push_back(get(x));
  for (const auto& x : m.by_ab) out.by_ab.push_back(get(x));
  return out;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw InputError("cannot write " + path.string());
}

void put_count(CsvRow& row, const disclosure::CellState& c) {
  if (c.withheld())
    row.text(kWithheld);
  else
    row.integer(c.shown);
}

// A median or 92nd percentile: withheld with the cell's count, empty for an empty cell, else to one
// decimal place as NHS England publishes them.
void put_weeks(CsvRow& row, const std::optional<double>& v, const disclosure::CellState& incomplete) {
  if (incomplete.withheld())
    row.text(kWithheld);
  else if (!v)
    row.empty();
  else
    row.decimal(*v, 1);
}

struct SnapshotFile {
  std::vector<std::size_t> day_indexes;  // into Snapshots::days
  std::size_t first_series = 0;          // its dates' series start here, kCounts per date
};

}  // namespace

SnapshotOutputSummary write_snapshot_outputs(const std::vector<ClockPeriod>& periods, const SnapshotOutputOptions& o) {
  SnapshotOutputSummary summary;
  const auto t0 = Clock::now();
  const std::optional<Days> start = o.from ? o.from : history_start(periods);
  if (!start) throw InputError("no period in the " + o.source + " list has ended: the history's start is unknown (give --from)");
  const std::vector<Days> months = month_ends(*start, o.to);
  if (months.empty())
    throw InputError("no month end between " + format_iso_date(*start) + " and " + format_iso_date(o.to));
  const std::vector<Days> weeks = week_ends(o.to, kWeeklySnapshots);
  std::vector<Days> all_dates = months;
  all_dates.insert(all_dates.end(), weeks.begin(), weeks.end());
  const Snapshots snap = compute_snapshots(periods, all_dates);
  const ClockStops stops = compute_clock_stops(periods, months.front(), months.back());
  summary.seconds_compute = seconds_since(t0);

  // The layouts and every count series of the release.
  std::vector<TwoWayLayout> layouts(2);
  layouts[0].a_name = "provider";
  layouts[0].b_name = "treatment_function";
  layouts[0].a_labels = snap.providers;
  for (int f : snap.functions) layouts[0].b_labels.push_back(std::to_string(f));
  layouts[1].a_name = "provider";
  layouts[1].b_name = "list_type";
  layouts[1].a_labels = stops.providers;
  layouts[1].b_labels = stops.list_types;

  const auto day_index = [&](Days d) {
    return static_cast<std::size_t>(std::lower_bound(snap.dates.begin(), snap.dates.end(), d) - snap.dates.begin());
  };
  std::vector<CountSeries> series;
  SnapshotFile monthly, weekly;
  const auto add_snapshot_series = [&](SnapshotFile& file, const std::vector<Days>& dates) {
    file.first_series = series.size();
    for (Days d : dates) {
      const std::size_t i = day_index(d);
      file.day_indexes.push_back(i);
      const std::size_t base = series.size();
      for (int k = 0; k < kCounts; ++k) {
        CountSeries c;
        c.layout = 0;
        c.meaning = "elective " + o.source + " " + kCountMeaning[k];
        c.interval = interval_text(d, d);
        c.label = c.meaning + " on " + format_iso_date(d);
        c.within = kCountWithin[k] < 0 ? -1 : static_cast<std::ptrdiff_t>(base) + kCountWithin[k];
        c.counts = project(snap.days[i], [k](const WaitFigures& f) { return count_of(f, k); });
        series.push_back(std::move(c));
      }
    }
  };
  add_snapshot_series(monthly, months);
  add_snapshot_series(weekly, weeks);
  const std::size_t first_stop_series = series.size();
  for (std::size_t m = 0; m < stops.months.size(); ++m) {
    const CivilDate c = civil_from_days(stops.months[m]);
    const std::string interval = interval_text(days_from_civil(c.year, c.month, 1), stops.months[m]);
    const std::size_t base = series.size();
    CountSeries all_stops{1, "elective " + o.source + " clock stops", interval, "", -1,
                          project(stops.by_month[m], [](const StopFigures& f) { return f.stops; })};
    all_stops.label = all_stops.meaning + " " + interval;
    CountSeries within{1, "elective " + o.source + " clock stops within 18 weeks", interval, "",
                       static_cast<std::ptrdiff_t>(base),
                       project(stops.by_month[m], [](const StopFigures& f) { return f.within_18_weeks; })};
    within.label = within.meaning + " " + interval;
    series.push_back(std::move(all_stops));
    series.push_back(std::move(within));
  }

  const auto t1 = Clock::now();
  const PublishedCounts pub = publish_counts(layouts, series, o.policy);
  summary.seconds_disclosure = seconds_since(t1);

  // snapshot.csv and weekly_snapshot.csv.
  const std::size_t na = snap.providers.size(), nb = snap.functions.size();
  const auto write_snapshot = [&](const SnapshotFile& file, const std::string& name) {
    // Cross cells with nobody on any of the file's dates are left out (they would all read 0).
    std::vector<bool> any(na * nb, false);
    for (std::size_t i : file.day_indexes)
      for (std::size_t c = 0; c < na * nb; ++c)
        if (snap.days[i].by_ab[c].incomplete > 0) any[c] = true;
    std::string text = std::string(kSnapshotHeader) + "\n";
    for (std::size_t n = 0; n < file.day_indexes.size(); ++n) {
      const std::size_t i = file.day_indexes[n];
      const std::size_t s0 = file.first_series + n * kCounts;
      const Days d = snap.dates[i];
      const auto row = [&](std::string_view provider, std::string_view function, const WaitFigures& f,
                           auto&& cell) {
        CsvRow r(text);
        r.date(d).text(provider).text(function);
        for (int k = 0; k < kCounts; ++k) put_count(r, cell(pub.series[s0 + static_cast<std::size_t>(k)]));
        const disclosure::CellState& incomplete = cell(pub.series[s0]);
        put_weeks(r, f.median_weeks, incomplete);
        put_weeks(r, f.p92_weeks, incomplete);
        ++summary.rows;
      };
      row("all", "all", snap.days[i].all, [](const auto& m) -> const disclosure::CellState& { return m.all; });
      for (std::size_t a = 0; a < na; ++a)
        row(snap.providers[a], "all", snap.days[i].by_a[a],
            [a](const auto& m) -> const disclosure::CellState& { return m.by_a[a]; });
      for (std::size_t b = 0; b < nb; ++b)
        row("all", layouts[0].b_labels[b], snap.days[i].by_b[b],
            [b](const auto& m) -> const disclosure::CellState& { return m.by_b[b]; });
      for (std::size_t a = 0; a < na; ++a)
        for (std::size_t b = 0; b < nb; ++b) {
          const std::size_t c = a * nb + b;
          if (!any[c]) continue;
          row(snap.providers[a], layouts[0].b_labels[b], snap.days[i].by_ab[c],
              [c](const auto& m) -> const disclosure::CellState& { return m.by_ab[c]; });
        }
    }
    write_file(o.out_dir / (o.file_prefix + name), text);
  };
  std::filesystem::create_directories(o.out_dir);
  write_snapshot(monthly, "snapshot.csv");
  write_snapshot(weekly, "weekly_snapshot.csv");

  // clock_stops.csv.
  {
    std::string text = "month_end,provider_code,waiting_list_type,clock_stops,within_18_weeks\n";
    for (std::size_t m = 0; m < stops.months.size(); ++m) {
      const auto& s = pub.series[first_stop_series + 2 * m];
      const auto& w = pub.series[first_stop_series + 2 * m + 1];
      const auto row = [&](std::string_view provider, std::string_view type, const disclosure::CellState& a,
                           const disclosure::CellState& b) {
        CsvRow r(text);
        r.date(stops.months[m]).text(provider).text(type);
        put_count(r, a);
        put_count(r, b);
      };
      row("all", "all", s.all, w.all);
      for (std::size_t a = 0; a < stops.providers.size(); ++a) row(stops.providers[a], "all", s.by_a[a], w.by_a[a]);
      for (std::size_t b = 0; b < stops.list_types.size(); ++b) row("all", stops.list_types[b], s.by_b[b], w.by_b[b]);
      for (std::size_t a = 0; a < stops.providers.size(); ++a)
        for (std::size_t b = 0; b < stops.list_types.size(); ++b) {
          const std::size_t c = a * stops.list_types.size() + b;
          row(stops.providers[a], stops.list_types[b], s.by_ab[c], w.by_ab[c]);
        }
    }
    write_file(o.out_dir / (o.file_prefix + "clock_stops.csv"), text);
  }

  // snapshot.json: what was counted and how it was controlled.
  {
    std::string j = "{\n  \"source\": " + json_quoted(o.source) + ",\n";
    j += "  \"counts\": " +
         json_quoted(o.source == "reported"
                         ? "the provider's reported list (wl_pathways): a period is open at the end of day D when "
                           "clock_start_date <= D and neither clock_stop_date nor removal_date is on or before D"
                         : "clock periods Severn derived from the pathway activity under the RTT rules") +
         ",\n";
    j += "  \"month_ends\": {\"first\": \"" + format_iso_date(months.front()) + "\", \"last\": \"" +
         format_iso_date(months.back()) + "\", \"count\": " + std::to_string(months.size()) + "},\n";
    j += "  \"weeks_ending_sunday\": {\"first\": \"" + format_iso_date(weeks.front()) + "\", \"last\": \"" +
         format_iso_date(weeks.back()) + "\", \"count\": " + std::to_string(weeks.size()) + "},\n";
    j += "  \"median_method\": \"linear interpolation within weekly bands (>k to k+1 weeks), NHS England RTT statistics\",\n";
    j += "  \"notes\": [";
    for (std::size_t i = 0; i < o.notes.size(); ++i) j += (i ? ", " : "") + json_quoted(o.notes[i]);
    j += "],\n";
    if (o.policy) {
      j += "  \"disclosure_control\": true,\n  \"mode\": " + json_quoted(o.policy->mode_name()) +
           ",\n  \"values_from\": \"medians and 92nd percentiles from the exact waits, withheld with their cell's count\",\n";
      j += "  \"policy\": " + o.policy->json() + ",\n  \"audit\": " + pub.audit->json() + "\n";
    } else {
      j += "  \"disclosure_control\": false,\n  \"warning\": \"exact counts, small ones included: for direct analysis only\"\n";
    }
    j += "}\n";
    write_file(o.out_dir / (o.file_prefix + "snapshot.json"), j);
  }

  summary.month_ends = months.size();
  summary.weeks = weeks.size();
  summary.first = months.front();
  summary.last = months.back();
  summary.last_all = snap.days[day_index(months.back())].all;
  if (pub.audit)
    summary.audit_line = "disclosure audit: " + std::to_string(pub.audit->cells) + " cells, " +
                         std::to_string(pub.audit->withheld_small) + " withheld as small, " +
                         std::to_string(pub.audit->withheld_table + pub.audit->withheld_audit) +
                         " more withheld so none can be recovered, smallest interval " + pub.audit->width_text();
  return summary;
}

}  // namespace severn::elective
