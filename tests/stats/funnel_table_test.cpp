// `severn stats funnel-proportion|funnel-rate|funnel-ratio` as tables: PHEindicatormethods' funnel
// inputs (funnel_vectors.h) through the command's pooling, derived populations and curve, then its
// disclosure control and its errors.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>

#include "core/csv_table.h"
#include "core/error.h"
#include "funnel_vectors.h"
#include "stats/stats.h"
#include "stats/table.h"
#include "vectors.h"

namespace severn::stats {
namespace {

namespace fv = testing::funnel;
using testing::number;

// The package's labels in Severn's words.
std::string severn_label(const std::string& package) {
  static const std::map<std::string, std::string> words{
      {"Low (0.001)", "below 99.8% limit"},
      {"Low (0.025)", "below 95% limit"},
      {"Not significant", "within limits"},
      {"High (0.025)", "above 95% limit"},
      {"High (0.001)", "above 99.8% limit"},
      {"Not applicable for events less than 10 for dsrs", "not applicable: a dsr with fewer than 10 events"}};
  return words.at(package);
}

// The vectors' `significance` column would clash with the one the command adds.
std::string renamed(const std::string& csv) {
  std::string out = csv;
  const std::size_t at = out.find("significance");
  if (at < out.find('\n')) out.replace(at, 12, "package_significance");
  return out;
}

TableResult run(const std::string& csv, const TableOptions& o) {
  return run_table(CsvTable::parse(csv, "in.csv"), o, "out.csv", "curve.csv");
}

CsvTable out_of(const TableResult& r) { return CsvTable::parse(r.csv, "out.csv"); }

std::string error_of(const std::string& csv, const TableOptions& o) {
  try {
    run(csv, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FunnelTable, ProportionsMatchThePackageThroughTheCommand) {
  TableOptions o;
  o.method = TableMethod::kFunnelProportion;
  o.multiplier = 100;
  o.curve_points = 100;
  o.disclosure_control = false;  // the package's counts, compared exactly
  const TableResult r = run(renamed(fv::kPropInputs), o);
  const CsvTable out = out_of(r);
  ASSERT_EQ(out.rows(), 303u);
  for (std::size_t i = 0; i < out.rows(); ++i) {
    EXPECT_EQ(out.cell(i, "significance"), severn_label(out.cell(i, "package_significance"))) << "row " << i + 2;
    EXPECT_NEAR(number(out.cell(i, "target")), 80.642448, 5e-7);
    EXPECT_EQ(out.cell(i, "method"), "Wilson");
    EXPECT_EQ(out.cell(i, "statistic"), "percentage");
  }
  // The curve is the package's calculate_funnel_limits output, point for point.
  const CsvTable curve = CsvTable::parse(r.curve, "curve.csv");
  const CsvTable expected = CsvTable::parse(fv::kPropOutputs, "testdata_funnel_prop_outputs.csv");
  ASSERT_EQ(curve.rows(), expected.rows());
  for (std::size_t i = 0; i < curve.rows(); ++i) {
    EXPECT_EQ(curve.cell(i, "denominator"), expected.cell(i, "Population"));
    for (const auto& [ours, theirs] : {std::pair{"lower_95", "Lower2s0025limit"}, std::pair{"upper_95", "Upper2s0025limit"},
                                       std::pair{"lower_99_8", "Lower3s0001limit"},
                                       std::pair{"upper_99_8", "Upper3s0001limit"}})
      EXPECT_NEAR(number(curve.cell(i, ours)), number(expected.cell(i, theirs)), 5e-7 * (1 + 1e-9))
          << ours << " at " << curve.cell(i, "denominator");
  }
  EXPECT_NE(r.curve_metadata.find("\"output\": \"curve.csv\""), std::string::npos) << r.curve_metadata;
}

TEST(FunnelTable, RatiosMatchThePackageThroughTheCommand) {
  TableOptions o;
  o.method = TableMethod::kFunnelRatio;
  o.observed = "obs";
  o.disclosure_control = false;
  const CsvTable out = out_of(run(renamed(fv::kRatioInputs), o));
  ASSERT_EQ(out.rows(), 300u);
  for (std::size_t i = 0; i < out.rows(); ++i) {
    EXPECT_EQ(out.cell(i, "significance"), severn_label(out.cell(i, "package_significance"))) << "row " << i + 2;
    EXPECT_EQ(out.cell(i, "target"), "1");
    EXPECT_EQ(out.cell(i, "statistic"), "ratio x 1");
  }
  // The unit with 0 observed events: a ratio of 0, far below.
  EXPECT_EQ(out.cell(7, "value"), "0");
  EXPECT_EQ(out.cell(7, "significance"), "below 99.8% limit");
}

TEST(FunnelTable, DsrsAndCrudeRatesMatchThePackageThroughTheCommand) {
  const std::string in = renamed(fv::kRateDsrInputs);
  int labels = 0;
  for (const bool dsr : {true, false})
    for (const double multiplier : {1e5, 100.0})
      for (const bool with_zero : {true, false}) {
        SCOPED_TRACE(std::string(dsr ? "dsr" : "crude") + " per " + std::to_string(multiplier) +
                     (with_zero ? " with 0" : " without 0"));
        std::string csv = in;
        if (!with_zero) csv = csv.substr(0, csv.rfind("\n0,") + 1);  // the unit of 0 events is last
        TableOptions o;
        o.method = TableMethod::kFunnelRate;
        o.multiplier = multiplier;
        o.numerator = "count";
        o.denominator = "pop";
        if (dsr) o.rate = "rate_dsr";
        o.disclosure_control = false;
        const CsvTable out = out_of(run(csv, o));
        const std::string column = std::string(dsr ? "dsr" : "crude") + (multiplier == 1e5 ? "_per_100000" : "_per_100") +
                                   (with_zero ? "_with_0" : "_without_0");
        ASSERT_EQ(out.rows(), with_zero ? 40u : 39u);
        for (std::size_t i = 0; i < out.rows(); ++i, ++labels)
          EXPECT_EQ(out.cell(i, "significance"), severn_label(out.cell(i, column))) << "row " << i + 2;
      }
  EXPECT_EQ(labels, 4 * 40 + 4 * 39);
}

// calculate_funnel_points (rate_type "dsr"): each unit's population is 100000 x events / rate, the
// package's denominator_derived times its 3 years; none below 10 events.
TEST(FunnelTable, DsrPopulationsAreThePackagePoints) {
  std::string csv = fv::kRateInputFunnels;
  csv.replace(csv.find("\n988,"), 5, "\n5,");  // as the package's test: the most events become 5
  TableOptions o;
  o.method = TableMethod::kFunnelRate;
  o.numerator = "ev";
  o.rate = "rate";
  o.disclosure_control = false;
  const CsvTable out = out_of(run(csv, o));
  ASSERT_EQ(out.rows(), 50u);
  testing::Checker check;
  for (std::size_t i = 0; i < out.rows(); ++i) {
    const std::string& derived = out.cell(i, "denominator_derived");
    if (derived == "NA") {
      EXPECT_EQ(out.cell(i, "population"), "") << "row " << i + 2;
      EXPECT_EQ(out.cell(i, "value"), "");
      EXPECT_EQ(out.cell(i, "significance"), "not applicable: a dsr with fewer than 10 events");
      continue;
    }
    // The package prints 10 significant figures.
    EXPECT_NEAR(number(out.cell(i, "population")) / (number(derived) * 3), 1, 5e-10) << "row " << i + 2;
    check.close(number(out.cell(i, "value")), number(out.cell(i, "rate_chart")), "rate");
  }
}

// Disclosure control, on by default: counts of 1-7 redacted (the marker "[c]"), the rest rounded
// to 5; under the rounded policy each unit's value, the pooled target (over the published units),
// the limits (at the published denominator) and the significance come from the published counts.
TEST(FunnelTable, DisclosureControlRedactsRoundsAndWithholds) {
  TableOptions o;
  o.method = TableMethod::kFunnelProportion;
  const std::string csv = "unit,numerator,denominator\nA,3,40\nB,122,403\nC,0,6\nD,600,1500\n";
  const TableResult r = run(csv, o);
  const CsvTable out = out_of(r);
  ASSERT_EQ(out.rows(), 4u);
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");
  EXPECT_EQ(out.cell(0, "denominator"), "40");
  for (const char* c : {"value", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "significance"})
    EXPECT_EQ(out.cell(0, c), "[c]") << c;
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(1, "numerator"), "120");
  EXPECT_EQ(out.cell(1, "denominator"), "405");
  const double target = (120.0 + 600) / (405 + 1500);  // the published units' published counts
  EXPECT_EQ(number(out.cell(1, "target")), target);
  EXPECT_EQ(number(out.cell(0, "target")), target);  // the funnel's, written on every unit
  EXPECT_EQ(number(out.cell(1, "value")), 120.0 / 405);
  const Limits l95 = funnel_proportion_limits(target, 405, 0.95), l998 = funnel_proportion_limits(target, 405, 0.998);
  EXPECT_EQ(number(out.cell(1, "lower_95")), l95.lower);
  EXPECT_EQ(number(out.cell(1, "upper_99_8")), l998.upper);
  EXPECT_EQ(out.cell(1, "significance"), funnel_significance_text(funnel_significance(120.0 / 405, l95, l998)));
  EXPECT_EQ(out.cell(1, "disclosure"), "");
  EXPECT_EQ(out.cell(2, "numerator"), "0");  // a true zero is published
  EXPECT_EQ(out.cell(2, "denominator"), "[c]");
  EXPECT_EQ(out.cell(2, "disclosure"), "withheld");
  EXPECT_EQ(r.rows_withheld, 2u);
  EXPECT_EQ(r.counts_redacted, 2u);
  EXPECT_NE(r.metadata.find("\"disclosure\": {\"applied\": true, \"policy\": {\"mode\": \"rounded\", \"redact_min\": 1, "
                            "\"redact_max\": 7, \"round_to\": 5, \"rounding\": \"nearest\""),
            std::string::npos)
      << r.metadata;
  EXPECT_NE(r.metadata.find("\"values_from\": \"published counts\""), std::string::npos);
  EXPECT_NE(r.metadata.find("\"count_columns\": [\"numerator\", \"denominator\"]"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"counts_redacted\": 2"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"rows_withheld\": 2"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"secondary_suppression\": \"not applied"), std::string::npos);
}

// Under suppressed-exact the counts are exact, small ones withheld, and every figure comes from the
// exact counts: the target pools every unit, withheld ones included.
TEST(FunnelTable, DisclosureSuppressedExactUsesTheExactCounts) {
  TableOptions o;
  o.method = TableMethod::kFunnelProportion;
  o.policy.mode = disclosure::Mode::kSuppressedExact;
  const TableResult r = run("unit,numerator,denominator\nA,3,40\nB,122,403\nC,0,6\nD,600,1500\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");
  EXPECT_EQ(out.cell(0, "value"), "[c]");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(1, "numerator"), "122");
  EXPECT_EQ(out.cell(1, "denominator"), "403");
  const double target = (3.0 + 122 + 0 + 600) / (40 + 403 + 6 + 1500);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "target")), target);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), 122.0 / 403);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "lower_95")), funnel_proportion_limits(target, 403, 0.95).lower);
  EXPECT_NE(r.metadata.find("\"values_from\": \"exact counts\""), std::string::npos) << r.metadata;
}

// Under the rounded policy the value carries no more than the counts beside it: in random funnels
// every published value, target, limit and significance is recomputed from the published table.
TEST(FunnelTable, DisclosureEveryPublishedFigureFollowsFromThePublishedCounts) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 30; ++trial) {
    const bool proportion = trial % 2 == 0;
    TableOptions o;
    o.method = proportion ? TableMethod::kFunnelProportion : TableMethod::kFunnelRate;
    o.by = {"region"};
    std::string csv = "region,unit,numerator,denominator\n";
    for (int i = 0; i < 24; ++i) {
      const long long n = std::uniform_int_distribution<long long>(1, trial % 3 == 0 ? 30 : 900)(rng);
      const long long x = std::uniform_int_distribution<long long>(0, std::min<long long>(n, 60))(rng);
      csv += std::string(i % 2 ? "R1" : "R2") + ",u" + std::to_string(i) + "," + std::to_string(x) + "," +
             std::to_string(n) + "\n";
    }
    SCOPED_TRACE(csv);
    const CsvTable out = out_of(run(csv, o));
    const double m = proportion ? 1 : 100000;
    std::map<std::string, std::pair<double, double>> pooled;
    for (std::size_t r = 0; r < out.rows(); ++r) {
      const std::string xs = out.cell(r, "numerator"), ns = out.cell(r, "denominator");
      if (xs == "[c]" || ns == "[c]") continue;
      pooled[out.cell(r, "region")].first += number(xs);
      pooled[out.cell(r, "region")].second += number(ns);
    }
    for (std::size_t r = 0; r < out.rows(); ++r) {
      const std::string xs = out.cell(r, "numerator"), ns = out.cell(r, "denominator");
      const auto& [sx, sn] = pooled[out.cell(r, "region")];
      const double target = sn > 0 ? sx / sn * m : NAN;
      if (std::isnan(target))
        EXPECT_EQ(out.cell(r, "target"), "");
      else
        EXPECT_EQ(number(out.cell(r, "target")), target);
      if (xs == "[c]" || ns == "[c]") {
        for (const char* c : {"value", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "significance"})
          EXPECT_EQ(out.cell(r, c), "[c]") << c;
        EXPECT_EQ(out.cell(r, "disclosure"), "withheld");
        continue;
      }
      const double x = number(xs), n = number(ns);
      const double value = x / n * m;
      EXPECT_EQ(number(out.cell(r, "value")), value);
      const Limits l95 = proportion ? funnel_proportion_limits(target, n, 0.95)
                                    : funnel_rate_limits(target, n, 0.95, m);
      const Limits l998 = proportion ? funnel_proportion_limits(target, n, 0.998)
                                     : funnel_rate_limits(target, n, 0.998, m);
      EXPECT_EQ(number(out.cell(r, "lower_95")), l95.lower);
      EXPECT_EQ(number(out.cell(r, "upper_95")), l95.upper);
      EXPECT_EQ(number(out.cell(r, "lower_99_8")), l998.lower);
      EXPECT_EQ(number(out.cell(r, "upper_99_8")), l998.upper);
      EXPECT_EQ(out.cell(r, "significance"), funnel_significance_text(funnel_significance(value, l95, l998)));
      EXPECT_EQ(out.cell(r, "disclosure"), "");
    }
  }
}

// Under suppressed-exact a pooled target from counts of 1-7 is withheld with every limit of its
// funnel, neutrally. Under the rounded policy the target pools the published units only.
TEST(FunnelTable, APooledTargetFromSmallCountsIsWithheldAndADsrKeepsItsEvents) {
  TableOptions o;
  o.method = TableMethod::kFunnelRate;
  o.by = {"region"};
  o.curve_points = 3;
  o.policy.mode = disclosure::Mode::kSuppressedExact;
  // Region X has 4 events in all: its target (and so every limit) would give them away.
  const std::string csv = "region,unit,numerator,denominator\nX,a,0,900\nX,b,4,1100\nY,c,40,1000\nY,d,60,1000\n";
  const TableResult r = run(csv, o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "target"), "[c]");
  EXPECT_EQ(out.cell(0, "value"), "0");
  EXPECT_EQ(out.cell(0, "upper_95"), "[c]");
  EXPECT_EQ(out.cell(0, "significance"), "[c]");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(1, "numerator"), "[c]");
  EXPECT_EQ(out.cell(1, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(2, "target"), "5000");
  EXPECT_NE(out.cell(2, "upper_95"), "");
  const CsvTable curve = CsvTable::parse(r.curve, "curve.csv");
  ASSERT_EQ(curve.rows(), 6u);
  EXPECT_EQ(curve.cell(0, "region"), "X");
  EXPECT_EQ(curve.cell(0, "target"), "[c]");
  EXPECT_EQ(curve.cell(0, "lower_95"), "[c]");
  EXPECT_EQ(curve.cell(0, "disclosure"), "target withheld");
  EXPECT_EQ(curve.cell(3, "region"), "Y");
  EXPECT_EQ(curve.cell(3, "target"), "5000");
  EXPECT_EQ(curve.cell(3, "disclosure"), "");
  EXPECT_NE(r.curve_metadata.find("\"targets_withheld\": 1"), std::string::npos) << r.curve_metadata;

  o.policy.mode = disclosure::Mode::kRounded;
  const TableResult rounded = run(csv, o);
  const CsvTable ro = out_of(rounded);
  EXPECT_EQ(ro.cell(0, "target"), "0");  // unit a's published 0 of 900: b is withheld and not pooled
  EXPECT_EQ(ro.cell(0, "disclosure"), "");
  EXPECT_EQ(ro.cell(1, "disclosure"), "withheld");
  // The curve spans the published units' denominators only: b's 1100 sets no end of it.
  const CsvTable rc = CsvTable::parse(rounded.curve, "curve.csv");
  for (std::size_t i = 0; i < rc.rows(); ++i)
    if (rc.cell(i, "region") == "X") {
      EXPECT_LE(number(rc.cell(i, "denominator")), 1000) << rounded.curve;
    }

  // A DSR of 6 events: its rate column and derived population would give the events back.
  TableOptions d;
  d.method = TableMethod::kFunnelRate;
  d.rate = "dsr";
  const CsvTable dsr = out_of(run("unit,numerator,dsr\na,6,30.5\nb,403,210\nc,500,190\n", d));
  EXPECT_EQ(dsr.cell(0, "numerator"), "[c]");
  EXPECT_EQ(dsr.cell(0, "dsr"), "[c]");
  EXPECT_EQ(dsr.cell(0, "population"), "[c]");
  EXPECT_EQ(dsr.cell(0, "value"), "[c]");
  EXPECT_EQ(dsr.cell(1, "numerator"), "405");
  EXPECT_EQ(dsr.cell(1, "dsr"), "210");
  // The population is derived from the published events.
  EXPECT_DOUBLE_EQ(number(dsr.cell(1, "population")), 1e5 * 405 / 210);
}

TEST(FunnelTable, SwitchingControlOffIsRecorded) {
  TableOptions o;
  o.method = TableMethod::kFunnelRatio;
  o.disclosure_control = false;
  const TableResult r = run("observed,expected\n3,4.5\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "observed"), "3");
  EXPECT_DOUBLE_EQ(number(out.cell(0, "value")), 3 / 4.5);
  EXPECT_EQ(out.cell(0, "disclosure"), "");
  EXPECT_NE(r.metadata.find("\"disclosure\": {\"applied\": false, \"reason\": \"switched off by "
                            "--no-disclosure-control"),
            std::string::npos)
      << r.metadata;
  EXPECT_EQ(r.metadata.find("secondary_suppression"), std::string::npos);
}

TEST(FunnelTable, ErrorsNameTheProblem) {
  TableOptions p;
  p.method = TableMethod::kFunnelProportion;
  EXPECT_EQ(error_of("numerator,denominator\n5,10\n11,10\n", p),
            "in.csv:3: field 'numerator': must not exceed the denominator (11 > 10)");
  EXPECT_EQ(error_of("numerator,denominator,target\n5,10,1\n", p),
            "in.csv:1: field 'target': the output adds a column of this name; rename it");
  EXPECT_EQ(error_of("events,denominator\n5,10\n", p), "in.csv:1: no column 'numerator' in the header (name it with "
                                                       "--numerator)");
  p.target = 1.5;
  EXPECT_EQ(error_of("numerator,denominator\n5,10\n", p),
            "--target: must be a number from 0 to 1 (a proportion times --multiplier), not 1.5");
  TableOptions d;
  d.method = TableMethod::kFunnelRate;
  d.rate = "dsr";
  EXPECT_EQ(error_of("numerator,dsr\n50,0\n", d),
            "in.csv:2: field 'dsr': must be above 0 where there are events (a DSR's population is multiplier x "
            "events / rate)");
  TableOptions q;
  q.curve_points = 10;
  EXPECT_EQ(error_of("numerator,denominator\n5,10\n", q), "--curve: only the funnel methods draw a curve");
  q.method = TableMethod::kFunnelProportion;
  q.curve_points = 1;
  EXPECT_EQ(error_of("numerator,denominator\n5,10\n", q), "--curve-points: a curve needs at least 2 points, not 1");
}

}  // namespace
}  // namespace severn::stats
