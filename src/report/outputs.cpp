#include "report/outputs.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "measures/csv_writers.h"
#include "core/date.h"
#include "core/error.h"
#include "disclosure/suppression.h"

namespace severn::report {

namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<std::int64_t> count_or_none(const measures::PublishedCount& c) {
  if (c.withheld()) return std::nullopt;
  return c.shown;
}

Interval interval_of(Days start, Days end) { return {format_iso_date(start), format_iso_date(end)}; }

struct Civil {
  int y, m, d;
};
Civil civil(const std::string& iso) {
  const auto days = parse_iso_date(iso);
  if (!days) return {0, 0, 0};
  const auto c = civil_from_days(*days);
  return {c.year, static_cast<int>(c.month), static_cast<int>(c.day)};
}

std::string two_digits(int year) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", ((year % 100) + 100) % 100);
  return buf;
}

enum class Span { kMonth, kQuarter, kFinancialYear, kOther };
Span span_of(const Civil& a, const Civil& b) {
  if (a.y == 0 || b.y == 0 || a.d != 1 || b.d != days_in_month(b.y, b.m)) return Span::kOther;
  const int months = (b.y - a.y) * 12 + (b.m - a.m) + 1;
  if (months == 1) return Span::kMonth;
  if (months == 3 && (a.m - 1) % 3 == 0) return Span::kQuarter;
  if (months == 12 && a.m == 4) return Span::kFinancialYear;
  return Span::kOther;
}

}  // namespace

std::vector<Interval> MeasureOutputs::intervals() const {
  std::set<Interval> s;
  for (const auto& r : rows) s.insert(r.interval);
  return {s.begin(), s.end()};
}

std::vector<const MeasureRow*> MeasureOutputs::rows_of(const Interval& interval, const std::string& breakdown) const {
  std::vector<const MeasureRow*> out;
  for (const auto& r : rows)
    if (r.interval == interval && r.breakdown == breakdown) out.push_back(&r);
  return out;
}

const MeasureRow* MeasureOutputs::row(const Interval& interval, const std::string& breakdown, const std::string& group) const {
  for (const auto& r : rows)
    if (r.interval == interval && r.breakdown == breakdown && r.group == group) return &r;
  return nullptr;
}

bool MeasureOutputs::has_breakdown(const std::string& breakdown) const {
  return std::any_of(rows.begin(), rows.end(), [&](const MeasureRow& r) { return r.breakdown == breakdown; });
}

DefinitionOutputs definition_outputs(const std::string& name, const measures::DefinitionValues& values,
                                     const engine::EvaluationSummary& evaluation, const measures::ReleaseValues& release) {
  using measures::as_published;
  DefinitionOutputs d;
  d.name = name;
  const lang::DefinitionHeader& header = values.definition->header;
  d.title = header.title;
  d.source = header.source;
  d.version = header.version;
  d.header = header.notes;
  for (const measures::MeasureValues& m : values.measures) {
    if (m.rows.empty()) continue;  // a measure with no intervals has nothing to show
    MeasureOutputs mo;
    mo.name = m.name;
    mo.statistic = m.statistic;
    mo.confidence = m.confidence;
    mo.description = m.measure->comment;
    for (const measures::MeasureRow& r : m.rows) {
      MeasureRow row;
      row.interval = interval_of(r.start, r.end);
      row.breakdown = r.breakdown;
      row.group = r.group;
      row.numerator = count_or_none(r.numerator);
      row.denominator = count_or_none(r.denominator);
      row.value = as_published(r.value);
      row.lower = as_published(r.lower);
      row.upper = as_published(r.upper);
      row.note = r.note;
      mo.rows.push_back(std::move(row));
    }
    for (const measures::FunnelRow& f : m.funnels) {
      FunnelRow row;
      row.interval = interval_of(f.start, f.end);
      row.breakdown = f.breakdown;
      row.group = f.group;
      row.numerator = count_or_none(f.numerator);
      row.denominator = count_or_none(f.denominator);
      row.value = as_published(f.value);
      if (!f.limits_withheld) {
        row.target = as_published(f.target);
        row.lower95 = as_published(f.lower_95);
        row.upper95 = as_published(f.upper_95);
        row.lower998 = as_published(f.lower_99_8);
        row.upper998 = as_published(f.upper_99_8);
        row.significance = f.significance;
      } else {
        row.significance = disclosure::kWithheldMarker;
      }
      row.note = f.note;
      mo.funnels.push_back(std::move(row));
    }
    for (const measures::InequalityRow& q : m.inequality) {
      InequalityRow row;
      row.interval = interval_of(q.start, q.end);
      row.breakdown = q.breakdown;
      row.index = measures::index_name(q.index);
      row.value = as_published(q.value);
      row.lower = as_published(q.lower);
      row.upper = as_published(q.upper);
      row.note = q.note;
      mo.inequality.push_back(std::move(row));
    }
    d.measures.push_back(std::move(mo));
  }
  d.run.persons_scanned = evaluation.persons_scanned;
  d.run.in_population = evaluation.in_population;
  d.run.index_date = format_iso_date(evaluation.index_date);
  d.run.seconds = evaluation.seconds_total;
  d.run.disclosure_applied = release.disclosure_control;
  if (release.disclosure_control) {
    d.run.policy = release.policy.describe();
    d.run.numerator_small = values.withheld.numerator_small;
    d.run.numerator_derivable = values.withheld.numerator_derivable;
    d.run.denominator_small = values.withheld.denominator_small;
    d.run.denominator_derivable = values.withheld.denominator_derivable;
    d.run.values_withheld = values.withheld.values_withheld;
    d.run.inequality_rows_withheld = values.withheld.indices_withheld;
  }
  return d;
}

std::string interval_label(const Interval& i) {
  const Civil a = civil(i.start), b = civil(i.end);
  switch (span_of(a, b)) {
    case Span::kMonth: return std::string(kMonths[a.m - 1]) + ' ' + std::to_string(a.y);
    case Span::kQuarter: return std::string(kMonths[a.m - 1]) + "-" + kMonths[b.m - 1] + ' ' + std::to_string(b.y);
    case Span::kFinancialYear: return std::to_string(a.y) + "-" + two_digits(b.y);
    case Span::kOther: break;
  }
  return i.start + " to " + i.end;
}

std::string interval_short_label(const Interval& i) {
  const Civil a = civil(i.start), b = civil(i.end);
  switch (span_of(a, b)) {
    case Span::kMonth: return std::string(kMonths[a.m - 1]) + ' ' + two_digits(a.y);
    case Span::kQuarter: return std::string(kMonths[a.m - 1]) + ' ' + two_digits(a.y);
    case Span::kFinancialYear: return two_digits(a.y) + "-" + two_digits(b.y);
    case Span::kOther: break;
  }
  return i.end;
}

}  // namespace severn::report
