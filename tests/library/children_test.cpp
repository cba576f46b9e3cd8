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

// Epilepsy, tooth extractions and mental health access, by hand from the GP, hospital and
// community extracts. Code categories are compared by their first three characters, as OHID's
// definition does, not through the code lists the definition uses.
struct ChildServices {
  bool child = false, aged_0_10 = false, epilepsy = false, first_year_complete = false,
       esn_first_year = false, esn_in_year = false, caries_extraction = false, mental_health = false;
  std::optional<Days> first_epilepsy, last_esn;
};

ChildServices child_services(const ExtractPerson& p, Days day) {
  static const auto epil = refset_codes("epil");
  ChildServices c;
  const int age = age_on(p.birth_month, day);
  c.child = age >= 0 && age <= 17;
  c.aged_0_10 = age >= 0 && age <= 10;
  const Days year_ago = add_months(day, -12);
  for (const auto& e : p.events)
    if (e.date <= day && epil.count(e.code) && (!c.first_epilepsy || e.date < *c.first_epilepsy)) c.first_epilepsy = e.date;
  c.epilepsy = c.child && c.first_epilepsy.has_value();
  if (c.first_epilepsy)
    c.first_year_complete = *c.first_epilepsy > add_months(day, -24) && *c.first_epilepsy <= year_ago;
  for (const auto& k : p.community) {
    if (k.date > day) continue;
    if (k.service == "Epilepsy specialist nursing") {
      if (!c.last_esn || k.date > *c.last_esn) c.last_esn = k.date;
      if (c.first_epilepsy && k.date >= *c.first_epilepsy && k.date <= add_months(*c.first_epilepsy, 12))
        c.esn_first_year = true;
    }
    if (k.service == "Children and young people's mental health" && k.date > year_ago) c.mental_health = true;
  }
  c.esn_in_year = c.last_esn && *c.last_esn > year_ago;
  for (const auto& s : p.spells) {
    if (s.admission > day || s.admission <= year_ago) continue;
    const std::string px = s.procedure.substr(0, 3), dx = s.primary_diagnosis.substr(0, 3);
    c.caries_extraction = c.caries_extraction || ((px == "F09" || px == "F10") && dx == "K02");
  }
  return c;
}

TEST(LibraryChildren, EpilepsyToothExtractionsAndMentalHealthMatchTheExtractsEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const Days day = days_from_civil(2025, 3, 31);
  const auto run = run_definition("library:children", day);
  const auto& world = library_world();
  std::map<std::string, std::int64_t> dens;
  const auto nums = expect_monthly_counts(run, [&](const ExtractPerson& p, Days end, Tally& want) {
    const ChildServices c = child_services(p, end);
    tally(want, "cyp_epilepsy_specialist_nurse_first_year", c.epilepsy && c.first_year_complete, c.esn_first_year);
    tally(want, "cyp_epilepsy_specialist_nurse_12m", c.epilepsy, c.esn_in_year);
    tally(want, "cyp_tooth_extraction_caries_0_10", c.aged_0_10, c.caries_extraction);
    tally(want, "cyp_mental_health_access", c.child, c.mental_health);
    dens["epilepsy"] += c.epilepsy;
  });
  // The comparison has substance: each measure counts people in its numerator over the year.
  EXPECT_GT(dens["epilepsy"], 12 * 3);
  EXPECT_GT(nums.at("cyp_epilepsy_specialist_nurse_12m"), 12);
  EXPECT_GT(nums.at("cyp_tooth_extraction_caries_0_10"), 6);
  EXPECT_GT(nums.at("cyp_mental_health_access"), 12 * 30);

  // The worklist: every registered child with epilepsy and no specialist nurse in 12 months, with
  // the evidence (first epilepsy code, last nurse contact, learning disability).
  static const auto ld = refset_codes("ld");
  std::map<std::string, std::string> want, got;
  for (const auto& p : world.people) {
    if (!registered_on(p, day)) continue;
    const ChildServices c = child_services(p, day);
    if (!c.epilepsy || c.esn_in_year) continue;
    bool has_ld = false;
    for (const auto& e : p.events) has_ld = has_ld || (e.date <= day && ld.count(e.code));
    want[p.nhs_number] = format_iso_date(*c.first_epilepsy) + "," + (c.last_esn ? format_iso_date(*c.last_esn) : "") +
                         "," + (has_ld ? "true" : "false");
  }
  ASSERT_TRUE(run.worklists.count("cyp_epilepsy_no_specialist_nurse"));
  for (const auto& [nhs, row] : run.worklists.at("cyp_epilepsy_no_specialist_nurse"))
    got[nhs] = row.at("first_epilepsy") + "," + row.at("last_esn") + "," + row.at("learning_disability");
  EXPECT_EQ(got, want);
  EXPECT_GT(want.size(), 0u);
}

}  // namespace
}  // namespace severn::testing
