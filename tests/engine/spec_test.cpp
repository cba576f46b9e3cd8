// Spec tests of the engine: tiny hand-written extracts, definitions that exercise one rule each,
// and results computed by hand (docs/language.md gives the rules).
#include <gtest/gtest.h>

#include "core/csv_table.h"
#include "measures/run_definition.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::testing {
namespace {

// Persons of valid_extract(), in person_id order: 0 Marion Green (F, 1942-07-06), 1 Gerald Jones
// (M, 1950-03-14, died 2024-01-31), 2 Aisha Khan (F, 2001-02-28).
class EngineSpec : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR)) GTEST_SKIP() << "reference pack absent";
    files_ = valid_extract();
  }
  // Ingests files_, checks `definition` (beside sbp.csv and icd.csv) and runs it; returns the
  // output directory.
  std::filesystem::path run(const std::string& definition, const std::string& index_date = "2025-03-31",
                            unsigned threads = 2) {
    write_extract(scratch_.dir() / "src", files_);
    ingest::run_ingest(options_for(scratch_.dir() / "src", scratch_.dir() / "store", write_key(scratch_.dir())));
    write_text(scratch_.dir() / "snomed.csv", "code,term\n271649006,Systolic blood pressure\n");
    write_text(scratch_.dir() / "icd.csv", "code,term\nI10,Essential hypertension\nW19,Fall\n");
    write_text(scratch_.dir() / "def.sev", definition);
    const auto checked = lang::check_file((scratch_.dir() / "def.sev").string(), lang::CheckOptions{});
    const auto store = store::Store::open(scratch_.dir() / "store");
    measures::RunOptions o;
    o.out = scratch_.dir() / "out";
    o.index_date = *parse_iso_date(index_date);
    o.threads = threads;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    // Most tests here compare exact counts: disclosure control has its own tests below.
    o.disclosure_control = disclosure_;
    o.policy = policy_;
    measures::run_definition(*store, checked, o);
    return o.out;
  }
  // The first `columns` columns of a CSV, as text: the counts and value of measures.csv.
  static std::string first_columns(const std::filesystem::path& file, std::size_t columns = 8) {
    const CsvTable t = CsvTable::read_file(file);
    std::string out;
    for (std::size_t c = 0; c < columns; ++c) out += (c ? "," : "") + t.header()[c];
    out += "\n";
    for (std::size_t r = 0; r < t.rows(); ++r) {
      for (std::size_t c = 0; c < columns; ++c) out += (c ? "," : "") + t.cell(r, c);
      out += "\n";
    }
    return out;
  }
  bool disclosure_ = false;
  disclosure::Policy policy_;
  // Runs the definition (population true) with the given variables; one string per person,
  // the variables joined by '|'.
  std::vector<std::string> variables(const std::string& definition, const std::string& index_date = "2025-03-31") {
    const auto out = run("codelist sbp = \"snomed.csv\"\ncodelist icd = \"icd.csv\"\n" + definition +
                             "\npopulation true\n",
                         index_date);
    const CsvTable t = CsvTable::read_file(out / "dataset.csv");
    std::vector<std::string> rows;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      std::string line;
      for (std::size_t c = 1; c < t.header().size(); ++c) line += (c > 1 ? "|" : "") + t.cell(r, c);
      rows.push_back(line);
    }
    return rows;
  }
  Scratch scratch_{"engine-spec"};
  std::map<std::string, std::string> files_;
};

using Rows = std::vector<std::string>;

TEST_F(EngineSpec, AggregationsOverFramesIncludingEmptyOnes) {
  // Marion: SBP 158 on 2016-03-14 and one other code; Gerald: SBP 132; Aisha: no SBP, one code.
  EXPECT_EQ(variables("variable n = clinical_events.where(code in sbp).count()\n"
                      "variable e = clinical_events.where(code in sbp).exists()\n"
                      "variable mx = clinical_events.where(code in sbp).max(value)\n"
                      "variable s = clinical_events.where(code in sbp).sum(value)\n"
                      "variable m = clinical_events.where(code in sbp).mean(value)\n"
                      "variable d = clinical_events.count_distinct(code)\n"),
            (Rows{"1|true|158|158|158|2", "1|true|132|132|132|1", "0|false||0||1"}));
}

TEST_F(EngineSpec, NullsPropagateAndThreeValuedLogic) {
  EXPECT_EQ(variables("variable a = clinical_events.where(code in sbp).latest().value > 140\n"
                      "variable b = false and null\n"
                      "variable c = true or null\n"
                      "variable d = null and true\n"
                      "variable f = patients.date_of_death > 2000-01-01\n"
                      "variable g = patients.date_of_death is not null\n"
                      "variable h = case when patients.date_of_death > 2000-01-01 then 1 else 2 end\n"),
            (Rows{"true|false|true|||false|2", "false|false|true||true|true|1",
                  "|false|true|||false|2"}));
}

TEST_F(EngineSpec, DateArithmeticAtMonthEndsAndLeapDays) {
  EXPECT_EQ(variables("variable a = 2024-01-31 + 1 month\n"
                      "variable b = 2024-02-29 + 1 year\n"
                      "variable c = 2024-03-31 - 1 month\n"
                      "variable d = index_date - 2025-01-01\n"
                      "variable e = 2024-12-31 + 1 day\n"
                      "variable f = index_date.month\n")[0],
            "2024-02-29|2025-02-28|2024-02-29|89|2025-01-01|3");
}

TEST_F(EngineSpec, TiesOnDateKeepSourceOrderForFirstAndLatest) {
  files_["gp/events.csv"] +=
      "9997366956,2022-01-01,271649006,120\n"
      "9997366956,2022-01-01,271649006,130\n";
  const auto rows = variables("variable f = clinical_events.where(code in sbp).first().value\n"
                              "variable l = clinical_events.where(code in sbp).latest().value\n"
                              "variable s = clinical_events.where(code in sbp).sort_by(value).latest().value\n");
  EXPECT_EQ(rows[2], "120|130|130");
}

TEST_F(EngineSpec, RangeEndsOpenAndClosed) {
  EXPECT_EQ(variables("variable a = clinical_events.where(code in sbp and date in (2016-03-14, 2020-02-02]).exists()\n"
                      "variable b = clinical_events.where(code in sbp and date in [2016-03-14, 2020-02-02)).exists()\n"),
            (Rows{"false|true", "true|false", "false|false"}));
}

TEST_F(EngineSpec, EpisodesSplitOnGapsLongerThanTheGap) {
  files_["gp/events.csv"] +=
      "9997366956,2022-01-01,271649006,120\n"
      "9997366956,2022-01-01,271649006,130\n"
      "9997366956,2022-01-20,271649006,125\n"
      "9997366956,2022-02-19,271649006,125\n"
      "9997366956,2022-03-22,271649006,125\n";
  // 01-01 .. 02-19 are each at most 30 days apart: one episode; 03-22 is 31 days later: a second.
  EXPECT_EQ(variables("variable e = clinical_events.where(code in sbp).count_episodes(30 days)\n")[2], "2");
}

TEST_F(EngineSpec, AgeRegistrationAndCodeLists) {
  // Dates of birth are kept to the month (first day), so ages are as of that day.
  EXPECT_EQ(variables("variable age = patients.age_on(index_date)\n"
                      "variable reg = registered_on(index_date)\n"
                      "variable fall = apcs.where(primary_diagnosis in icd).exists()\n"
                      "variable hyp = apcs.where(secondary_diagnoses in icd).count()\n"),
            (Rows{"82|true|true|1", "75|false|false|0", "24|true|false|0"}));
}

TEST_F(EngineSpec, MeasuresCountPersonsPerIntervalAndGroup) {
  const auto out = run("population registered_on(index_date)\n"
                       "measure women numerator patients.sex == \"F\" denominator true by sex, age_band\n"
                       "  intervals yearly from 2023-01-01 to 2024-12-31\n",
                       "2025-03-31", 1);
  // On 2023-12-31 all three are registered; on 2024-12-31 Gerald (died 2024-01-31) is not.
  EXPECT_EQ(first_columns(out / "measures.csv"),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator,value\n"
            "women,2023-01-01,2023-12-31,all,all,2,3,0.666667\n"
            "women,2023-01-01,2023-12-31,sex,F,2,2,1.000000\n"
            "women,2023-01-01,2023-12-31,sex,M,0,1,0.000000\n"
            "women,2023-01-01,2023-12-31,age_band,20-24,1,1,1.000000\n"
            "women,2023-01-01,2023-12-31,age_band,70-74,0,1,0.000000\n"
            "women,2023-01-01,2023-12-31,age_band,80-84,1,1,1.000000\n"
            "women,2024-01-01,2024-12-31,all,all,2,2,1.000000\n"
            "women,2024-01-01,2024-12-31,sex,F,2,2,1.000000\n"
            "women,2024-01-01,2024-12-31,age_band,20-24,1,1,1.000000\n"
            "women,2024-01-01,2024-12-31,age_band,80-84,1,1,1.000000\n");
}

// Conditions split into date-independent and date-dependent parts give the same answers in
// every interval as evaluating them whole (the engine caches the first part per person).
TEST_F(EngineSpec, IntervalDependentConditionsAcrossIntervals) {
  const auto out = run(
      "codelist sbp = \"snomed.csv\"\n"
      "let seen = clinical_events.where(code in sbp and date <= index_date).exists()\n"
      "let recent = clinical_events.where(date > index_date - 5 years and code in sbp and value > 140).exists()\n"
      "population true\n"
      "measure seen_ever numerator seen denominator true intervals yearly from 2015-01-01 to 2021-12-31\n"
      "measure high_recent numerator recent denominator true intervals yearly from 2015-01-01 to 2021-12-31\n");
  const CsvTable t = CsvTable::read_file(out / "measures.csv");
  std::string seen, high;
  for (std::size_t r = 0; r < t.rows(); ++r)
    (t.cell(r, "measure") == "seen_ever" ? seen : high) += t.cell(r, "numerator");
  // Marion's SBP (158) on 2016-03-14; Gerald's (132) on 2020-02-02. Interval ends 2015..2021.
  EXPECT_EQ(seen, "0111122");
  // Marion's high reading (no upper bound on the date) counts while it is after the interval
  // end minus 5 years: every interval ending 2015..2020, not 2021.
  EXPECT_EQ(high, "1111110");
}

TEST_F(EngineSpec, SetsRangesArithmeticAndEmptyAggregates) {
  // Marion: OPA treatment functions 140 (status 5) and 400 (status 3), spells at RXW and RL1,
  // event values null and 158. Gerald and Aisha: no OPA, no linked spells.
  EXPECT_EQ(variables("variable a = patients.ethnic_category in {\"A\", \"H\"}\n"
                      "variable b = patients.sex not in {\"F\"}\n"
                      "variable c = clinical_events.count() / 2\n"
                      "variable d = clinical_events.count() / 0\n"
                      "variable e = clinical_events.where(code in sbp).min(date)\n"
                      "variable f = opa.sum(treatment_function)\n"
                      "variable g = opa.where(attendance_status in [4, 6)).count()\n"
                      "variable h = apcs.count_distinct(provider)\n"
                      "variable i = clinical_events.count_distinct(value)\n"
                      "variable j = opa.max(treatment_function) - opa.min(treatment_function) * 2\n"),
            (Rows{"true|false|1||2016-03-14|540|1|2|1|120", "false|true|0.5||2020-02-02|0|0|0|1|",
                  "true|false|0.5|||0|0|0|0|"}));
}

TEST_F(EngineSpec, SortByPutsNullsFirstAndDatePartsAndEmptyPicks) {
  // Marion's events: 2009-05-12 (no value) and 2016-03-14 (158); Aisha's one event has no value.
  EXPECT_EQ(variables("variable f = clinical_events.sort_by(value).first().code\n"
                      "variable l = clinical_events.sort_by(value).latest().code\n"
                      "variable p = apcs.sort_by(admission_method).first().provider\n"
                      "variable y = clinical_events.latest().date.year\n"
                      "variable d = clinical_events.latest().date.day\n"
                      "variable m = patients.date_of_birth.month\n"
                      "variable r = medications.first().date\n"
                      "variable n = medications.first().date is null\n"),
            (Rows{"382551000000109|271649006|RL1|2016|14|7|2016-05-02|false",
                  "271649006|271649006||2020|2|3|2019-05-02|false",
                  "822851000000102|822851000000102||2021|1|2||true"}));
}

// Group columns come from the registration on each interval's last day and the reference data:
// M82007 is in Wrekin PCN (U13205), Telford and Wrekin; M82010 in North Shropshire PCN (U24883),
// Shropshire; LSOA E01014204 is in IMD decile 7 and E01028882 in decile 4.
TEST_F(EngineSpec, GroupColumnsFollowRegistrationOnTheIntervalEnd) {
  const auto out = run("population true\n"
                       "let old = patients.age_on(index_date) >= 65\n"
                       "measure women numerator patients.sex == \"F\" denominator true\n"
                       "  by place, pcn, practice, imd_decile, imd_quintile, ethnicity_group, old\n"
                       "  intervals 2010-01-01 to 2010-03-31, 2024-12-01 to 2024-12-31\n",
                       "2025-03-31", 2);
  // 2010-03-31: Marion (67) not yet registered (from 2012), Gerald (60) at M82007, Aisha (9) at
  // M82007. 2024-12-31: Marion (82) and Aisha (23) at M82007; Gerald's registration ended
  // 2024-01-31.
  const std::string a = "women,2010-01-01,2010-03-31,", b = "women,2024-12-01,2024-12-31,";
  EXPECT_EQ(first_columns(out / "measures.csv"),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator,value\n" +
                a + "all,all,2,3,0.666667\n" +
                a + "place,Telford and Wrekin,1,2,0.500000\n" +
                a + "place,unregistered,1,1,1.000000\n" +
                a + "pcn,U13205,1,2,0.500000\n" +
                a + "pcn,unregistered,1,1,1.000000\n" +
                a + "practice,M82007,1,2,0.500000\n" +
                a + "practice,unregistered,1,1,1.000000\n" +
                a + "imd_decile,4,0,1,0.000000\n" +
                a + "imd_decile,7,2,2,1.000000\n" +
                a + "imd_quintile,2,0,1,0.000000\n" +
                a + "imd_quintile,4,2,2,1.000000\n" +
                a + "ethnicity_group,Asian or Asian British,1,1,1.000000\n" +
                a + "ethnicity_group,Not stated,0,1,0.000000\n" +
                a + "ethnicity_group,White,1,1,1.000000\n" +
                a + "old,false,1,2,0.500000\n" +
                a + "old,true,1,1,1.000000\n" +
                b + "all,all,2,3,0.666667\n" +
                b + "place,Telford and Wrekin,2,2,1.000000\n" +
                b + "place,unregistered,0,1,0.000000\n" +
                b + "pcn,U13205,2,2,1.000000\n" +
                b + "pcn,unregistered,0,1,0.000000\n" +
                b + "practice,M82007,2,2,1.000000\n" +
                b + "practice,unregistered,0,1,0.000000\n" +
                b + "imd_decile,4,0,1,0.000000\n" +
                b + "imd_decile,7,2,2,1.000000\n" +
                b + "imd_quintile,2,0,1,0.000000\n" +
                b + "imd_quintile,4,2,2,1.000000\n" +
                b + "ethnicity_group,Asian or Asian British,1,1,1.000000\n" +
                b + "ethnicity_group,Not stated,0,1,0.000000\n" +
                b + "ethnicity_group,White,1,1,1.000000\n" +
                b + "old,false,1,1,1.000000\n" +
                b + "old,true,1,2,0.500000\n");
}

TEST_F(EngineSpec, IntervalEndsAreInclusiveAndMonthlyPeriodsKeepTheirDay) {
  const auto out = run("population true\n"
                       "measure seen numerator clinical_events.where(date in [interval_start, index_date]).exists()\n"
                       "  denominator true intervals 2016-03-14 to 2016-03-14, 2016-03-15 to 2020-02-02, 2009-05-13 to 2016-03-13\n"
                       "measure months numerator true denominator patients.sex == \"M\"\n"
                       "  intervals monthly from 2024-01-31 to 2024-04-29\n"
                       "measure nobody numerator true denominator false by sex intervals 2024-01-01 to 2024-01-31\n",
                       "2025-03-31", 1);
  // Marion's events are on 2009-05-12 and 2016-03-14, Gerald's on 2020-02-02. Monthly periods
  // from the 31st start on the 31st, or the month's last day when it has no 31st. An interval
  // with nobody in the denominator still has its `all` row, with no value.
  EXPECT_EQ(first_columns(out / "measures.csv"),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator,value\n"
            "seen,2016-03-14,2016-03-14,all,all,1,3,0.333333\n"
            "seen,2016-03-15,2020-02-02,all,all,1,3,0.333333\n"
            "seen,2009-05-13,2016-03-13,all,all,0,3,0.000000\n"
            "months,2024-01-31,2024-02-28,all,all,1,1,1.000000\n"
            "months,2024-02-29,2024-03-30,all,all,1,1,1.000000\n"
            "months,2024-03-31,2024-04-29,all,all,1,1,1.000000\n"
            "nobody,2024-01-01,2024-01-31,all,all,0,0,\n");
}

// Limits computed independently (mpmath, 30 digits): Wilson score limits of 2 of 3 at 95%
// (z = 1.959963985) are 0.207659600802 and 0.938508055280; exact Poisson limits of a count of 2
// are 0.242209278544 and 7.224687667724 (chi-square quantiles / 2, Garwood 1936).
TEST_F(EngineSpec, MeasureStatisticsCarryValueLimitsMethodAndConfidence) {
  const auto out = run("population registered_on(index_date)\n"
                       "measure pct numerator patients.sex == \"F\" denominator true stats proportion per 100\n"
                       "  intervals 2023-01-01 to 2023-12-31\n"
                       "measure plain numerator patients.sex == \"F\" denominator true intervals 2023-01-01 to 2023-12-31\n"
                       "measure rate numerator patients.sex == \"F\" denominator true stats rate confidence 0.95\n"
                       "  intervals 2023-01-01 to 2023-12-31\n"
                       "measure strict numerator patients.sex == \"F\" denominator true stats proportion confidence 0.998\n"
                       "  intervals 2023-01-01 to 2023-12-31\n"
                       "measure dsr numerator patients.sex == \"F\" denominator true by sex stats dsr\n"
                       "  intervals 2023-01-01 to 2023-12-31\n",
                       "2025-03-31", 1);
  const CsvTable t = CsvTable::read_file(out / "measures.csv");
  const auto row = [&](std::size_t r) {
    std::string line;
    for (std::size_t c = 5; c < t.header().size(); ++c) line += (c > 5 ? "," : "") + t.cell(r, c);
    return line;
  };
  ASSERT_EQ(t.rows(), 7U);
  EXPECT_EQ(row(0), "2,3,66.666667,20.765960,93.850806,proportion per 100,Wilson,95%,");
  EXPECT_EQ(row(1), "2,3,0.666667,0.207660,0.938508,proportion,Wilson,95%,");
  EXPECT_EQ(row(2), "2,3,66666.666667,8073.642618,240822.922257,rate per 100000,Exact,95%,");
  EXPECT_EQ(t.cell(3, "confidence"), "99.8%");
  EXPECT_LT(std::stod(t.cell(3, "lower")), 0.207660);
  EXPECT_GT(std::stod(t.cell(3, "upper")), 0.938508);
  // OHID does not publish a DSR of fewer than 10 events; the group of men has nobody in the
  // age bands the whole measure has people in.
  EXPECT_EQ(row(4), "2,3,,,,dsr per 100000,,95%,dsr not computed: fewer than 10 events (OHID rule)");
  EXPECT_EQ(t.cell(6, "group"), "M");
  EXPECT_EQ(t.cell(6, "note").rfind("dsr not computed: nobody aged ", 0), 0U) << t.cell(6, "note");
}

// With the default policy every count of this three-person store is 1-7 or 0: the small ones
// are withheld with their values, zeros are published, and run.json records the policy.
TEST_F(EngineSpec, DisclosureControlRedactsSmallCountsAndRecordsThePolicy) {
  disclosure_ = true;
  const auto out = run("population registered_on(index_date)\n"
                       "measure women numerator patients.sex == \"F\" denominator true by sex\n"
                       "  intervals 2023-01-01 to 2023-12-31\n",
                       "2025-03-31", 1);
  EXPECT_EQ(read_text(out / "measures.csv"),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator,value,lower,upper,"
            "statistic,method,confidence,note\n"
            "women,2023-01-01,2023-12-31,all,all,[c],[c],[c],[c],[c],proportion,,95%,\n"
            "women,2023-01-01,2023-12-31,sex,F,[c],[c],[c],[c],[c],proportion,,95%,\n"
            "women,2023-01-01,2023-12-31,sex,M,0,[c],[c],[c],[c],proportion,,95%,\n");
  const std::string json = read_text(out / "run.json");
  EXPECT_NE(json.find("\"disclosure\": {\"applied\": true, \"policy\": {\"mode\": \"rounded\", \"redact_min\": 1, "
                      "\"redact_max\": 7, \"round_to\": 5, \"rounding\": \"nearest\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"withheld\": {\"numerator_small\": 2, \"numerator_derivable\": 0, \"denominator_small\": 3, "
                      "\"denominator_derivable\": 0, \"values_withheld\": 3"), std::string::npos) << json;
}

// A looser policy (redact only 1, no rounding) would publish 2 of 3, but must then hide the cell
// of 1, the 2 that would give it away by subtraction from the total, and then the total itself:
// with 3 published, the 1 could only be 1 or 2, narrower than the audit's protection width of 8.
// No cell says why it is withheld; run.json has the reasons' totals.
TEST_F(EngineSpec, DisclosureControlSuppressesCellsThatWouldRevealARedactedOne) {
  disclosure_ = true;
  policy_.redact_max = 1;
  policy_.round_to = 1;
  const auto out = run("population registered_on(index_date)\n"
                       "measure everyone numerator true denominator true by sex\n"
                       "  intervals 2023-01-01 to 2023-12-31\n",
                       "2025-03-31", 1);
  EXPECT_EQ(first_columns(out / "measures.csv", 7),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator\n"
            "everyone,2023-01-01,2023-12-31,all,all,[c],[c]\n"
            "everyone,2023-01-01,2023-12-31,sex,F,[c],[c]\n"
            "everyone,2023-01-01,2023-12-31,sex,M,[c],[c]\n");
  const CsvTable t = CsvTable::read_file(out / "measures.csv");
  for (std::size_t r = 0; r < 3; ++r) EXPECT_EQ(t.cell(r, "note"), "") << r;
  const std::string json = read_text(out / "run.json");
  EXPECT_NE(json.find("\"numerator_small\": 1, \"numerator_derivable\": 2, \"denominator_small\": 1, "
                      "\"denominator_derivable\": 2, \"values_withheld\": 3"), std::string::npos) << json;
  EXPECT_NE(json.find("\"audit\": {"), std::string::npos) << json;
  EXPECT_NE(json.find("\"unprotected\": 0"), std::string::npos) << json;
}

TEST_F(EngineSpec, SwitchingDisclosureControlOffIsRecorded) {
  const auto out = run("population true\nmeasure m numerator true denominator true intervals 2023-01-01 to 2023-12-31\n");
  EXPECT_NE(read_text(out / "run.json").find("\"disclosure\": {\"applied\": false, \"reason\": \"switched off by "
                                             "--no-disclosure-control"), std::string::npos);
}

// The SII needs every decile: with people in two deciles only, the rows say why there is none.
TEST_F(EngineSpec, SiiRowsSayWhyTheyAreMissing) {
  const auto out = run("population true\n"
                       "measure m numerator patients.sex == \"F\" denominator true stats proportion, sii by imd_quintile\n"
                       "  intervals 2023-01-01 to 2023-12-31\n");
  EXPECT_EQ(read_text(out / "inequality.csv"),
            "measure,interval_start,interval_end,breakdown,index,value,lower,upper,statistic,confidence,method,note\n"
            "m,2023-01-01,2023-12-31,imd_quintile,sii,,,,proportion,95%,,not computed: nobody in quintile 1\n"
            "m,2023-01-01,2023-12-31,imd_quintile,rii,,,,proportion,95%,,not computed: nobody in quintile 1\n");
  // The quintile breakdown the SII is read from is written too.
  EXPECT_NE(read_text(out / "measures.csv").find("m,2023-01-01,2023-12-31,imd_quintile,4,2,2,"), std::string::npos);
}

// Funnel limits around the whole measure's 2 of 3 at each group's denominator:
// 2/3 -/+ z sqrt((2/3)(1/3) / n), kept within [0, 1] (z = 1.959964 at 95%, 3.090232 at 99.8%).
// F (n = 2): 0.013345 to 1.319988 -> 1 at 95%, below 0 and above 1 at 99.8%; M (n = 1) reaches
// both ends. A value on a limit is within it.
TEST_F(EngineSpec, FunnelRowsCompareEachGroupWithTheWholeMeasure) {
  const auto out = run("population registered_on(index_date)\n"
                       "measure women numerator patients.sex == \"F\" denominator true by sex\n"
                       "  intervals 2023-01-01 to 2023-12-31\n"
                       "measure standardised numerator true denominator true by sex stats dsr\n"
                       "  intervals 2023-01-01 to 2023-12-31\n",
                       "2025-03-31", 1);
  EXPECT_EQ(read_text(out / "funnels.csv"),
            "measure,interval_start,interval_end,breakdown,group,numerator,denominator,value,target,lower_95,upper_95,"
            "lower_99_8,upper_99_8,significance,statistic,note\n"
            "women,2023-01-01,2023-12-31,sex,F,2,2,1.000000,0.666667,0.013345,1.000000,0.000000,1.000000,within limits,proportion,\n"
            "women,2023-01-01,2023-12-31,sex,M,0,1,0.000000,0.666667,0.000000,1.000000,0.000000,1.000000,within limits,proportion,\n");
}

}  // namespace
}  // namespace severn::testing
