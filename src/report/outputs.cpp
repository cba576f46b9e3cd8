#include "report/outputs.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/csv_table.h"
#include "core/date.h"
#include "core/error.h"
#include "disclosure/suppression.h"

namespace severn::report {

namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A withheld cell (disclosure::kWithheldMarker) and a figure that could not be computed (empty)
// both read as absent, never as zero.
bool absent(const CsvTable& t, std::size_t row, std::size_t col) {
  return t.is_empty(row, col) || t.cell(row, col) == disclosure::kWithheldMarker;
}
double number_or_nan(const CsvTable& t, std::size_t row, std::size_t col) {
  return absent(t, row, col) ? NAN : t.get_double(row, col);
}
std::optional<std::int64_t> count_or_none(const CsvTable& t, std::size_t row, std::size_t col) {
  if (absent(t, row, col)) return std::nullopt;
  return t.get_int(row, col);
}

MeasureOutputs& measure_named(DefinitionOutputs& d, const std::string& name) {
  for (auto& m : d.measures)
    if (m.name == name) return m;
  d.measures.push_back({});
  d.measures.back().name = name;
  return d.measures.back();
}

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

DefinitionText read_definition_text(const std::string& text) {
  DefinitionText d;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  const auto comment = [](const std::string& l) {
    std::size_t i = l.find_first_not_of(" \t");
    if (i == std::string::npos || l[i] != '#') return std::optional<std::string>{};
    ++i;
    while (i < l.size() && l[i] == ' ') ++i;
    return std::optional<std::string>{l.substr(i)};
  };
  std::size_t i = 0;
  for (; i < lines.size(); ++i) {
    const auto c = comment(lines[i]);
    if (!c) break;
    const auto field = [&](const char* key, std::string& into) {
      const std::string k = std::string(key) + ":";
      if (c->rfind(k, 0) != 0) return false;
      into = c->substr(k.size());
      into.erase(0, into.find_first_not_of(' '));
      return true;
    };
    if (field("title", d.title) || field("source", d.source) || field("version", d.version)) continue;
    d.header += (d.header.empty() ? "" : " ") + *c;
  }
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string& l = lines[k];
    if (l.rfind("measure ", 0) != 0) continue;
    std::size_t a = l.find_first_not_of(' ', 8);
    if (a == std::string::npos) continue;
    std::size_t b = a;
    while (b < l.size() && (std::isalnum(static_cast<unsigned char>(l[b])) || l[b] == '_')) ++b;
    std::vector<std::string> above;
    // The comment block directly above the measure; the file's header is not a measure's comment.
    for (std::size_t j = k; j-- > 0 && j >= i;) {
      const auto c = comment(lines[j]);
      if (!c) break;
      above.push_back(*c);
    }
    std::string desc;
    for (auto it = above.rbegin(); it != above.rend(); ++it) desc += (desc.empty() ? "" : " ") + *it;
    d.descriptions.emplace_back(l.substr(a, b - a), desc);
  }
  return d;
}

DefinitionOutputs load_definition_outputs(const std::filesystem::path& dir, const std::string& name) {
  DefinitionOutputs d;
  d.name = name;
  DefinitionText text;
  if (std::filesystem::exists(dir / "definition.sev")) {
    text = read_definition_text(read_text(dir / "definition.sev"));
    d.title = text.title;
    d.source = text.source;
    d.version = text.version;
    d.header = text.header;
  }
  const CsvTable m = CsvTable::read_file(dir / "measures.csv");
  {
    const std::size_t c_measure = m.column("measure"), c_start = m.column("interval_start"), c_end = m.column("interval_end"),
                      c_breakdown = m.column("breakdown"), c_group = m.column("group"), c_num = m.column("numerator"),
                      c_den = m.column("denominator"), c_value = m.column("value"), c_lower = m.column("lower"),
                      c_upper = m.column("upper"), c_stat = m.column("statistic"), c_conf = m.column("confidence"),
                      c_note = m.column("note");
    for (std::size_t r = 0; r < m.rows(); ++r) {
      MeasureOutputs& mo = measure_named(d, m.cell(r, c_measure));
      mo.statistic = m.cell(r, c_stat);
      mo.confidence = m.cell(r, c_conf);
      MeasureRow row;
      row.interval = {m.cell(r, c_start), m.cell(r, c_end)};
      row.breakdown = m.cell(r, c_breakdown);
      row.group = m.cell(r, c_group);
      row.numerator = count_or_none(m, r, c_num);
      row.denominator = count_or_none(m, r, c_den);
      row.value = number_or_nan(m, r, c_value);
      row.lower = number_or_nan(m, r, c_lower);
      row.upper = number_or_nan(m, r, c_upper);
      row.note = m.cell(r, c_note);
      mo.rows.push_back(std::move(row));
    }
  }
  const CsvTable f = CsvTable::read_file(dir / "funnels.csv");
  for (std::size_t r = 0; r < f.rows(); ++r) {
    MeasureOutputs& mo = measure_named(d, f.cell(r, "measure"));
    FunnelRow row;
    row.interval = {f.cell(r, "interval_start"), f.cell(r, "interval_end")};
    row.breakdown = f.cell(r, "breakdown");
    row.group = f.cell(r, "group");
    row.numerator = count_or_none(f, r, f.column("numerator"));
    row.denominator = count_or_none(f, r, f.column("denominator"));
    row.value = number_or_nan(f, r, f.column("value"));
    row.target = number_or_nan(f, r, f.column("target"));
    row.lower95 = number_or_nan(f, r, f.column("lower_95"));
    row.upper95 = number_or_nan(f, r, f.column("upper_95"));
    row.lower998 = number_or_nan(f, r, f.column("lower_99_8"));
    row.upper998 = number_or_nan(f, r, f.column("upper_99_8"));
    row.significance = f.cell(r, "significance");
    row.note = f.cell(r, "note");
    mo.funnels.push_back(std::move(row));
  }
  const CsvTable q = CsvTable::read_file(dir / "inequality.csv");
  for (std::size_t r = 0; r < q.rows(); ++r) {
    MeasureOutputs& mo = measure_named(d, q.cell(r, "measure"));
    InequalityRow row;
    row.interval = {q.cell(r, "interval_start"), q.cell(r, "interval_end")};
    row.breakdown = q.cell(r, "breakdown");
    row.index = q.cell(r, "index");
    row.value = number_or_nan(q, r, q.column("value"));
    row.lower = number_or_nan(q, r, q.column("lower"));
    row.upper = number_or_nan(q, r, q.column("upper"));
    row.note = q.cell(r, "note");
    mo.inequality.push_back(std::move(row));
  }
  for (auto& mo : d.measures)
    for (const auto& [measure, desc] : text.descriptions)
      if (measure == mo.name) mo.description = desc;

  const auto json_path = dir / "run.json";
  const std::string json = read_text(json_path);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) throw InputError(json_path.string() + ": not valid JSON");
  const auto u64 = [&](simdjson::dom::element e, const char* key, std::uint64_t& into) {
    std::uint64_t v = 0;
    if (e[key].get(v) == simdjson::SUCCESS) into = v;
  };
  u64(root, "persons_scanned", d.run.persons_scanned);
  u64(root, "in_population", d.run.in_population);
  std::string_view sv;
  if (root["index_date"].get(sv) == simdjson::SUCCESS) d.run.index_date = std::string(sv);
  double seconds = 0;
  if (root["seconds_total"].get(seconds) == simdjson::SUCCESS) d.run.seconds = seconds;
  simdjson::dom::element disclosure;
  if (root["disclosure"].get(disclosure) == simdjson::SUCCESS) {
    bool applied = true;
    if (disclosure["applied"].get(applied) == simdjson::SUCCESS) d.run.disclosure_applied = applied;
    if (disclosure["policy"]["description"].get(sv) == simdjson::SUCCESS) d.run.policy = std::string(sv);
  }
  simdjson::dom::element withheld;
  if (root["withheld"].get(withheld) == simdjson::SUCCESS) {
    u64(withheld, "numerator_small", d.run.numerator_small);
    u64(withheld, "numerator_derivable", d.run.numerator_derivable);
    u64(withheld, "denominator_small", d.run.denominator_small);
    u64(withheld, "denominator_derivable", d.run.denominator_derivable);
    u64(withheld, "values_withheld", d.run.values_withheld);
    u64(withheld, "inequality_rows_withheld", d.run.inequality_rows_withheld);
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
