// `severn stats funnel-proportion|funnel-rate|funnel-ratio` as tables: PHEindicatormethods' funnel
// inputs (funnel_vectors.h) through the command's pooling, derived populations and curve, then its
// disclosure control and its errors.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
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

// Disclosure control, on by default: counts of 1-7 redacted, the rest rounded to 5; values, limits
// and significance computed from the exact counts but withheld beside a redacted one.
TEST(FunnelTable, DisclosureControlRedactsRoundsAndWithholds) {
  TableOptions o;
  o.method = TableMethod::kFunnelProportion;
  const std::string csv = "unit,numerator,denominator\nA,3,40\nB,122,403\nC,0,6\nD,600,1500\n";
  const TableResult r = run(csv, o);
  const CsvTable out = out_of(r);
  ASSERT_EQ(out.rows(), 4u);
  EXPECT_EQ(out.cell(0, "numerator"), "");
  EXPECT_EQ(out.cell(0, "denominator"), "40");
  EXPECT_EQ(out.cell(0, "value"), "");
  EXPECT_EQ(out.cell(0, "lower_95"), "");
  EXPECT_EQ(out.cell(0, "significance"), "");
  EXPECT_EQ(out.cell(0, "disclosure"), "numerator 1-7 redacted");
  EXPECT_EQ(out.cell(1, "numerator"), "120");
  EXPECT_EQ(out.cell(1, "denominator"), "405");
  const double target = (3.0 + 122 + 0 + 600) / (40 + 403 + 6 + 1500);  // from the exact counts
  EXPECT_DOUBLE_EQ(number(out.cell(1, "target")), target);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), 122.0 / 403);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "lower_95")), funnel_proportion_limits(target, 403, 0.95).lower);
  EXPECT_EQ(out.cell(1, "disclosure"), "");
  EXPECT_EQ(out.cell(2, "numerator"), "0");  // a true zero is published
  EXPECT_EQ(out.cell(2, "denominator"), "");
  EXPECT_EQ(out.cell(2, "disclosure"), "denominator 1-7 redacted");
  EXPECT_EQ(r.rows_withheld, 2u);
  EXPECT_EQ(r.counts_redacted, 2u);
  EXPECT_NE(r.metadata.find("\"disclosure\": {\"applied\": true, \"policy\": {\"redact_min\": 1, \"redact_max\": 7, "
                            "\"round_to\": 5, \"rounding\": \"nearest\", \"secondary_suppression\": false"),
            std::string::npos)
      << r.metadata;
  EXPECT_NE(r.metadata.find("\"count_columns\": [\"numerator\", \"denominator\"]"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"counts_redacted\": 2"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"rows_withheld\": 2"), std::string::npos);
  EXPECT_NE(r.metadata.find("\"secondary_suppression\": \"not applied"), std::string::npos);
}

TEST(FunnelTable, APooledTargetFromSmallCountsIsWithheldAndADsrKeepsItsEvents) {
  TableOptions o;
  o.method = TableMethod::kFunnelRate;
  o.by = {"region"};
  o.curve_points = 3;
  // Region X has 4 events in all: its target (and so every limit) would give them away.
  const TableResult r = run("region,unit,numerator,denominator\nX,a,0,900\nX,b,4,1100\nY,c,40,1000\nY,d,60,1000\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "target"), "");
  EXPECT_EQ(out.cell(0, "value"), "0");
  EXPECT_EQ(out.cell(0, "upper_95"), "");
  EXPECT_EQ(out.cell(0, "disclosure"), "target withheld: pooled numerator 1-7 redacted");
  EXPECT_EQ(out.cell(1, "disclosure"), "numerator 1-7 redacted; target withheld: pooled numerator 1-7 redacted");
  EXPECT_EQ(out.cell(2, "target"), "5000");
  EXPECT_NE(out.cell(2, "upper_95"), "");
  const CsvTable curve = CsvTable::parse(r.curve, "curve.csv");
  ASSERT_EQ(curve.rows(), 6u);
  EXPECT_EQ(curve.cell(0, "region"), "X");
  EXPECT_EQ(curve.cell(0, "target"), "");
  EXPECT_EQ(curve.cell(0, "lower_95"), "");
  EXPECT_EQ(curve.cell(3, "region"), "Y");
  EXPECT_EQ(curve.cell(3, "target"), "5000");
  EXPECT_NE(r.curve_metadata.find("\"targets_withheld\": 1"), std::string::npos) << r.curve_metadata;

  // A DSR of 6 events: its rate column and derived population would give the events back.
  TableOptions d;
  d.method = TableMethod::kFunnelRate;
  d.rate = "dsr";
  const CsvTable dsr = out_of(run("unit,numerator,dsr\na,6,30.5\nb,400,210\nc,500,190\n", d));
  EXPECT_EQ(dsr.cell(0, "numerator"), "");
  EXPECT_EQ(dsr.cell(0, "dsr"), "");
  EXPECT_EQ(dsr.cell(0, "population"), "");
  EXPECT_EQ(dsr.cell(0, "value"), "");
  EXPECT_EQ(dsr.cell(1, "dsr"), "210");
  EXPECT_DOUBLE_EQ(number(dsr.cell(1, "population")), 1e5 * 400 / 210);
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
