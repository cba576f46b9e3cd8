#include "elective/activity_reader.h"

#include <algorithm>
#include <thread>

#include "core/error.h"
#include "core/parallel.h"
#include "elective/clock_derivation.h"
#include "elective/reconciliation.h"
#include "elective/rtt_status.h"
#include "store/store.h"

namespace severn::elective {

namespace {

// Row indices grouped by pathway number (a counting sort, stable: rows keep table order).
struct Groups {
  std::vector<std::uint32_t> begin;  // pathway p's rows are rows[begin[p] .. begin[p+1])
  std::vector<std::uint32_t> rows;
  std::span<const std::uint32_t> of(std::size_t p) const {
    if (p + 1 >= begin.size()) return {};
    return {rows.data() + begin[p], rows.data() + begin[p + 1]};
  }
};

Groups group_by_pathway(std::span<const std::int32_t> pathway, std::size_t pathways, std::uint64_t& negative) {
  Groups g;
  g.begin.assign(pathways + 1, 0);
  for (const std::int32_t p : pathway) {
    if (p < 0) {
      ++negative;
      continue;
    }
    ++g.begin[static_cast<std::size_t>(p) + 1];
  }
  for (std::size_t p = 1; p <= pathways; ++p) g.begin[p] += g.begin[p - 1];
  g.rows.resize(g.begin[pathways]);
  std::vector<std::uint32_t> next(g.begin.begin(), g.begin.end() - 1);
  for (std::size_t r = 0; r < pathway.size(); ++r)
    if (pathway[r] >= 0) g.rows[next[static_cast<std::size_t>(pathway[r])]++] = static_cast<std::uint32_t>(r);
  return g;
}

std::uint32_t person_of(std::span<const std::uint64_t> offsets, std::size_t row) {
  if (offsets.size() < 2) return kNoPerson;
  const auto it = std::upper_bound(offsets.begin(), offsets.end(), static_cast<std::uint64_t>(row));
  return static_cast<std::uint32_t>(it - offsets.begin() - 1);
}

template <class T, class F>
std::vector<T> decode(const CategoryColumn& c, F f) {
  std::vector<T> out;
  out.reserve(c.dictionary.size());
  for (const std::string_view v : c.dictionary) out.push_back(f(v));
  return out;
}

struct Chunk {
  std::vector<ClockPeriod> periods;
  std::vector<Finding> findings;
};

}  // namespace

ClockRun derive_clocks(const ActivityColumns& a, const ReportedColumns* reported, unsigned threads) {
  ClockRun run;
  run.threads = threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : threads;
  run.activity_rows = a.rows();
  run.reported_rows = reported == nullptr ? 0 : reported->rows();
  std::int32_t max_pathway = -1;
  for (const std::int32_t p : a.pathway) max_pathway = std::max(max_pathway, p);
  if (reported != nullptr)
    for (const std::int32_t p : reported->pathway) max_pathway = std::max(max_pathway, p);
  const std::size_t pathways = static_cast<std::size_t>(max_pathway) + 1;
  // Ingest numbers pathways densely from 0; a number far above the rows would size the grouping
  // by the number, not the data.
  const std::size_t all_rows = run.activity_rows + run.reported_rows;
  if (pathways > 4 * all_rows + 1024)
    throw InputError("pathway number " + std::to_string(max_pathway) + " is far above the " + std::to_string(all_rows) +
                     " waiting-list rows: not the store's dense pathway numbering (rebuild the store with severn ingest)");
  const Groups act = group_by_pathway(a.pathway, pathways, run.rows_without_pathway);
  Groups rep;
  if (reported != nullptr) rep = group_by_pathway(reported->pathway, pathways, run.rows_without_pathway);

  // Dictionary ids decoded once, not per row.
  const auto types = decode<ActivityType>(a.activity_type, parse_activity_type);
  const auto statuses = decode<int>(a.rtt_status, parse_rtt_status);
  const auto outcomes = decode<ValidationOutcome>(a.validation_outcome, parse_validation_outcome);
  std::vector<int> rep_status, rep_priority;
  std::vector<WaitingListType> rep_list;
  if (reported != nullptr) {
    rep_status = decode<int>(reported->rtt_status, parse_rtt_status);
    rep_priority = decode<int>(reported->priority, parse_priority);
    rep_list = decode<WaitingListType>(reported->waiting_list_type, parse_list_type);
  }

  const std::size_t chunk_size = 8192;
  const std::size_t chunks = (pathways + chunk_size - 1) / chunk_size;
  std::vector<Chunk> out(chunks);
  std::vector<std::uint64_t> present(chunks, 0);
  parallel_for(chunks, run.threads, [&](std::size_t c) {
    Chunk& ch = out[c];
    std::vector<Activity> acts;
    std::vector<ReportedClock> reps;
    const std::size_t end = std::min(pathways, (c + 1) * chunk_size);
    // About one period per pathway: growing the vector would move every period several times.
    ch.periods.reserve((end - c * chunk_size) + (end - c * chunk_size) / 8);
    for (std::size_t p = c * chunk_size; p < end; ++p) {
      const auto arows = act.of(p);
      const auto rrows = reported != nullptr ? rep.of(p) : std::span<const std::uint32_t>{};
      if (arows.empty() && rrows.empty()) continue;
      ++present[c];
      acts.clear();
      for (const std::uint32_t r : arows) {
        Activity x;
        x.date = a.activity_date[r];
        const std::uint32_t type_id = a.activity_type.ids[r];
        x.type = types[type_id];
        const std::uint32_t status_id = a.rtt_status.ids[r];
        x.rtt_status = a.rtt_status.has(r) ? statuses[status_id] : -1;
        x.rtt_status_text = a.rtt_status.text(r);
        x.provider_code = a.provider.text(r);
        x.treatment_function = a.treatment_function[r];
        x.validation = a.validation_outcome.has(r) ? outcomes[a.validation_outcome.ids[r]] : ValidationOutcome::kNone;
        x.removal_reason = a.removal_reason.text(r);
        x.transfer_provider_code = a.transfer_provider.text(r);
        acts.push_back(x);
      }
      sort_for_derivation(acts);
      const PathwayKey key{!arows.empty()    ? person_of(a.person_offsets, arows.front())
                           : reported != nullptr ? person_of(reported->person_offsets, rrows.front())
                                                 : kNoPerson,
                           static_cast<std::uint32_t>(p)};
      const std::size_t first = ch.periods.size();
      derive_pathway(key, acts, ch.periods, ch.findings);
      if (reported == nullptr) continue;
      reps.clear();
      for (const std::uint32_t r : rrows) {
        const ReportedColumns& R = *reported;
        ReportedClock x;
        x.period = R.rtt_period[r];
        x.provider_code = R.provider.text(r);
        x.treatment_function = R.treatment_function[r];
        x.clock_start = R.clock_start[r];
        x.clock_stop = R.clock_stop.has(r) ? R.clock_stop.values[r] : kNoDate;
        x.rtt_status_text = R.rtt_status.text(r);
        x.rtt_status = R.rtt_status.has(r) ? rep_status[R.rtt_status.ids[r]] : -1;
        x.removal_date = R.removal_date.has(r) ? R.removal_date.values[r] : kNoDate;
        x.removal_reason = R.removal_reason.text(r);
        x.priority = R.priority.has(r) ? rep_priority[R.priority.ids[r]] : 0;
        x.list_type = R.waiting_list_type.has(r) ? rep_list[R.waiting_list_type.ids[r]] : WaitingListType::kUnknown;
        reps.push_back(x);
      }
      reconcile_pathway(key, reps, std::span<ClockPeriod>(ch.periods).subspan(first), !acts.empty(), ch.findings);
    }
  });
  std::size_t np = 0, nf = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    np += out[c].periods.size();
    nf += out[c].findings.size();
    run.pathways += present[c];
  }
  run.periods.reserve(np);
  run.findings.reserve(nf);
  for (Chunk& ch : out) {
    std::move(ch.periods.begin(), ch.periods.end(), std::back_inserter(run.periods));
    std::move(ch.findings.begin(), ch.findings.end(), std::back_inserter(run.findings));
    ch = Chunk{};
  }
  return run;
}

namespace {

void require_columns(const store::Store& s, std::string_view table, std::initializer_list<std::string_view> names,
                     std::string_view why) {
  const store::TableView& t = s.table(table);
  for (const std::string_view n : names)
    if (!t.has_column(n))
      throw InputError(s.dir().string() + ": table " + std::string(table) + " has no column '" + std::string(n) + "': " +
                       std::string(why));
}

CategoryColumn category(const store::Store& s, const store::TableView& t, std::string_view name) {
  const store::ColumnView& c = t.column(name);
  CategoryColumn out;
  out.ids = c.values<std::uint32_t>();
  out.validity = c.validity_bitmap();
  const store::Dictionary& d = s.dictionary(c.entry().dictionary);
  out.dictionary.assign(d.values().begin(), d.values().end());
  return out;
}

NullableInt32Column nullable(const store::TableView& t, std::string_view name) {
  const store::ColumnView& c = t.column(name);
  return {c.values<std::int32_t>(), c.validity_bitmap()};
}

constexpr std::string_view kRebuild =
    "this store predates the pathway-level waiting-list extracts; rebuild it with severn ingest from an extract "
    "that has wlmds/rtt_activity.csv (severn synth writes one)";

}  // namespace

ActivityColumns activity_columns(const store::Store& s) {
  if (!s.has_table("wl_activity"))
    throw InputError(s.dir().string() + ": no wl_activity table (the RTT pathway activity): " + std::string(kRebuild));
  require_columns(s, "wl_activity",
                  {"pathway", "provider_code", "activity_date", "activity_type", "rtt_status", "treatment_function_code",
                   "validation_outcome", "removal_reason", "transfer_provider_code"},
                  kRebuild);
  const store::TableView& t = s.table("wl_activity");
  // An extract without wlmds/rtt_activity.csv still builds the table, empty (docs/store.md): with no
  // activity every reported period would be a finding, which says nothing about the list.
  if (t.rows() == 0)
    throw InputError(s.dir().string() + ": wl_activity is empty (the extract had no pathway activity, "
                     "wlmds/rtt_activity.csv): there are no clocks to derive; rebuild the store with severn ingest "
                     "from an extract that has it (severn synth writes one)");
  ActivityColumns a;
  a.person_offsets = t.person_offsets();
  a.pathway = t.column("pathway").values<std::int32_t>();
  a.activity_date = t.column("activity_date").values<std::int32_t>();
  a.treatment_function = t.column("treatment_function_code").values<std::int32_t>();
  a.provider = category(s, t, "provider_code");
  a.activity_type = category(s, t, "activity_type");
  a.rtt_status = category(s, t, "rtt_status");
  a.validation_outcome = category(s, t, "validation_outcome");
  a.removal_reason = category(s, t, "removal_reason");
  a.transfer_provider = category(s, t, "transfer_provider_code");
  return a;
}

ReportedColumns reported_columns(const store::Store& s) {
  if (!s.has_table("wl_pathways"))
    throw InputError(s.dir().string() + ": no wl_pathways table (the reported RTT list): " + std::string(kRebuild));
  require_columns(s, "wl_pathways",
                  {"pathway", "rtt_period", "provider_code", "treatment_function_code", "clock_start_date",
                   "clock_stop_date", "rtt_status", "removal_date", "removal_reason", "priority", "waiting_list_type"},
                  kRebuild);
  const store::TableView& t = s.table("wl_pathways");
  ReportedColumns r;
  r.person_offsets = t.person_offsets();
  r.pathway = t.column("pathway").values<std::int32_t>();
  r.rtt_period = t.column("rtt_period").values<std::int32_t>();
  r.treatment_function = t.column("treatment_function_code").values<std::int32_t>();
  r.clock_start = t.column("clock_start_date").values<std::int32_t>();
  r.clock_stop = nullable(t, "clock_stop_date");
  r.removal_date = nullable(t, "removal_date");
  r.provider = category(s, t, "provider_code");
  r.rtt_status = category(s, t, "rtt_status");
  r.removal_reason = category(s, t, "removal_reason");
  r.priority = category(s, t, "priority");
  r.waiting_list_type = category(s, t, "waiting_list_type");
  return r;
}

ClockRun run_clocks(const store::Store& s, unsigned threads) {
  const ActivityColumns a = activity_columns(s);
  const ReportedColumns r = reported_columns(s);
  return derive_clocks(a, &r, threads);
}

std::vector<ClockPeriod> derive_clock_periods(const store::Store& s, unsigned threads) {
  return run_clocks(s, threads).periods;
}

}  // namespace severn::elective
