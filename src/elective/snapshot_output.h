// The files `severn elective snapshot` writes from a list of clock periods: snapshot.csv (month
// ends), weekly_snapshot.csv (the last 26 weeks ending Sunday), clock_stops.csv (each month's clock
// stops by provider and waiting-list type) and snapshot.json (what was counted, the disclosure
// policy and its audit). The same function writes the derived snapshot (periods from the clock
// engine) under the prefix "derived_", so the two are never confused.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "disclosure/suppression.h"
#include "elective/clock_period.h"
#include "elective/snapshot.h"

namespace severn::elective {

inline constexpr int kWeeklySnapshots = 26;

struct SnapshotOutputOptions {
  std::filesystem::path out_dir;
  // "" for the reported list (snapshot.csv ...), "derived_" for the clocks Severn derives.
  std::string file_prefix;
  // What the periods are, for the metadata and the disclosure ledger's meaning:
  // "reported" (wl_pathways, as NHS England counts) or "derived" (from the activity).
  std::string source = "reported";
  // Month ends from the month of `from` to `to`; weekly snapshots for the 26 weeks ending Sunday on
  // or before `to`. `to` is the data's end; `from` defaults to the history's start (snapshot.h).
  std::optional<Days> from;
  Days to = 0;
  std::optional<disclosure::Policy> policy;  // nullopt: --no-disclosure-control
  std::string policy_mode;                    // for the metadata: "rounded" / "suppressed-exact"
  std::vector<std::string> notes;             // extra lines for the metadata (e.g. missing columns)
};

struct SnapshotOutputSummary {
  std::size_t month_ends = 0, weeks = 0, rows = 0;
  Days first = 0, last = 0;
  WaitFigures last_all;  // the exact `all` row of the last month end (for the console only)
  std::string audit_line;  // "" when disclosure control is off
  double seconds_compute = 0, seconds_disclosure = 0;
};

// Throws InputError when there is no month end to report (nothing ended, or from > to).
SnapshotOutputSummary write_snapshot_outputs(const std::vector<ClockPeriod>& periods, const SnapshotOutputOptions& o);

inline constexpr const char* kSnapshotHeader =
    "snapshot_date,provider_code,treatment_function_code,incomplete,within_18_weeks,over_52_weeks,over_65_weeks,"
    "over_78_weeks,over_104_weeks,median_weeks,p92_weeks";

}  // namespace severn::elective
