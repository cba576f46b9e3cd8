// Disclosure control of `severn stats` output (docs/disclosure.md): on by default for every method,
// counts redacted (written as the neutral marker "[c]") or rounded; under the rounded policy (the
// default) values and limits from the published counts, under suppressed-exact from the exact
// ones; withheld beside a redacted count; the policy (or its switch-off) recorded in the metadata.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/error.h"
#include "stats/stats.h"
#include "stats/table.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::number;

TableResult run(const std::string& csv, const TableOptions& o) {
  return run_table(CsvTable::parse(csv, "in.csv"), o, "out.csv");
}
CsvTable out_of(const TableResult& r) { return CsvTable::parse(r.csv, "out.csv"); }

TEST(StatsDisclosure, ProportionsByDefault) {
  TableOptions o;
  o.confidence = {0.95, 0.998};
  const TableResult r = run("practice,numerator,denominator\nP1,7,20\nP2,8,22\nP3,12,403\nP4,0,0\n", o);
  const CsvTable out = out_of(r);
  ASSERT_EQ(out.rows(), 8u);  // two confidence levels per row
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");
  EXPECT_EQ(out.cell(0, "denominator"), "20");
  EXPECT_EQ(out.cell(0, "value"), "[c]");
  EXPECT_EQ(out.cell(0, "lowercl"), "[c]");
  EXPECT_EQ(out.cell(0, "uppercl"), "[c]");
  EXPECT_EQ(out.cell(0, "confidence"), "0.95");
  EXPECT_EQ(out.cell(0, "method"), "Wilson");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");  // never why, nor which count
  EXPECT_EQ(out.cell(1, "disclosure"), "withheld");
  // 8 is above the range: published, rounded to 10; the value comes from the published 10 of 20.
  EXPECT_EQ(out.cell(2, "numerator"), "10");
  EXPECT_EQ(out.cell(2, "denominator"), "20");
  EXPECT_DOUBLE_EQ(number(out.cell(2, "value")), 10.0 / 20);
  EXPECT_DOUBLE_EQ(number(out.cell(2, "lowercl")), proportion(10, 20, 0.95).lower);
  EXPECT_EQ(out.cell(2, "disclosure"), "");
  EXPECT_EQ(out.cell(4, "numerator"), "10");
  EXPECT_EQ(out.cell(4, "denominator"), "405");
  // Zeros are published; a denominator of 0 gives no value, but nothing is withheld.
  EXPECT_EQ(out.cell(6, "numerator"), "0");
  EXPECT_EQ(out.cell(6, "denominator"), "0");
  EXPECT_EQ(out.cell(6, "disclosure"), "");
  EXPECT_EQ(r.rows_withheld, 2u);
  EXPECT_EQ(r.counts_redacted, 1u);  // each count once, whatever the confidence levels
  EXPECT_NE(r.metadata.find("\"method\": \"proportion\""), std::string::npos) << r.metadata;
  EXPECT_NE(r.metadata.find("\"counts_published_rounded\": 7"), std::string::npos) << r.metadata;
}

TEST(StatsDisclosure, GroupSumsAreControlledAfterSumming) {
  TableOptions o;
  o.method = TableMethod::kRate;
  o.by = {"pcn"};
  const CsvTable out = out_of(run("pcn,numerator,denominator\nA,3,500\nA,4,700\nB,2,3\nB,2,4\n", o));
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");  // 3 + 4 = 7
  EXPECT_EQ(out.cell(0, "denominator"), "1200");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(1, "numerator"), "[c]");
  EXPECT_EQ(out.cell(1, "denominator"), "[c]");
  EXPECT_EQ(out.cell(1, "disclosure"), "withheld");  // the same word however many counts are withheld
}

TEST(StatsDisclosure, ThePolicyIsConfigurable) {
  TableOptions o;
  o.policy.redact_max = 10;
  o.policy.round_to = 10;
  o.policy.midpoint = true;
  const TableResult r = run("numerator,denominator\n10,57\n11,250\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");
  EXPECT_EQ(out.cell(0, "denominator"), "55");  // the middle of 50-59
  EXPECT_EQ(out.cell(1, "numerator"), "15");
  EXPECT_EQ(out.cell(1, "denominator"), "255");
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), 15.0 / 255);  // from the published midpoints
  EXPECT_NE(r.metadata.find("\"redact_max\": 10, \"round_to\": 10, \"rounding\": \"midpoint\""), std::string::npos)
      << r.metadata;
  o.policy.round_to = 0;
  EXPECT_THROW(run("numerator,denominator\n10,57\n", o), InputError);
}

// Weighted counts are made whole before the policy: above 0 and below 1 is someone.
TEST(StatsDisclosure, NonIntegerCountsAreMadeWholeFirst) {
  TableOptions o;
  o.method = TableMethod::kRate;
  const CsvTable out = out_of(run("numerator,denominator\n0.4,1000.2\n7.6,2003.7\n", o));
  EXPECT_EQ(out.cell(0, "numerator"), "[c]");
  EXPECT_EQ(out.cell(0, "denominator"), "1000");
  EXPECT_EQ(out.cell(1, "numerator"), "10");  // 7.6 is 8 people's worth: published, rounded
  EXPECT_EQ(out.cell(1, "denominator"), "2005");
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), crude_rate(10, 2005, 0.95).value);
}

TEST(StatsDisclosure, MeansWithholdWithTheirCount) {
  TableOptions o;
  o.method = TableMethod::kMean;
  o.by = {"ward"};
  std::string csv = "ward,value\n";
  for (int i = 0; i < 5; ++i) csv += "W1," + std::to_string(140 + i) + "\n";
  for (int i = 0; i < 12; ++i) csv += "W2," + std::to_string(130 + i) + "\n";
  const TableResult r = run(csv, o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "value_count"), "[c]");
  EXPECT_EQ(out.cell(0, "value_sum"), "[c]");
  EXPECT_EQ(out.cell(0, "stdev"), "[c]");
  EXPECT_EQ(out.cell(0, "value"), "[c]");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(out.cell(1, "value_count"), "10");
  // The mean is not derived from the count alone: the exact mean of all 12 values. The sum and the
  // limits are taken at the published count, so that neither gives the exact 12 back.
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), 135.5);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value_sum")), 1355);
  std::vector<double> w2;
  for (int i = 0; i < 12; ++i) w2.push_back(130 + i);
  const MeanEstimate exact = mean(w2, 0.95);
  EXPECT_DOUBLE_EQ(number(out.cell(1, "stdev")), exact.sd);
  const double half = number(out.cell(1, "uppercl")) - 135.5;
  EXPECT_NEAR(half, 2.262157162740992 * exact.sd / std::sqrt(10.0), 1e-9);  // t(0.975, 9 df)
  EXPECT_NE(r.metadata.find("\"values_from\": \"published counts\""), std::string::npos);
  EXPECT_NE(r.metadata.find("\"count_columns\": [\"value_count\"]"), std::string::npos);
}

TEST(StatsDisclosure, DsrTotalsAndIsrObservedEvents) {
  TableOptions d;
  d.method = TableMethod::kDsr;
  d.stdpop = "weight";
  d.by = {"area"};
  const CsvTable dsr = out_of(run("area,count,population,weight\nA,30,3,5000\nA,40,4,5000\nB,30,3000,5000\nB,42,4000,5000\n", d));
  EXPECT_EQ(dsr.cell(0, "total_count"), "70");
  EXPECT_EQ(dsr.cell(0, "total_pop"), "[c]");
  EXPECT_EQ(dsr.cell(0, "value"), "[c]");
  EXPECT_EQ(dsr.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(dsr.cell(1, "total_count"), "70");  // 72, rounded
  EXPECT_EQ(dsr.cell(1, "total_pop"), "7000");
  // Each band rounded before the DSR: 30 of 3000 and 40 of 4000 (42 rounded).
  const std::vector<DsrBand> rounded_bands{{30, 3000, 5000}, {40, 4000, 5000}};
  EXPECT_DOUBLE_EQ(number(dsr.cell(1, "value")), stats::dsr(rounded_bands, 0.95).value);
  EXPECT_DOUBLE_EQ(number(dsr.cell(1, "lowercl")), stats::dsr(rounded_bands, 0.95).lower);

  TableOptions i;
  i.method = TableMethod::kIsrRatio;
  i.by = {"area"};
  const CsvTable isr = out_of(run("area,count,population,ref_count,ref_population\nA,5,1000,50,10000\nB,52,9000,50,10000\n", i));
  EXPECT_EQ(isr.cell(0, "observed"), "[c]");
  EXPECT_EQ(isr.cell(0, "expected"), "5");  // an expectation, not a count of anyone: as computed
  EXPECT_EQ(isr.cell(0, "value"), "[c]");
  EXPECT_EQ(isr.cell(0, "disclosure"), "withheld");
  EXPECT_EQ(isr.cell(1, "observed"), "50");
  EXPECT_EQ(isr.cell(1, "expected"), "45");
  EXPECT_DOUBLE_EQ(number(isr.cell(1, "value")), 50.0 / 45);  // the published 50, not the exact 52
  EXPECT_DOUBLE_EQ(number(isr.cell(1, "lowercl")), isr_ratio(50, 45, 0.95).lower);
}

TEST(StatsDisclosure, SiiOfASmallQuantileIsWithheld) {
  TableOptions o;
  o.method = TableMethod::kSii;
  o.by = {"area"};
  o.repetitions = 1000;
  std::string csv = "area,quantile,population,value,se\n";
  for (int q = 1; q <= 5; ++q) {
    csv += "A," + std::to_string(q) + "," + (q == 3 ? "6" : "1000") + "," + std::to_string(10 + q) + ",1\n";
    csv += "B," + std::to_string(q) + ",1000," + std::to_string(10 + q) + ",1\n";
  }
  const TableResult r = run(csv, o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "sii"), "[c]");
  EXPECT_EQ(out.cell(0, "rii_uppercl"), "[c]");
  EXPECT_EQ(out.cell(0, "intercept"), "[c]");
  EXPECT_EQ(out.cell(0, "quantiles"), "5");
  EXPECT_EQ(out.cell(0, "disclosure"), "withheld");
  EXPECT_NE(out.cell(1, "sii"), "");
  EXPECT_EQ(out.cell(1, "disclosure"), "");
  EXPECT_EQ(r.rows_withheld, 1u);
}

// Under the rounded policy a proportion is that of its published counts: 13 of 37 is published as
// 15 of 35, and its value and Wilson limits are those of 15/35. Under suppressed-exact the counts
// are exact and so are the figures.
TEST(StatsDisclosure, RoundedPolicyComputesFromThePublishedCounts) {
  TableOptions o;
  const TableResult r = run("numerator,denominator\n13,37\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "numerator"), "15");
  EXPECT_EQ(out.cell(0, "denominator"), "35");
  const Estimate published = proportion(15, 35, 0.95);
  EXPECT_EQ(number(out.cell(0, "value")), published.value);
  EXPECT_EQ(number(out.cell(0, "lowercl")), published.lower);
  EXPECT_EQ(number(out.cell(0, "uppercl")), published.upper);
  EXPECT_NE(r.metadata.find("\"values_from\": \"published counts\""), std::string::npos) << r.metadata;
  EXPECT_NE(r.metadata.find("\"mode\": \"rounded\""), std::string::npos) << r.metadata;

  o.policy.mode = disclosure::Mode::kSuppressedExact;
  const TableResult e = run("numerator,denominator\n13,37\n3,37\n", o);
  const CsvTable exact = out_of(e);
  EXPECT_EQ(exact.cell(0, "numerator"), "13");
  EXPECT_EQ(exact.cell(0, "denominator"), "37");
  const Estimate from_exact = proportion(13, 37, 0.95);
  EXPECT_EQ(number(exact.cell(0, "value")), from_exact.value);
  EXPECT_EQ(number(exact.cell(0, "lowercl")), from_exact.lower);
  EXPECT_EQ(number(exact.cell(0, "uppercl")), from_exact.upper);
  EXPECT_EQ(exact.cell(1, "numerator"), "[c]");  // still withheld, with the same neutral marker
  EXPECT_EQ(exact.cell(1, "value"), "[c]");
  EXPECT_EQ(exact.cell(1, "disclosure"), "withheld");
  EXPECT_NE(e.metadata.find("\"values_from\": \"exact counts\""), std::string::npos) << e.metadata;

  o.disclosure_control = false;
  EXPECT_NE(run("numerator,denominator\n13,37\n", o).metadata.find("\"values_from\": \"exact counts\""),
            std::string::npos);
}

// Rates, DSR, ISR and SII follow the same rule; a custom rounding base is honoured.
TEST(StatsDisclosure, RoundedPolicyRatesAndRatiosUseThePublishedCounts) {
  TableOptions o;
  o.method = TableMethod::kRate;
  o.policy.round_to = 10;
  const CsvTable rate = out_of(run("numerator,denominator\n14,1234\n", o));
  EXPECT_EQ(rate.cell(0, "numerator"), "10");
  EXPECT_EQ(rate.cell(0, "denominator"), "1230");
  EXPECT_EQ(number(rate.cell(0, "value")), crude_rate(10, 1230, 0.95).value);
  EXPECT_EQ(number(rate.cell(0, "uppercl")), crude_rate(10, 1230, 0.95).upper);
  o.policy.mode = disclosure::Mode::kSuppressedExact;
  const CsvTable exact = out_of(run("numerator,denominator\n14,1234\n", o));
  EXPECT_EQ(exact.cell(0, "numerator"), "14");
  EXPECT_EQ(number(exact.cell(0, "value")), crude_rate(14, 1234, 0.95).value);
}

// The value carries no more information than the counts beside it: in random tables (many counts
// small), every published value and limit is recomputed from the published counts alone and must
// be equal; every row with a withheld count shows the marker in every figure and says "withheld".
TEST(StatsDisclosure, EveryPublishedFigureFollowsFromThePublishedCounts) {
  std::mt19937_64 rng(20240614);
  for (int trial = 0; trial < 40; ++trial) {
    const bool rate = trial % 2 == 1;
    TableOptions o;
    o.method = rate ? TableMethod::kRate : TableMethod::kProportion;
    o.confidence = {0.95, 0.998};
    o.policy.midpoint = trial % 4 >= 2;
    o.policy.round_to = trial % 3 == 0 ? 10 : 5;
    std::string csv = "unit,numerator,denominator\n";
    const int rows = 20;
    for (int i = 0; i < rows; ++i) {
      const long long n = std::uniform_int_distribution<long long>(0, trial % 5 == 0 ? 40 : 600)(rng);
      const long long x = std::uniform_int_distribution<long long>(0, std::min<long long>(n, 30))(rng);
      csv += "U" + std::to_string(i) + "," + std::to_string(x) + "," + std::to_string(n) + "\n";
    }
    const CsvTable out = out_of(run(csv, o));
    ASSERT_EQ(out.rows(), static_cast<std::size_t>(rows) * 2);
    for (std::size_t r = 0; r < out.rows(); ++r) {
      const std::string& xs = out.cell(r, "numerator");
      const std::string& ns = out.cell(r, "denominator");
      SCOPED_TRACE(csv + "row " + std::to_string(r));
      if (xs == "[c]" || ns == "[c]") {
        for (const char* c : {"value", "lowercl", "uppercl"}) EXPECT_EQ(out.cell(r, c), "[c]");
        EXPECT_EQ(out.cell(r, "disclosure"), "withheld");
        continue;
      }
      EXPECT_EQ(out.cell(r, "disclosure"), "");
      const double x = number(xs), n = number(ns), conf = number(out.cell(r, "confidence"));
      const Estimate e = rate ? crude_rate(x, n, conf) : proportion(x, n, conf);
      const auto same = [&](const char* column, double v) {
        if (std::isnan(v))
          EXPECT_EQ(out.cell(r, column), "") << column;
        else
          EXPECT_EQ(number(out.cell(r, column)), v) << column;
      };
      same("value", e.value);
      same("lowercl", e.lower);
      same("uppercl", e.upper);
    }
  }
}

TEST(StatsDisclosure, SwitchedOffOnlyExplicitlyAndRecorded) {
  TableOptions o;
  EXPECT_TRUE(o.disclosure_control);  // the default
  o.disclosure_control = false;
  const TableResult r = run("numerator,denominator\n3,9\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "numerator"), "3");
  EXPECT_EQ(out.cell(0, "denominator"), "9");
  EXPECT_DOUBLE_EQ(number(out.cell(0, "value")), 3.0 / 9);
  EXPECT_NE(r.metadata.find("\"disclosure\": {\"applied\": false"), std::string::npos) << r.metadata;
  EXPECT_NE(r.metadata.find("\"counts_redacted\": 0"), std::string::npos);
}

TEST(StatsDisclosure, InputColumnNamedDisclosureIsRefused) {
  TableOptions o;
  try {
    run("numerator,denominator,disclosure\n3,9,x\n", o);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "in.csv:1: field 'disclosure': the output adds a column of this name; rename it or use --by");
  }
}

}  // namespace
}  // namespace severn::stats
