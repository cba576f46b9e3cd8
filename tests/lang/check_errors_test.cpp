// Every kind of error `severn check` reports, with the exact text: file, line, column, the line
// with a caret, and what was expected.
#include <gtest/gtest.h>

#include "lang_fixture.h"

namespace severn::lang::testing {
namespace {

const std::string kHead = "codelist hyp = \"snomed.csv\"\ncodelist hyp_icd = \"icd.csv\"\n";

TEST(CheckErrors, UnknownNameWithDidYouMean) {
  LangScratch s;
  EXPECT_EQ(s.check(kHead + "population clinical_events.where(code in hpy).exists()\n"),
            "DIR/def.sev:3:42: error: unknown name 'hpy'\n"
            " 3 | population clinical_events.where(code in hpy).exists()\n"
            "   |                                          ^\n"
            "  did you mean 'hyp'?\n");
}

TEST(CheckErrors, ColumnUsedOutsideItsTable) {
  LangScratch s;
  EXPECT_EQ(s.check("population code == 1\n"),
            "DIR/def.sev:1:12: error: unknown name 'code'\n"
            " 1 | population code == 1\n"
            "   |            ^\n"
            "  'code' is a column of medications: use it inside .where(...) or another method of that table\n");
}

TEST(CheckErrors, TypeMismatch) {
  LangScratch s;
  EXPECT_EQ(s.check("population patients.sex > index_date\n"),
            "DIR/def.sev:1:25: error: cannot compare string with date using '>'\n"
            " 1 | population patients.sex > index_date\n"
            "   |                         ^\n");
}

TEST(CheckErrors, DateArithmeticNeedsAUnit) {
  LangScratch s;
  EXPECT_EQ(s.check("population registered_on(index_date - 30)\n"),
            "DIR/def.sev:1:37: error: cannot apply '-' to date and int\n"
            " 1 | population registered_on(index_date - 30)\n"
            "   |                                     ^\n"
            "  add a duration with its unit: date + 30 days, date - 12 months\n");
}

TEST(CheckErrors, MixingEventFramesFromTwoTables) {
  LangScratch s;
  EXPECT_EQ(s.check("population clinical_events.where(date == medications.date).exists()\n"),
            "DIR/def.sev:1:39: error: this mixes rows of clinical_events with rows of medications\n"
            " 1 | population clinical_events.where(date == medications.date).exists()\n"
            "   |                                       ^\n"
            "  event frames of two tables cannot be combined row by row: aggregate one of them to "
            "one value per person first\n");
}

TEST(CheckErrors, AggregationMissing) {
  LangScratch s;
  EXPECT_EQ(s.check(kHead + "let last = clinical_events.where(code in hyp)\n"
                            "population last\n"),
            "DIR/def.sev:4:12: error: 'clinical_events' rows are not a value here\n"
            " 4 | population last\n"
            "   |            ^\n"
            "  an aggregation is missing: use .exists(), .count(), .first(), .latest() or .max(...)\n");
  EXPECT_EQ(s.check(kHead + "let d = clinical_events.where(code in hyp).date\npopulation true\n"),
            "DIR/def.sev:3:44: error: let 'd' has many values per person (date per row of "
            "clinical_events)\n"
            " 3 | let d = clinical_events.where(code in hyp).date\n"
            "   |                                            ^\n"
            "  an aggregation is missing: pick a row with .first() or .latest(), or aggregate the "
            "frame with .exists(), .count(), .max(column), ...\n");
}

TEST(CheckErrors, CodeListOfTheWrongSystem) {
  LangScratch s;
  EXPECT_EQ(s.check(kHead + "population clinical_events.where(code in hyp_icd).exists()\n"),
            "DIR/def.sev:3:39: error: code list 'hyp_icd' holds ICD-10 / OPCS-4 codes but this "
            "is code (SNOMED CT / dm+d) per row of clinical_events\n"
            " 3 | population clinical_events.where(code in hyp_icd).exists()\n"
            "   |                                       ^\n");
}

TEST(CheckErrors, WithSubcodesOnlyOnClassificationListsAndSpelledOut) {
  LangScratch s;
  EXPECT_EQ(s.check("codelist hyp = \"snomed.csv\" with subcodes\npopulation true\n"),
            "DIR/def.sev:1:29: error: code list 'hyp' holds SNOMED CT / dm+d codes, which have no subcodes by text\n"
            " 1 | codelist hyp = \"snomed.csv\" with subcodes\n"
            "   |                             ^\n"
            "  'with subcodes' is for ICD-10 and OPCS-4 lists, whose three-character categories prefix their "
            "subdivisions; a SNOMED CT hierarchy is not a text prefix: list every code\n");
  EXPECT_EQ(s.check("codelist hyp = \"icd.csv\" with children\npopulation true\n"),
            "DIR/def.sev:1:31: error: expected 'subcodes' after 'with', found 'children'\n"
            " 1 | codelist hyp = \"icd.csv\" with children\n"
            "   |                               ^\n"
            "  write: codelist NAME = \"file.csv\" with subcodes\n");
  CheckedDefinition d;
  EXPECT_EQ(s.check("codelist a = \"icd.csv\" with subcodes\ncodelist b = \"icd.csv\"\npopulation true\n", &d), "");
  EXPECT_TRUE(d.codelists.at("a").with_subcodes);
  EXPECT_FALSE(d.codelists.at("b").with_subcodes);
}

TEST(CheckErrors, CodeListHiddenByAColumnOfTheSameName) {
  LangScratch s;
  EXPECT_EQ(s.check("codelist diagnosis = \"snomed.csv\"\npopulation ec.where(diagnosis in diagnosis).exists()\n"),
            "DIR/def.sev:2:34: error: 'diagnosis' is a code (SNOMED CT / dm+d) per row of ec, not a code list\n"
            " 2 | population ec.where(diagnosis in diagnosis).exists()\n"
            "   |                                  ^\n"
            "  the column 'diagnosis' of ec hides the code list 'diagnosis' here: give the code list another name\n");
}

TEST(CheckErrors, CodeListFileMissingOrMalformed) {
  LangScratch s;
  EXPECT_EQ(s.check("codelist x = \"nope.csv\"\npopulation true\n"),
            "DIR/def.sev:1:14: error: code list file 'nope.csv' not found\n"
            " 1 | codelist x = \"nope.csv\"\n"
            "   |              ^\n"
            "  looked for DIR/nope.csv\n");
  s.write("bad.csv", "code;term\n1234567;x\n");
  const std::string e = s.check("codelist x = \"bad.csv\"\npopulation true\n");
  EXPECT_NE(e.find("DIR/def.sev:1:14: error: code list file 'bad.csv' is malformed"), std::string::npos) << e;
  s.write("mixed.csv", "code,term\n38341003,a\nI10,b\n");
  EXPECT_NE(s.check("codelist x = \"mixed.csv\"\npopulation true\n").find("mixes SNOMED CT-style codes"),
            std::string::npos);
}

TEST(CheckErrors, IntervalThatNeverEndsOrRunsBackwards) {
  LangScratch s;
  const std::string m = "population true\nmeasure m numerator true denominator true\n  intervals ";
  EXPECT_EQ(s.check(m + "monthly from 2024-04-01\n"),
            "DIR/def.sev:3:26: error: intervals from 2024-04-01 never end\n"
            " 3 |   intervals monthly from 2024-04-01\n"
            "   |                          ^\n"
            "  expected 'to' and the last date, e.g. 'to 2025-03-31'\n");
  EXPECT_EQ(s.check(m + "yearly from 2024-04-01 to 2023-03-31\n"),
            "DIR/def.sev:3:39: error: intervals end before they start (2023-03-31 is before "
            "2024-04-01)\n"
            " 3 |   intervals yearly from 2024-04-01 to 2023-03-31\n"
            "   |                                       ^\n");
  EXPECT_EQ(s.check(m + "2024-04-01 to 2024-06-30, 2024-07-01\n"),
            "DIR/def.sev:3:39: error: the interval from 2024-07-01 never ends\n"
            " 3 |   intervals 2024-04-01 to 2024-06-30, 2024-07-01\n"
            "   |                                       ^\n"
            "  expected 'to' and the last date of the interval\n");
  EXPECT_NE(s.check("population true\nmeasure m numerator true denominator true\n").find(
                "measure 'm' has no intervals"),
            std::string::npos);
}

TEST(CheckErrors, IntervalsLastNeedACountAndAUnit) {
  LangScratch s;
  const std::string m = "population true\nmeasure m numerator true denominator true\n  intervals ";
  EXPECT_EQ(s.check(m + "last 12 weeks\n"),
            "DIR/def.sev:3:21: error: expected months, quarters or years after 'intervals last 12', found 'weeks'\n"
            " 3 |   intervals last 12 weeks\n"
            "   |                     ^\n"
            "  calendar months, calendar quarters or NHS financial years (April to March)\n");
  EXPECT_EQ(s.check(m + "last 0 months\n"),
            "DIR/def.sev:3:18: error: expected how many periods after 'intervals last', found '0'\n"
            " 3 |   intervals last 0 months\n"
            "   |                  ^\n"
            "  a whole number from 1 to 1200, e.g. 'intervals last 12 months'\n");
  EXPECT_NE(s.check(m + "last months\n").find("expected how many periods after 'intervals last', found 'months'"),
            std::string::npos);
  EXPECT_EQ(s.check(m + "last 12 months\n"), "");
  EXPECT_EQ(s.check(m + "last 1 year\n"), "");
}

TEST(CheckErrors, SyntaxErrorsSayWhatWasExpected) {
  LangScratch s;
  EXPECT_EQ(s.check("let a = 1\npopulation a = 2\n"),
            "DIR/def.sev:2:14: error: '=' binds a name; to compare write '=='\n"
            " 2 | population a = 2\n"
            "   |              ^\n");
  EXPECT_EQ(s.check("let end = 1\n"),
            "DIR/def.sev:1:5: error: 'end' is a reserved word and cannot be a name for the value\n"
            " 1 | let end = 1\n"
            "   |     ^\n");
  EXPECT_EQ(s.check("population \"open\n"),
            "DIR/def.sev:1:12: error: string is not closed on its line\n"
            " 1 | population \"open\n"
            "   |            ^\n"
            "  expected '\"'\n");
  EXPECT_EQ(s.check("population patients.age_on(index_date) >= 18 @\n"),
            "DIR/def.sev:1:46: error: unexpected character '@'\n"
            " 1 | population patients.age_on(index_date) >= 18 @\n"
            "   |                                              ^\n"
            "  expected a name, a number, a date, a string or an operator\n");
  EXPECT_EQ(s.check("population case when true then 1\n"),
            "DIR/def.sev:2:1: error: expected 'when', 'else' or 'end' in case, found end of file\n"
            " 2 | \n"
            "   | ^\n"
            "  every case ends with 'end'\n");
  EXPECT_EQ(s.check("population registered_on(2024-02-30)\n"),
            "DIR/def.sev:1:26: error: '2024-02-30' is not a calendar date\n"
            " 1 | population registered_on(2024-02-30)\n"
            "   |                          ^\n"
            "  expected YYYY-MM-DD\n");
}

TEST(CheckErrors, MethodsAndArity) {
  LangScratch s;
  EXPECT_EQ(s.check("population clinical_events.exist()\n"),
            "DIR/def.sev:1:28: error: clinical_events has no method 'exist'\n"
            " 1 | population clinical_events.exist()\n"
            "   |                            ^\n"
            "  did you mean 'exists'?\n");
  EXPECT_EQ(s.check("population clinical_events.exists(1)\n"),
            "DIR/def.sev:1:28: error: 'exists' takes 0 arguments, given 1\n"
            " 1 | population clinical_events.exists(1)\n"
            "   |                            ^\n");
  EXPECT_EQ(s.check("population clinical_events.sum(code) > 1\n"),
            "DIR/def.sev:1:32: error: sum(...) needs a number, but this is code (SNOMED CT / dm+d) "
            "per row of clinical_events\n"
            " 1 | population clinical_events.sum(code) > 1\n"
            "   |                                ^\n");
}

TEST(CheckErrors, CaseBranchesMustAgree) {
  LangScratch s;
  EXPECT_EQ(s.check("let x = case when true then 1 else index_date end\npopulation true\n"),
            "DIR/def.sev:1:36: error: case branches disagree: int and date\n"
            " 1 | let x = case when true then 1 else index_date end\n"
            "   |                                    ^\n");
}

TEST(CheckErrors, PopulationAndGroups) {
  LangScratch s;
  EXPECT_EQ(s.check("let a = 1\n"),
            "DIR/def.sev:1:1: error: the definition has no population\n"
            " 1 | let a = 1\n"
            "   | ^\n"
            "  expected a line such as 'population registered_on(index_date)'\n");
  EXPECT_EQ(s.check("population patients.age_on(index_date)\n"),
            "DIR/def.sev:1:21: error: the population must be true or false, but this is int\n"
            " 1 | population patients.age_on(index_date)\n"
            "   |                     ^\n");
  EXPECT_EQ(s.check("population true\nmeasure m numerator true denominator true by imd_quintle\n"
                    "  intervals yearly from 2024-04-01 to 2025-03-31\n"),
            "DIR/def.sev:2:46: error: unknown group column 'imd_quintle'\n"
            " 2 | measure m numerator true denominator true by imd_quintle\n"
            "   |                                              ^\n"
            "  did you mean 'imd_quintile'?\n");
}

TEST(CheckErrors, EveryIndependentErrorIsReported) {
  LangScratch s;
  const std::string e = s.check("let a = nope1\nlet b = a + 1\nlet c = nope2\npopulation true\n");
  EXPECT_NE(e.find("1:9: error: unknown name 'nope1'"), std::string::npos) << e;
  EXPECT_EQ(e.find("2:9"), std::string::npos) << "an error caused by an earlier one is not repeated";
  EXPECT_NE(e.find("3:9: error: unknown name 'nope2'"), std::string::npos) << e;
  EXPECT_EQ(s.check("let a = 1\nlet a = 2\npopulation true\n"),
            "DIR/def.sev:2:1: error: 'a' is already defined\n"
            " 2 | let a = 2\n"
            "   | ^\n"
            "  choose another name\n");
}

TEST(CheckErrors, StatsClauseNamesAStatisticOnceAndAnOrderedGroup) {
  LangScratch s;
  const std::string head = "population true\nmeasure m numerator true denominator true ";
  const std::string tail = " intervals yearly from 2024-01-01 to 2024-12-31\n";
  EXPECT_EQ(s.check(head + "stats median" + tail),
            "DIR/def.sev:2:49: error: expected proportion, rate, dsr, isr or sii after 'stats', found 'median'\n"
            " 2 | measure m numerator true denominator true stats median intervals yearly from 2024-01-01 to 2024-12-31\n"
            "   |                                                 ^\n"
            "  e.g. 'stats rate per 100000, sii by imd_decile confidence 0.998'\n");
  EXPECT_EQ(s.check(head + "stats rate, dsr" + tail),
            "DIR/def.sev:2:55: error: measure 'm' asks for two statistics\n"
            " 2 | measure m numerator true denominator true stats rate, dsr intervals yearly from 2024-01-01 to 2024-12-31\n"
            "   |                                                       ^\n"
            "  a measure has one of proportion, rate, dsr or isr\n");
  EXPECT_EQ(s.check(head + "stats rate per 0" + tail).substr(0, sizeof("DIR/def.sev:2:58: error: expected a whole number from 1 to 1000000000 after 'per', found") - 1),
            "DIR/def.sev:2:58: error: expected a whole number from 1 to 1000000000 after 'per', found");
  EXPECT_EQ(s.check(head + "stats rate per 100000000000000000000" + tail).substr(0, sizeof("DIR/def.sev:2:58: error: expected a whole number from 1 to 1000000000 after 'per', found") - 1),
            "DIR/def.sev:2:58: error: expected a whole number from 1 to 1000000000 after 'per', found");
  EXPECT_EQ(s.check(head + "stats rate sii by imd_decile" + tail).substr(0, sizeof("DIR/def.sev:2:54: error: expected ',' before 'sii' in the stats clause of measure 'm'\n 2 | measure m ") - 1),
            "DIR/def.sev:2:54: error: expected ',' before 'sii' in the stats clause of measure 'm'\n 2 | measure m ");
  EXPECT_EQ(s.check(head + "stats rate" + tail + "stats dsr\n").substr(0, sizeof("DIR/def.sev:3:1: error: measure 'm' has two stats clauses\n 3 | stats") - 1),
            "DIR/def.sev:3:1: error: measure 'm' has two stats clauses\n 3 | stats");
  EXPECT_EQ(s.check(head + "stats rate confidence 0.95 confidence 0.99" + tail).substr(0, sizeof("DIR/def.sev:2:70: error: measure 'm' gives its confidence twice\n 2 | ") - 1),
            "DIR/def.sev:2:70: error: measure 'm' gives its confidence twice\n 2 | ");
  EXPECT_NE(s.check(head + "stats sii by imd_decle" + tail).find("did you mean 'imd_decile'?"), std::string::npos);
  EXPECT_EQ(s.check(head + "stats proportion confidence 95" + tail).substr(0, sizeof("DIR/def.sev:2:71: error: expected a confidence level from 0.9 to below 1 after 'confidence', f") - 1),
            "DIR/def.sev:2:71: error: expected a confidence level from 0.9 to below 1 after 'confidence', f");
  EXPECT_EQ(s.check(head + "stats sii by pcn" + tail),
            "DIR/def.sev:2:56: error: the slope index of inequality is taken across imd_decile or imd_quintile, not 'pcn'\n"
            " 2 | measure m numerator true denominator true stats sii by pcn intervals yearly from 2024-01-01 to 2024-12-31\n"
            "   |                                                        ^\n"
            "  deprivation deciles and quintiles are the ordered groups Severn ranks by\n");
  EXPECT_EQ(s.check(head + "stats dsr per 1000, sii by imd_quintile confidence 0.998" + tail), "");
}

}  // namespace
}  // namespace severn::lang::testing

namespace severn::lang::testing {
namespace {

TEST(CheckErrors, WorklistsNeedAConditionAndLetsToShow) {
  LangScratch s;
  const std::string head = "let sbp = clinical_events.latest().value\nlet readings = clinical_events\npopulation true\n";
  EXPECT_EQ(s.check(head + "worklist high show sbp\n"),
            "DIR/def.sev:4:15: error: expected 'when' after the worklist name (who is on the list), e.g. 'worklist high when ...', found 'show'\n"
            " 4 | worklist high show sbp\n"
            "   |               ^\n");
  EXPECT_NE(s.check(head + "worklist high when sbp > 180\n").find("expected 'show' after the condition of worklist 'high'"),
            std::string::npos);
  EXPECT_NE(s.check(head + "worklist high when sbp > 180 show readings\n").find("4:35: error: 'clinical_events' rows are not a value here"),
            std::string::npos);
  EXPECT_NE(s.check(head + "worklist high when sbp show sbp\n").find("a worklist's condition must be true or false"),
            std::string::npos);
  EXPECT_NE(s.check("let age = patients.age_on(index_date)\npopulation true\nworklist old when age > 90 show age\n")
                .find("worklist 'old' cannot show a let named 'age'"),
            std::string::npos);
  EXPECT_EQ(s.check(head + "worklist high when sbp > 180 show sbp\n"), "");
}

}  // namespace
}  // namespace severn::lang::testing
