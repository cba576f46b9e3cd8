#include "stats/table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>

#include "core/csv_writer.h"
#include "core/error.h"
#include "stats/arguments.h"
#include "stats/stats.h"

namespace severn::stats {
namespace {

using detail::kNaN;
using detail::missing;

std::string number_out(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return detail::number_text(v);
}

double default_multiplier(TableMethod m) {
  switch (m) {
    case TableMethod::kProportion:
    case TableMethod::kMean:
    case TableMethod::kIsrRatio:
    case TableMethod::kSii: return 1;
    case TableMethod::kRate:
    case TableMethod::kDsr:
    case TableMethod::kIsrRate: return 100000;
  }
  return 1;
}

// A group of input rows and the values of its `by` columns.
struct Group {
  std::vector<std::size_t> rows;
  std::vector<std::string> key;
};

class Table {
 public:
  Table(const CsvTable& t, const TableOptions& o) : t_(t), o_(o) {
    for (const auto& b : o.by) by_.push_back(column(b, "--by"));
  }

  std::size_t column(const std::string& name, const char* option) const {
    if (name.empty() || !t_.has_column(name))
      throw InputError(located(t_.source(), 1, "", "no column '" + name + "' in the header (name it with " +
                                                       option + ")"));
    return t_.column(name);
  }
  bool has(const std::string& name) const { return !name.empty() && t_.has_column(name); }

  // Empty or NA: missing (NaN). Otherwise a finite number, not negative where counts are meant.
  double number(std::size_t row, std::size_t col, bool non_negative = true) const {
    const std::string& s = t_.cell(row, col);
    if (s.empty() || s == "NA") return kNaN;
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || std::isnan(v))
      t_.fail(row, col, "expected a number (empty or NA for missing), found '" + s + "'");
    if (std::isinf(v)) t_.fail(row, col, "must be a finite number, found '" + s + "'");
    if (non_negative && v < 0) t_.fail(row, col, "must not be negative, found '" + s + "'");
    return v;
  }

  // Rows grouped by the `by` columns in order of first appearance; with no `by`, all rows are one
  // group, or (each_row) every row is its own group.
  std::vector<Group> groups(bool each_row) const {
    std::vector<Group> out;
    if (by_.empty()) {
      if (each_row) {
        for (std::size_t r = 0; r < t_.rows(); ++r) out.push_back({{r}, {}});
      } else {
        out.push_back({{}, {}});
        for (std::size_t r = 0; r < t_.rows(); ++r) out.back().rows.push_back(r);
      }
      return out;
    }
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t r = 0; r < t_.rows(); ++r) {
      std::string k;
      for (const auto c : by_) k.append(t_.cell(r, c)).push_back('\x1f');
      const auto [it, fresh] = index.emplace(k, out.size());
      if (fresh) {
        Group g;
        for (const auto c : by_) g.key.push_back(t_.cell(r, c));
        out.push_back(std::move(g));
      }
      out[it->second].rows.push_back(r);
    }
    return out;
  }

  std::string describe(const Group& g) const {
    if (o_.by.empty()) return "";
    std::string s = "group ";
    for (std::size_t i = 0; i < o_.by.size(); ++i) s += (i ? ", " : "") + o_.by[i] + "=" + g.key[i];
    return s + " (starting on this line): ";
  }

  [[noreturn]] void fail_group(const Group& g, const std::string& field, const std::string& reason) const {
    const std::int64_t line = g.rows.empty() ? 1 : t_.line(g.rows.front());
    throw InputError(located(t_.source(), line, field, describe(g) + reason));
  }

  // Runs f, turning a method's ArgumentError into an error located at the group.
  template <typename F>
  auto located_at(const Group& g, const std::map<std::string, std::string>& columns, F&& f) const {
    try {
      return f();
    } catch (const ArgumentError& e) {
      const auto it = columns.find(e.argument());
      fail_group(g, it == columns.end() ? e.argument() : it->second, e.reason());
    }
  }

  const CsvTable& csv() const { return t_; }

 private:
  const CsvTable& t_;
  const TableOptions& o_;
  std::vector<std::size_t> by_;
};

// The columns every method ends with, one row per confidence level.
void results(std::string& out, const std::vector<std::string>& lead, double confidence, const Estimate& e,
             const std::string& statistic) {
  CsvRow row(out);
  for (const auto& s : lead) row.text(s);
  row.text(number_out(e.value)).text(number_out(e.lower)).text(number_out(e.upper));
  row.text(number_out(confidence)).text(statistic).text(method_name(e.method));
}

void header(std::string& out, const std::vector<std::string>& lead) {
  CsvRow row(out);
  for (const auto& s : lead) row.text(s);
  for (const char* s : {"value", "lowercl", "uppercl", "confidence", "statistic", "method"}) row.text(s);
}

double sum_or_missing(const Table& t, const Group& g, std::size_t col) {
  double s = 0;
  for (const auto r : g.rows) s += t.number(r, col);  // a missing value makes the sum missing, as R's sum()
  return s;
}

std::string proportion_or_rate(const Table& t, const TableOptions& o, double multiplier) {
  const bool rate = o.method == TableMethod::kRate;
  const std::size_t num = t.column(o.numerator, "--numerator"), den = t.column(o.denominator, "--denominator");
  const std::string statistic = rate ? "rate per " + number_out(multiplier)
                                : multiplier == 100 ? "percentage"
                                                    : "proportion of " + number_out(multiplier);
  const std::map<std::string, std::string> columns{{"numerator", o.numerator}, {"denominator", o.denominator}};
  std::string out;
  const bool each_row = o.by.empty();
  std::vector<std::string> lead = each_row ? t.csv().header() : o.by;
  if (each_row) {
    for (const char* s : {"value", "lowercl", "uppercl", "confidence", "statistic", "method"})
      for (const auto& h : lead)
        if (h == s)
          throw InputError(located(t.csv().source(), 1, h, "the output adds a column of this name; rename it or use --by"));
  } else {
    lead.push_back(o.numerator);
    lead.push_back(o.denominator);
  }
  header(out, lead);
  for (const Group& g : t.groups(each_row)) {
    const double x = sum_or_missing(t, g, num), n = sum_or_missing(t, g, den);
    std::vector<std::string> values;
    if (each_row) {
      values = std::vector<std::string>(t.csv().header().size());
      for (std::size_t c = 0; c < values.size(); ++c) values[c] = t.csv().cell(g.rows.front(), c);
    } else {
      values = g.key;
      values.push_back(number_out(x));
      values.push_back(number_out(n));
    }
    for (const double conf : o.confidence) {
      const Estimate e = t.located_at(g, columns, [&] {
        return rate ? crude_rate(x, n, conf, multiplier) : proportion(x, n, conf, multiplier);
      });
      results(out, values, conf, e, statistic);
    }
  }
  return out;
}

std::string means(const Table& t, const TableOptions& o) {
  const std::size_t col = t.column(o.value, "--value");
  std::string out;
  std::vector<std::string> lead = o.by;
  for (const char* s : {"value_sum", "value_count", "stdev"}) lead.push_back(s);
  header(out, lead);
  for (const Group& g : t.groups(false)) {
    std::vector<double> values;
    for (const auto r : g.rows) values.push_back(t.number(r, col, false));
    for (const double conf : o.confidence) {
      const MeanEstimate m = t.located_at(g, {{"value", o.value}}, [&] { return mean(values, conf); });
      std::vector<std::string> row = g.key;
      row.push_back(number_out(m.sum));
      row.push_back(number_out(m.count));
      row.push_back(number_out(m.sd));
      results(out, row, conf, m.estimate, "mean");
    }
  }
  return out;
}

// One band of one group of a DSR, gathered from its rows.
struct GroupBand {
  std::string label;
  double population = kNaN, standard = kNaN;
  std::vector<double> persons;  // [events - 1]
  std::size_t row = 0;
  bool seen = false;
};

std::string dsrs(const Table& t, const TableOptions& o, double multiplier) {
  const std::size_t count = t.column(o.count, "--count"), pop = t.column(o.population, "--population");
  const bool pack_standard = o.stdpop.empty();
  const std::size_t stdpop = pack_standard ? 0 : t.column(o.stdpop, "--stdpop");
  const bool nonindependent = !o.event_frequency.empty();
  const std::size_t freq = nonindependent ? t.column(o.event_frequency, "--event-frequency") : 0;
  // Bands are matched by label against the standard, and across event frequencies; with a
  // standard column and independent events every row is a band of its own.
  const bool by_label = pack_standard || nonindependent;
  const std::size_t band = by_label ? t.column(o.band, "--band") : 0;
  if (pack_standard && o.standard.empty()) throw InputError("dsr: no standard population (give --stdpop or --standard)");

  std::string expected_bands;
  for (const auto& s : o.standard) expected_bands += (expected_bands.empty() ? "" : ", ") + s.band;
  std::string out;
  std::vector<std::string> lead = o.by;
  lead.push_back("total_count");
  lead.push_back("total_pop");
  header(out, lead);
  const std::string statistic = "dsr per " + number_out(multiplier);
  for (const Group& g : t.groups(false)) {
    std::vector<GroupBand> bands;
    std::unordered_map<std::string, std::size_t> index;
    if (pack_standard)
      for (const auto& s : o.standard) {
        index.emplace(s.band, bands.size());
        bands.push_back({s.band, kNaN, s.weight, {}, 0, false});
      }
    for (const auto r : g.rows) {
      const std::string label = by_label ? t.csv().cell(r, band) : std::to_string(r);
      auto it = index.find(label);
      if (it == index.end()) {
        if (pack_standard)
          t.csv().fail(r, band, "'" + label + "' is not a band of " + o.standard_name + " (expected one of " +
                                    expected_bands + ")");
        it = index.emplace(label, bands.size()).first;
        bands.push_back({label, kNaN, kNaN, {}, r, false});
      }
      GroupBand& b = bands[it->second];
      const double p = t.number(r, pop);
      if (missing(p) || !(p > 0))
        t.csv().fail(r, pop, "must be greater than 0 (a DSR needs every band's population)");
      const double w = pack_standard ? b.standard : t.number(r, stdpop);
      if (missing(w)) t.csv().fail(r, stdpop, "the standard population's weight is missing");
      double k = 1;
      if (nonindependent) {
        k = t.number(r, freq);
        if (missing(k) || k < 1 || k != std::floor(k) || k > 1000)
          t.csv().fail(r, freq, "must be a whole number of events per person from 1 to 1000");
      }
      if (b.seen) {
        const std::string first = std::to_string(t.csv().line(b.row));
        if (!nonindependent)
          t.csv().fail(r, band, "band '" + label + "' appears twice in this group (also line " + first + ")");
        if (p != b.population)
          t.csv().fail(r, pop, "differs from the population of band '" + label + "' on line " + first);
        if (!pack_standard && w != b.standard)
          t.csv().fail(r, stdpop, "differs from the weight of band '" + label + "' on line " + first);
      }
      if (!b.seen) b.row = r;
      b.seen = true;
      b.population = p;
      b.standard = w;
      const auto ki = static_cast<std::size_t>(k);
      if (b.persons.size() < ki) b.persons.resize(ki, 0);
      const double c = t.number(r, count);
      if (!missing(c)) b.persons[ki - 1] += c;  // a missing count is 0, as PHEindicatormethods treats it
    }
    std::vector<double> population, standard;
    std::size_t frequencies = 0;
    double total_count = 0, total_pop = 0;
    for (const auto& b : bands) {
      if (!b.seen)
        t.fail_group(g, o.band, "no row for band '" + b.label + "' of " + o.standard_name +
                                    " (every band needs its population; give a count of 0 where there were no events)");
      population.push_back(b.population);
      standard.push_back(b.standard);
      frequencies = std::max(frequencies, b.persons.size());
      total_pop += b.population;
      for (std::size_t k = 0; k < b.persons.size(); ++k) total_count += static_cast<double>(k + 1) * b.persons[k];
    }
    std::vector<std::vector<double>> persons(frequencies, std::vector<double>(bands.size(), 0));
    for (std::size_t b = 0; b < bands.size(); ++b)
      for (std::size_t k = 0; k < bands[b].persons.size(); ++k) persons[k][b] = bands[b].persons[k];
    std::vector<std::string> row = g.key;
    row.push_back(number_out(total_count));
    row.push_back(number_out(total_pop));
    const std::map<std::string, std::string> columns{
        {"count", o.count}, {"population", o.population}, {"standard", pack_standard ? o.standard_name : o.stdpop}};
    for (const double conf : o.confidence) {
      const Estimate e = t.located_at(g, columns, [&] {
        if (nonindependent) return dsr_nonindependent(population, standard, persons, conf, multiplier);
        std::vector<DsrBand> b;
        for (std::size_t i = 0; i < bands.size(); ++i)
          b.push_back({persons.empty() ? 0 : persons[0][i], population[i], standard[i]});
        return dsr(b, conf, multiplier);
      });
      results(out, row, conf, e, missing(e.value) ? "dsr NA for total count < 10" : statistic);
    }
  }
  return out;
}

std::string isrs(const Table& t, const TableOptions& o, double multiplier) {
  const bool rate = o.method == TableMethod::kIsrRate;
  const bool totals = !o.observed.empty();
  const std::size_t observed_col = totals ? t.column(o.observed, "--observed") : 0;
  const std::size_t count = totals ? 0 : t.column(o.count, "--count");
  const std::size_t pop = t.column(o.population, "--population");
  const std::size_t ref_count = t.column(o.ref_count, "--ref-count"), ref_pop = t.column(o.ref_population, "--ref-population");
  std::string out;
  std::vector<std::string> lead = o.by;
  lead.push_back("observed");
  lead.push_back("expected");
  if (rate) lead.push_back("reference_rate");
  header(out, lead);
  const std::string statistic = rate ? "indirectly standardised rate per " + number_out(multiplier)
                                     : "indirectly standardised ratio x " + number_out(multiplier);
  for (const Group& g : t.groups(false)) {
    std::vector<IsrBand> bands;
    double observed = kNaN;
    for (const auto r : g.rows) {
      IsrBand b{totals ? kNaN : t.number(r, count), t.number(r, pop), t.number(r, ref_count), t.number(r, ref_pop)};
      if (missing(b.ref_count)) t.csv().fail(r, ref_count, "the reference count is missing");
      if (missing(b.ref_population) || !(b.ref_population > 0))
        t.csv().fail(r, ref_pop, "must be greater than 0 (the reference rate of the band divides by it)");
      if (totals) {
        const double v = t.number(r, observed_col);
        if (r != g.rows.front() && !(v == observed || (missing(v) && missing(observed))))
          t.csv().fail(r, observed_col, "the observed total differs from the group's first row (line " +
                                            std::to_string(t.csv().line(g.rows.front())) + ")");
        observed = v;
      }
      bands.push_back(b);
    }
    if (!totals) observed = observed_events(bands);
    const double expected = expected_events(bands), reference = reference_rate(bands);
    std::vector<std::string> row = g.key;
    row.push_back(number_out(observed));
    row.push_back(number_out(expected));
    if (rate) row.push_back(number_out(reference * multiplier));
    for (const double conf : o.confidence) {
      const Estimate e = t.located_at(g, {{"observed", totals ? o.observed : o.count}}, [&] {
        return rate ? isr_rate(observed, expected, reference, conf, multiplier)
                    : isr_ratio(observed, expected, conf, multiplier);
      });
      results(out, row, conf, e, statistic);
    }
  }
  return out;
}

std::string siis(const Table& t, const TableOptions& o, double multiplier) {
  SiiOptions so;
  if (o.value_type == "normal") so.type = SiiValueType::kNormal;
  else if (o.value_type == "rate") so.type = SiiValueType::kRate;
  else if (o.value_type == "proportion") so.type = SiiValueType::kProportion;
  else throw InputError("--value-type: expected normal, rate or proportion, not '" + o.value_type + "'");
  so.transform = o.transform;
  so.multiplier = multiplier;
  so.confidence = o.confidence;
  so.repetitions = o.repetitions;
  so.seed = o.seed;
  if (so.repetitions < 1000) throw InputError("--repetitions: must be at least 1000");
  const std::size_t quantile = t.column(o.quantile, "--quantile"), value = t.column(o.value, "--value");
  const bool given_se = t.has(o.se);
  const std::size_t se = given_se ? t.column(o.se, "--se") : 0;
  const std::size_t lower = given_se ? 0 : t.column(o.lower, "--se, or --lower and --upper");
  const std::size_t upper = given_se ? 0 : t.column(o.upper, "--se, or --lower and --upper");
  const std::size_t pop = t.column(o.population, "--population");
  std::string out;
  {
    CsvRow row(out);
    for (const auto& b : o.by) row.text(b);
    for (const char* s : {"quantiles", "sii", "sii_lowercl", "sii_uppercl", "rii", "rii_lowercl", "rii_uppercl",
                          "intercept", "confidence", "statistic", "method"})
      row.text(s);
  }
  const std::string statistic = "sii x " + number_out(so.multiplier) + " (" + o.value_type +
                                (o.transform ? ", transformed" : "") + ")";
  const std::string method = "simulation, " + std::to_string(so.repetitions) + " repetitions, seed " +
                             std::to_string(so.seed);
  for (const Group& g : t.groups(false)) {
    // Quantiles in numeric order: quantile 1 is one end of the scale (usually the most deprived).
    std::vector<std::pair<double, std::size_t>> order;
    for (const auto r : g.rows) {
      const double k = t.number(r, quantile, false);
      if (missing(k)) t.csv().fail(r, quantile, "the quantile is missing");
      for (const auto& [other, row] : order)
        if (other == k)
          t.csv().fail(r, quantile, "quantile appears twice in this group (also line " +
                                        std::to_string(t.csv().line(row)) + ")");
      order.push_back({k, r});
    }
    std::sort(order.begin(), order.end());
    std::vector<SiiQuantile> q;
    for (const auto& [k, r] : order) {
      SiiQuantile x{t.number(r, pop), t.number(r, value, false), kNaN};
      if (given_se) {
        x.se = t.number(r, se);
      } else {
        const double lo = t.number(r, lower, false), hi = t.number(r, upper, false);
        if (missing(lo) || missing(hi)) t.csv().fail(r, missing(lo) ? lower : upper, "a 95% limit is missing");
        x.se = sii_se_from_limits(lo, hi, so.type);
        if (!(x.se >= 0)) t.csv().fail(r, upper, "the 95% limits give no standard error (upper below lower, or outside the value type's range)");
      }
      q.push_back(x);
    }
    const std::map<std::string, std::string> columns{{"population", o.population}, {"se", given_se ? o.se : o.upper},
                                                     {"value", o.value}, {"quantiles", o.quantile}};
    const SiiResult s = t.located_at(g, columns, [&] { return sii(q, so); });
    for (std::size_t c = 0; c < so.confidence.size(); ++c) {
      CsvRow row(out);
      for (const auto& k : g.key) row.text(k);
      row.text(std::to_string(q.size()));
      row.text(number_out(s.sii)).text(number_out(s.sii_limits[c].lower)).text(number_out(s.sii_limits[c].upper));
      row.text(number_out(s.rii)).text(number_out(s.rii_limits[c].lower)).text(number_out(s.rii_limits[c].upper));
      row.text(number_out(s.intercept)).text(number_out(so.confidence[c])).text(statistic).text(method);
    }
  }
  return out;
}

}  // namespace

TableMethod parse_table_method(std::string_view name) {
  if (name == "proportion") return TableMethod::kProportion;
  if (name == "rate") return TableMethod::kRate;
  if (name == "mean") return TableMethod::kMean;
  if (name == "dsr") return TableMethod::kDsr;
  if (name == "isr-ratio") return TableMethod::kIsrRatio;
  if (name == "isr-rate") return TableMethod::kIsrRate;
  if (name == "sii") return TableMethod::kSii;
  throw InputError("unknown method '" + std::string(name) + "' (expected one of " + table_method_names() + ")");
}

const char* table_method_names() { return "proportion, rate, mean, dsr, isr-ratio, isr-rate, sii"; }

std::string apply_to_table(const CsvTable& in, const TableOptions& options) {
  if (options.confidence.empty()) throw InputError("--conf: give at least one confidence level");
  for (const double c : options.confidence) {
    try {
      detail::check_confidence(c);
    } catch (const ArgumentError& e) {
      throw InputError("--conf: " + e.reason());
    }
  }
  const double multiplier = options.multiplier == 0 ? default_multiplier(options.method) : options.multiplier;
  if (options.method == TableMethod::kSii) return siis(Table(in, options), options, multiplier);  // may be negative
  if (!(multiplier > 0) || std::isinf(multiplier))
    throw InputError("--multiplier: must be a finite number above 0, not " + number_out(multiplier));
  const Table t(in, options);
  switch (options.method) {
    case TableMethod::kProportion:
    case TableMethod::kRate: return proportion_or_rate(t, options, multiplier);
    case TableMethod::kMean: return means(t, options);
    case TableMethod::kDsr: return dsrs(t, options, multiplier);
    case TableMethod::kIsrRatio:
    case TableMethod::kIsrRate: return isrs(t, options, multiplier);
    case TableMethod::kSii: break;
  }
  return "";
}

}  // namespace severn::stats
