#include "stats/table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <unordered_map>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/json_text.h"
#include "disclosure/suppression.h"
#include "stats/arguments.h"
#include "stats/distributions.h"
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
    case TableMethod::kSii:
    case TableMethod::kFunnelProportion:
    case TableMethod::kFunnelRatio: return 1;
    case TableMethod::kRate:
    case TableMethod::kDsr:
    case TableMethod::kIsrRate:
    case TableMethod::kFunnelRate: return 100000;
  }
  return 1;
}

// The largest size of an input number: 2^53, the largest whole number below which every whole
// number is held exactly in a double. Far above any count of people or events, and it keeps
// sums, products and the numerical library's arguments finite.
constexpr double kLargestNumber = 9007199254740992.0;

std::string cannot_compute(const std::exception& e) {
  return std::string("the method cannot be computed from these figures (") + e.what() + ")";
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

  // Empty or NA: missing (NaN). Otherwise a finite number no larger in size than 2^53, not
  // negative where counts are meant.
  double number(std::size_t row, std::size_t col, bool non_negative = true) const {
    const std::string& s = t_.cell(row, col);
    if (s.empty() || s == "NA") return kNaN;
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range)
      t_.fail(row, col, "out of range: a number's size must be at most " + number_out(kLargestNumber) + ", found '" + s + "'");
    if (ec != std::errc() || p != s.data() + s.size() || std::isnan(v))
      t_.fail(row, col, "expected a number (empty or NA for missing), found '" + s + "'");
    if (std::isinf(v)) t_.fail(row, col, "must be a finite number, found '" + s + "'");
    if (std::fabs(v) > kLargestNumber)
      t_.fail(row, col, "too large: a number's size must be at most " + number_out(kLargestNumber) +
                            " (2^53, beyond which counts are not held exactly), found '" + s + "'");
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

  // Runs f, turning a method's ArgumentError into an error located at the group, and any other
  // failure of the numerical library (Boost.Math throws on arguments it cannot handle) into an
  // input error naming the group's columns: figures that reach this far are the input's, and a
  // person must learn which ones could not be used, never see an internal error.
  template <typename F>
  auto located_at(const Group& g, const std::map<std::string, std::string>& columns, F&& f) const {
    try {
      return f();
    } catch (const ArgumentError& e) {
      const auto it = columns.find(e.argument());
      fail_group(g, it == columns.end() ? e.argument() : it->second, e.reason());
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      std::string fields;
      for (const auto& [argument, column] : columns) fields += (fields.empty() ? "" : ", ") + column;
      fail_group(g, fields, cannot_compute(e));
    }
  }

  const CsvTable& csv() const { return t_; }

 private:
  const CsvTable& t_;
  const TableOptions& o_;
  std::vector<std::size_t> by_;
};

// Disclosure control of the counts one output writes (docs/disclosure.md, `severn stats`). Each
// distinct count (one per group or unit and column) is published once through publish(), which
// keeps the tallies for the metadata. A withheld figure is written as the one neutral marker,
// never with the reason or the count it hides.
class Control {
 public:
  explicit Control(const TableOptions& o) : on_(o.disclosure_control), policy_(o.policy) {}
  bool on() const { return on_; }
  // Whether figures derived from counts are computed from the published counts (the rounded
  // policy, control on) rather than the exact ones.
  bool derive() const { return on_ && policy_.derive_from_published(); }
  const char* values_from() const { return derive() ? "published counts" : "exact counts"; }

  // Whether the policy redacts this count; never when control is off or the count is missing.
  bool redacted(double count) const {
    if (!on_ || missing(count)) return false;
    const std::int64_t w = whole(count);
    return w >= policy_.redact_min && w <= policy_.redact_max;
  }

  // The count a derived figure is computed from: under the rounded policy its published form (the
  // count made whole and rounded, exactly what publish() writes), otherwise the exact count.
  // Missing stays missing.
  double basis(double count) const {
    if (!derive() || missing(count)) return count;
    return static_cast<double>(disclosure::rounded(policy_, whole(count)));
  }

  // The count as it is written: exact when control is off; otherwise empty when missing, the
  // withheld marker when redacted (and *withheld set), else rounded.
  std::string publish(double count, bool* withheld) {
    if (!on_) return number_out(count);
    if (missing(count)) return "";
    if (redacted(count)) {
      ++counts_redacted;
      if (withheld) *withheld = true;
      return disclosure::kWithheldMarker;
    }
    ++counts_published;
    return std::to_string(disclosure::rounded(policy_, whole(count)));
  }

  void row_withheld() { ++rows_withheld; }

  std::uint64_t counts_redacted = 0, counts_published = 0, rows_withheld = 0;

 private:
  // A count as a whole number: weighted counts are rounded to the nearest, but a count between 0
  // and 1 is someone, so it counts as 1, not as a true zero.
  static std::int64_t whole(double c) {
    if (c > 0 && c < 1) return 1;
    return std::llround(std::min(c, 9e18));
  }

  bool on_;
  disclosure::Policy policy_;
};

// The `disclosure` column: the one neutral word when anything in the row is withheld, never why
// or which count (that would tell a reader which cells are small).
constexpr const char* kWithheld = "withheld";
std::string verdict(bool withheld) { return withheld ? kWithheld : ""; }

// What a method writes besides its table: the counts' control and names, and a funnel's curve.
struct Written {
  explicit Written(const TableOptions& o) : control(o) {}
  Control control;
  std::vector<std::string> count_columns;  // the output columns that hold counts
  std::string curve;
  std::uint64_t curve_rows = 0, targets_withheld = 0;
};

// The columns every method ends with, one row per confidence level.
// When `withheld`, the value and limits are written as the withheld marker and the `disclosure`
// column says so.
void results(std::string& out, const std::vector<std::string>& lead, double confidence, const Estimate& e,
             const std::string& statistic, bool withheld, Control& control) {
  CsvRow row(out);
  for (const auto& s : lead) row.text(s);
  if (!withheld) {
    row.text(number_out(e.value)).text(number_out(e.lower)).text(number_out(e.upper));
  } else {
    row.text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker);
    control.row_withheld();
  }
  row.text(number_out(confidence)).text(statistic).text(method_name(e.method)).text(verdict(withheld));
}

constexpr const char* kResultColumns[] = {"value", "lowercl", "uppercl", "confidence", "statistic", "method",
                                          "disclosure"};

void header(std::string& out, const std::vector<std::string>& lead) {
  CsvRow row(out);
  for (const auto& s : lead) row.text(s);
  for (const char* s : kResultColumns) row.text(s);
}

double sum_or_missing(const Table& t, const Group& g, std::size_t col) {
  double s = 0;
  for (const auto r : g.rows) s += t.number(r, col);  // a missing value makes the sum missing, as R's sum()
  return s;
}

std::string proportion_or_rate(const Table& t, const TableOptions& o, double multiplier, Written& w) {
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
    for (const char* s : kResultColumns)
      for (const auto& h : lead)
        if (h == s)
          throw InputError(located(t.csv().source(), 1, h, "the output adds a column of this name; rename it or use --by"));
  } else {
    lead.push_back(o.numerator);
    lead.push_back(o.denominator);
  }
  w.count_columns = {o.numerator, o.denominator};
  header(out, lead);
  for (const Group& g : t.groups(each_row)) {
    const double x = sum_or_missing(t, g, num), n = sum_or_missing(t, g, den);
    bool withheld = false;
    const std::string x_text = w.control.publish(x, &withheld);
    const std::string n_text = w.control.publish(n, &withheld);
    // Under the rounded policy the value and limits are those of the published counts. Rounding
    // keeps order, so a proportion's published numerator never exceeds its denominator.
    const double xb = w.control.basis(x), nb = w.control.basis(n);
    std::vector<std::string> values;
    if (each_row) {
      values = std::vector<std::string>(t.csv().header().size());
      for (std::size_t c = 0; c < values.size(); ++c) values[c] = t.csv().cell(g.rows.front(), c);
      values[num] = x_text;
      values[den] = n_text;
    } else {
      values = g.key;
      values.push_back(x_text);
      values.push_back(n_text);
    }
    for (const double conf : o.confidence) {
      // The exact counts are always computed first, so that bad input is reported as it is given.
      const auto estimate = [&](double xv, double nv) {
        return t.located_at(g, columns, [&] {
          return rate ? crude_rate(xv, nv, conf, multiplier) : proportion(xv, nv, conf, multiplier);
        });
      };
      const Estimate exact = estimate(x, n);
      const Estimate e = w.control.derive() ? estimate(xb, nb) : exact;
      results(out, values, conf, e, statistic, withheld, w.control);
    }
  }
  return out;
}

// The count of values is a count of persons: the sum, standard deviation, mean and limits are
// withheld with it. The mean is not derived from the count alone (it is the values' average), so
// it is computed from the exact values under either policy. Under the rounded policy the figures
// that would give the exact count back beside the mean are taken at the published count: the sum
// is written as the mean times the published count, and the limits' standard error and Student t
// use the published count (an exact sum over the mean, or limits at two confidence levels, would
// otherwise recover the exact count).
std::string means(const Table& t, const TableOptions& o, Written& w) {
  const std::size_t col = t.column(o.value, "--value");
  std::string out;
  std::vector<std::string> lead = o.by;
  for (const char* s : {"value_sum", "value_count", "stdev"}) lead.push_back(s);
  w.count_columns = {"value_count"};
  header(out, lead);
  for (const Group& g : t.groups(false)) {
    std::vector<double> values;
    for (const auto r : g.rows) values.push_back(t.number(r, col, false));
    bool withheld = false;
    std::string count_text;
    bool published = false;
    for (const double conf : o.confidence) {
      MeanEstimate m = t.located_at(g, {{"value", o.value}}, [&] { return mean(values, conf); });
      if (!published) {
        count_text = w.control.publish(m.count, &withheld);
        published = true;
      }
      if (w.control.derive() && !withheld) {
        const double nb = w.control.basis(m.count);
        m.sum = m.estimate.value * nb;
        m.estimate.lower = m.estimate.upper = kNaN;
        if (nb >= 2 && !missing(m.estimate.value)) {
          const double tq = conf == 1 ? INFINITY : detail::students_t_upper((1 - conf) / 2, nb - 1);
          const double half_width = tq * m.sd / std::sqrt(nb);
          m.estimate.lower = m.estimate.value - half_width;
          m.estimate.upper = m.estimate.value + half_width;
        }
      }
      std::vector<std::string> row = g.key;
      row.push_back(withheld ? disclosure::kWithheldMarker : number_out(m.sum));
      row.push_back(count_text);
      row.push_back(withheld ? disclosure::kWithheldMarker : number_out(m.sd));
      results(out, row, conf, m.estimate, "mean", withheld, w.control);
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

std::string dsrs(const Table& t, const TableOptions& o, double multiplier, Written& w) {
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
  w.count_columns = {"total_count", "total_pop"};
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
    // Under the rounded policy every band's counts and population are rounded before the DSR is
    // computed, as if each were published. A band whose population rounds to 0 gives no DSR from
    // rounded counts: the row is withheld.
    bool withheld = false;
    std::vector<std::vector<double>> persons(frequencies, std::vector<double>(bands.size(), 0));
    for (std::size_t b = 0; b < bands.size(); ++b) {
      for (std::size_t k = 0; k < bands[b].persons.size(); ++k) persons[k][b] = w.control.basis(bands[b].persons[k]);
      population[b] = w.control.basis(population[b]);
      if (!(population[b] > 0)) withheld = true;
    }
    std::vector<std::string> row = g.key;
    row.push_back(w.control.publish(total_count, &withheld));
    row.push_back(w.control.publish(total_pop, &withheld));
    const std::map<std::string, std::string> columns{
        {"count", o.count}, {"population", o.population}, {"standard", pack_standard ? o.standard_name : o.stdpop}};
    for (const double conf : o.confidence) {
      if (withheld) {
        results(out, row, conf, Estimate{kNaN, kNaN, kNaN, Method::kDobson}, statistic, true, w.control);
        continue;
      }
      const Estimate e = t.located_at(g, columns, [&] {
        if (nonindependent) return dsr_nonindependent(population, standard, persons, conf, multiplier);
        std::vector<DsrBand> b;
        for (std::size_t i = 0; i < bands.size(); ++i)
          b.push_back({persons.empty() ? 0 : persons[0][i], population[i], standard[i]});
        return dsr(b, conf, multiplier);
      });
      results(out, row, conf, e, missing(e.value) ? "dsr NA for total count < 10" : statistic, false, w.control);
    }
  }
  return out;
}

// The observed events are a count; the expected events are a model's expectation, not a count of
// anyone, and are published as they are.
std::string isrs(const Table& t, const TableOptions& o, double multiplier, Written& w) {
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
  w.count_columns = {"observed"};
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
    bool withheld = false;
    std::vector<std::string> row = g.key;
    row.push_back(w.control.publish(observed, &withheld));
    // Under the rounded policy the ratio is the published observed over the expected (which is a
    // model's expectation, not a count, and is written as computed).
    const double observed_basis = w.control.basis(observed);
    row.push_back(number_out(expected));
    if (rate) row.push_back(number_out(reference * multiplier));
    for (const double conf : o.confidence) {
      const Estimate e = t.located_at(g, {{"observed", totals ? o.observed : o.count}}, [&] {
        return rate ? isr_rate(observed_basis, expected, reference, conf, multiplier)
                    : isr_ratio(observed_basis, expected, conf, multiplier);
      });
      results(out, row, conf, e, statistic, withheld, w.control);
    }
  }
  return out;
}

// The quantiles' populations are not written, but an index fitted to a quantile of 1-7 people
// describes them: the row is withheld. The populations are counts (they weight the regression and
// place each quantile on the relative rank scale): under the rounded policy they are rounded
// before the fit. The quantiles' values and standard errors are not counts (an indicator and its
// precision, as given) and are used as they are.
std::string siis(const Table& t, const TableOptions& o, double multiplier, Written& w) {
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
                          "intercept", "confidence", "statistic", "method", "disclosure"})
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
    bool small = false;
    const std::vector<SiiQuantile> exact = q;
    for (auto& x : q) {
      small = small || w.control.redacted(x.population);
      x.population = w.control.basis(x.population);
      // A population that rounds to 0 gives no index from rounded counts.
      small = small || (w.control.derive() && !(x.population > 0));
    }
    // A withheld group is still fitted, to its exact figures, so that bad input is reported alike.
    const SiiResult s = t.located_at(g, columns, [&] { return sii(small ? exact : q, so); });
    const std::string note = verdict(small);
    for (std::size_t c = 0; c < so.confidence.size(); ++c) {
      CsvRow row(out);
      for (const auto& k : g.key) row.text(k);
      row.text(std::to_string(q.size()));
      if (small) {
        for (int i = 0; i < 7; ++i) row.text(disclosure::kWithheldMarker);
        w.control.row_withheld();
      } else {
        row.text(number_out(s.sii)).text(number_out(s.sii_limits[c].lower)).text(number_out(s.sii_limits[c].upper));
        row.text(number_out(s.rii)).text(number_out(s.rii_limits[c].lower)).text(number_out(s.rii_limits[c].upper));
        row.text(number_out(s.intercept));
      }
      row.text(number_out(so.confidence[c])).text(statistic).text(method).text(note);
    }
  }
  return out;
}

// Funnel plots: each row is a unit, compared with its funnel's target at its own denominator.
// Rows keep their input order and columns; each `by` group is a funnel with its own target.
std::string funnels(const Table& t, const TableOptions& o, double multiplier, Written& w) {
  const bool proportion = o.method == TableMethod::kFunnelProportion;
  const bool ratio = o.method == TableMethod::kFunnelRatio;
  const bool dsr = o.method == TableMethod::kFunnelRate && !o.rate.empty();
  const std::string num_name = ratio ? (o.observed.empty() ? "observed" : o.observed) : o.numerator;
  const std::string den_name = ratio ? o.expected : o.denominator;
  const std::size_t num = t.column(num_name, ratio ? "--observed" : "--numerator");
  // A DSR's population comes from its events and rate; a denominator column is then optional.
  const bool has_den = !dsr || t.has(den_name);
  const std::size_t den = has_den ? t.column(den_name, ratio ? "--expected" : "--denominator") : 0;
  const std::size_t rate_col = dsr ? t.column(o.rate, "--rate") : 0;

  if (!std::isnan(o.target)) {
    if (!(o.target >= 0) || std::isinf(o.target) || (proportion && o.target > multiplier))
      throw InputError("--target: must be a number from 0 to " +
                       (proportion ? number_out(multiplier) + " (a proportion times --multiplier)" : std::string("infinity")) +
                       ", not " + number_out(o.target));
  }
  std::vector<std::string> lead = t.csv().header();
  std::vector<std::string> added;
  if (dsr) added.push_back("population");
  for (const char* s : {"value", "target", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "significance",
                        "statistic", "method", "disclosure"})
    added.push_back(s);
  for (const auto& a : added)
    for (const auto& h : lead)
      if (h == a)
        throw InputError(located(t.csv().source(), 1, h, "the output adds a column of this name; rename it"));
  w.count_columns = {num_name};
  if (!ratio && has_den) w.count_columns.push_back(den_name);

  // Each unit's numerator, denominator (population, a DSR's derived population, or expected
  // events) and value: x, n and value from the exact counts (to check the input), and xb, nb and
  // vb, the ones every published figure is computed from (the published counts under the rounded
  // policy, else the exact ones). Expected events are not a count and stay as given.
  const std::size_t rows = t.csv().rows();
  std::vector<double> x(rows, kNaN), n(rows, kNaN), value(rows, kNaN);
  std::vector<double> xb(rows, kNaN), nb(rows, kNaN), vb(rows, kNaN);
  std::vector<bool> unit_withheld(rows, false);
  for (std::size_t r = 0; r < rows; ++r) {
    x[r] = t.number(r, num);
    xb[r] = w.control.basis(x[r]);
    unit_withheld[r] = w.control.redacted(x[r]);
    if (dsr) {
      value[r] = vb[r] = t.number(r, rate_col);
      if (!missing(x[r]) && x[r] > 0 && !missing(value[r])) {
        if (!(value[r] > 0))
          t.csv().fail(r, rate_col, "must be above 0 where there are events (a DSR's population is multiplier x "
                                    "events / rate)");
        n[r] = multiplier * x[r] / value[r];
      }
      if (!missing(xb[r]) && xb[r] > 0 && value[r] > 0) nb[r] = multiplier * xb[r] / value[r];
      continue;
    }
    n[r] = t.number(r, den);
    nb[r] = ratio ? n[r] : w.control.basis(n[r]);
    if (!ratio) unit_withheld[r] = unit_withheld[r] || w.control.redacted(n[r]);
    if (proportion && !missing(x[r]) && !missing(n[r]) && x[r] > n[r])
      t.csv().fail(r, num, "must not exceed the denominator (" + number_out(x[r]) + " > " + number_out(n[r]) + ")");
    if (!missing(x[r]) && n[r] > 0) value[r] = x[r] / n[r] * multiplier;
    if (!missing(xb[r]) && nb[r] > 0) vb[r] = xb[r] / nb[r] * multiplier;
  }

  // Each funnel's target: given, 1 for ratios, or pooled over its units (for a DSR, every unit's
  // events over the populations of those with events, as PHEindicatormethods pools them).
  // Under the rounded policy the pool is of the published counts: the units whose counts are
  // published, rounded, so that the target is worked out from the table itself and tells no more.
  // Otherwise it pools the exact counts of every unit, and is withheld (with every limit of its
  // funnel) where the pooled numerator or denominator is itself redacted.
  const std::vector<Group> groups = t.groups(false);
  std::vector<std::size_t> group_of(rows, 0);
  std::vector<double> target(groups.size(), kNaN);
  std::vector<bool> target_withheld(groups.size(), false);
  for (std::size_t k = 0; k < groups.size(); ++k) {
    for (const auto r : groups[k].rows) group_of[r] = k;
    if (!std::isnan(o.target)) {
      target[k] = o.target;
    } else if (ratio) {
      target[k] = multiplier;
    } else if (w.control.derive()) {
      double sx = 0, sn = 0;
      for (const auto r : groups[k].rows) {
        if (unit_withheld[r] || missing(xb[r]) || (missing(nb[r]) && !dsr)) continue;
        sx += xb[r];
        if (!missing(nb[r])) sn += nb[r];
      }
      if (sn > 0) target[k] = sx / sn * multiplier;
    } else {
      double sx = 0, sn = 0;
      for (const auto r : groups[k].rows) {
        if (missing(x[r]) || (missing(n[r]) && !dsr)) continue;
        sx += x[r];
        if (!missing(n[r])) sn += n[r];
      }
      if (sn > 0) target[k] = sx / sn * multiplier;
      if (w.control.redacted(sx) || (!dsr && w.control.redacted(sn))) {
        target_withheld[k] = true;
        ++w.targets_withheld;
      }
    }
  }

  const auto limits = [&](double t_k, double d, double confidence) -> Limits {
    if (proportion) {
      const Limits l = funnel_proportion_limits(t_k / multiplier, d, confidence);
      return {l.lower * multiplier, l.upper * multiplier};
    }
    return ratio ? funnel_ratio_limits(t_k, d, confidence, multiplier)
                 : funnel_rate_limits(t_k, d, confidence, multiplier);
  };
  const std::string statistic = proportion ? (multiplier == 100 ? "percentage" : "proportion of " + number_out(multiplier))
                                : ratio    ? "ratio x " + number_out(multiplier)
                                           : (dsr ? "dsr per " : "rate per ") + number_out(multiplier);
  const char* method = proportion ? "Wilson" : "Poisson";
  const char* const marker = disclosure::kWithheldMarker;

  std::string out;
  {
    CsvRow h(out);
    for (const auto& s : lead) h.text(s);
    for (const auto& s : added) h.text(s);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t k = group_of[r];
    std::vector<std::string> cells(lead.size());
    for (std::size_t c = 0; c < cells.size(); ++c) cells[c] = t.csv().cell(r, c);
    bool withheld = false;
    cells[num] = w.control.publish(x[r], &withheld);
    // A DSR derives from its events alone; its population column is published as a count.
    if (has_den && !ratio) {
      const double d = dsr ? t.number(r, den) : n[r];
      cells[den] = w.control.publish(d, dsr ? nullptr : &withheld);
    }
    if (withheld && dsr) cells[rate_col] = marker;  // the rate and the population together give the events
    const bool no_target = target_withheld[k];
    if (withheld || no_target) w.control.row_withheld();

    // OHID publishes no DSR below 10 events: such a unit is neither plotted nor assessed. The rule
    // reads the events a derived figure comes from (the published ones under the rounded policy).
    const bool too_few = dsr && !missing(xb[r]) && xb[r] < 10;
    CsvRow row(out);
    for (const auto& c : cells) row.text(c);
    if (dsr) row.text(withheld ? marker : too_few ? "" : number_out(nb[r]));
    row.text(withheld ? marker : too_few ? "" : number_out(vb[r]));
    row.text(no_target ? marker : number_out(target[k]));
    Limits l95{kNaN, kNaN}, l998{kNaN, kNaN};
    if (!withheld && !no_target && !too_few) {
      try {
        l95 = limits(target[k], nb[r], 0.95);
        l998 = limits(target[k], nb[r], 0.998);
      } catch (const std::exception& e) {
        t.csv().fail(r, dsr ? rate_col : den, cannot_compute(e));
      }
    }
    if (withheld || no_target) {
      for (int i = 0; i < 4; ++i) row.text(marker);
    } else {
      row.text(number_out(l95.lower)).text(number_out(l95.upper)).text(number_out(l998.lower)).text(number_out(l998.upper));
    }
    if (withheld)
      row.text(marker);
    else if (too_few)
      row.text("not applicable: a dsr with fewer than 10 events");
    else if (no_target)
      row.text(marker);
    else if (missing(vb[r]) || missing(l95.lower) || missing(l998.lower))
      row.empty();
    else
      row.text(funnel_significance_text(funnel_significance(vb[r], l95, l998)));
    row.text(statistic).text(method).text(verdict(withheld || no_target));
  }
  if (o.curve_points > 0) {
    CsvRow h(w.curve);
    for (const auto& b : o.by) h.text(b);
    for (const char* s : {"denominator", "target", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "statistic",
                          "method", "disclosure"})
      h.text(s);
  }
  for (std::size_t k = 0; k < groups.size() && o.curve_points > 0; ++k) {
    // The curve spans the denominators of the units whose counts are published (as the published
    // figures are computed from them): a withheld unit's denominator must not set either end.
    double lo = INFINITY, hi = 0;
    for (const auto r : groups[k].rows)
      if (!unit_withheld[r] && nb[r] > 0) {
        lo = std::min(lo, nb[r]);
        hi = std::max(hi, nb[r]);
      }
    if (!(hi > 0)) continue;  // no unit with a denominator: nothing to draw
    for (const double d : funnel_curve_denominators(lo, hi, o.curve_points)) {
      CsvRow row(w.curve);
      for (const auto& key : groups[k].key) row.text(key);
      row.text(number_out(d));
      if (!target_withheld[k]) {
        Limits l95{kNaN, kNaN}, l998{kNaN, kNaN};
        try {
          l95 = limits(target[k], d, 0.95);
          l998 = limits(target[k], d, 0.998);
        } catch (const std::exception& e) {
          t.fail_group(groups[k], den_name, "--curve: " + cannot_compute(e));
        }
        row.text(number_out(target[k])).text(number_out(l95.lower)).text(number_out(l95.upper));
        row.text(number_out(l998.lower)).text(number_out(l998.upper));
      } else {
        for (int i = 0; i < 5; ++i) row.text(disclosure::kWithheldMarker);
      }
      row.text(statistic).text(method).text(target_withheld[k] ? "target withheld" : "");
      ++w.curve_rows;
    }
  }
  return out;
}

}  // namespace

TableMethod parse_table_method(std::string_view name) {
  for (const TableMethod m : {TableMethod::kProportion, TableMethod::kRate, TableMethod::kMean, TableMethod::kDsr,
                              TableMethod::kIsrRatio, TableMethod::kIsrRate, TableMethod::kSii,
                              TableMethod::kFunnelProportion, TableMethod::kFunnelRate, TableMethod::kFunnelRatio})
    if (name == table_method_name(m)) return m;
  throw InputError("unknown method '" + std::string(name) + "' (expected one of " + table_method_names() + ")");
}

const char* table_method_name(TableMethod m) {
  switch (m) {
    case TableMethod::kProportion: return "proportion";
    case TableMethod::kRate: return "rate";
    case TableMethod::kMean: return "mean";
    case TableMethod::kDsr: return "dsr";
    case TableMethod::kIsrRatio: return "isr-ratio";
    case TableMethod::kIsrRate: return "isr-rate";
    case TableMethod::kSii: return "sii";
    case TableMethod::kFunnelProportion: return "funnel-proportion";
    case TableMethod::kFunnelRate: return "funnel-rate";
    case TableMethod::kFunnelRatio: return "funnel-ratio";
  }
  return "";
}

const char* table_method_names() {
  return "proportion, rate, mean, dsr, isr-ratio, isr-rate, sii, funnel-proportion, funnel-rate, funnel-ratio";
}

namespace {

std::string json_names(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + json_quoted(names[i]);
  return out + "]";
}

constexpr const char* kNoSecondary =
    "not applied: severn stats cannot know how the rows of an arbitrary table add up, so it cannot tell which "
    "published counts would give a redacted one away; check that before publishing (docs/disclosure.md)";

// What the method's figures are computed from, for the metadata (docs/disclosure.md).
std::string values_note(TableMethod m, bool derive) {
  const std::string from = derive ? "the published (rounded) counts" : "the exact counts";
  switch (m) {
    case TableMethod::kProportion:
    case TableMethod::kRate: return "value and limits from " + from;
    case TableMethod::kMean:
      return derive ? "the mean and stdev from the exact values (a mean is not derived from the count alone); "
                      "value_sum is the mean times the published value_count, and the limits use the published "
                      "value_count, so that neither gives the exact count back"
                    : "mean, value_sum, stdev and limits from the exact values";
    case TableMethod::kDsr:
      return "the DSR and its limits from " + from + " of every band (counts and populations); standard weights are "
             "not counts and are used as given";
    case TableMethod::kIsrRatio:
    case TableMethod::kIsrRate:
      return "value and limits from the observed events of " + from +
             "; expected events and reference rates are not counts and are written as computed";
    case TableMethod::kSii:
      return "the index fitted to quantile populations from " + from +
             "; the quantiles' values and standard errors are not counts and are used and written as computed";
    case TableMethod::kFunnelProportion:
    case TableMethod::kFunnelRate:
    case TableMethod::kFunnelRatio:
      return derive ? "each unit's value, the pooled target (over the units whose counts are published), the limits "
                      "(at the published denominator) and the significance from the published counts; expected "
                      "events and given rates are not counts and are used as given"
                    : "each unit's value, the pooled target, the limits and the significance from the exact counts";
  }
  return "";
}

// The metadata beside an output: what made it and what disclosure control did to it.
std::string metadata(const CsvTable& in, const TableOptions& o, const std::string& output, const Written& w,
                     std::uint64_t rows, bool curve) {
  const Control& c = w.control;
  std::string s = "{\n  \"command\": \"severn stats\",\n  \"method\": " + json_quoted(table_method_name(o.method)) +
                  ",\n  \"input\": " + json_quoted(in.source()) + ",\n  \"input_rows\": " + std::to_string(in.rows()) +
                  ",\n  \"output\": " + json_quoted(output) + ",\n  \"output_rows\": " + std::to_string(rows) +
                  ",\n  \"disclosure\": " + disclosure::metadata_json(o.policy, c.on(), false) +
                  ",\n  \"values_from\": " + json_quoted(c.values_from()) +
                  ",\n  \"values_note\": " + json_quoted(values_note(o.method, c.derive()));
  if (curve) {
    s += ",\n  \"count_columns\": [],\n  \"targets_withheld\": " + std::to_string(w.targets_withheld) +
         ",\n  \"note\": \"the curve holds no counts: its denominators are a grid over the published units' denominators; "
         "a funnel's target and limits are withheld where its pooled counts are redacted (suppressed-exact)\"";
  } else {
    s += ",\n  \"count_columns\": " + json_names(w.count_columns) + ",\n  \"counts_redacted\": " +
         std::to_string(c.counts_redacted) + ",\n  \"counts_published_rounded\": " + std::to_string(c.counts_published) +
         ",\n  \"rows_withheld\": " + std::to_string(c.rows_withheld);
    if (w.targets_withheld) s += ",\n  \"targets_withheld\": " + std::to_string(w.targets_withheld);
  }
  if (c.on()) s += ",\n  \"secondary_suppression\": " + json_quoted(kNoSecondary);
  return s + "\n}\n";
}

std::uint64_t lines(const std::string& csv) {
  std::uint64_t n = 0;
  for (const char ch : csv) n += ch == '\n';
  return n ? n - 1 : 0;
}

bool is_funnel(TableMethod m) {
  return m == TableMethod::kFunnelProportion || m == TableMethod::kFunnelRate || m == TableMethod::kFunnelRatio;
}

}  // namespace

TableResult run_table(const CsvTable& in, const TableOptions& options, const std::string& output_name,
                      const std::string& curve_name) {
  if (options.confidence.empty()) throw InputError("--conf: give at least one confidence level");
  for (const double c : options.confidence) {
    try {
      detail::check_confidence(c);
    } catch (const ArgumentError& e) {
      throw InputError("--conf: " + e.reason());
    }
  }
  if (options.disclosure_control) options.policy.validate();
  if (options.curve_points != 0 && !is_funnel(options.method))
    throw InputError("--curve: only the funnel methods draw a curve");
  if (options.curve_points < 0 || options.curve_points == 1)
    throw InputError("--curve-points: a curve needs at least 2 points, not " + std::to_string(options.curve_points));
  const double multiplier = options.multiplier == 0 ? default_multiplier(options.method) : options.multiplier;
  if (options.method != TableMethod::kSii && (!(multiplier > 0) || std::isinf(multiplier)))  // sii's may be negative
    throw InputError("--multiplier: must be a finite number above 0, not " + number_out(multiplier));
  Written w(options);
  const Table t(in, options);
  TableResult result;
  switch (options.method) {
    case TableMethod::kProportion:
    case TableMethod::kRate: result.csv = proportion_or_rate(t, options, multiplier, w); break;
    case TableMethod::kMean: result.csv = means(t, options, w); break;
    case TableMethod::kDsr: result.csv = dsrs(t, options, multiplier, w); break;
    case TableMethod::kIsrRatio:
    case TableMethod::kIsrRate: result.csv = isrs(t, options, multiplier, w); break;
    case TableMethod::kSii: result.csv = siis(t, options, multiplier, w); break;
    case TableMethod::kFunnelProportion:
    case TableMethod::kFunnelRate:
    case TableMethod::kFunnelRatio: result.csv = funnels(t, options, multiplier, w); break;
  }
  result.rows = lines(result.csv);
  result.rows_withheld = w.control.rows_withheld;
  result.counts_redacted = w.control.counts_redacted;
  result.metadata = metadata(in, options, output_name, w, result.rows, false);
  if (options.curve_points > 0) {
    result.curve = w.curve;
    result.curve_metadata = metadata(in, options, curve_name, w, w.curve_rows, true);
  }
  return result;
}

std::string apply_to_table(const CsvTable& in, const TableOptions& options) { return run_table(in, options).csv; }

}  // namespace severn::stats
