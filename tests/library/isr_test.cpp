// `stats isr "FILE"`: the indirectly standardised ratio of a measure, checked against a hand
// computation of the dementia diagnosis rate (recorded / expected from CFAS II rates) on the
// library's test world.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "library/library_fixture.h"
#include "refdata/codelists.h"
#include "stats/stats.h"

namespace severn::testing {
namespace {

TEST(MeasureIsr, DementiaDiagnosisRateMatchesAHandComputation) {
  SEVERN_REQUIRE_PACK();
  const std::string pack = SEVERN_TEST_DATA_DIR;
  Scratch s("isr");
  write_text(s.dir() / "ddr.sev",
             "codelist dem = \"nhsd-primary-care-domain-refsets-dem_cod.csv\"\n"
             "let age = patients.age_on(index_date)\n"
             "population registered_on(index_date)\n"
             "measure ddr numerator clinical_events.where(code in dem and date <= index_date).exists()\n"
             "  denominator age >= 65 by sex stats isr \"cfas2_dementia_prevalence.csv\" per 100\n"
             "  intervals last 1 year\n");
  const auto run = run_definition((s.dir() / "ddr.sev").string(), days_from_civil(2025, 3, 31));

  // CFAS II rates by sex and 5-year band from 65 (pack file standards/cfas2_dementia_prevalence.csv).
  const CsvTable cfas = CsvTable::read_file(pack + "/standards/cfas2_dementia_prevalence.csv");
  std::map<std::pair<std::string, int>, double> rate;  // (M|F, lower age) -> prevalence
  for (std::size_t r = 0; r < cfas.rows(); ++r)
    rate[{cfas.cell(r, "sex") == "Male" ? "M" : "F", std::stoi(cfas.cell(r, "age_lower"))}] = std::stod(cfas.cell(r, "prevalence"));
  const auto list = refdata::parse_codelist(read_text(pack + "/codelists/nhsd-primary-care-domain-refsets-dem_cod.csv"), "dem", "dem");
  const std::set<std::string> dem(list.codes.begin(), list.codes.end());

  const Days day = days_from_civil(2025, 3, 31);
  double expected = 0, expected_f = 0;
  std::int64_t observed = 0, people = 0;
  for (const auto& p : library_world().people) {
    if (!registered_on(p, day)) continue;
    const int age = age_on(p.birth_month, day);
    if (age < 65) continue;
    ++people;
    const double r = rate.at({p.sex, std::min(age, 90) / 5 * 5});
    expected += r;
    if (p.sex == "F") expected_f += r;
    bool has = false;
    for (const auto& e : p.events) has = has || (e.date <= day && dem.count(e.code));
    observed += has ? 1 : 0;
  }
  ASSERT_GT(observed, 20);
  const auto counts = counts_of(run.measures, "ddr", "2024-04-01");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, observed);
  EXPECT_EQ(counts->second, people);
  const auto want = stats::isr_ratio(static_cast<double>(observed), expected, 0.95, 100);
  std::size_t all = 0;
  while (run.measures.cell(all, "breakdown") != "all") ++all;
  EXPECT_NEAR(std::stod(run.measures.cell(all, "value")), want.value, 5e-7);
  EXPECT_NEAR(std::stod(run.measures.cell(all, "lower")), want.lower, 5e-7);
  EXPECT_NEAR(std::stod(run.measures.cell(all, "upper")), want.upper, 5e-7);
  char note[64];
  std::snprintf(note, sizeof note, "expected %.1f", expected);
  EXPECT_EQ(run.measures.cell(all, "note"), note);
  EXPECT_EQ(run.measures.cell(all, "statistic"), "isr per 100");
  // The women's row is standardised with the women's rates only.
  for (std::size_t r = 0; r < run.measures.rows(); ++r)
    if (run.measures.cell(r, "group") == "F") {
      std::snprintf(note, sizeof note, "expected %.1f", expected_f);
      EXPECT_EQ(run.measures.cell(r, "note"), note);
    }
  EXPECT_EQ(run.funnels.rows(), 0u);  // isr measures have no funnel rows
}

TEST(MeasureIsr, ABandWithPeopleButNoRateIsSaidAndTheFileIsChecked) {
  SEVERN_REQUIRE_PACK();
  Scratch s("isr-bands");
  // Rates for women 65+ only: a denominator of everyone 60+ has men, and women of 60-64, with none.
  write_text(s.dir() / "rates.csv", "age_band,sex,rate\n65-69,F,0.01\n70-74,F,0.02\n75-79,F,0.03\n80-84,F,0.04\n85-89,F,0.05\n90+,F,0.06\n");
  write_text(s.dir() / "def.sev",
             "population registered_on(index_date)\n"
             "measure m numerator true denominator patients.age_on(index_date) >= 60 by sex\n"
             "  stats isr \"rates.csv\" intervals last 1 month\n");
  const auto run = run_definition((s.dir() / "def.sev").string(), days_from_civil(2025, 3, 31));
  for (std::size_t r = 0; r < run.measures.rows(); ++r) {
    const std::string& group = run.measures.cell(r, "group");
    if (group == "all" || group == "F") {
      EXPECT_EQ(run.measures.cell(r, "value"), "") << group;
      EXPECT_EQ(run.measures.cell(r, "note").rfind("isr not computed: no reference rate for ", 0), 0u)
          << run.measures.cell(r, "note");
    }
  }
  const auto malformed = [&](const std::string& rates) {
    write_text(s.dir() / "rates.csv", rates);
    try {
      run_definition((s.dir() / "def.sev").string(), days_from_civil(2025, 3, 31));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(malformed("age_band,sex,rate\n65-70,F,0.01\n").find("age_band '65-70' is not one of"), std::string::npos);
  EXPECT_NE(malformed("age_band,sex,rate\n65-69,X,0.01\n").find("sex 'X' is not Male, Female, M or F"), std::string::npos);
  EXPECT_NE(malformed("age_band,sex,rate\n65-69,F,1.5\n").find("rate '1.5' is not a number from 0 to 1"), std::string::npos);
  EXPECT_NE(malformed("age_band,sex,rate\n65-69,F,0.1\n65-69,Female,0.2\n").find("a second rate for 65-69 Female"),
            std::string::npos);
  EXPECT_NE(malformed("band,sex,rate\n").find("expected columns age_band, sex and rate (or prevalence)"), std::string::npos);
}

}  // namespace
}  // namespace severn::testing
