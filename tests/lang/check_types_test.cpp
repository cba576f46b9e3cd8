// What the checker infers for well-formed definitions, and the shipped example definitions.
#include <gtest/gtest.h>

#include "lang_fixture.h"
#include "pack.h"

namespace severn::lang::testing {
namespace {

std::string type_of(const LangScratch& s, const std::string& expr) {
  CheckedDefinition out;
  const std::string errors =
      s.check("codelist hyp = \"snomed.csv\"\ncodelist hyp_icd = \"icd.csv\"\nvariable v = " + expr +
                  "\npopulation true\n",
              &out);
  if (!errors.empty()) return errors;
  return describe(out.variables.at("v"));
}

TEST(CheckTypes, ValuesPerPerson) {
  LangScratch s;
  EXPECT_EQ(type_of(s, "patients.age_on(index_date)"), "int");
  EXPECT_EQ(type_of(s, "patients.date_of_birth + 18 years"), "date");
  EXPECT_EQ(type_of(s, "index_date - patients.date_of_birth"), "int");  // days between
  EXPECT_EQ(type_of(s, "index_date.year"), "int");
  EXPECT_EQ(type_of(s, "clinical_events.where(code in hyp).exists()"), "bool");
  EXPECT_EQ(type_of(s, "clinical_events.where(code in hyp).count()"), "int");
  EXPECT_EQ(type_of(s, "clinical_events.where(code in hyp).latest().value"), "float");
  EXPECT_EQ(type_of(s, "clinical_events.where(code in hyp).first().date"), "date");
  EXPECT_EQ(type_of(s, "clinical_events.sort_by(value).latest().code"), "code (SNOMED CT / dm+d)");
  EXPECT_EQ(type_of(s, "clinical_events.max(value)"), "float");
  EXPECT_EQ(type_of(s, "clinical_events.min(date)"), "date");
  EXPECT_EQ(type_of(s, "clinical_events.mean(value)"), "float");
  EXPECT_EQ(type_of(s, "opa.sum(attendance_status)"), "int");
  EXPECT_EQ(type_of(s, "clinical_events.count_distinct(code)"), "int");
  EXPECT_EQ(type_of(s, "apcs.count_episodes(90 days)"), "int");
  EXPECT_EQ(type_of(s, "apcs.where(primary_diagnosis in hyp_icd or secondary_diagnoses in hyp_icd).exists()"), "bool");
  EXPECT_EQ(type_of(s, "case when patients.sex == \"F\" then 1 when true then 2.5 end"), "float");
  EXPECT_EQ(type_of(s, "case when true then null else 3 end"), "int");
  EXPECT_EQ(type_of(s, "patients.date_of_death is not null"), "bool");
  EXPECT_EQ(type_of(s, "patients.ethnic_category in {\"A\", \"B\", \"C\"}"), "bool");
  EXPECT_EQ(type_of(s, "clinical_events.where(date in (index_date - 12 months, index_date]).exists()"), "bool");
  EXPECT_EQ(type_of(s, "not registered_on(index_date) or -1 < 0"), "bool");
}

TEST(CheckTypes, ShippedDefinitionsCheckAgainstThePack) {
  SEVERN_REQUIRE_PACK();
  CheckOptions options;
  options.pack_codelists_dir = std::string(SEVERN_TEST_DATA_DIR) + "/codelists";
  const auto checked =
      check_file(std::string(SEVERN_SOURCE_DIR) + "/definitions/hypertension_treated_to_target.sev", options);
  EXPECT_EQ(checked.codelists.size(), 3U);
  EXPECT_EQ(describe(checked.variables.at("latest_systolic")), "float");
  EXPECT_EQ(describe(checked.variables.at("hypertension")), "bool");
  ASSERT_EQ(checked.definition.measures.size(), 1U);
  EXPECT_EQ(checked.definition.measures[0].by.size(), 5U);
  const auto core = check_file(std::string(SEVERN_SOURCE_DIR) + "/definitions/ics_core_measures.sev", options);
  EXPECT_EQ(core.definition.measures.size(), 38U);
  EXPECT_EQ(core.codelists.size(), 39U);
}

}  // namespace
}  // namespace severn::lang::testing
