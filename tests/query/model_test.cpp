// The query model: lowering keeps the checker's types, shares equal subexpressions, and makes the
// built-in group columns expressions over reference tables that fold to the labels Severn writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "../lang/lang_fixture.h"
#include "query/fold.h"
#include "query/lower.h"

namespace severn::query {
namespace {

using lang::testing::LangScratch;

Model lowered(const std::string& text, bool worklists = false) {
  static const LangScratch scratch;
  lang::CheckedDefinition d;
  const std::string errors = scratch.check(text, &d);
  EXPECT_EQ(errors, "");
  LowerOptions o;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  o.worklists = worklists;
  return lower(d, o);
}

bool have_data() { return std::filesystem::exists(SEVERN_TEST_DATA_DIR); }

TEST(QueryModel, LetsNamedTwiceAreOneNode) {
  const Model m = lowered(
      "codelist hyp = \"snomed.csv\"\n"
      "let has_hyp = clinical_events.where(code in hyp and date <= index_date).exists()\n"
      "population registered_on(index_date) and has_hyp\n"
      "variable a = has_hyp\n"
      "variable b = clinical_events.where(code in hyp and date <= index_date).exists()\n");
  ASSERT_EQ(m.definitions.at(0).variables.size(), 2u);
  EXPECT_EQ(m.definitions.at(0).variables[0].value, m.definitions.at(0).variables[1].value);
  const Node& exists = m.node(m.definitions.at(0).variables[0].value);
  EXPECT_EQ(exists.op, Op::kExists);
  EXPECT_EQ(exists.type, ValueType::kBool);
  EXPECT_EQ(exists.dimension, Dimension::kPatient);
  EXPECT_TRUE(exists.dates);
  const Node& where = m.node(exists.a);
  EXPECT_EQ(where.op, Op::kWhere);
  EXPECT_EQ(where.shape, Shape::kFrame);
  EXPECT_EQ(m.table(where.table).name, "clinical_events");
  const Node& condition = m.node(where.b);
  EXPECT_EQ(condition.dimension, Dimension::kRows);
  const Node& in = m.node(condition.a);
  EXPECT_EQ(in.op, Op::kInCodelist);
  EXPECT_EQ(m.node(in.a).system, CodeSystem::kSnomedCt);
}

TEST(QueryModel, TypesFollowTheChecker) {
  const Model m = lowered(
      "population registered_on(index_date)\n"
      "variable age = patients.age_on(index_date)\n"
      "variable ratio = patients.age_on(index_date) / 2\n"
      "variable days = index_date - patients.date_of_birth\n"
      "variable last_bp = clinical_events.sort_by(value).latest().value\n"
      "variable mean_bp = clinical_events.mean(value)\n"
      "variable year = (index_date - 3 months).year\n");
  const auto type = [&](std::size_t v) { return m.node(m.definitions.at(0).variables[v].value).type; };
  EXPECT_EQ(type(0), ValueType::kInt);
  EXPECT_EQ(type(1), ValueType::kFloat);
  EXPECT_EQ(type(2), ValueType::kInt);
  EXPECT_EQ(type(3), ValueType::kFloat);
  EXPECT_EQ(type(4), ValueType::kFloat);
  EXPECT_EQ(type(5), ValueType::kInt);
  const Node& year = m.node(m.definitions.at(0).variables[5].value);
  EXPECT_EQ(year.op, Op::kDatePart);
  const Node& moved = m.node(year.a);
  EXPECT_EQ(moved.op, Op::kAddDuration);
  EXPECT_EQ(moved.unit(), Unit::kMonths);
  EXPECT_EQ(moved.amount, -3);
}

TEST(QueryModel, ColumnsOfTheFrameHideLetsOfTheSameName) {
  const Model m = lowered(
      "let value = 5.0\n"
      "population registered_on(index_date)\n"
      "variable high = clinical_events.where(value > value).exists()\n");
  const Node& cond = m.node(m.node(m.node(m.definitions.at(0).variables[0].value).a).b);
  EXPECT_EQ(m.node(cond.a).op, Op::kRowsColumn);
  EXPECT_EQ(m.node(cond.b).op, Op::kRowsColumn);
}

// Each built-in group folds to the label Severn has always written, for every input it can take.
TEST(QueryModel, GroupColumnsFoldToTheirLabels) {
  if (!have_data()) GTEST_SKIP() << "the reference pack " << SEVERN_TEST_DATA_DIR << " is absent";
  const Model m = lowered(
      "population registered_on(index_date)\n"
      "measure m numerator registered_on(index_date) denominator true by age_band, ethnicity_group, imd_quintile, pcn, sex\n"
      "  intervals monthly from 2025-01-01 to 2025-03-31\n");
  const auto group = [&](const char* name) { return m.groups.at(static_cast<std::size_t>(m.group(name))).value; };
  // The node of `op` in the group's own tree (the leaf it reads per person).
  const std::function<NodeId(NodeId, Op)> find_leaf = [&](NodeId id, Op op) -> NodeId {
    const Node& n = m.node(id);
    if (n.op == op) return id;
    for (const NodeId k : {n.a, n.b, n.c})
      if (k != kNoNode)
        if (const NodeId f = find_leaf(k, op); f != kNoNode) return f;
    for (const NodeId k : n.kids)
      if (const NodeId f = find_leaf(k, op); f != kNoNode) return f;
    return kNoNode;
  };
  const auto label = [&](const char* name, Op leaf_op, Literal v) {
    const auto out = fold(m, group(name), {{find_leaf(group(name), leaf_op), v}});
    return out ? out->s : std::string("<not foldable>");
  };
  const auto integer = [](std::int64_t i) {
    Literal l;
    l.type = ValueType::kInt;
    l.i = i;
    return l;
  };
  const auto text = [](const char* s) {
    Literal l;
    l.type = ValueType::kString;
    l.s = s;
    return l;
  };
  EXPECT_EQ(label("age_band", Op::kAgeOn, integer(0)), "0-4");
  EXPECT_EQ(label("age_band", Op::kAgeOn, integer(89)), "85-89");
  EXPECT_EQ(label("age_band", Op::kAgeOn, integer(90)), "90+");
  EXPECT_EQ(label("age_band", Op::kAgeOn, integer(117)), "90+");
  EXPECT_EQ(label("age_band", Op::kAgeOn, Literal{}), "unknown");
  EXPECT_EQ(label("ethnicity_group", Op::kPatientColumn, text("J")), "Asian or Asian British");
  EXPECT_EQ(label("ethnicity_group", Op::kPatientColumn, text("Z")), "Not stated");
  EXPECT_EQ(label("ethnicity_group", Op::kPatientColumn, text("99")), "unknown");
  EXPECT_EQ(label("ethnicity_group", Op::kPatientColumn, Literal{}), "unknown");
  EXPECT_EQ(label("pcn", Op::kPracticeOn, Literal{}), "unregistered");
  EXPECT_EQ(label("pcn", Op::kPracticeOn, text("NOT-A-PRACTICE")), "unknown");
  EXPECT_EQ(label("sex", Op::kPatientColumn, Literal{}), "unknown");
  EXPECT_EQ(label("imd_quintile", Op::kPatientColumn, text("E00000000")), "unknown");
  const auto& lsoas = m.references[static_cast<std::size_t>(Reference::kLsoaImdQuintile)];
  ASSERT_FALSE(lsoas.empty());
  const auto& [lsoa, quintile] = *lsoas.begin();
  EXPECT_EQ(label("imd_quintile", Op::kPatientColumn, text(lsoa.c_str())), quintile);
  const auto& practices = m.references[static_cast<std::size_t>(Reference::kPracticePcn)];
  ASSERT_FALSE(practices.empty());
  EXPECT_EQ(label("pcn", Op::kPracticeOn, text(practices.begin()->first.c_str())), practices.begin()->second);
}

TEST(QueryModel, LetGroupsAreTheLetAsText) {
  const Model m = lowered(
      "let older = patients.age_on(index_date) >= 65\n"
      "population registered_on(index_date)\n"
      "measure m numerator older denominator true by older\n"
      "  intervals monthly from 2025-01-01 to 2025-03-31\n");
  const Node& g = m.node(m.groups.at(0).value);
  EXPECT_EQ(g.op, Op::kCoalesce);
  EXPECT_EQ(m.node(g.kids[0]).op, Op::kText);
  EXPECT_EQ(g.type, ValueType::kString);
  EXPECT_TRUE(g.dates);
}

TEST(QueryModel, DescribeRendersTheTree) {
  const Model m = lowered("population registered_on(index_date - 1 years)\n");
  EXPECT_EQ(describe(m, m.definitions.at(0).population), "(registered_on (add_duration -1 years (index_date)))");
}

// A measure over an event table counts its rows: numerator, denominator and row-column groups
// are at dimension kRows of that table; person-level parts of them stay per patient.
TEST(QueryModel, RowMeasuresCountRowsOfTheirTable) {
  if (!have_data()) GTEST_SKIP() << "no reference pack at " << SEVERN_TEST_DATA_DIR;
  const Model m = lowered(
      "let older = patients.age_on(index_date) >= 65\n"
      "population registered_on(index_date)\n"
      "measure within over wl_pathways\n"
      "  numerator index_date - clock_start_date <= 126 and older\n"
      "  denominator clock_stop_date is null\n"
      "  by provider, older, age_band\n"
      "  intervals monthly from 2024-04-01 to 2024-06-30\n"
      "measure people numerator older denominator true by age_band\n"
      "  intervals monthly from 2024-04-01 to 2024-06-30\n");
  const auto& measures = m.definitions.at(0).measures;
  ASSERT_EQ(measures.size(), 2u);
  const Measure& rows = measures[0];
  ASSERT_NE(rows.unit, kNoTable);
  EXPECT_EQ(m.table(rows.unit).name, "wl_pathways");
  EXPECT_EQ(measures[1].unit, kNoTable);
  for (const NodeId id : {rows.numerator, rows.denominator}) {
    EXPECT_EQ(m.node(id).dimension, Dimension::kRows);
    EXPECT_EQ(m.node(id).table, rows.unit);
    EXPECT_EQ(m.node(id).type, ValueType::kBool);
  }
  // `older` inside the row measure is the same person-level node as in the person measure.
  EXPECT_EQ(m.node(m.node(rows.numerator).b).dimension, Dimension::kPatient);
  EXPECT_EQ(m.node(rows.numerator).b, measures[1].numerator);
  ASSERT_EQ(rows.by.size(), 3u);
  EXPECT_EQ(m.groups[rows.by[0]].name, "provider");
  EXPECT_EQ(m.node(m.groups[rows.by[0]].value).dimension, Dimension::kRows);
  EXPECT_EQ(m.node(m.groups[rows.by[1]].value).dimension, Dimension::kPatient);
  EXPECT_EQ(m.node(m.groups[rows.by[2]].value).dimension, Dimension::kPatient);
  // age_band is one group column for both measures.
  EXPECT_EQ(rows.by[2], measures[1].by.at(0));
}

}  // namespace
}  // namespace severn::query
