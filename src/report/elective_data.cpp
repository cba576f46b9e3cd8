// The elective section's figures: the snapshot through disclosure control, read back from the
// file it publishes (report/elective_section.h). The simulation is in elective_simulation.cpp:
// the simulation and the snapshot read the list into different structs of the same name.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "elective/snapshot.h"
#include "elective/snapshot_output.h"
#include "elective/snapshot_store.h"
#include "report/elective_section.h"

namespace severn::report {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// A count as snapshot.csv publishes it: "[c]" withheld (nullopt), else an integer.
PublishedCount count_cell(const std::string& text, const std::filesystem::path& file, std::size_t line) {
  if (text == disclosure::kWithheldMarker) return std::nullopt;
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(file.string() + ":" + std::to_string(line) + ": expected a count or " +
                   disclosure::kWithheldMarker + ", not '" + text + "'");
}

// snapshot.csv's `all` rows (every month end) and, at the last month end, the rows of each
// treatment function over all providers.
void read_snapshot(const std::filesystem::path& file, ElectiveSection& s) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string() + ": cannot read the snapshot just written");
  std::string line;
  std::getline(in, line);
  if (line != elective::kSnapshotHeader) throw InputError(file.string() + ":1: unexpected header");
  std::map<Days, std::vector<LongWaiters>> functions;
  std::size_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (f.size() != 11) throw InputError(file.string() + ":" + std::to_string(n) + ": expected 11 fields");
    const auto day = parse_iso_date(f[0]);
    if (!day) throw InputError(file.string() + ":" + std::to_string(n) + ": snapshot_date '" + f[0] + "' is not a date");
    if (f[1] != "all") continue;
    if (f[2] == "all") {
      ElectiveMonth m;
      m.date = *day;
      m.incomplete = count_cell(f[3], file, n);
      m.within_18_weeks = count_cell(f[4], file, n);
      m.over_52_weeks = count_cell(f[5], file, n);
      m.over_65_weeks = count_cell(f[6], file, n);
      s.months.push_back(m);
    } else {
      LongWaiters w;
      try {
        w.treatment_function = std::stoi(f[2]);
      } catch (const std::exception&) {
        throw InputError(file.string() + ":" + std::to_string(n) + ": treatment_function_code '" + f[2] + "'");
      }
      w.incomplete = count_cell(f[3], file, n);
      w.over_52_weeks = count_cell(f[5], file, n);
      w.over_65_weeks = count_cell(f[6], file, n);
      functions[*day].push_back(w);
    }
  }
  std::sort(s.months.begin(), s.months.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  if (!s.months.empty()) {
    s.by_function = functions[s.months.back().date];
    std::sort(s.by_function.begin(), s.by_function.end(),
              [](const auto& a, const auto& b) { return a.treatment_function < b.treatment_function; });
  }
}

}  // namespace

double ElectiveMonth::share_within_18_weeks() const {
  if (!incomplete || !within_18_weeks || *incomplete <= 0) return NAN;
  return static_cast<double>(*within_18_weeks) / static_cast<double>(*incomplete);
}

Days last_month_end_on_or_before(Days day) {
  const Days end = elective::month_end_of(day);
  if (end == day) return day;
  const CivilDate c = civil_from_days(day);
  return days_from_civil(c.year, c.month, 1) - 1;
}

bool has_waiting_list(const store::Store& store, std::string* reason) {
  if (!store.has_table("wl_pathways")) {
    if (reason) *reason = "The store has no waiting list (no wl_pathways table): it was built without the RTT extracts.";
    return false;
  }
  if (store.table("wl_pathways").rows() == 0) {
    if (reason) *reason = "The store has no waiting list (its wl_pathways table has no rows).";
    return false;
  }
  return true;
}

std::string elective_definition_text(Days month_end) {
  const CivilDate c = civil_from_days(month_end);
  const Days first = days_from_civil(c.year, c.month, 1);
  std::string s;
  s += "# title: Waiting for elective care, by deprivation\n";
  s += "# source: the provider's reported RTT list (wl_pathways); the report's elective section\n";
  s += "# People on the reported list at the month end, and the share of them waiting more than 18 weeks\n";
  s += "# (126 days) on any open pathway, by IMD quintile (docs/report.md, Elective care).\n";
  s += "let open_pathways = wl_pathways.where(clock_start_date <= index_date and\n";
  s += "                                      (clock_stop_date is null or clock_stop_date > index_date))\n";
  s += "population true\n\n";
  s += "# People waiting over 18 weeks on any open pathway, of the people on the list.\n";
  s += std::string("measure ") + kElectiveMeasure + "\n";
  s += "  numerator   open_pathways.where(clock_start_date < index_date - 126 days).exists()\n";
  s += "  denominator open_pathways.exists()\n";
  s += "  by imd_quintile\n";
  s += "  stats proportion per 100\n";
  s += "  intervals monthly from " + format_iso_date(first) + " to " + format_iso_date(month_end) + "\n";
  return s;
}

ElectiveSection build_elective_section(const store::Store& store, const ElectiveOptions& o) {
  ElectiveSection s;
  if (!has_waiting_list(store, &s.reason)) return s;
  std::filesystem::create_directories(o.dir);
  const auto t0 = std::chrono::steady_clock::now();
  const elective::ReportedClocks list = elective::read_reported_clocks(store);
  elective::SnapshotOutputOptions so;
  so.out_dir = o.dir;
  so.source = "reported";
  so.to = o.to;
  so.policy = o.policy;
  so.policy_mode = o.policy.mode_name();
  if (!list.has_wlmds_columns) {
    std::string missing;
    for (const auto& c : list.missing_columns) missing += (missing.empty() ? "" : ", ") + c;
    const std::string note = "the store predates the WLMDS columns (" + missing +
                             "): no removals, so a pathway is open until its clock stop";
    so.notes.push_back(note);
    s.notes.push_back("The " + note + ".");
  }
  try {
    const elective::SnapshotOutputSummary summary = elective::write_snapshot_outputs(list.periods, so);
    s.snapshot_audit = summary.audit_line;
  } catch (const InputError& e) {
    s.reason = std::string("The waiting list has no month end to report: ") + e.what();
    return s;
  }
  read_snapshot(o.dir / "snapshot.csv", s);
  s.has_list = !s.months.empty();
  if (!s.has_list) s.reason = "The waiting list has no month end to report.";
  s.seconds_snapshot = seconds_since(t0);
  if (s.has_list && o.runs > 0) {
    const auto t1 = std::chrono::steady_clock::now();
    add_elective_simulation(store, o, s);
    s.seconds_simulation = seconds_since(t1);
  }
  return s;
}

}  // namespace severn::report
