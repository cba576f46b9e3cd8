// Spec tests of the engine: tiny hand-written extracts, definitions that exercise one rule each,
// and results computed by hand (docs/language.md gives the rules).
#include <gtest/gtest.h>

#include "core/csv_table.h"
#include "engine/run.h"
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
    engine::RunOptions o;
    o.out = scratch_.dir() / "out";
    o.index_date = *parse_iso_date(index_date);
    o.threads = threads;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    engine::run(*store, checked, o);
    return o.out;
  }
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
  EXPECT_EQ(read_text(out / "measures.csv"),
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

}  // namespace
}  // namespace severn::testing
