// The measures stage on counts built by hand: disclosure control decides the values, not only the
// CSV text; every derived figure is computed from the published counts; the CSV writers print the
// values as they are. (The golden tests of tests/engine, tests/library, tests/report and tests/cli
// check that the files are byte for byte what they were before the stage moved out of the engine.)
#include <gtest/gtest.h>

#include <string>

#include "core/date.h"
#include "lang/parser.h"
#include "measures/csv_writers.h"
#include "measures/publish.h"
#include "stats/stats.h"

namespace severn::measures {
namespace {

constexpr const char* kDefinition = R"SEV(# title: Hand-made counts
population true

# Share with a check.
# Per cent.
measure checked
  numerator   true
  denominator true
  by pcn, imd_decile
  stats proportion per 100, sii by imd_decile
  intervals 2025-01-01 to 2025-01-31
)SEV";

engine::Cell cell(std::uint64_t numerator, std::uint64_t denominator) {
  engine::Cell c;
  c.numerator = numerator;
  c.denominator = denominator;
  return c;
}

class PublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    definition_ = lang::parse(file_);
    counts_.definition = &definition_;
    counts_.intervals = {{{*parse_iso_date("2025-01-01"), *parse_iso_date("2025-01-31")}}};
    counts_.breakdowns = {{"pcn", "imd_decile"}};
    counts_.numerator_meaning = {"checked numerator"};
    counts_.denominator_meaning = {"checked denominator"};
    engine::MeasureTable t;
    t.by.resize(2);
    // PCN A is small in its numerator (3: withheld); B holds the rest.
    t.by[0]["A"] = cell(3, 48);
    t.by[0]["B"] = cell(209, 452);
    // Ten deciles of 50 people: 20, 21, ... checked (decile 10 has 29).
    std::uint64_t numerator = 0, denominator = 0;
    for (int d = 1; d <= 10; ++d) {
      t.by[1][std::to_string(d)] = cell(static_cast<std::uint64_t>(19 + d), 50);
      numerator += static_cast<std::uint64_t>(19 + d);
      denominator += 50;
    }
    t.all = cell(numerator, denominator);  // 245 of 500 (not 212 of 500: deciles add up)
    t.by[0]["B"] = cell(numerator - 3, denominator - 48);
    counts_.tables = {{t}};
  }

  ReleaseValues publish_with(bool control) {
    DefinitionCounts in;
    in.label = "hand";
    in.counts = &counts_;
    in.statistics.sii_repetitions = 1000;
    PublishOptions o;
    o.disclosure_control = control;
    return publish({in}, o);
  }

  lang::SourceFile file_{"hand.sev", kDefinition};
  lang::Definition definition_;
  engine::MeasureResults counts_;
};

const MeasureRow& row_of(const MeasureValues& m, const std::string& breakdown, const std::string& group) {
  for (const auto& r : m.rows)
    if (r.breakdown == breakdown && r.group == group) return r;
  throw std::runtime_error("no row " + breakdown + " " + group);
}

TEST_F(PublishTest, AWithheldCellIsWithheldInTheValues) {
  const ReleaseValues release = publish_with(true);
  ASSERT_EQ(release.definitions.size(), 1u);
  const DefinitionValues& d = release.definitions[0];
  ASSERT_EQ(d.measures.size(), 1u);
  const MeasureValues& m = d.measures[0];
  EXPECT_EQ(m.name, "checked");
  EXPECT_EQ(m.statistic, "proportion per 100");
  EXPECT_EQ(m.confidence, "95%");
  const MeasureRow& a = row_of(m, "pcn", "A");
  EXPECT_TRUE(a.numerator.withheld());
  EXPECT_EQ(a.numerator.reason, disclosure::Reason::kSmall);
  EXPECT_EQ(a.numerator.shown, 0);  // no number travels with a withheld count
  EXPECT_TRUE(a.withheld);
  EXPECT_TRUE(std::isnan(a.value) && std::isnan(a.lower) && std::isnan(a.upper));
  EXPECT_EQ(a.method, stats::Method::kNone);
  EXPECT_EQ(a.note, "");  // a withheld cell says only that it is withheld
  EXPECT_GE(d.withheld.numerator_small, 1u);
  EXPECT_GE(d.withheld.values_withheld, 1u);
  // Its funnel point is withheld too, value and limits.
  bool found = false;
  for (const auto& f : m.funnels)
    if (f.breakdown == "pcn" && f.group == "A") {
      found = true;
      EXPECT_TRUE(f.value_withheld);
      EXPECT_TRUE(f.limits_withheld);
      EXPECT_TRUE(std::isnan(f.value) && std::isnan(f.target));
    }
  EXPECT_TRUE(found);
  // And the CSV shows the one neutral marker there.
  const std::string csv = measures_csv(d);
  EXPECT_NE(csv.find("checked,2025-01-01,2025-01-31,pcn,A,[c],"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("small"), std::string::npos);
  EXPECT_GT(release.audit.cells, 0u);
}

TEST_F(PublishTest, DerivedFiguresComeFromThePublishedCounts) {
  const ReleaseValues release = publish_with(true);
  const MeasureValues& m = release.definitions[0].measures[0];
  const MeasureRow& all = row_of(m, "all", "all");
  ASSERT_FALSE(all.withheld);
  EXPECT_EQ(all.numerator.shown, 245);  // 245 and 500 are already multiples of 5
  EXPECT_EQ(all.denominator.shown, 500);
  const MeasureRow& d1 = row_of(m, "imd_decile", "1");
  ASSERT_FALSE(d1.withheld);
  EXPECT_EQ(d1.numerator.shown, 20);  // exact 20
  const MeasureRow& d2 = row_of(m, "imd_decile", "2");
  ASSERT_FALSE(d2.withheld);
  EXPECT_EQ(d2.numerator.shown, 20);  // exact 21, published rounded to 20 ...
  const stats::Estimate published = stats::proportion(20, 50, 0.95, 100);
  EXPECT_DOUBLE_EQ(d2.value, published.value);  // ... and the value is 20 of 50, not 21 of 50
  EXPECT_DOUBLE_EQ(d2.lower, published.lower);
  EXPECT_DOUBLE_EQ(d2.upper, published.upper);
  EXPECT_EQ(d2.method, stats::Method::kWilson);
  // Funnel limits are drawn at the published denominator around the published overall value.
  for (const auto& f : m.funnels)
    if (f.breakdown == "imd_decile" && f.group == "2") {
      ASSERT_FALSE(f.limits_withheld);
      EXPECT_DOUBLE_EQ(f.target, stats::proportion(245, 500, 0.95, 100).value);
      EXPECT_FALSE(f.significance.empty());
    }
  // The SII is computed from the deciles as published.
  ASSERT_EQ(m.inequality.size(), 2u);
  EXPECT_EQ(m.inequality[0].index, InequalityIndex::kSii);
  EXPECT_EQ(m.inequality[1].index, InequalityIndex::kRii);
  EXPECT_FALSE(m.inequality[0].withheld);
  EXPECT_TRUE(std::isfinite(m.inequality[0].value)) << m.inequality[0].note;
  EXPECT_EQ(m.inequality[0].method, "population-weighted ridit regression; limits from 1000 simulations, seed 1");
}

TEST_F(PublishTest, WithoutDisclosureControlCountsAndFiguresAreExact) {
  const ReleaseValues release = publish_with(false);
  EXPECT_FALSE(release.disclosure_control);
  const MeasureValues& m = release.definitions[0].measures[0];
  const MeasureRow& a = row_of(m, "pcn", "A");
  EXPECT_FALSE(a.withheld);
  EXPECT_EQ(a.numerator.shown, 3);
  const MeasureRow& d2 = row_of(m, "imd_decile", "2");
  EXPECT_EQ(d2.numerator.shown, 21);
  EXPECT_DOUBLE_EQ(d2.value, stats::proportion(21, 50, 0.95, 100).value);
  EXPECT_EQ(release.definitions[0].withheld.values_withheld, 0u);
}

TEST_F(PublishTest, RowsAreInOutputOrderAndCountedOnce) {
  const ReleaseValues release = publish_with(true);
  const DefinitionValues& d = release.definitions[0];
  const MeasureValues& m = d.measures[0];
  ASSERT_EQ(m.rows.size(), 1u + 2u + 10u);
  EXPECT_EQ(m.rows[0].breakdown, "all");
  EXPECT_EQ(m.rows[1].group, "A");
  EXPECT_EQ(m.rows[3].group, "1");
  EXPECT_EQ(m.rows[12].group, "10");  // deciles in number order
  EXPECT_EQ(d.measure_rows(), 13u);
  EXPECT_EQ(d.funnel_rows(), 12u);  // every group, not the whole measure
  EXPECT_EQ(d.inequality_rows(), 2u);
  // The CSV has a header and one line per row.
  const std::string csv = measures_csv(d);
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), 14u);
}

TEST_F(PublishTest, AMeasuresCommentComesFromTheSyntaxTree) {
  EXPECT_EQ(definition_.header.title, "Hand-made counts");
  EXPECT_EQ(definition_.measures[0].comment, "Share with a check. Per cent.");
}

TEST(AsPublished, IsTheValueMeasuresCsvPrintsReadBack) {
  EXPECT_DOUBLE_EQ(as_published(19.04761904761905), 19.047619);
  EXPECT_TRUE(std::isnan(as_published(NAN)));
  EXPECT_TRUE(std::isnan(as_published(INFINITY)));
}

}  // namespace
}  // namespace severn::measures
