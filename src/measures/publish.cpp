#include "measures/publish.h"

#include <chrono>
#include <ctime>
#include <stdexcept>

#include "core/parallel.h"
#include "disclosure/differencing.h"
#include "disclosure/ledger.h"
#include "disclosure/release.h"

namespace severn::measures {
namespace {

using disclosure::Reason;
using engine::Cell;
using engine::MeasureTable;
using lang::StatKind;

// Where one definition's series sit in a release: [m][k] -> numerator and denominator series.
struct SeriesRefs {
  std::size_t numerator = 0, denominator = 0;
};

// Adds a definition's tables to a release as series of one family (for identities between its
// measures); `label` names the definition in the audit's messages.
std::vector<std::vector<SeriesRefs>> add_series(disclosure::Release& release, std::size_t family,
                                                const std::string& label, const engine::MeasureResults& r,
                                                const std::string& meaning_suffix) {
  const lang::Definition& d = *r.definition;
  std::vector<std::vector<SeriesRefs>> refs(r.tables.size());
  for (std::size_t m = 0; m < r.tables.size(); ++m)
    for (std::size_t k = 0; k < r.tables[m].size(); ++k) {
      const MeasureTable& t = r.tables[m][k];
      const std::string interval = format_iso_date(r.intervals[m][k].first) + "/" + format_iso_date(r.intervals[m][k].second);
      const auto series = [&](std::uint64_t Cell::*field, const std::string& meaning, const char* what) {
        disclosure::Series s;
        s.meaning = meaning + meaning_suffix;
        s.interval = interval;
        s.family = family;
        s.label = label + ": " + d.measures[m].name + " " + what;
        s.total = static_cast<std::int64_t>(t.all.*field);
        for (std::size_t b = 0; b < t.by.size(); ++b) {
          s.breakdowns.push_back({r.breakdowns[m][b], {}});
          for (const auto& [group, cell] : t.by[b]) s.breakdowns.back().groups.push_back({group, static_cast<std::int64_t>(cell.*field)});
        }
        release.series.push_back(std::move(s));
        return release.series.size() - 1;
      };
      const std::size_t numerator = series(&Cell::numerator, r.numerator_meaning[m], "numerator");
      const std::size_t denominator = series(&Cell::denominator, r.denominator_meaning[m], "denominator");
      release.series[numerator].within = static_cast<std::ptrdiff_t>(denominator);
      refs[m].push_back({numerator, denominator});
    }
  for (const auto& n : r.nestings) {
    bool known = false;
    for (const auto& e : release.nestings) known = known || (e.child == n.child && e.parent == n.parent && e.parent_of == n.parent_of);
    if (!known) release.nestings.push_back(n);
  }
  return refs;
}

// Disclosure decisions for one table, for numerators and denominators alike:
// [0] = the whole measure, [1 + breakdown's running cell index] = the groups, in map order.
struct TableDecision {
  std::vector<PublishedCount> numerator, denominator;
};

TableDecision decide(const MeasureTable& t, const disclosure::ReleaseDecision* decision, const SeriesRefs* refs) {
  TableDecision out;
  const auto one = [&](std::uint64_t Cell::*field, std::vector<PublishedCount>& into, std::size_t series) {
    if (decision == nullptr) {
      into.push_back({Reason::kPublished, static_cast<std::int64_t>(t.all.*field)});
      for (const auto& groups : t.by)
        for (const auto& [label, cell] : groups) into.push_back({Reason::kPublished, static_cast<std::int64_t>(cell.*field)});
      return;
    }
    const disclosure::SeriesDecision& d = decision->series[series];
    into.push_back({d.total.reason, d.total.shown});
    for (const auto& b : d.groups)
      for (const auto& c : b) into.push_back({c.reason, c.shown});
  };
  one(&Cell::numerator, out.numerator, refs ? refs->numerator : 0);
  one(&Cell::denominator, out.denominator, refs ? refs->denominator : 0);
  return out;
}

// The cell a derived figure is computed from: under the rounded policy its published counts
// (standardising bands rounded alike, as a reader could have been given them), so that no value,
// limit or index carries more than the counts published beside it; otherwise the exact cell.
Cell figure_cell(const Cell& exact, const PublishedCount& n, const PublishedCount& d, const PublishOptions& o) {
  if (!o.disclosure_control || !o.policy.derive_from_published()) return exact;
  Cell c = exact;
  c.numerator = static_cast<std::uint64_t>(n.shown);
  c.denominator = static_cast<std::uint64_t>(d.shown);
  for (auto& x : c.band_numerator) x = static_cast<std::uint64_t>(disclosure::rounded(o.policy, static_cast<std::int64_t>(x)));
  for (auto& x : c.band_denominator) x = static_cast<std::uint64_t>(disclosure::rounded(o.policy, static_cast<std::int64_t>(x)));
  return c;
}

double finite_or_nan(double v) { return std::isfinite(v) ? v : NAN; }

// The rows of one measure on one interval: measures.csv's and funnels.csv's.
void table_rows(const lang::Measure& measure, const MeasureTable& t, const std::vector<std::string>& breakdowns,
                std::pair<Days, Days> interval, const TableDecision& dec, const StatisticsOptions& so,
                const PublishOptions& po, MeasureValues& out, WithheldCounts& withheld) {
  const lang::MeasureStats& st = measure.stats;
  const Cell all = figure_cell(t.all, dec.numerator[0], dec.denominator[0], po);
  const Figure overall = figure(st, all, all, st.confidence, so.esp2013);
  const bool overall_withheld = dec.numerator[0].withheld() || dec.denominator[0].withheld();
  std::size_t at = 0;  // index into dec
  const auto row = [&](const std::string& breakdown, const std::string& group, const Cell& exact) {
    const PublishedCount& pn = dec.numerator[at];
    const PublishedCount& pd = dec.denominator[at];
    ++at;
    const Cell cell = figure_cell(exact, pn, pd, po);
    withheld.numerator_small += pn.reason == Reason::kSmall;
    withheld.numerator_derivable += pn.reason == Reason::kDerivable;
    withheld.denominator_small += pd.reason == Reason::kSmall;
    withheld.denominator_derivable += pd.reason == Reason::kDerivable;
    MeasureRow r;
    r.start = interval.first;
    r.end = interval.second;
    r.breakdown = breakdown;
    r.group = group;
    r.numerator = pn.withheld() ? PublishedCount{pn.reason, 0} : pn;
    r.denominator = pd.withheld() ? PublishedCount{pd.reason, 0} : pd;
    r.withheld = pn.withheld() || pd.withheld();
    withheld.values_withheld += r.withheld;
    Figure f;
    if (!r.withheld) {
      f = figure(st, cell, all, st.confidence, so.esp2013);
      r.value = finite_or_nan(f.estimate.value);
      r.lower = finite_or_nan(f.estimate.lower);
      r.upper = finite_or_nan(f.estimate.upper);
      r.method = std::isnan(r.value) ? stats::Method::kNone : f.estimate.method;
      r.note = f.note;
    }

    // Funnel rows compare a group with the whole measure; dsr and isr funnels need each group's
    // own standardisation and are not drawn here (severn stats funnel-rate and funnel-ratio draw
    // them from a table).
    if (breakdown != "all" && st.kind != StatKind::kDsr && st.kind != StatKind::kIsr) {
      FunnelRow fr;
      fr.start = r.start;
      fr.end = r.end;
      fr.breakdown = breakdown;
      fr.group = group;
      fr.numerator = r.numerator;
      fr.denominator = r.denominator;
      fr.note = r.note;
      fr.value_withheld = r.withheld;
      fr.limits_withheld = r.withheld || overall_withheld;
      fr.value = r.value;
      if (!fr.limits_withheld && !std::isnan(r.value) && std::isfinite(overall.estimate.value)) {
        const FunnelLimits l = funnel_limits(st, overall.estimate.value, static_cast<double>(cell.denominator));
        fr.target = overall.estimate.value;
        fr.lower_95 = finite_or_nan(l.l95.lower);
        fr.upper_95 = finite_or_nan(l.l95.upper);
        fr.lower_99_8 = finite_or_nan(l.l998.lower);
        fr.upper_99_8 = finite_or_nan(l.l998.upper);
        fr.significance = stats::funnel_significance_text(stats::funnel_significance(f.estimate.value, l.l95, l.l998));
      }
      out.funnels.push_back(std::move(fr));
    }
    out.rows.push_back(std::move(r));
  };
  row("all", "all", t.all);
  for (std::size_t b = 0; b < t.by.size(); ++b)
    for (const auto& [label, cell] : t.by[b]) row(breakdowns[b], label, cell);
}

// The SII and RII of one measure on one interval: each quantile's value and the standard error
// from its 95% limits, as PHEindicatormethods' phe_sii takes them; decile 1 (most deprived) is
// relative rank 0. Two rows, sii then rii.
std::vector<InequalityRow> inequality_rows(const lang::Measure& measure, const MeasureTable& t,
                                           const std::vector<std::string>& breakdowns, std::pair<Days, Days> interval,
                                           const TableDecision& dec, const StatisticsOptions& so, const PublishOptions& po) {
  const lang::MeasureStats& st = measure.stats;
  std::size_t b = 0;
  while (breakdowns[b] != st.sii_by) ++b;
  std::size_t first = 1;  // index of breakdown b's first cell in dec
  for (std::size_t i = 0; i < b; ++i) first += t.by[i].size();
  const int quantiles = st.sii_by == "imd_decile" ? 10 : 5;
  const char* unit = st.sii_by == "imd_decile" ? "decile " : "quintile ";
  const stats::SiiValueType type = st.kind == StatKind::kProportion ? stats::SiiValueType::kProportion : stats::SiiValueType::kRate;
  std::vector<stats::SiiQuantile> q;
  std::string note;
  bool withheld = false;
  for (int i = 1; i <= quantiles && note.empty(); ++i) {
    const auto it = t.by[b].find(std::to_string(i));
    const std::string name = unit + std::to_string(i);
    if (it == t.by[b].end()) {
      note = "not computed: nobody in " + name;
      break;
    }
    const auto pos = first + static_cast<std::size_t>(std::distance(t.by[b].begin(), it));
    if (dec.numerator[pos].withheld() || dec.denominator[pos].withheld()) {
      note = std::string("withheld: ") + name + " is withheld by disclosure control";
      withheld = true;
      break;
    }
    // On the fraction scale for proportions (the multiplier is applied to the SII), per `per`
    // persons for rates.
    lang::MeasureStats at95 = st;
    if (st.kind == StatKind::kProportion) at95.per = 1;
    const Cell all = figure_cell(t.all, dec.numerator[0], dec.denominator[0], po);
    const Figure f = figure(at95, figure_cell(it->second, dec.numerator[pos], dec.denominator[pos], po), all, 0.95, so.esp2013);
    if (!std::isfinite(f.estimate.value)) {
      note = "not computed: " + name + " has no value (" + f.note + ")";
      break;
    }
    const double se = stats::sii_se_from_limits(f.estimate.lower, f.estimate.upper, type);
    if (!std::isfinite(se) || se <= 0) {
      note = "not computed: " + name + "'s limits give no standard error (a value of 0, or of 1 for a proportion)";
      break;
    }
    q.push_back({static_cast<double>(it->second.denominator), f.estimate.value, se});
  }
  stats::SiiResult r{NAN, NAN, NAN, {{NAN, NAN}}, {{NAN, NAN}}};
  if (note.empty()) {
    stats::SiiOptions options;
    options.type = type;
    options.multiplier = st.kind == StatKind::kProportion ? st.multiplier() : 1;
    options.confidence = {st.confidence};
    options.repetitions = so.sii_repetitions;
    options.seed = so.sii_seed;
    r = stats::sii(q, options);
  }
  std::vector<InequalityRow> rows;
  for (const InequalityIndex index : {InequalityIndex::kSii, InequalityIndex::kRii}) {
    InequalityRow row;
    row.start = interval.first;
    row.end = interval.second;
    row.breakdown = st.sii_by;
    row.index = index;
    row.withheld = withheld;
    if (!withheld) {
      const bool is_sii = index == InequalityIndex::kSii;
      row.value = finite_or_nan(is_sii ? r.sii : r.rii);
      row.lower = finite_or_nan(is_sii ? r.sii_limits[0].lower : r.rii_limits[0].lower);
      row.upper = finite_or_nan(is_sii ? r.sii_limits[0].upper : r.rii_limits[0].upper);
    }
    row.method = note.empty() ? sii_method(so) : "";
    row.note = note;
    rows.push_back(std::move(row));
  }
  return rows;
}

// One definition's values from its counts and (with disclosure control) the release's decision.
DefinitionValues definition_values(const DefinitionCounts& in, const disclosure::ReleaseDecision* decision,
                                   const std::vector<std::vector<SeriesRefs>>& refs, const PublishOptions& po) {
  const engine::MeasureResults& counts = *in.counts;
  const lang::Definition& d = *counts.definition;
  DefinitionValues out;
  out.definition = &d;
  out.label = in.label;
  struct SiiJob {
    std::size_t m, k;
    std::vector<InequalityRow> rows;
  };
  std::vector<SiiJob> sii_jobs;
  // decisions[m][k], kept for the SII, which reads whether each quantile was withheld.
  std::vector<std::vector<TableDecision>> decisions(counts.tables.size());
  for (std::size_t m = 0; m < counts.tables.size(); ++m) {
    const lang::Measure& measure = d.measures[m];
    MeasureValues mv;
    mv.measure = &measure;
    mv.name = measure.name;
    // A row measure's statistic names its unit: "proportion of wl_pathways rows" (docs/language.md).
    mv.statistic = lang::statistic_text(measure.stats) + (measure.over.empty() ? "" : " of " + measure.over + " rows");
    mv.confidence = lang::confidence_text(measure.stats.confidence);
    for (std::size_t k = 0; k < counts.tables[m].size(); ++k) {
      decisions[m].push_back(decide(counts.tables[m][k], decision, decision ? &refs[m][k] : nullptr));
      table_rows(measure, counts.tables[m][k], counts.breakdowns[m], counts.intervals[m][k], decisions[m].back(),
                 in.statistics, po, mv, out.withheld);
      if (!measure.stats.sii_by.empty()) sii_jobs.push_back({m, k, {}});
    }
    out.measures.push_back(std::move(mv));
  }
  // The SII's simulations are the slow part: one job per measure and interval, in parallel.
  parallel_for(sii_jobs.size(), in.statistics.threads, [&](std::size_t j) {
    SiiJob& job = sii_jobs[j];
    job.rows = inequality_rows(d.measures[job.m], counts.tables[job.m][job.k], counts.breakdowns[job.m],
                               counts.intervals[job.m][job.k], decisions[job.m][job.k], in.statistics, po);
  });
  for (SiiJob& job : sii_jobs)
    for (InequalityRow& row : job.rows) {
      out.withheld.indices_withheld += row.withheld;
      out.measures[job.m].inequality.push_back(std::move(row));
    }
  return out;
}

// Marks the counts of a pair's `strong` definition that would reveal a small difference from the
// `all` definition's (disclosure/differencing.h).
void withhold_revealing_differences(disclosure::Release& release, const std::vector<std::vector<std::vector<SeriesRefs>>>& refs,
                                    const LinkSensitivityPair& pair, const disclosure::Policy& policy) {
  const auto& all = refs.at(pair.all);
  const auto& strong = refs.at(pair.strong);
  if (all.size() != strong.size()) throw std::logic_error("publish: a link sensitivity pair of different definitions");
  for (std::size_t m = 0; m < all.size(); ++m) {
    if (all[m].size() != strong[m].size()) throw std::logic_error("publish: a link sensitivity pair of different intervals");
    for (std::size_t k = 0; k < all[m].size(); ++k) {
      disclosure::withhold_revealing_differences(policy, release.series[all[m][k].numerator], release.series[strong[m][k].numerator]);
      disclosure::withhold_revealing_differences(policy, release.series[all[m][k].denominator],
                                                 release.series[strong[m][k].denominator]);
    }
  }
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char when[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return when;
}

}  // namespace

ReleaseValues publish(const std::vector<DefinitionCounts>& definitions, const PublishOptions& o) {
  ReleaseValues values;
  values.disclosure_control = o.disclosure_control;
  values.policy = o.policy;
  values.release_ledger = o.release_ledger.string();
  disclosure::Release release;
  std::vector<std::vector<std::vector<SeriesRefs>>> refs(definitions.size());
  disclosure::ReleaseDecision decision;
  if (o.disclosure_control) {
    for (std::size_t i = 0; i < definitions.size(); ++i)
      refs[i] = add_series(release, i, definitions[i].label, *definitions[i].counts, definitions[i].meaning_suffix);
    for (const LinkSensitivityPair& pair : o.link_pairs) withhold_revealing_differences(release, refs, pair, o.policy);
    const std::vector<disclosure::LedgerEntry> earlier =
        o.release_ledger.empty() ? std::vector<disclosure::LedgerEntry>{} : disclosure::read_ledger(o.release_ledger);
    decision = disclosure::control(release, o.policy, earlier);
    // Recorded before anything is written: a release that fails half-way was still (perhaps)
    // seen, and a ledger that says too much only makes later audits stricter.
    if (!o.release_ledger.empty())
      disclosure::append_ledger(o.release_ledger,
                                disclosure::ledger_entries(release, decision, o.policy,
                                                           utc_now() + (o.release_tag.empty() ? "" : " " + o.release_tag)));
    values.audit = decision.audit;
  }
  for (std::size_t i = 0; i < definitions.size(); ++i)
    values.definitions.push_back(definition_values(definitions[i], o.disclosure_control ? &decision : nullptr, refs[i], o));
  return values;
}

std::uint64_t DefinitionValues::measure_rows() const {
  std::uint64_t n = 0;
  for (const auto& m : measures) n += m.rows.size();
  return n;
}
std::uint64_t DefinitionValues::funnel_rows() const {
  std::uint64_t n = 0;
  for (const auto& m : measures) n += m.funnels.size();
  return n;
}
std::uint64_t DefinitionValues::inequality_rows() const {
  std::uint64_t n = 0;
  for (const auto& m : measures) n += m.inequality.size();
  return n;
}

}  // namespace severn::measures
