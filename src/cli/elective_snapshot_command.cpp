// `severn elective snapshot`: the reported waiting list at every month end (and the last 26 weeks
// ending Sunday), by provider and treatment function, with the month's clock stops, through
// disclosure control (docs/elective/snapshots.md).
#include <chrono>
#include <cstdio>

#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "core/error.h"
#include "elective/activity_reader.h"
#include "elective/snapshot_output.h"
#include "elective/snapshot_store.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct SnapshotArgs {
  std::string store, out, from, to;
  bool derived = false;
  unsigned threads = 0;
  DisclosureChoice disclosure;
};

Days date_option(const std::string& text, const char* option) {
  const auto d = parse_iso_date(text);
  if (!d) throw InputError(std::string(option) + ": expected a date YYYY-MM-DD, not '" + text + "'");
  return *d;
}

}  // namespace

void add_elective_snapshot(CLI::App& elective) {
  auto a = std::make_shared<SnapshotArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "snapshot",
      "The provider's reported RTT list at each month end (and each of the last 26 weeks ending Sunday): incomplete "
      "pathways, within 18 weeks, over 52/65/78/104 weeks, median and 92nd-percentile weeks, by provider and treatment "
      "function with `all` rows; and each month's clock stops. Writes DIR/snapshot.csv, weekly_snapshot.csv, "
      "clock_stops.csv and snapshot.json, through disclosure control unless --no-disclosure-control "
      "(docs/elective/snapshots.md)");
  cmd->add_option("--store", a->store, "Store directory (severn ingest output)")->required();
  cmd->add_option("--out", a->out, "Output directory (created; its files are replaced)")->required();
  cmd->add_option("--from", a->from,
                  "First month to report, YYYY-MM-DD (default: the month of the first day a reported period left "
                  "the list, when the history begins)");
  cmd->add_option("--to", a->to, "Last day to report, YYYY-MM-DD (default: the store's data end)");
  cmd->add_flag("--derived", a->derived,
                "Also the same snapshot of the clocks Severn derives from the pathway activity under the RTT rules "
                "(severn elective clocks), labelled derived: DIR/derived_snapshot.csv, derived_weekly_snapshot.csv, "
                "derived_clock_stops.csv, derived_snapshot.json, over the same month ends");
  cmd->add_option("--threads", a->threads, "Worker threads for --derived (default: all cores)");
  add_disclosure_options(cmd, a->disclosure);
  cmd->callback([a] {
    const auto t0 = std::chrono::steady_clock::now();
    const disclosure::Policy policy = a->disclosure.checked();
    const auto store = store::Store::open(a->store);
    elective::SnapshotOutputOptions o;
    o.out_dir = a->out;
    o.source = "reported";
    if (!a->from.empty()) o.from = date_option(a->from, "--from");
    if (!a->to.empty()) {
      o.to = date_option(a->to, "--to");
    } else {
      const auto end = parse_iso_date(store->manifest().data_end);
      if (!end) throw InputError(a->store + ": the store records no data end; give --to");
      o.to = *end;
    }
    if (!a->disclosure.off) o.policy = policy;
    o.policy_mode = policy.mode_name();
    const elective::ReportedClocks list = elective::read_reported_clocks(*store);
    if (!list.has_wlmds_columns) {
      std::string missing;
      for (const auto& c : list.missing_columns) missing += (missing.empty() ? "" : ", ") + c;
      o.notes.push_back("the store predates the WLMDS columns (" + missing +
                        "): no removals, waiting-list type unknown (every clock stop counted as non-admitted)");
      std::fprintf(stderr, "note: %s predates the WLMDS columns (%s): periods are open until their clock stop, "
                           "and every clock stop is counted as non-admitted\n",
                   a->store.c_str(), missing.c_str());
    }
    const elective::SnapshotOutputSummary s = elective::write_snapshot_outputs(list.periods, o);
    if (a->derived) {
      // The same months as the reported snapshot, so the two line up row for row.
      const auto t1 = std::chrono::steady_clock::now();
      const std::vector<elective::ClockPeriod> derived = elective::derive_clock_periods(*store, a->threads);
      elective::SnapshotOutputOptions d = o;
      d.file_prefix = "derived_";
      d.source = "derived";
      d.from = days_from_civil(civil_from_days(s.first).year, civil_from_days(s.first).month, 1);
      d.notes.push_back("derived from wl_activity under the RTT rules (docs/elective/clocks.md), not the provider's "
                        "reported list: NHS England's statistics count the reported one (snapshot.csv)");
      const elective::SnapshotOutputSummary ds = elective::write_snapshot_outputs(derived, d);
      const double dsec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      std::printf("derived: %zu clock periods from the activity; %zu snapshot rows in %.2f s\n", derived.size(), ds.rows,
                  dsec);
      if (ds.last_all.incomplete > 0)
        std::printf("derived %s (exact, not for publication): %lld incomplete, %.1f%% over 18 weeks\n",
                    format_iso_date(ds.last).c_str(), static_cast<long long>(ds.last_all.incomplete),
                    100.0 * static_cast<double>(ds.last_all.incomplete - ds.last_all.within_18_weeks) /
                        static_cast<double>(ds.last_all.incomplete));
      if (!ds.audit_line.empty()) std::printf("derived: %s\n", ds.audit_line.c_str());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& f = s.last_all;
    std::printf("%zu reported periods; %zu month ends %s..%s, %zu weeks; %zu snapshot rows\n", list.periods.size(),
                s.month_ends, format_iso_date(s.first).c_str(), format_iso_date(s.last).c_str(), s.weeks, s.rows);
    if (f.incomplete > 0)
      std::printf("%s (exact, not for publication): %lld incomplete, %.1f%% over 18 weeks, median %.1f weeks\n",
                  format_iso_date(s.last).c_str(), static_cast<long long>(f.incomplete),
                  100.0 * static_cast<double>(f.incomplete - f.within_18_weeks) / static_cast<double>(f.incomplete),
                  f.median_weeks.value_or(0));
    if (!s.audit_line.empty()) std::printf("%s\n", s.audit_line.c_str());
    else std::printf("disclosure control OFF: exact counts, for direct analysis only\n");
    std::printf("counted in %.2f s, disclosure control %.2f s, total %.2f s; wrote %s\n", s.seconds_compute,
                s.seconds_disclosure, seconds, a->out.c_str());
  });
}

}  // namespace severn::cli
