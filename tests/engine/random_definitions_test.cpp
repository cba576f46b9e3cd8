// Property test: on hundreds of random well-typed definitions over a small synthetic ICS, the
// engine (over the ingested store) and the reference evaluator (straight from the CSV files)
// give exactly the same dataset and exactly the same measures (every interval, breakdown and
// group).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <sstream>

#include "measures/run_definition.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "random_definition_generator.h"
#include "reference_evaluator.h"
#include "refdata/data_dir.h"
#include "refdata/standards.h"
#include "stats/stats.h"
#include "store/store.h"

namespace severn::testing {
namespace {

using random_definitions::Generator;

// A measures.csv line without its value, and the value checked against the counts.
std::string measure_key(const CsvTable& t, std::size_t r) {
  std::string line;
  for (std::size_t c = 0; c < 7; ++c) line += (c ? "," : "") + t.cell(r, c);
  return line;
}

const lang::Measure& measure_named(const lang::CheckedDefinition& checked, const std::string& name) {
  for (const auto& m : checked.definition.measures)
    if (m.name == name) return m;
  throw std::logic_error("no measure " + name);
}

// The DSR of the `all` row r from the age_band rows that follow it in its interval: the bands
// with people in them, with the ESP 2013 weights of those bands (age_band 0-4 ... 90+).
stats::Estimate dsr_from_age_bands(const CsvTable& t, std::size_t r, const lang::MeasureStats& st,
                                   const std::vector<double>& esp) {
  std::vector<stats::DsrBand> bands;
  for (std::size_t i = r + 1; i < t.rows() && t.cell(i, "breakdown") != "all"; ++i) {
    if (t.cell(i, "breakdown") != "age_band" || t.cell(i, "group") == "unknown") continue;
    const std::string& g = t.cell(i, "group");
    const std::size_t band = g == "90+" ? 18 : static_cast<std::size_t>(std::stoi(g.substr(0, g.find('-')))) / 5;
    bands.push_back({std::stod(t.cell(i, "numerator")), std::stod(t.cell(i, "denominator")), esp.at(band)});
  }
  if (bands.empty()) return {NAN, NAN, NAN, stats::Method::kNone};
  return stats::dsr(bands, st.confidence, st.multiplier());
}

// rank of rows (small integer coefficients), by Gaussian elimination with partial pivoting.
int rank_of(std::vector<std::vector<double>> rows) {
  int rank = 0;
  const std::size_t cols = rows.empty() ? 0 : rows[0].size();
  for (std::size_t c = 0; c < cols && rank < static_cast<int>(rows.size()); ++c) {
    std::size_t best = static_cast<std::size_t>(rank);
    for (std::size_t r = best; r < rows.size(); ++r)
      if (std::abs(rows[r][c]) > std::abs(rows[best][c])) best = r;
    if (std::abs(rows[best][c]) < 1e-9) continue;
    std::swap(rows[best], rows[static_cast<std::size_t>(rank)]);
    const auto& pivot = rows[static_cast<std::size_t>(rank)];
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r == static_cast<std::size_t>(rank)) continue;
      const double f = rows[r][c] / pivot[c];
      for (std::size_t k = 0; k < cols; ++k) rows[r][k] -= f * pivot[k];
    }
    ++rank;
  }
  return rank;
}

// Checks funnels.csv against measures.csv of the same run: one row for each group of each
// breakdown of a proportion or rate measure (none for `all` or a dsr), with the counts and value
// of that group, the `all` row's value as target, and the limits and significance the statistics
// module gives for that target and denominator. In a disclosure-controlled run a group whose
// counts are withheld must have neither value nor limits. Returns "" or what is wrong.
// The limits are recomputed from the exact counts of the `all` row, as the engine computes them;
// `exact` is measures.csv of the same definition without disclosure control.
bool withheld_cell(const CsvTable& t, std::size_t r, const char* column) { return t.cell(r, column) == disclosure::kWithheldMarker; }

std::string check_funnels(const lang::CheckedDefinition& checked, const CsvTable& exact, const CsvTable& measures,
                          const CsvTable& funnels, int& limits_checked, bool from_published = false) {
  // Under the rounded policy a funnel is drawn from the published counts; otherwise from the exact.
  const CsvTable& counts = from_published ? measures : exact;
  std::size_t f = 0;
  std::string target;
  double exact_target = NAN;
  bool target_withheld = false;
  for (std::size_t r = 0; r < measures.rows(); ++r) {
    const auto& st = measure_named(checked, measures.cell(r, "measure")).stats;
    if (measures.cell(r, "breakdown") == "all") {
      target = measures.cell(r, "value");
      target_withheld = withheld_cell(measures, r, "numerator") || withheld_cell(measures, r, "denominator");
      if (target_withheld) continue;
      const double num = std::stod(counts.cell(r, "numerator")), den = std::stod(counts.cell(r, "denominator"));
      exact_target = den > 0 ? num / den * st.multiplier() : NAN;
      continue;
    }
    if (st.kind == lang::StatKind::kDsr) continue;
    const std::string where = "funnels row " + std::to_string(f) + " (measures row " + std::to_string(r) + ")";
    if (f >= funnels.rows()) return where + ": missing";
    for (const char* column : {"measure", "interval_start", "interval_end", "breakdown", "group", "numerator", "denominator", "value"})
      if (funnels.cell(f, column) != measures.cell(r, column))
        return where + ": " + column + " " + funnels.cell(f, column) + " is not " + measures.cell(r, column);
    const std::string& value = measures.cell(r, "value");
    if (value.empty() || target.empty() || target_withheld || value == disclosure::kWithheldMarker) {
      for (const char* column : {"lower_95", "upper_95", "lower_99_8", "upper_99_8", "significance"})
        if (!funnels.cell(f, column).empty() && funnels.cell(f, column) != disclosure::kWithheldMarker)
          return where + ": " + column + " given without a value or target";
      ++f;
      continue;
    }
    if (funnels.cell(f, "target") != target) return where + ": target " + funnels.cell(f, "target") + " is not " + target;
    const double t = exact_target, n = std::stod(counts.cell(r, "denominator"));
    stats::Limits l95, l998;
    if (st.kind == lang::StatKind::kProportion) {
      l95 = stats::funnel_proportion_limits(t / st.multiplier(), n, 0.95);
      l998 = stats::funnel_proportion_limits(t / st.multiplier(), n, 0.998);
      l95 = {l95.lower * st.multiplier(), l95.upper * st.multiplier()};
      l998 = {l998.lower * st.multiplier(), l998.upper * st.multiplier()};
    } else {
      l95 = stats::funnel_rate_limits(t, n, 0.95, st.multiplier());
      l998 = stats::funnel_rate_limits(t, n, 0.998, st.multiplier());
    }
    const auto near = [&](const char* column, double v) {
      return !funnels.cell(f, column).empty() && std::abs(std::stod(funnels.cell(f, column)) - v) <= 5.0001e-7 + 1e-12 * std::abs(v);
    };
    if (!near("lower_95", l95.lower) || !near("upper_95", l95.upper) || !near("lower_99_8", l998.lower) ||
        !near("upper_99_8", l998.upper))
      return where + ": limits " + funnels.cell(f, "lower_95") + " " + funnels.cell(f, "upper_95") + " " +
             funnels.cell(f, "lower_99_8") + " " + funnels.cell(f, "upper_99_8") + " differ from the statistics module's " +
             std::to_string(l95.lower) + " " + std::to_string(l95.upper) + " " + std::to_string(l998.lower) + " " +
             std::to_string(l998.upper) + " (target " + target + ", denominator " + measures.cell(r, "denominator") + ")";
    const double v = std::stod(value);
    const double margin = 1e-6;  // a value within rounding of a limit may fall either side
    const bool clear = std::abs(v - l95.lower) > margin && std::abs(v - l95.upper) > margin &&
                       std::abs(v - l998.lower) > margin && std::abs(v - l998.upper) > margin;
    if (clear && funnels.cell(f, "significance") != stats::funnel_significance_text(stats::funnel_significance(v, l95, l998)))
      return where + ": significance " + funnels.cell(f, "significance");
    ++limits_checked;
    ++f;
  }
  if (f != funnels.rows()) return "funnels.csv has " + std::to_string(funnels.rows() - f) + " rows too many";
  return "";
}

struct DisclosureTally {
  int tables = 0, small = 0, secondary = 0, values_withheld = 0, values_from_published = 0;
};

// Checks a disclosure-controlled measures.csv against the exact one of the same definition:
// every count of 1-7 withheld, every published count the exact one rounded, values withheld
// with their counts, and, in every measure and interval, no withheld count fixed by the
// published ones through the table's equations (the total equals the sum of each breakdown's
// groups): a withheld count is fixed exactly when its unit vector lies in the row space of
// those equations over the withheld counts. Returns "" or what is wrong.
std::string check_disclosed(const CsvTable& exact, const CsvTable& shown, const disclosure::Policy& p, DisclosureTally& tally) {
  // Under rounding, exact derivation by the tables' equations is not the question (a rounded count
  // fixes nothing exactly); the audit's own linear program, and the independent attacker of
  // tests/disclosure and tests/report, answer the real one. Under exact counts it is the first.
  const bool exact_counts = p.mode == disclosure::Mode::kSuppressedExact;
  if (exact.rows() != shown.rows()) return "row counts differ";
  std::size_t r = 0;
  while (r < exact.rows()) {
    std::size_t end = r + 1;
    while (end < exact.rows() && exact.cell(end, "breakdown") != "all") ++end;
    ++tally.tables;
    for (const char* quantity : {"numerator", "denominator"}) {
      std::vector<std::size_t> unknown;  // rows withheld
      for (std::size_t i = r; i < end; ++i) {
        for (std::size_t c = 0; c < 5; ++c)
          if (exact.cell(i, c) != shown.cell(i, c)) return "row " + std::to_string(i) + ": keys differ";
        const std::int64_t e = std::stoll(exact.cell(i, quantity));
        const std::string& s = shown.cell(i, quantity);
        const bool small = e >= p.redact_min && e <= p.redact_max;
        const bool hidden = s == disclosure::kWithheldMarker;
        if (s.empty()) return "row " + std::to_string(i) + ": " + quantity + " is empty, not a count or the marker";
        if (small && !hidden) return "row " + std::to_string(i) + ": " + quantity + " " + std::to_string(e) + " published";
        if (e == 0 && hidden) return "row " + std::to_string(i) + ": a zero " + quantity + " withheld";
        if (!hidden && std::stoll(s) != disclosure::rounded(p, e))
          return "row " + std::to_string(i) + ": " + quantity + " " + s + " is not " + std::to_string(e) + " rounded";
        if (hidden) {
          unknown.push_back(i);
          (small ? tally.small : tally.secondary) += 1;
        }
      }
      if (unknown.empty() || !exact_counts) continue;
      std::vector<std::vector<double>> equations;
      std::map<std::string, std::vector<double>> by_breakdown;
      for (std::size_t i = r + 1; i < end; ++i) {
        auto& row = by_breakdown[exact.cell(i, "breakdown")];
        row.assign(unknown.size(), 0.0);
      }
      for (auto& [name, row] : by_breakdown) {
        for (std::size_t u = 0; u < unknown.size(); ++u) {
          if (unknown[u] == r) row[u] = 1;
          else if (exact.cell(unknown[u], "breakdown") == name) row[u] = -1;
        }
        equations.push_back(row);
      }
      const int base = rank_of(equations);
      for (std::size_t u = 0; u < unknown.size(); ++u) {
        auto with = equations;
        with.emplace_back(unknown.size(), 0.0);
        with.back()[u] = 1;
        if (rank_of(with) == base)
          return "row " + std::to_string(unknown[u]) + ": withheld " + quantity + " is derivable from published counts";
      }
    }
    for (std::size_t i = r; i < end; ++i) {
      const bool withheld = withheld_cell(shown, i, "numerator") || withheld_cell(shown, i, "denominator");
      if (withheld && !withheld_cell(shown, i, "value")) return "row " + std::to_string(i) + ": value published with a withheld count";
      if (withheld && !shown.cell(i, "note").empty()) return "row " + std::to_string(i) + ": a withheld row says why";
      if (!withheld && shown.cell(i, "value").empty() && shown.cell(i, "note").empty())
        return "row " + std::to_string(i) + ": no value and no note saying why";
      if (withheld && !withheld_cell(shown, i, "lower")) return "row " + std::to_string(i) + ": limits published with a withheld count";
      if (!withheld && !exact_counts && !shown.cell(i, "value").empty() && shown.cell(i, "statistic").rfind("proportion", 0) == 0) {
        // Rounded: the value is the published counts' proportion, and says nothing more.
        const double x = std::stod(shown.cell(i, "numerator")), n = std::stod(shown.cell(i, "denominator"));
        const std::string& st = shown.cell(i, "statistic");
        const double per = st == "proportion" ? 1 : std::stod(st.substr(15));
        const double want = x / n * per;
        if (std::abs(std::stod(shown.cell(i, "value")) - want) > 5.0001e-7 + 1e-12 * std::abs(want))
          return "row " + std::to_string(i) + ": value " + shown.cell(i, "value") + " is not the published counts' " + std::to_string(want);
        ++tally.values_from_published;
      }
      tally.values_withheld += withheld;
    }
    r = end;
  }
  return "";
}

std::vector<std::string> reference_measures(const lang::CheckedDefinition& checked,
                                            const std::vector<reference::Person>& people,
                                            const reference::Groups& groups) {
  std::vector<std::string> out;
  const reference::Context context(checked);
  for (const auto& m : checked.definition.measures) {
    std::vector<std::pair<Days, Days>> spans = m.intervals->spans;
    if (m.intervals->kind != lang::IntervalKind::kExplicit) {
      const int step = m.intervals->kind == lang::IntervalKind::kMonthly ? 1 : m.intervals->kind == lang::IntervalKind::kQuarterly ? 3 : 12;
      for (int k = 0; add_months(m.intervals->from, k * step) <= m.intervals->to; ++k)
        spans.emplace_back(add_months(m.intervals->from, k * step),
                           std::min<Days>(add_months(m.intervals->from, (k + 1) * step) - 1, m.intervals->to));
    }
    for (const auto& [start, end] : spans) {
      std::map<std::pair<std::string, std::string>, std::pair<long, long>> counts;  // (breakdown, group)
      counts[{"all", "all"}];  // present even when nobody is in the denominator
      for (const auto& person : people) {
        reference::Evaluator ev(context, person, end, start);
        const auto yes = [&](const lang::Expr& e) {
          const reference::V v = ev.eval(e);
          return v.k == reference::V::kBool && v.i;
        };
        if (!yes(*checked.definition.population) || !yes(*m.denominator)) continue;
        const long num = yes(*m.numerator) ? 1 : 0;
        std::vector<std::pair<std::string, std::string>> keys{{"all", "all"}};
        for (const auto& [column, pos] : m.by) keys.emplace_back(column, groups.label(column, person, ev, end));
        for (const auto& k : keys) {
          counts[k].first += num;
          counts[k].second += 1;
        }
      }
      for (const auto& [k, c] : counts)
        out.push_back(m.name + "," + format_iso_date(start) + "," + format_iso_date(end) + "," + k.first + "," +
                      k.second + "," + std::to_string(c.first) + "," + std::to_string(c.second));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RandomDefinitions, EngineAgreesWithTheReferenceEvaluator) {
  SEVERN_REQUIRE_PACK();
  Scratch s("random-definitions");
  synthesize_small(s.dir() / "src", 400, 17);
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  const auto store = store::Store::open(s.dir() / "store");
  const auto people = reference::load((s.dir() / "src").string(), (s.dir() / "store").string());
  const reference::Groups groups(SEVERN_TEST_DATA_DIR);
  random_definitions::write_codelists(s.dir());
  Generator gen(20251122);
  const Days index_date = days_from_civil(2024, 9, 30);
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer build checks memory on a subset: the reference evaluator is 15 times slower
  // there, and the CI run must stay under 30 minutes on 2 cores.
  constexpr int kRounds = 30, kWithMeasures = 10;
#else
  constexpr int kRounds = 400, kWithMeasures = 160;
#endif
  int compared = 0, non_empty = 0, measure_rounds = 0, measure_rows = 0, rows_with_numerators = 0;
  DisclosureTally tally;
  int statistics_checked = 0, dsrs_computed = 0, funnel_limits_checked = 0;
  std::vector<double> esp;
  for (const auto& band : refdata::load_esp2013(refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR))) esp.push_back(band.weight);
  for (int round = 0; round < kRounds; ++round) {
    const bool with_measures = round % (kRounds / kWithMeasures) == 0 && measure_rounds < kWithMeasures;
    const std::string text = gen.definition(with_measures);
    write_text(s.dir() / "def.sev", text);
    const auto checked = lang::check_file((s.dir() / "def.sev").string(), lang::CheckOptions{});
    measures::RunOptions o;
    o.out = s.dir() / "out";
    o.index_date = index_date;
    o.threads = 2;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    o.disclosure_control = false;  // exact counts, to compare with the reference evaluator
    measures::run_definition(*store, checked, o);

    const CsvTable got = CsvTable::read_file(o.out / "dataset.csv");
    std::vector<std::string> want;
    const reference::Context context(checked);
    for (const auto& person : people) {
      reference::Evaluator ev(context, person, index_date);
      const reference::V in = ev.eval(*checked.definition.population);
      if (!(in.k == reference::V::kBool && in.i)) continue;
      std::string line;
      for (const auto& v : checked.definition.variables) line += "|" + reference::show(ev.eval(*v.value));
      want.push_back(line);
    }
    ASSERT_EQ(got.rows(), want.size()) << "round " << round << "\n" << text;
    for (std::size_t r = 0; r < got.rows(); ++r) {
      std::string line;
      for (std::size_t c = 1; c < got.header().size(); ++c) line += "|" + got.cell(r, c);
      ASSERT_EQ(line, want[r]) << "round " << round << ", dataset row " << r << "\n" << text;
    }
    ++compared;
    non_empty += want.empty() ? 0 : 1;

    if (!with_measures) continue;
    const CsvTable measures = CsvTable::read_file(o.out / "measures.csv");
    std::vector<std::string> got_measures;
    for (std::size_t r = 0; r < measures.rows(); ++r) {
      got_measures.push_back(measure_key(measures, r));
      const double num = std::stod(measures.cell(r, "numerator")), den = std::stod(measures.cell(r, "denominator"));
      if (den == 0) {
        ASSERT_EQ(measures.cell(r, "value"), "") << "round " << round << ", measures row " << r;
        continue;
      }
      // The value and limits are the statistics module's, from the exact counts: a dsr's from
      // the age_band rows of its interval (the whole measure only).
      const auto& st = measure_named(checked, measures.cell(r, "measure")).stats;
      stats::Estimate want{NAN, NAN, NAN, stats::Method::kNone};
      if (st.kind == lang::StatKind::kProportion) want = stats::proportion(num, den, st.confidence, st.multiplier());
      else if (st.kind == lang::StatKind::kRate) want = stats::crude_rate(num, den, st.confidence, st.multiplier());
      else if (measures.cell(r, "breakdown") == "all") {
        want = dsr_from_age_bands(measures, r, st, esp);
        dsrs_computed += std::isfinite(want.value) ? 1 : 0;
      } else {
        continue;
      }
      const auto near = [&](const char* column, double v) {
        const std::string& got_text = measures.cell(r, column);
        if (!std::isfinite(v)) return got_text.empty();
        return !got_text.empty() && std::abs(std::stod(got_text) - v) <= 5.0001e-7 + 1e-12 * std::abs(v);
      };
      ASSERT_TRUE(near("value", want.value) && near("lower", want.lower) && near("upper", want.upper))
          << "round " << round << ", measures row " << r << ": want " << want.value << " [" << want.lower << ", "
          << want.upper << "]\n" << text;
      ++statistics_checked;
      rows_with_numerators += num > 0 ? 1 : 0;
    }
    std::sort(got_measures.begin(), got_measures.end());
    const auto want_measures = reference_measures(checked, people, groups);
    if (got_measures != want_measures) {
      std::vector<std::string> only_engine, only_reference;
      std::set_difference(got_measures.begin(), got_measures.end(), want_measures.begin(), want_measures.end(), std::back_inserter(only_engine));
      std::set_difference(want_measures.begin(), want_measures.end(), got_measures.begin(), got_measures.end(), std::back_inserter(only_reference));
      std::ostringstream why;
      for (std::size_t i = 0; i < std::min<std::size_t>(only_engine.size(), 5); ++i) why << "engine:    " << only_engine[i] << "\n";
      for (std::size_t i = 0; i < std::min<std::size_t>(only_reference.size(), 5); ++i) why << "reference: " << only_reference[i] << "\n";
      FAIL() << "round " << round << ": measures differ (" << only_engine.size() << " rows only in the engine, "
             << only_reference.size() << " only in the reference)\n" << why.str() << text;
    }
    ASSERT_EQ(check_funnels(checked, measures, measures, CsvTable::read_file(o.out / "funnels.csv"), funnel_limits_checked), "")
        << "round " << round << "\n" << text;
    // The same measures under disclosure control, the two policies in turn.
    o.disclosure_control = true;
    o.policy = disclosure::Policy{};
    // Alternate by measure set, not by round: with few rounds every measure round could share a parity.
    if (measure_rounds % 2 == 1) o.policy.mode = disclosure::Mode::kSuppressedExact;
    o.out = s.dir() / "out-disclosed";
    measures::run_definition(*store, checked, o);
    const CsvTable disclosed = CsvTable::read_file(o.out / "measures.csv");
    const std::string wrong = check_disclosed(measures, disclosed, o.policy, tally);
    ASSERT_EQ(wrong, "") << "round " << round << " (" << o.policy.mode_name() << ")\n" << text;
    int disclosed_limits = 0;
    ASSERT_EQ(check_funnels(checked, measures, disclosed, CsvTable::read_file(o.out / "funnels.csv"), disclosed_limits,
                            o.policy.derive_from_published()),
              "")
        << "round " << round << " (disclosure-controlled, " << o.policy.mode_name() << ")\n" << text;
    ++measure_rounds;
    measure_rows += static_cast<int>(got_measures.size());
  }
  EXPECT_EQ(compared, kRounds);
  EXPECT_EQ(measure_rounds, kWithMeasures);
  EXPECT_GT(non_empty, kRounds / 2);  // the populations are not all empty: the comparison has substance
  EXPECT_GT(rows_with_numerators, measure_rows / 4);
  // Disclosure control was exercised: small counts redacted and more hidden in second place.
  EXPECT_GT(tally.small, 100);
  EXPECT_GT(tally.secondary, 20);
  // How many published values are the counts' own varies a lot between measure sets (4 at 10 sets
  // alternated by round, 522 at 20): the small sanitizer budget asks only that some were checked.
  EXPECT_GT(tally.values_from_published, kWithMeasures >= 100 ? 10 * kWithMeasures : 0);
  EXPECT_GT(statistics_checked, measure_rows / 2);
  EXPECT_GT(dsrs_computed, 100);
  EXPECT_GT(funnel_limits_checked, statistics_checked / 4);
  std::cout << "compared " << compared << " datasets and " << measure_rounds << " measure sets (" << measure_rows
            << " measure rows, " << rows_with_numerators << " with a numerator above 0)\n"
            << "disclosure control on " << tally.tables << " tables: " << tally.small << " small counts redacted, "
            << tally.secondary << " withheld to protect others, " << tally.values_withheld << " values withheld, "
            << tally.values_from_published << " values shown to be the published counts' own; "
            << statistics_checked << " values and limits recomputed (" << dsrs_computed << " standardised rates); "
            << funnel_limits_checked << " funnel rows' limits and significance recomputed\n";
}

}  // namespace
}  // namespace severn::testing
