// library:smi and library:cancer against hand computations from the GP and registry extracts.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

// (on the register, elements done in the 12 months).
std::pair<bool, int> smi(const ExtractPerson& p, Days day) {
  static const auto reg = pack_codes("nhsd-primary-care-domain-refsets-mh_cod.csv");
  static const std::vector<std::set<std::string>> element = {
      pack_codes("nhsd-primary-care-domain-refsets-bmival_cod.csv"),
      pack_codes("opensafely-systolic-blood-pressure-qof.csv"),
      pack_codes("user-milanwiedemann-diastolic-blood-pressure-qof.csv"),
      pack_codes("nhsd-primary-care-domain-refsets-chol2_cod.csv"),
      pack_codes("nhsd-primary-care-domain-refsets-ifcchbam_cod.csv"),
      severn_codes("snomed-alcohol-consumption.csv"),
      [] {
        auto s = pack_codes("nhsd-primary-care-domain-refsets-lsmok_cod.csv");
        for (const auto& x : {pack_codes("nhsd-primary-care-domain-refsets-exsmok_cod.csv"), severn_codes("snomed-never-smoked.csv")})
          s.insert(x.begin(), x.end());
        return s;
      }()};
  bool on = false;
  std::vector<bool> seen(element.size(), false);
  const Days from = add_months(day, -12);
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    on = on || reg.count(e.code);
    if (e.date <= from) continue;
    for (std::size_t k = 0; k < element.size(); ++k) seen[k] = seen[k] || element[k].count(e.code);
  }
  // Blood pressure is one element made of a systolic and a diastolic reading.
  const int n = seen[0] + (seen[1] && seen[2]) + seen[3] + seen[4] + seen[5] + seen[6];
  return {on && age_on(p.birth_month, day) >= 18, n};
}

TEST(LibrarySmi, AllSixElementsMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:smi", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::int64_t all_six = 0;
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const Days end = add_months(start, 1) - 1;
    std::pair<std::int64_t, std::int64_t> want{0, 0};
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      const auto [on, n] = smi(p, end);
      want.second += on;
      want.first += on && n == 6;
    }
    EXPECT_EQ(counts_of(run.measures, "smi_health_check_all_six", format_iso_date(start)), std::make_optional(want));
    all_six += want.first;
  }
  EXPECT_GT(all_six, 12 * 5);
  const auto rows = dataset_by_pseudonym(run.dataset);
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    EXPECT_EQ(it->second.at("smi_health_check_elements"), std::to_string(smi(p, days_from_civil(2025, 3, 31)).second));
  }
}

TEST(LibraryCancer, EarlyDiagnosisMatchesTheRegistryExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:cancer", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::int64_t staged_total = 0;
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const Days end = add_months(start, 1) - 1;
    const Days from = add_months(end, -12);
    std::pair<std::int64_t, std::int64_t> want{0, 0};
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      bool staged = false, early = false;
      for (const auto& c : p.cancers) {
        if (c.diagnosis <= from || c.diagnosis > end || !c.stage) continue;
        staged = staged || (*c.stage >= 1 && *c.stage <= 4);
        early = early || (*c.stage >= 1 && *c.stage <= 2);
      }
      want.second += staged;
      want.first += early;
    }
    EXPECT_EQ(counts_of(run.measures, "cancer_early_diagnosis", format_iso_date(start)), std::make_optional(want))
        << format_iso_date(start);
    staged_total += want.second;
  }
  EXPECT_GT(staged_total, 12 * 10);
}

}  // namespace
}  // namespace severn::testing
