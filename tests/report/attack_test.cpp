// The attack of issue 14 run against the whole library report on a small synthetic ICS (1,500
// people, so small counts everywhere): an outside analyst holding every published measures.csv
// and the definitions (data/NAME/definition.sev) tries to narrow down each withheld count with a
// linear program (tests/disclosure/attacker.h, none of the audit's code), using what the
// definitions say: breakdowns add up to the total, deciles add up to quintiles, a numerator is
// within its denominator, measures with the same denominator count the same people (across
// definitions too, for the registered population), and CVDP007HYP = CVDP002HYP + CVDP003HYP.
// It also reads counts back from values: every published value must be exactly what the
// published counts give, so it carries nothing more.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/csv_table.h"
#include "disclosure/attacker.h"
#include "pack.h"
#include "report_world.h"
#include "stats/stats.h"

namespace severn::testing {
namespace {

struct MeasureText {
  std::string numerator, denominator;
};

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// The numerator, denominator and population of each measure, as a reader sees them in the
// definition: statements start at a line's first keyword; within a measure, each clause runs to the
// next clause keyword. Whitespace is normalised, so equal expressions compare equal.
std::map<std::string, MeasureText> measure_texts(const std::filesystem::path& sev, std::string* population) {
  std::ifstream in(sev);
  std::vector<std::string> statements;
  std::string line;
  static const std::set<std::string> starts{"codelist", "let", "variable", "population", "measure", "worklist"};
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    std::istringstream words(line);
    std::string first;
    if (!(words >> first)) continue;
    if (starts.count(first) || statements.empty()) statements.emplace_back();
    statements.back() += " " + trim(line);
  }
  std::map<std::string, MeasureText> out;
  static const std::set<std::string> clauses{"numerator", "denominator", "by", "stats", "intervals"};
  for (const auto& st : statements) {
    std::istringstream words(st);
    std::string w, name, clause;
    words >> w;
    if (w == "population") {
      std::string rest, x;
      while (words >> x) rest += (rest.empty() ? "" : " ") + x;
      *population = rest;
      continue;
    }
    if (w != "measure") continue;
    words >> name;
    MeasureText mt;
    while (words >> w) {
      if (clauses.count(w)) {
        clause = w;
        continue;
      }
      std::string* into = clause == "numerator" ? &mt.numerator : clause == "denominator" ? &mt.denominator : nullptr;
      if (into) *into += (into->empty() ? "" : " ") + w;
    }
    out[name] = mt;
  }
  return out;
}

// SEVERN_ATTACK_REPORT=DIR attacks the report in DIR instead (the full synthetic ICS's, for the
// figures in docs/disclosure.md):
//   SEVERN_ATTACK_REPORT=out/report build/release/tests/test_report --gtest_filter='ReportAttack*'
TEST(ReportAttack, NoWithheldCountOfTheLibraryReportCanBeNarrowedDown) {
  SEVERN_REQUIRE_PACK();
  struct {
    std::filesystem::path report;
  } w;
  if (const char* dir = std::getenv("SEVERN_ATTACK_REPORT")) {
    w.report = dir;
  } else {
    const ReportWorld& world = report_world();
    ASSERT_EQ(world.result.code, 0) << world.result.output;
    w.report = world.report;
  }
  attack::Problem p;
  const attack::Published pub;  // the default policy: rounded to 5, 1-7 withheld
  std::size_t rows = 0, values_checked = 0;
  // count key -> measure's series keys, for identities: (definition, measure) -> {num key, den key}
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> series_key;
  std::map<std::string, std::set<std::string>> cells_of;  // series key -> "interval/breakdown/group" seen
  for (const auto& dir : std::filesystem::directory_iterator(w.report / "data")) {
    const std::string def = dir.path().filename().string();
    std::string population;
    const auto texts = measure_texts(dir.path() / "definition.sev", &population);
    const CsvTable t = CsvTable::read_file(dir.path() / "measures.csv");
    // tables[(measure, interval, num/den, breakdown)] -> total key and group keys, for the sums
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<std::string>> tables;
    std::map<std::tuple<std::string, std::string, std::string>, std::string> totals;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string measure = t.cell(r, "measure");
      ASSERT_TRUE(texts.count(measure)) << def << ": " << measure;
      const MeasureText& mt = texts.at(measure);
      // What a reader can tell is counted: the denominator within the population, and the
      // numerator within that. The registered population is the same people in every definition.
      std::string den = mt.denominator == "true" ? population : mt.denominator;
      std::string scope = (den == population && population == "registered_on(index_date)") ? "ics" : def;
      const std::string den_key = scope + "|pop " + population + "|den " + den;
      const std::string num_key = mt.numerator == "true" ? den_key : den_key + "|num " + mt.numerator;
      series_key[{def, measure}] = {num_key, den_key};
      const std::string interval = t.cell(r, "interval_start") + "/" + t.cell(r, "interval_end");
      const std::string b = t.cell(r, "breakdown"), g = t.cell(r, "group");
      for (const auto& [col, key] : {std::pair<const char*, std::string>{"numerator", num_key}, {"denominator", den_key}}) {
        const std::string cell = key + "@" + interval + "/" + b + "/" + g;
        const std::string& shown = t.cell(r, col);
        if (shown == "[c]") p.withheld(cell);
        else p.published(cell, t.get_int(r, t.column(col)), pub);
        cells_of[key].insert(interval + "/" + b + "/" + g);
        if (b == "all") totals[{measure, interval, col}] = cell;
        else tables[{measure, interval, col, b}].push_back(cell);
      }
      ++rows;
      // Reading counts back from the value: it must be what the published counts give.
      const std::string statistic = t.cell(r, "statistic");
      if (t.cell(r, "value").empty() || t.cell(r, "value") == "[c]") continue;
      const double x = static_cast<double>(t.get_int(r, t.column("numerator")));
      const double n = static_cast<double>(t.get_int(r, t.column("denominator")));
      stats::Estimate e{NAN, NAN, NAN, stats::Method::kNone};
      if (statistic.rfind("proportion", 0) == 0) {
        const double per = statistic == "proportion" ? 1 : std::stod(statistic.substr(15));
        e = stats::proportion(x, n, 0.95, per);
      } else if (statistic.rfind("rate per ", 0) == 0) {
        e = stats::crude_rate(x, n, 0.95, std::stod(statistic.substr(9)));
      } else {
        continue;
      }
      if (t.cell(r, "confidence") != "95%") continue;
      EXPECT_NEAR(t.get_double(r, t.column("value")), e.value, 1e-6 * std::max(1.0, std::fabs(e.value)))
          << def << " " << measure << " row " << r + 2 << ": the value says more than the counts";
      EXPECT_NEAR(t.get_double(r, t.column("lower")), e.lower, 1e-6 * std::max(1.0, std::fabs(e.lower)));
      EXPECT_NEAR(t.get_double(r, t.column("upper")), e.upper, 1e-6 * std::max(1.0, std::fabs(e.upper)));
      ++values_checked;
    }
    for (const auto& [key, cells] : tables) {
      const auto& [measure, interval, col, breakdown] = key;
      std::vector<std::pair<std::string, double>> eq{{totals.at({measure, interval, col}), 1}};
      for (const auto& c : cells) eq.push_back({c, -1});
      p.equation(eq);
      // Deciles add up to quintiles: decile 2q-1 and 2q make quintile q.
      if (breakdown == "imd_quintile" && tables.count({measure, interval, col, "imd_decile"})) {
        const std::string prefix = cells.front().substr(0, cells.front().rfind("/imd_quintile/"));
        for (int q = 1; q <= 5; ++q) {
          std::vector<std::pair<std::string, double>> nest;
          for (const std::string& c : {prefix + "/imd_quintile/" + std::to_string(q), prefix + "/imd_decile/" + std::to_string(2 * q - 1),
                                       prefix + "/imd_decile/" + std::to_string(2 * q)})
            nest.push_back({c, nest.empty() ? 1.0 : -1.0});
          for (const auto& [c, coef] : nest)
            if (!p.known(c)) p.zero(c);  // a group not published in a table counts nobody
          p.equation(nest);
        }
      }
    }
  }
  // A numerator within its denominator, cell by cell.
  for (const auto& [measure, keys] : series_key) {
    if (keys.first == keys.second) continue;
    for (const auto& c : cells_of[keys.first]) p.at_most_zero({{keys.first + "@" + c, 1}, {keys.second + "@" + c, -1}});
  }
  // CVDP007HYP = CVDP002HYP + CVDP003HYP (ages 18-79 and 80+ make 18+), numerators and denominators.
  const auto hyp = [&](const char* m) { return series_key.at({"hypertension", m}); };
  const auto k7 = hyp("cvdp007hyp_treated_to_target"), k2 = hyp("cvdp002hyp_treated_to_target_18_79"),
             k3 = hyp("cvdp003hyp_treated_to_target_80plus");
  for (int which = 0; which < 2; ++which) {
    const std::string a = which ? k7.second : k7.first, b = which ? k2.second : k2.first, c = which ? k3.second : k3.first;
    for (const auto& cell : cells_of[a]) {
      std::vector<std::pair<std::string, double>> eq;
      for (const auto& [key, coef] : {std::pair<std::string, double>{a, 1}, {b, -1}, {c, -1}}) {
        const std::string name = key + "@" + cell;
        if (!p.known(name)) p.zero(name);
        eq.push_back({name, coef});
      }
      p.equation(eq);
    }
  }
  const auto findings = p.solve(/*settle=*/true);
  std::size_t broken = 0;
  double narrowest = std::numeric_limits<double>::infinity();
  for (const auto& f : findings) {
    narrowest = std::min(narrowest, f.hi - f.lo);
    if (attack::breaks(f, 8, 7)) {
      ++broken;
      if (broken <= 20) ADD_FAILURE() << f.cell << " narrowed to [" << f.lo << ", " << f.hi << "]";
    }
  }
  std::printf("report attack: %zu rows, %zu withheld counts attacked, %zu narrowed below the rule, narrowest interval %g; "
              "%zu values read back\n", rows, findings.size(), broken, narrowest, values_checked);
  EXPECT_EQ(broken, 0U);
  EXPECT_GT(findings.size(), 100U);  // the report withholds plenty (1,500 people in the test's own)
  EXPECT_GT(values_checked, 1000U);
}

}  // namespace
}  // namespace severn::testing
