// library:frailty against a hand computation from the GP extract: the electronic Frailty Index
// (36 deficits, Clegg et al. 2016) of every registered person 65+, its category and the two
// measures for every month; and, as a sanity check (not equality), that the eFI follows the
// generator's true frailty.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

constexpr int kDeficits = 36;  // 35 from code lists, the 36th is polypharmacy

struct Efi {
  int deficits = 0;
  bool polypharmacy = false;
  std::string category;
};

// Code -> the eFI deficits (0..34) it marks. A deficit may have several lists.
const std::map<std::string, std::set<int>>& deficit_of_code() {
  static const auto m = [] {
    std::map<std::string, std::set<int>> out;
    int k = 0;
    auto add = [&](std::initializer_list<std::set<std::string>> lists) {
      for (const auto& list : lists)
        for (const auto& c : list) out[c].insert(k);
      ++k;
    };
    auto own = [](const char* name) { return severn_codes(std::string("snomed-efi-") + name + ".csv"); };
    add({own("activity-limitation")});
    add({own("anaemia")});
    add({own("arthritis"), refset_codes("rarth")});
    add({refset_codes("afib")});
    add({refset_codes("strk"), refset_codes("tia")});
    add({refset_codes("ckd")});
    add({refset_codes("dm")});
    add({own("dizziness")});
    add({own("dyspnoea")});
    add({own("falls")});
    add({own("foot-problems")});
    add({own("fragility-fracture")});
    add({own("hearing-impairment")});
    add({refset_codes("hf")});
    add({own("heart-valve-disease")});
    add({own("housebound")});
    add({refset_codes("hyp")});
    add({own("hypotension-syncope")});
    add({refset_codes("chd")});
    add({own("memory-problems"), refset_codes("dem")});
    add({own("mobility-problems")});
    add({refset_codes("osteo")});
    add({own("parkinsonism")});
    add({own("peptic-ulcer")});
    add({refset_codes("pad")});
    add({own("care-requirement"), refset_codes("carehome")});
    add({refset_codes("ast"), refset_codes("copd")});
    add({own("skin-ulcer")});
    add({own("sleep-disturbance")});
    add({own("social-vulnerability")});
    add({own("thyroid-disease")});
    add({own("urinary-incontinence")});
    add({own("urinary-system-disease")});
    add({own("visual-impairment")});
    add({own("weight-loss")});
    EXPECT_EQ(k, kDeficits - 1);
    return out;
  }();
  return m;
}

Efi efi_of(const ExtractPerson& p, Days day) {
  const auto& of = deficit_of_code();
  std::set<int> present;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    const auto it = of.find(e.code);
    if (it != of.end()) present.insert(it->second.begin(), it->second.end());
  }
  std::set<std::string> drugs;
  const Days year_ago = add_months(day, -12);
  for (const auto& m : p.medications)
    if (m.date > year_ago && m.date <= day) drugs.insert(m.code);
  Efi e;
  e.polypharmacy = drugs.size() >= 5;
  e.deficits = static_cast<int>(present.size()) + (e.polypharmacy ? 1 : 0);
  // Categories on the unrounded score: fit <= 0.12, mild <= 0.24, moderate <= 0.36, severe above.
  const double score = static_cast<double>(e.deficits) / kDeficits;
  e.category = score > 0.36 ? "severe" : score > 0.24 ? "moderate" : score > 0.12 ? "mild" : "fit";
  return e;
}

TEST(LibraryFrailty, ElectronicFrailtyIndexMatchesTheExtractEveryMonthAndPerson) {
  SEVERN_REQUIRE_PACK();
  const Days end = days_from_civil(2025, 3, 31);
  const auto run = run_definition("library:frailty", end);
  const auto& world = library_world();
  const auto numerators = expect_monthly_counts(run, [](const ExtractPerson& p, Days day, Tally& want) {
    if (age_on(p.birth_month, day) < 65) return;
    const Efi e = efi_of(p, day);
    tally(want, "efi_moderate_severe_65plus", true, e.category == "moderate" || e.category == "severe");
    tally(want, "efi_severe_65plus", true, e.category == "severe");
  });
  EXPECT_EQ(numerators.size(), 2u);
  for (const auto& [measure, n] : numerators) EXPECT_GT(n, 12 * 10) << measure;

  const auto rows = dataset_by_pseudonym(run.dataset);
  std::map<std::string, int> categories;
  std::size_t in_dataset = 0;
  for (const auto& p : world.people) {
    const bool in = registered_on(p, end) && age_on(p.birth_month, end) >= 65;
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    ASSERT_EQ(it != rows.end(), in) << p.nhs_number;
    if (!in) continue;
    ++in_dataset;
    const Efi e = efi_of(p, end);
    EXPECT_EQ(it->second.at("efi_deficits"), std::to_string(e.deficits)) << p.nhs_number;
    EXPECT_NEAR(std::stod(it->second.at("efi_score")), static_cast<double>(e.deficits) / kDeficits, 1e-6) << p.nhs_number;
    EXPECT_EQ(it->second.at("efi_category"), e.category) << p.nhs_number;
    EXPECT_EQ(it->second.at("efi_polypharmacy"), e.polypharmacy ? "true" : "false") << p.nhs_number;
    ++categories[e.category];
  }
  EXPECT_EQ(rows.size(), in_dataset);
  EXPECT_EQ(categories.size(), 4u);  // every category has people: the cut-offs are exercised
}

// Not equality: the generator sets a deficit count in the eFI band of each person's true
// frailty, and the record's own conditions and drugs can push it up. So the mean count must rise
// with true frailty, and most people's eFI category must be their true level or one above.
TEST(LibraryFrailty, ElectronicFrailtyIndexFollowsTheTrueFrailty) {
  SEVERN_REQUIRE_PACK();
  const Days end = days_from_civil(2025, 3, 31);
  const auto& world = library_world();
  const std::map<std::string, int> level = {{"fit", 0}, {"mild", 1}, {"moderate", 2}, {"severe", 3}};
  std::map<int, std::pair<double, int>> by_truth;  // true level -> (sum of deficits, people)
  int agree = 0, people = 0;
  for (const auto& p : world.people) {
    if (!registered_on(p, end) || age_on(p.date_of_birth, end) < 66) continue;  // 65+ all record year
    const Efi e = efi_of(p, end);
    const int truth = level.at(p.truth.at("frailty"));
    by_truth[truth].first += e.deficits;
    ++by_truth[truth].second;
    const int got = level.at(e.category);
    agree += got == truth || got == truth + 1;
    ++people;
  }
  ASSERT_EQ(by_truth.size(), 4u);
  for (int k = 1; k < 4; ++k)
    EXPECT_GT(by_truth[k].first / by_truth[k].second, by_truth[k - 1].first / by_truth[k - 1].second) << k;
  EXPECT_GT(agree, people * 8 / 10) << agree << " of " << people;
}

}  // namespace
}  // namespace severn::testing
