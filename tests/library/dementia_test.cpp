// library:dementia against a hand computation from the GP extract and the CFAS II rates: the
// register, the expected count and the diagnosis rate for every month, and each person's flag.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "library/library_fixture.h"
#include "refdata/codelists.h"
#include "stats/stats.h"

namespace severn::testing {
namespace {

TEST(LibraryDementia, DiagnosisRateAndRegisterMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const std::string pack = SEVERN_TEST_DATA_DIR;
  const auto run = run_definition("library:dementia", days_from_civil(2025, 3, 31));
  const CsvTable cfas = CsvTable::read_file(pack + "/standards/cfas2_dementia_prevalence.csv");
  std::map<std::pair<std::string, int>, double> rate;  // (M|F, band's lower age) -> prevalence
  for (std::size_t r = 0; r < cfas.rows(); ++r)
    rate[{cfas.cell(r, "sex") == "Male" ? "M" : "F", std::stoi(cfas.cell(r, "age_lower"))}] = std::stod(cfas.cell(r, "prevalence"));
  const auto list = refdata::parse_codelist(read_text(pack + "/codelists/nhsd-primary-care-domain-refsets-dem_cod.csv"), "dem", "dem");
  const std::set<std::string> dem(list.codes.begin(), list.codes.end());
  const auto first_coded = [&](const ExtractPerson& p, Days day) {
    std::optional<Days> first;
    for (const auto& e : p.events)
      if (e.date <= day && dem.count(e.code) && (!first || e.date < *first)) first = e.date;
    return first;
  };

  const auto& world = library_world();
  std::int64_t total_recorded = 0;
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const Days end = add_months(start, 1) - 1;
    std::int64_t recorded = 0, people = 0;
    double expected = 0;
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      const int age = age_on(p.birth_month, end);
      if (age < 65) continue;
      ++people;
      expected += rate.at({p.sex, std::min(age, 90) / 5 * 5});
      recorded += first_coded(p, end) ? 1 : 0;
    }
    const std::string month = format_iso_date(start);
    for (const char* measure : {"dementia_diagnosis_rate_65plus", "dementia_register_prevalence_65plus"}) {
      const auto got = counts_of(run.measures, measure, month);
      ASSERT_TRUE(got) << measure << " " << month;
      EXPECT_EQ(got->first, recorded) << measure << " " << month;
      EXPECT_EQ(got->second, people) << measure << " " << month;
    }
    for (std::size_t r = 0; r < run.measures.rows(); ++r) {
      if (run.measures.cell(r, "measure") != "dementia_diagnosis_rate_65plus" || run.measures.cell(r, "interval_start") != month ||
          run.measures.cell(r, "breakdown") != "all")
        continue;
      char note[64];
      std::snprintf(note, sizeof note, "expected %.1f", expected);
      EXPECT_EQ(run.measures.cell(r, "note"), note) << month;
      EXPECT_NEAR(std::stod(run.measures.cell(r, "value")), 100.0 * static_cast<double>(recorded) / expected, 5e-7) << month;
    }
    total_recorded += recorded;
  }
  EXPECT_GT(total_recorded, 12 * 40);  // the register has people: the comparison has substance

  const Days day = days_from_civil(2025, 3, 31);
  const auto rows = dataset_by_pseudonym(run.dataset);
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const auto first = first_coded(p, day);
    EXPECT_EQ(it->second.at("dementia_register"), first ? "true" : "false") << p.nhs_number;
    EXPECT_EQ(it->second.at("dementia_first_coded"), first ? format_iso_date(*first) : "") << p.nhs_number;
  }
}

}  // namespace
}  // namespace severn::testing
