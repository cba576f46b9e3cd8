#include "measures/csv_writers.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/json_text.h"

namespace severn::measures {
namespace {

constexpr int kDecimals = 6;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write");
}

// Values and limits: 6 decimals, as measures.csv has always written its value; empty when not
// computable.
void number(CsvRow& row, double v) {
  if (std::isfinite(v)) row.decimal(v, kDecimals);
  else row.empty();
}

void count(CsvRow& row, const PublishedCount& c) {
  if (c.withheld()) row.text(disclosure::kWithheldMarker);
  else row.integer(c.shown);
}

void number_or_withheld(CsvRow& row, bool withheld, double v) {
  if (withheld) row.text(disclosure::kWithheldMarker);
  else number(row, v);
}

// run.json's record of the worklists: how many people and PCN files each has, or that they were
// not written (they are identifiable and written only with --worklists).
std::string worklists_json(const std::vector<lang::Worklist>& lists, const std::vector<engine::WorklistSummary>& written,
                           bool wrote) {
  std::string out = "{\"written\": " + std::string(wrote ? "true" : "false") + ", \"lists\": [";
  for (std::size_t w = 0; w < lists.size(); ++w) {
    out += (w ? ", " : "") + std::string("{\"name\": \"") + lists[w].name + "\"";
    if (wrote) out += ", \"people\": " + std::to_string(written[w].people) + ", \"pcn_files\": " + std::to_string(written[w].pcns);
    out += "}";
  }
  return out + "]}";
}

// run.json's record of a view without weak links (--min-link-probability): the threshold and what
// it left out of each table that carries link probabilities; null for the store as built.
std::string link_filter_json(const std::optional<store::LinkFilter>& filter) {
  if (!filter) return "null";
  std::string out = "{\"min_link_probability\": " + std::to_string(filter->min_probability) +
                    ", \"store_has_link_probabilities\": " + (filter->no_probabilities() ? "false" : "true") +
                    ", \"rows_removed\": " + std::to_string(filter->rows_removed()) + ", \"tables\": [";
  for (std::size_t i = 0; i < filter->tables.size(); ++i) {
    const auto& t = filter->tables[i];
    out += (i ? ", " : "") + std::string("{\"table\": ") + json_quoted(t.name) +
           ", \"rows\": " + std::to_string(t.rows_before) + ", \"rows_kept\": " + std::to_string(t.rows_after) +
           ", \"persons_with_rows\": " + std::to_string(t.persons_with_rows_before) +
           ", \"persons_with_rows_kept\": " + std::to_string(t.persons_with_rows_after) + "}";
  }
  return out + "]}";
}

}  // namespace

std::string measures_csv(const DefinitionValues& values) {
  std::string out;
  CsvRow(out).text("measure").text("interval_start").text("interval_end").text("breakdown").text("group")
      .text("numerator").text("denominator").text("value").text("lower").text("upper").text("statistic")
      .text("method").text("confidence").text("note");
  for (const MeasureValues& m : values.measures)
    for (const MeasureRow& r : m.rows) {
      CsvRow row(out);
      row.text(m.name).date(r.start).date(r.end).text(r.breakdown).text(r.group);
      count(row, r.numerator);
      count(row, r.denominator);
      number_or_withheld(row, r.withheld, r.value);
      number_or_withheld(row, r.withheld, r.lower);
      number_or_withheld(row, r.withheld, r.upper);
      row.text(m.statistic).text(r.method == stats::Method::kNone ? "" : stats::method_name(r.method))
          .text(m.confidence).text(r.note);
    }
  return out;
}

std::string funnels_csv(const DefinitionValues& values) {
  std::string out;
  CsvRow(out).text("measure").text("interval_start").text("interval_end").text("breakdown").text("group")
      .text("numerator").text("denominator").text("value").text("target").text("lower_95").text("upper_95")
      .text("lower_99_8").text("upper_99_8").text("significance").text("statistic").text("note");
  for (const MeasureValues& m : values.measures)
    for (const FunnelRow& f : m.funnels) {
      CsvRow row(out);
      row.text(m.name).date(f.start).date(f.end).text(f.breakdown).text(f.group);
      count(row, f.numerator);
      count(row, f.denominator);
      number_or_withheld(row, f.value_withheld, f.value);
      for (const double v : {f.target, f.lower_95, f.upper_95, f.lower_99_8, f.upper_99_8})
        number_or_withheld(row, f.limits_withheld, v);
      row.text(f.limits_withheld ? disclosure::kWithheldMarker : f.significance).text(m.statistic).text(f.note);
    }
  return out;
}

std::string inequality_csv(const DefinitionValues& values) {
  std::string out;
  CsvRow(out).text("measure").text("interval_start").text("interval_end").text("breakdown").text("index")
      .text("value").text("lower").text("upper").text("statistic").text("confidence").text("method").text("note");
  for (const MeasureValues& m : values.measures)
    for (const InequalityRow& q : m.inequality) {
      CsvRow row(out);
      row.text(m.name).date(q.start).date(q.end).text(q.breakdown).text(index_name(q.index));
      number_or_withheld(row, q.withheld, q.value);
      number_or_withheld(row, q.withheld, q.lower);
      number_or_withheld(row, q.withheld, q.upper);
      row.text(m.statistic).text(m.confidence).text(q.method).text(q.note);
    }
  return out;
}

std::string withheld_json(const WithheldCounts& w) {
  return "{\"numerator_small\": " + std::to_string(w.numerator_small) +
         ", \"numerator_derivable\": " + std::to_string(w.numerator_derivable) +
         ", \"denominator_small\": " + std::to_string(w.denominator_small) +
         ", \"denominator_derivable\": " + std::to_string(w.denominator_derivable) +
         ", \"values_withheld\": " + std::to_string(w.values_withheld) +
         ", \"inequality_rows_withheld\": " + std::to_string(w.indices_withheld) + "}";
}

std::string run_json(const engine::EvaluationSummary& e, const DefinitionValues& values, const ReleaseValues& release) {
  std::string json = "{\"persons_scanned\": " + std::to_string(e.persons_scanned) +
                     ", \"in_population\": " + std::to_string(e.in_population) +
                     ", \"index_date\": \"" + format_iso_date(e.index_date) + "\"" +
                     (e.index_date_source.empty() ? std::string() : ", \"index_date_source\": " + json_quoted(e.index_date_source)) +
                     ", \"worklists\": " + worklists_json(values.definition->worklists, e.worklists, e.worklists_written) +
                     ", \"threads\": " + std::to_string(e.threads) +
                     ", \"lanes\": " + std::to_string(e.lanes) +
                     ", \"links\": " + link_filter_json(e.link_filter) +
                     ", \"seconds\": {\"prepare\": " + std::to_string(e.seconds_prepare) +
                     ", \"evaluate\": " + std::to_string(e.seconds_evaluate) +
                     ", \"merge_and_write\": " + std::to_string(e.seconds_write) +
                     ", \"total\": " + std::to_string(e.seconds_total) + "}" +
                     ", \"seconds_total\": " + std::to_string(e.seconds_total);
  json += ", \"measure_rows\": " + std::to_string(values.measure_rows()) +
          ", \"funnel_rows\": " + std::to_string(values.funnel_rows()) +
          ", \"inequality_rows\": " + std::to_string(values.inequality_rows()) +
          ", \"disclosure\": " + disclosure::metadata_json(release.policy, release.disclosure_control);
  if (release.disclosure_control) {
    json += ", \"withheld\": " + withheld_json(values.withheld) + ", \"audit\": " + release.audit.json();
    json += ", \"release\": {\"definitions\": " + std::to_string(release.definitions.size()) + ", \"ledger\": " +
            (release.release_ledger.empty() ? std::string("null") : json_quoted(release.release_ledger)) + "}";
  }
  return json + "}\n";
}

void write_definition_outputs(const std::filesystem::path& out, const engine::EvaluationSummary& evaluation,
                              const DefinitionValues& values, const ReleaseValues& release) {
  write_file(out / "measures.csv", measures_csv(values));
  write_file(out / "funnels.csv", funnels_csv(values));
  write_file(out / "inequality.csv", inequality_csv(values));
  write_file(out / "run.json", run_json(evaluation, values, release));
}

double as_published(double value) {
  if (!std::isfinite(value)) return NAN;
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, kDecimals).ptr;
  double back = NAN;
  std::from_chars(buf, end, back);
  return back;
}

}  // namespace severn::measures
