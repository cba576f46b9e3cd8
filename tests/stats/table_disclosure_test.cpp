// Disclosure control of `severn stats` output (docs/disclosure.md): on by default for every method,
// counts redacted or rounded, values and limits from the exact counts but withheld beside a
// redacted one, and the policy (or its switch-off) recorded in the metadata.
#include <gtest/gtest.h>

#include <string>

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
  EXPECT_EQ(out.cell(0, "numerator"), "");
  EXPECT_EQ(out.cell(0, "denominator"), "20");
  EXPECT_EQ(out.cell(0, "value"), "");
  EXPECT_EQ(out.cell(0, "lowercl"), "");
  EXPECT_EQ(out.cell(0, "confidence"), "0.95");
  EXPECT_EQ(out.cell(0, "method"), "Wilson");
  EXPECT_EQ(out.cell(0, "disclosure"), "numerator 1-7 redacted");
  EXPECT_EQ(out.cell(1, "disclosure"), "numerator 1-7 redacted");
  // 8 is above the range: published, rounded to 10; the value comes from the exact 8 of 22.
  EXPECT_EQ(out.cell(2, "numerator"), "10");
  EXPECT_EQ(out.cell(2, "denominator"), "20");
  EXPECT_DOUBLE_EQ(number(out.cell(2, "value")), 8.0 / 22);
  EXPECT_DOUBLE_EQ(number(out.cell(2, "lowercl")), proportion(8, 22, 0.95).lower);
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
  EXPECT_EQ(out.cell(0, "numerator"), "");  // 3 + 4 = 7
  EXPECT_EQ(out.cell(0, "denominator"), "1200");
  EXPECT_EQ(out.cell(0, "disclosure"), "numerator 1-7 redacted");
  EXPECT_EQ(out.cell(1, "numerator"), "");
  EXPECT_EQ(out.cell(1, "denominator"), "");
  EXPECT_EQ(out.cell(1, "disclosure"), "numerator, denominator 1-7 redacted");
}

TEST(StatsDisclosure, ThePolicyIsConfigurable) {
  TableOptions o;
  o.policy.redact_max = 10;
  o.policy.round_to = 10;
  o.policy.midpoint = true;
  const TableResult r = run("numerator,denominator\n10,57\n11,250\n", o);
  const CsvTable out = out_of(r);
  EXPECT_EQ(out.cell(0, "numerator"), "");
  EXPECT_EQ(out.cell(0, "denominator"), "55");  // the middle of 50-59
  EXPECT_EQ(out.cell(1, "numerator"), "15");
  EXPECT_EQ(out.cell(1, "denominator"), "255");
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
  EXPECT_EQ(out.cell(0, "numerator"), "");
  EXPECT_EQ(out.cell(0, "denominator"), "1000");
  EXPECT_EQ(out.cell(1, "numerator"), "10");  // 7.6 is 8 people's worth: published, rounded
  EXPECT_EQ(out.cell(1, "denominator"), "2005");
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
  EXPECT_EQ(out.cell(0, "value_count"), "");
  EXPECT_EQ(out.cell(0, "value_sum"), "");
  EXPECT_EQ(out.cell(0, "stdev"), "");
  EXPECT_EQ(out.cell(0, "value"), "");
  EXPECT_EQ(out.cell(0, "disclosure"), "count of values 1-7 redacted");
  EXPECT_EQ(out.cell(1, "value_count"), "10");
  EXPECT_DOUBLE_EQ(number(out.cell(1, "value")), 135.5);  // the exact mean of all 12
  EXPECT_NE(r.metadata.find("\"count_columns\": [\"value_count\"]"), std::string::npos);
}

TEST(StatsDisclosure, DsrTotalsAndIsrObservedEvents) {
  TableOptions d;
  d.method = TableMethod::kDsr;
  d.stdpop = "weight";
  d.by = {"area"};
  const CsvTable dsr = out_of(run("area,count,population,weight\nA,30,3,5000\nA,40,4,5000\nB,30,3000,5000\nB,42,4000,5000\n", d));
  EXPECT_EQ(dsr.cell(0, "total_count"), "70");
  EXPECT_EQ(dsr.cell(0, "total_pop"), "");
  EXPECT_EQ(dsr.cell(0, "value"), "");
  EXPECT_EQ(dsr.cell(0, "disclosure"), "total population 1-7 redacted");
  EXPECT_EQ(dsr.cell(1, "total_count"), "70");  // 72, rounded
  EXPECT_EQ(dsr.cell(1, "total_pop"), "7000");
  EXPECT_NE(dsr.cell(1, "value"), "");

  TableOptions i;
  i.method = TableMethod::kIsrRatio;
  i.by = {"area"};
  const CsvTable isr = out_of(run("area,count,population,ref_count,ref_population\nA,5,1000,50,10000\nB,52,9000,50,10000\n", i));
  EXPECT_EQ(isr.cell(0, "observed"), "");
  EXPECT_EQ(isr.cell(0, "expected"), "5");  // an expectation, not a count of anyone: as computed
  EXPECT_EQ(isr.cell(0, "value"), "");
  EXPECT_EQ(isr.cell(0, "disclosure"), "observed 1-7 redacted");
  EXPECT_EQ(isr.cell(1, "observed"), "50");
  EXPECT_EQ(isr.cell(1, "expected"), "45");
  EXPECT_DOUBLE_EQ(number(isr.cell(1, "value")), 52.0 / 45);
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
  EXPECT_EQ(out.cell(0, "sii"), "");
  EXPECT_EQ(out.cell(0, "rii_uppercl"), "");
  EXPECT_EQ(out.cell(0, "quantiles"), "5");
  EXPECT_EQ(out.cell(0, "disclosure"), "a quantile's population is 1-7");
  EXPECT_NE(out.cell(1, "sii"), "");
  EXPECT_EQ(out.cell(1, "disclosure"), "");
  EXPECT_EQ(r.rows_withheld, 1u);
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
