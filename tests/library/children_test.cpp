// library:children against a hand computation from the GP extract for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

struct Child {
  bool child = false, asthma = false, diabetes = false, preventer = false, hba1c = false, retinal = false;
  int saba = 0, age = 0;
};

Child child_state(const ExtractPerson& p, Days day) {
  static const auto ast = refset_codes("ast"), dm = refset_codes("dm"), dmres = refset_codes("dmres"),
                    hba1c = refset_codes("ifcchbam");
  static const auto saba = severn_codes("dmd-saba.csv"), retinal = severn_codes("snomed-retinal-screening.csv");
  static const auto ics = [] {
    auto s = severn_codes("dmd-ics-inhalers.csv");
    const auto l = severn_codes("dmd-ics-laba.csv");
    s.insert(l.begin(), l.end());
    return s;
  }();
  Child c;
  c.age = age_on(p.birth_month, day);
  c.child = c.age >= 0 && c.age <= 17;
  const Days year_ago = add_months(day, -12);
  std::optional<Days> last_dm, last_res;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    c.asthma = c.asthma || ast.count(e.code);
    if (dm.count(e.code) && (!last_dm || e.date >= *last_dm)) last_dm = e.date;
    if (dmres.count(e.code) && (!last_res || e.date >= *last_res)) last_res = e.date;
    if (e.date > year_ago) {
      c.hba1c = c.hba1c || hba1c.count(e.code);
      c.retinal = c.retinal || retinal.count(e.code);
    }
  }
  c.diabetes = last_dm && (!last_res || *last_res < *last_dm);
  for (const auto& m : p.medications) {
    if (m.date > day || m.date <= year_ago) continue;
    c.saba += saba.count(m.code) ? 1 : 0;
    c.preventer = c.preventer || ics.count(m.code);
  }
  return c;
}

TEST(LibraryChildren, AsthmaAndDiabetesMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:children", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::map<std::string, std::int64_t> dens;
  expect_monthly_counts(run, [&](const ExtractPerson& p, Days end, Tally& want) {
    const Child c = child_state(p, end);
    if (!c.child) return;
    tally(want, "cyp_asthma_saba_over_reliance", c.asthma, c.saba >= 6);
    tally(want, "cyp_asthma_no_preventer", c.asthma, !c.preventer);
    tally(want, "cyp_diabetes_hba1c_recorded", c.diabetes, c.hba1c);
    tally(want, "cyp_diabetes_retinal_screening_12plus", c.diabetes && c.age >= 12, c.retinal);
    dens["asthma"] += c.asthma;
    dens["diabetes"] += c.diabetes;
  });
  EXPECT_GT(dens["asthma"], 12 * 20);
  EXPECT_GT(dens["diabetes"], 0);
  const auto rows = dataset_by_pseudonym(run.dataset);
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const Child c = child_state(p, days_from_civil(2025, 3, 31));
    EXPECT_EQ(it->second.at("cyp_asthma_saba_issues"), std::to_string(c.saba)) << p.nhs_number;
  }
}

}  // namespace
}  // namespace severn::testing
