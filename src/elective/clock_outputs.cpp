#include "elective/clock_outputs.h"

#include <sys/stat.h>

#include <array>
#include <charconv>
#include <fstream>
#include <map>
#include <tuple>

#include "core/csv_table.h"
#include "core/csv_writer.h"
#include "core/error.h"

namespace severn::elective {

namespace {

constexpr std::array<PeriodEnd, 5> kEnds = {PeriodEnd::kOpen, PeriodEnd::kClockStop, PeriodEnd::kRemoved,
                                            PeriodEnd::kTransferred, PeriodEnd::kNullified};

std::string published(const disclosure::Policy& policy, bool apply, disclosure::Reason reason, std::int64_t count) {
  if (!apply) return std::to_string(count);
  if (reason != disclosure::Reason::kPublished) return disclosure::kWithheldMarker;
  return std::to_string(disclosure::rounded(policy, count));
}

void finding_columns(CsvRow& row, const Finding& f) {
  row.integer(f.pathway).integer(f.period).text(f.provider_code).integer(f.treatment_function).text(finding_name(f.code));
  row.text(f.reported).text(f.derived).text(f.detail);
}

}  // namespace

std::string derived_periods_csv(const ClockRun& run, const disclosure::Policy& policy, bool apply) {
  std::map<std::tuple<std::string, int>, std::array<std::int64_t, kEnds.size()>> tables;
  for (const ClockPeriod& p : run.periods) ++tables[{p.provider_code, p.treatment_function}][static_cast<std::size_t>(p.end_kind)];
  std::string out;
  CsvRow(out).text("provider_code").text("treatment_function_code").text("end_kind").text("periods");
  for (const auto& [key, counts] : tables) {
    std::int64_t total = 0;
    disclosure::Breakdown by_end;
    for (const PeriodEnd e : kEnds) {
      total += counts[static_cast<std::size_t>(e)];
      by_end.cells.push_back(counts[static_cast<std::size_t>(e)]);
    }
    const disclosure::Decision d = disclosure::suppress(policy, total, {by_end});
    const auto& [provider, tf] = key;
    CsvRow(out).text(provider).integer(tf).text("all").text(published(policy, apply, d.total, total));
    for (std::size_t i = 0; i < kEnds.size(); ++i)
      CsvRow(out).text(provider).integer(tf).text(period_end_name(kEnds[i])).text(published(policy, apply, d.cells[0][i], by_end.cells[i]));
  }
  return out;
}

std::string validation_findings_csv(const ClockRun& run) {
  std::string out;
  CsvRow(out).text("pathway").text("rtt_period").text("provider_code").text("treatment_function_code").text("finding")
      .text("reported").text("derived").text("detail");
  for (const Finding& f : run.findings) {
    CsvRow row(out);
    finding_columns(row, f);
  }
  return out;
}

std::string validation_list_csv(const ClockRun& run, const store::Store& s, const store::AccessContext& context,
                                const store::AccessObserver& observer) {
  if (s.manifest().files.count("identity/pathways.csv") == 0)
    throw InputError(s.dir().string() + ": no identity/pathways.csv (the patient pathway ids of the store's pathway "
                     "numbers): the store predates the pathway-level extracts; rebuild it with severn ingest");
  const store::IdentityArea area = store::IdentityArea::open(s, observer);
  // Through the audited pathways() read: the observer sees the local ids asked for.
  const std::vector<store::PathwayIdentity>& ids = area.pathways(context);
  std::map<std::pair<std::uint32_t, std::string>, std::size_t> by_key;
  std::map<std::uint32_t, std::size_t> by_pathway;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const auto p = static_cast<std::uint32_t>(ids[r].pathway);
    by_key.emplace(std::make_pair(p, ids[r].provider_code), r);
    by_pathway.emplace(p, r);
  }
  std::string out;
  CsvRow(out).text("patient_pathway_id").text("local_patient_id").text("pathway").text("rtt_period").text("provider_code")
      .text("treatment_function_code").text("finding").text("reported").text("derived").text("detail");
  for (const Finding& f : run.findings) {
    auto it = by_key.find({f.pathway, f.provider_code});
    std::size_t r = ids.size();
    if (it != by_key.end()) {
      r = it->second;
    } else if (const auto jt = by_pathway.find(f.pathway); jt != by_pathway.end()) {
      r = jt->second;  // the pathway's id at the other provider: the patient pathway id is the same
    }
    CsvRow row(out);
    if (r < ids.size()) {
      row.text(ids[r].patient_pathway_id);
      // The local id is the provider's own: only when the row is this provider's.
      if (it != by_key.end()) row.text(ids[r].local_patient_id); else row.empty();
    } else {
      row.empty().empty();
    }
    finding_columns(row, f);
  }
  return out;
}

std::string clocks_json(const ClockRun& run, const disclosure::Policy& policy, bool applied, double seconds) {
  std::array<std::uint64_t, kFindingCodes> by_code{};
  for (const Finding& f : run.findings) ++by_code[static_cast<std::size_t>(f.code)];
  std::array<std::uint64_t, kEnds.size()> by_end{};
  for (const ClockPeriod& p : run.periods) ++by_end[static_cast<std::size_t>(p.end_kind)];
  std::string j = "{\n  \"pathways\": " + std::to_string(run.pathways) +
                  ",\n  \"activity_rows\": " + std::to_string(run.activity_rows) +
                  ",\n  \"reported_rows\": " + std::to_string(run.reported_rows) +
                  ",\n  \"rows_without_pathway\": " + std::to_string(run.rows_without_pathway) +
                  ",\n  \"derived_periods\": " + std::to_string(run.periods.size()) + ",\n  \"derived_periods_by_end\": {";
  for (std::size_t i = 0; i < kEnds.size(); ++i)
    j += std::string(i ? ", " : "") + "\"" + std::string(period_end_name(kEnds[i])) + "\": " + std::to_string(by_end[i]);
  j += "},\n  \"findings\": " + std::to_string(run.findings.size()) + ",\n  \"findings_by_code\": {";
  bool first = true;
  for (int c = 0; c < kFindingCodes; ++c) {
    if (by_code[static_cast<std::size_t>(c)] == 0) continue;
    j += std::string(first ? "" : ", ") + "\"" + std::string(finding_name(static_cast<FindingCode>(c))) +
         "\": " + std::to_string(by_code[static_cast<std::size_t>(c)]);
    first = false;
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.3f", seconds);
  j += "},\n  \"threads\": " + std::to_string(run.threads) + ",\n  \"seconds\": " + secs +
       ",\n  \"note\": \"derived_periods.csv is aggregate (disclosure-controlled counts of derived periods at a provider; a "
       "transferred pathway has a period at each provider); validation_findings.csv is pseudonymous row-level data for "
       "validation\",\n  \"disclosure_control\": " + disclosure::metadata_json(policy, applied) +
       ",\n  \"disclosure_tables\": \"each provider and treatment function is one table (its all row split by end kind) "
       "with small-count and secondary suppression; the tables share no cells or totals, so no count of one can be "
       "worked out from another\"\n}\n";
  return j;
}

void write_output(const std::filesystem::path& path, const std::string& text, bool restricted) {
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path.string() + ": cannot write");
  }
  if (restricted) ::chmod(path.c_str(), 0600);  // before the identifiable rows go in
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw InputError(path.string() + ": cannot write");
}

}  // namespace severn::elective
