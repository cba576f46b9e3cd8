#include "engine/measure_output.h"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/parallel.h"
#include "engine/groups.h"
#include "stats/stats.h"

namespace severn::engine {
namespace {

using disclosure::Reason;
using lang::StatKind;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write");
}

// Values and limits: 6 decimals, as measures.csv has always written its value.
void number(CsvRow& row, double v) {
  if (std::isfinite(v)) row.decimal(v, 6);
  else row.empty();
}

// What disclosure control decided for one count of one cell, and how it is written.
struct Published {
  Reason reason = Reason::kPublished;
  std::int64_t shown = 0;  // when published: exact, or rounded under the policy
};

// Disclosure decisions for one table, for numerators and denominators alike:
// [0] = the whole measure, [1 + breakdown's running cell index] = the groups, in map order.
struct TableDecision {
  std::vector<Published> numerator, denominator;
};

TableDecision decide(const MeasureTable& t, const OutputOptions& o, const disclosure::ReleaseDecision* decision,
                     const SeriesRefs* refs) {
  TableDecision out;
  const auto one = [&](std::uint64_t Cell::*field, std::vector<Published>& into, std::size_t series) {
    if (!o.disclosure_control || decision == nullptr || refs == nullptr) {
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
// limit or index carries more than the counts printed beside it; otherwise the exact cell.
Cell figure_cell(const Cell& exact, const Published& n, const Published& d, const OutputOptions& o) {
  if (!o.disclosure_control || !o.policy.derive_from_published()) return exact;
  Cell c = exact;
  c.numerator = static_cast<std::uint64_t>(n.shown);
  c.denominator = static_cast<std::uint64_t>(d.shown);
  for (auto& x : c.band_numerator) x = static_cast<std::uint64_t>(disclosure::rounded(o.policy, static_cast<std::int64_t>(x)));
  for (auto& x : c.band_denominator) x = static_cast<std::uint64_t>(disclosure::rounded(o.policy, static_cast<std::int64_t>(x)));
  return c;
}

// A withheld cell says only that it is withheld: why (small, or withheld to protect another) is
// in run.json's totals, never beside the cell.
void withheld_or(CsvRow& row, const Published& p) {
  if (p.reason == Reason::kPublished) row.integer(p.shown);
  else row.text(disclosure::kWithheldMarker);
}

// The measure's statistic of one cell, from the counts it is given (figure_cell: published or exact). `note` says
// why there is none.
struct Figure {
  stats::Estimate estimate{NAN, NAN, NAN, stats::Method::kNone};
  std::string note;
};

Figure figure(const lang::MeasureStats& st, const Cell& cell, const Cell& all, double confidence,
              const std::vector<double>& esp) {
  Figure f;
  if (cell.denominator == 0) {
    f.note = "denominator 0";
    return f;
  }
  const auto x = static_cast<double>(cell.numerator), n = static_cast<double>(cell.denominator);
  switch (st.kind) {
    case StatKind::kProportion: f.estimate = stats::proportion(x, n, confidence, st.multiplier()); break;
    case StatKind::kRate: f.estimate = stats::crude_rate(x, n, confidence, st.multiplier()); break;
    case StatKind::kDsr: {
      // Standardised over the bands the whole measure has people in, so that a measure of, say,
      // people aged 40-74 is standardised over those ages only.
      std::vector<stats::DsrBand> bands;
      for (std::size_t b = 0; b < kDsrBands; ++b) {
        if (all.band_denominator[b] == 0) continue;
        if (cell.band_denominator[b] == 0) {
          f.note = "dsr not computed: nobody aged " + age_band(static_cast<int>(b * 5)) + " in this group";
          return f;
        }
        bands.push_back({static_cast<double>(cell.band_numerator[b]), static_cast<double>(cell.band_denominator[b]), esp[b]});
      }
      if (bands.empty()) {
        f.note = "dsr not computed: nobody of known age";
        return f;
      }
      f.estimate = stats::dsr(bands, confidence, st.multiplier());
      if (std::isnan(f.estimate.value)) f.note = "dsr not computed: fewer than 10 events (OHID rule)";
      break;
    }
    case StatKind::kIsr: {
      // Expected = each band's people times the reference rate of their age band and sex.
      double expected = 0;
      for (std::size_t b = 0; b < 2 * kDsrBands; ++b) {
        if (cell.band_denominator[b] == 0) continue;
        const double rate = st.reference_rates[b];
        if (std::isnan(rate)) {
          f.note = std::string("isr not computed: no reference rate for ") + (b < kDsrBands ? "males" : "females") +
                   " aged " + age_band(static_cast<int>(b % kDsrBands * 5));
          return f;
        }
        expected += rate * static_cast<double>(cell.band_denominator[b]);
      }
      if (!(expected > 0)) {
        f.note = "isr not computed: nobody of known age and sex with a reference rate above 0";
        return f;
      }
      f.estimate = stats::isr_ratio(x, expected, confidence, st.multiplier());
      char buf[64];
      std::snprintf(buf, sizeof buf, "expected %.1f", expected);
      f.note = buf;
      break;
    }
  }
  return f;
}

std::string sii_method(const OutputOptions& o) {
  return "population-weighted ridit regression; limits from " + std::to_string(o.sii_repetitions) +
         " simulations, seed " + std::to_string(o.sii_seed);
}

struct SiiJob {
  std::size_t m, k;
  std::string rows;  // inequality.csv rows
  std::uint64_t withheld = 0, count = 0;
};

}  // namespace

void Cell::add(const Cell& o) {
  numerator += o.numerator;
  denominator += o.denominator;
  if (band_denominator.size() < o.band_denominator.size()) {
    band_numerator.resize(o.band_numerator.size(), 0);
    band_denominator.resize(o.band_denominator.size(), 0);
  }
  for (std::size_t b = 0; b < o.band_denominator.size(); ++b) {
    band_numerator[b] += o.band_numerator[b];
    band_denominator[b] += o.band_denominator[b];
  }
}

std::string withheld_json(const WithheldCounts& w) {
  return "{\"numerator_small\": " + std::to_string(w.numerator_small) +
         ", \"numerator_derivable\": " + std::to_string(w.numerator_derivable) +
         ", \"denominator_small\": " + std::to_string(w.denominator_small) +
         ", \"denominator_derivable\": " + std::to_string(w.denominator_derivable) +
         ", \"values_withheld\": " + std::to_string(w.values_withheld) +
         ", \"inequality_rows_withheld\": " + std::to_string(w.indices_withheld) + "}";
}

std::vector<std::vector<SeriesRefs>> add_series(disclosure::Release& release, std::size_t family,
                                                const std::string& label, const MeasureResults& r) {
  const lang::Definition& d = *r.definition;
  std::vector<std::vector<SeriesRefs>> refs(r.tables.size());
  for (std::size_t m = 0; m < r.tables.size(); ++m)
    for (std::size_t k = 0; k < r.tables[m].size(); ++k) {
      const MeasureTable& t = r.tables[m][k];
      const std::string interval = format_iso_date(r.intervals[m][k].first) + "/" + format_iso_date(r.intervals[m][k].second);
      const auto series = [&](std::uint64_t Cell::*field, const std::string& meaning, const char* what) {
        disclosure::Series s;
        s.meaning = meaning;
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

OutputSummary write_measure_outputs(const std::filesystem::path& out, const MeasureResults& results,
                                    const OutputOptions& o, const disclosure::ReleaseDecision* release_decision,
                                    const std::vector<std::vector<SeriesRefs>>& refs) {
  const lang::Definition& d = *results.definition;
  const auto& intervals = results.intervals;
  const auto& breakdowns = results.breakdowns;
  const auto& tables = results.tables;
  const bool controlled = o.disclosure_control && release_decision != nullptr;
  OutputSummary summary;
  std::string measures, funnels, inequality;
  CsvRow(measures).text("measure").text("interval_start").text("interval_end").text("breakdown").text("group")
      .text("numerator").text("denominator").text("value").text("lower").text("upper").text("statistic")
      .text("method").text("confidence").text("note");
  CsvRow(funnels).text("measure").text("interval_start").text("interval_end").text("breakdown").text("group")
      .text("numerator").text("denominator").text("value").text("target").text("lower_95").text("upper_95")
      .text("lower_99_8").text("upper_99_8").text("significance").text("statistic").text("note");
  CsvRow(inequality).text("measure").text("interval_start").text("interval_end").text("breakdown").text("index")
      .text("value").text("lower").text("upper").text("statistic").text("confidence").text("method").text("note");

  std::vector<SiiJob> sii_jobs;
  // decisions[m][k], kept for the SII, which reads whether each quantile was withheld.
  std::vector<std::vector<TableDecision>> decisions(tables.size());

  for (std::size_t m = 0; m < tables.size(); ++m) {
    const lang::Measure& measure = d.measures[m];
    const lang::MeasureStats& st = measure.stats;
    const std::string statistic = lang::statistic_text(st);
    const std::string confidence = lang::confidence_text(st.confidence);
    for (std::size_t k = 0; k < tables[m].size(); ++k) {
      const MeasureTable& t = tables[m][k];
      decisions[m].push_back(decide(t, o, release_decision, controlled ? &refs[m][k] : nullptr));
      const TableDecision& dec = decisions[m].back();
      const auto [start, end] = intervals[m][k];
      const Cell all = figure_cell(t.all, dec.numerator[0], dec.denominator[0], o);
      const Figure overall = figure(st, all, all, st.confidence, o.esp2013);
      const bool overall_withheld = dec.numerator[0].reason != Reason::kPublished || dec.denominator[0].reason != Reason::kPublished;
      std::size_t at = 0;  // index into dec
      const auto row = [&](const std::string& breakdown, const std::string& group, const Cell& exact) {
        const Published& pn = dec.numerator[at];
        const Published& pd = dec.denominator[at];
        ++at;
        const Cell cell = figure_cell(exact, pn, pd, o);
        summary.withheld.numerator_small += pn.reason == Reason::kSmall;
        summary.withheld.numerator_derivable += pn.reason == Reason::kDerivable;
        summary.withheld.denominator_small += pd.reason == Reason::kSmall;
        summary.withheld.denominator_derivable += pd.reason == Reason::kDerivable;
        const bool withheld = pn.reason != Reason::kPublished || pd.reason != Reason::kPublished;
        summary.withheld.values_withheld += withheld;
        CsvRow r(measures);
        r.text(measure.name).date(start).date(end).text(breakdown).text(group);
        withheld_or(r, pn);
        withheld_or(r, pd);
        std::string note;
        Figure f;
        if (!withheld) {
          f = figure(st, cell, all, st.confidence, o.esp2013);
          note = f.note;
          number(r, f.estimate.value);
          number(r, f.estimate.lower);
          number(r, f.estimate.upper);
        } else {
          r.text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker);
        }
        r.text(statistic).text(f.estimate.method == stats::Method::kNone || !std::isfinite(f.estimate.value) ? "" : stats::method_name(f.estimate.method))
            .text(confidence).text(note);
        ++summary.measure_rows;

        // Funnel rows compare a group with the whole measure; dsr and isr funnels need each
        // group's own standardisation and are not drawn here (severn stats funnel-rate and
        // funnel-ratio draw them from a table).
        if (breakdown == "all" || st.kind == StatKind::kDsr || st.kind == StatKind::kIsr) return;
        CsvRow fr(funnels);
        fr.text(measure.name).date(start).date(end).text(breakdown).text(group);
        withheld_or(fr, pn);
        withheld_or(fr, pd);
        std::string fnote = note;
        if (withheld || overall_withheld) {
          // The group's value, or the target and with it every limit, is withheld.
          if (withheld) fr.text(disclosure::kWithheldMarker);
          else number(fr, f.estimate.value);
          for (int i = 0; i < 5; ++i) fr.text(disclosure::kWithheldMarker);
          fr.text(disclosure::kWithheldMarker).text(statistic).text(fnote);
        } else if (!std::isfinite(f.estimate.value) || !std::isfinite(overall.estimate.value)) {
          number(fr, f.estimate.value);
          for (int i = 0; i < 5; ++i) fr.empty();
          fr.empty().text(statistic).text(fnote);
        } else {
          const double n = static_cast<double>(cell.denominator);
          const double target = overall.estimate.value;
          stats::Limits l95, l998;
          if (st.kind == StatKind::kProportion) {
            const double scale = st.multiplier();
            l95 = stats::funnel_proportion_limits(target / scale, n, 0.95);
            l998 = stats::funnel_proportion_limits(target / scale, n, 0.998);
            l95 = {l95.lower * scale, l95.upper * scale};
            l998 = {l998.lower * scale, l998.upper * scale};
          } else {
            l95 = stats::funnel_rate_limits(target, n, 0.95, st.multiplier());
            l998 = stats::funnel_rate_limits(target, n, 0.998, st.multiplier());
          }
          number(fr, f.estimate.value);
          number(fr, target);
          number(fr, l95.lower);
          number(fr, l95.upper);
          number(fr, l998.lower);
          number(fr, l998.upper);
          fr.text(stats::funnel_significance_text(stats::funnel_significance(f.estimate.value, l95, l998))).text(statistic).text(fnote);
        }
        ++summary.funnel_rows;
      };
      row("all", "all", t.all);
      for (std::size_t b = 0; b < t.by.size(); ++b)
        for (const auto& [label, cell] : t.by[b]) row(breakdowns[m][b], label, cell);
      if (!st.sii_by.empty()) sii_jobs.push_back({m, k, {}, 0, 0});
    }
  }

  // The SII and RII: each quantile's value and the standard error from its 95% limits, as
  // PHEindicatormethods' phe_sii takes them; decile 1 (most deprived) is relative rank 0.
  parallel_for(sii_jobs.size(), o.threads, [&](std::size_t j) {
    SiiJob& job = sii_jobs[j];
    const lang::Measure& measure = d.measures[job.m];
    const lang::MeasureStats& st = measure.stats;
    const MeasureTable& t = tables[job.m][job.k];
    const TableDecision& dec = decisions[job.m][job.k];
    std::size_t b = 0;
    while (breakdowns[job.m][b] != st.sii_by) ++b;
    std::size_t first = 1;  // index of breakdown b's first cell in dec
    for (std::size_t i = 0; i < b; ++i) first += t.by[i].size();
    const int quantiles = st.sii_by == "imd_decile" ? 10 : 5;
    const char* unit = st.sii_by == "imd_decile" ? "decile " : "quintile ";
    const stats::SiiValueType type = st.kind == StatKind::kProportion ? stats::SiiValueType::kProportion : stats::SiiValueType::kRate;
    std::vector<stats::SiiQuantile> q;
    std::string note;
    for (int i = 1; i <= quantiles && note.empty(); ++i) {
      const auto it = t.by[b].find(std::to_string(i));
      const std::string name = unit + std::to_string(i);
      if (it == t.by[b].end()) {
        note = "not computed: nobody in " + name;
        break;
      }
      const auto pos = first + static_cast<std::size_t>(std::distance(t.by[b].begin(), it));
      if (dec.numerator[pos].reason != Reason::kPublished || dec.denominator[pos].reason != Reason::kPublished) {
        note = std::string("withheld: ") + name + " is withheld by disclosure control";
        ++job.withheld;
        break;
      }
      // On the fraction scale for proportions (the multiplier is applied to the SII), per
      // `per` persons for rates.
      lang::MeasureStats at95 = st;
      if (st.kind == StatKind::kProportion) at95.per = 1;
      const Cell all = figure_cell(t.all, dec.numerator[0], dec.denominator[0], o);
      const Figure f = figure(at95, figure_cell(it->second, dec.numerator[pos], dec.denominator[pos], o), all, 0.95, o.esp2013);
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
      stats::SiiOptions so;
      so.type = type;
      so.multiplier = st.kind == StatKind::kProportion ? st.multiplier() : 1;
      so.confidence = {st.confidence};
      so.repetitions = o.sii_repetitions;
      so.seed = o.sii_seed;
      r = stats::sii(q, so);
    }
    const auto [start, end] = tables.empty() ? std::pair<Days, Days>{} : intervals[job.m][job.k];
    for (const char* index : {"sii", "rii"}) {
      CsvRow row(job.rows);
      const bool is_sii = index[0] == 's';
      row.text(measure.name).date(start).date(end).text(st.sii_by).text(index);
      if (job.withheld) {
        row.text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker);
      } else {
        number(row, is_sii ? r.sii : r.rii);
        number(row, is_sii ? r.sii_limits[0].lower : r.rii_limits[0].lower);
        number(row, is_sii ? r.sii_limits[0].upper : r.rii_limits[0].upper);
      }
      row.text(lang::statistic_text(st)).text(lang::confidence_text(st.confidence))
          .text(note.empty() ? sii_method(o) : "").text(note);
      ++job.count;
    }
    if (job.withheld) job.withheld = 2;
  });
  for (const SiiJob& job : sii_jobs) {
    inequality += job.rows;
    summary.inequality_rows += job.count;
    summary.withheld.indices_withheld += job.withheld;
  }

  write_file(out / "measures.csv", measures);
  write_file(out / "funnels.csv", funnels);
  write_file(out / "inequality.csv", inequality);
  return summary;
}

}  // namespace severn::engine
