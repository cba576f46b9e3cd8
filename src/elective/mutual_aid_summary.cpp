#include "elective/mutual_aid_summary.h"

#include <cmath>
#include <map>
#include <optional>

#include "core/csv_writer.h"
#include "disclosure/suppression.h"

namespace severn::elective {
namespace {

const std::vector<std::string> kBreakdowns = {"treatment_function", "provider", "imd_quintile"};

std::string quintile_label(int q) { return q >= 1 && q <= 5 ? std::to_string(q) : "unknown"; }

std::string label_of(const MutualAidCase& c, std::size_t breakdown) {
  switch (breakdown) {
    case 0: return std::to_string(c.treatment_function);
    case 1: return c.provider_code;
    case 2: return quintile_label(c.imd_quintile);
    default: return c.receiving_provider;
  }
}

disclosure::Series series_of(const std::vector<MutualAidCase>& cases, bool (*in)(const MutualAidCase&),
                             std::size_t breakdowns, const std::string& meaning, const std::string& interval,
                             std::ptrdiff_t within) {
  disclosure::Series s;
  s.meaning = meaning;
  s.interval = interval;
  s.label = "mutual aid: " + meaning;
  s.within = within;
  std::vector<std::map<std::string, std::int64_t>> counts(breakdowns);
  for (const auto& c : cases) {
    if (!in(c)) continue;
    ++s.total;
    for (std::size_t b = 0; b < breakdowns; ++b) ++counts[b][label_of(c, b)];
  }
  for (std::size_t b = 0; b < breakdowns; ++b) {
    disclosure::SeriesBreakdown sb;
    sb.name = b < kBreakdowns.size() ? kBreakdowns[b] : "receiving_provider";
    for (const auto& [label, n] : counts[b]) sb.groups.push_back({label, n});
    s.breakdowns.push_back(std::move(sb));
  }
  return s;
}

// A published count: the value shown, or nullopt when withheld.
struct Shown {
  std::optional<std::int64_t> value;
};

Shown shown(const disclosure::Release& rel, const disclosure::ReleaseDecision* d, std::size_t series,
            std::ptrdiff_t breakdown, const std::string& label) {
  const auto& s = rel.series[series];
  if (breakdown < 0) {
    if (d == nullptr) return {s.total};
    const auto& cell = d->series[series].total;
    return {cell.withheld() ? std::nullopt : std::optional<std::int64_t>(cell.shown)};
  }
  const auto& groups = s.breakdowns[static_cast<std::size_t>(breakdown)].groups;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].label != label) continue;
    if (d == nullptr) return {groups[g].count};
    const auto& cell = d->series[series].groups[static_cast<std::size_t>(breakdown)][g];
    return {cell.withheld() ? std::nullopt : std::optional<std::int64_t>(cell.shown)};
  }
  return {0};  // an absent group counts nobody
}

void count_cell(CsvRow& row, const Shown& s) {
  if (s.value) row.integer(*s.value);
  else row.text(disclosure::kWithheldMarker);
}

void percent_cell(CsvRow& row, const Shown& num, const Shown& den) {
  if (!num.value || !den.value) row.text(disclosure::kWithheldMarker);
  else if (*den.value == 0) row.empty();
  else row.decimal(100.0 * static_cast<double>(*num.value) / static_cast<double>(*den.value), 1);
}

}  // namespace

std::string radius_text(double radius_miles) {
  if (std::isinf(radius_miles)) return "national";
  return std::to_string(static_cast<long long>(radius_miles));
}

disclosure::Release mutual_aid_release(const std::vector<MutualAidCase>& cases, Days on) {
  const std::string day = format_iso_date(on);
  const std::string interval = day + "/" + day;
  disclosure::Release rel;
  rel.series.push_back(series_of(cases, [](const MutualAidCase&) { return true; }, 3,
                                 "PIDMAS-eligible open RTT pathways", interval, -1));
  rel.series.push_back(series_of(cases, [](const MutualAidCase& c) { return c.opted_in; }, 3,
                                 "PIDMAS-eligible pathways whose patient asks to move", interval, 0));
  rel.series.push_back(series_of(cases, [](const MutualAidCase& c) { return c.opted_in && c.matched; }, 4,
                                 "pathways matched to a provider with a shorter wait", interval, 1));
  return rel;
}

std::string mutual_aid_summary_csv(const disclosure::Release& rel, const disclosure::ReleaseDecision* d, Days on,
                                   double radius_miles) {
  std::string out = "date,radius_miles,breakdown,group,eligible,opted_in,matched,matched_percent\n";
  const std::string radius = radius_text(radius_miles);
  auto line = [&](const std::string& breakdown, const std::string& group, std::ptrdiff_t b) {
    CsvRow row(out);
    row.date(on).text(radius).text(breakdown).text(group);
    const Shown e = shown(rel, d, 0, b, group), o = shown(rel, d, 1, b, group), m = shown(rel, d, 2, b, group);
    count_cell(row, e);
    count_cell(row, o);
    count_cell(row, m);
    percent_cell(row, m, o);
  };
  line("all", "all", -1);
  for (std::size_t b = 0; b < kBreakdowns.size(); ++b)
    for (const auto& g : rel.series[0].breakdowns[b].groups) line(kBreakdowns[b], g.label, static_cast<std::ptrdiff_t>(b));
  for (const auto& g : rel.series[2].breakdowns[3].groups) {
    CsvRow row(out);
    row.date(on).text(radius).text("receiving_provider").text(g.label).empty().empty();
    count_cell(row, shown(rel, d, 2, 3, g.label));
    row.empty();
  }
  return out;
}

}  // namespace severn::elective
