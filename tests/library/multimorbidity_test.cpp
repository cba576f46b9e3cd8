// library:multimorbidity against a hand computation from the GP and cancer registry extracts: the
// Cambridge Multimorbidity Score (general-outcome weights) of every registered adult, and the
// share of adults scoring 2.0 or more, for every month.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

double cms_of(const ExtractPerson& p, Days day) {
  // Added in the definition's order, so that the floating-point sum is the same.
  struct Ever {
    std::vector<std::set<std::string>> lists;
    double weight;
  };
  static const auto hyp = refset_codes("hyp"), hypres = refset_codes("hypres"), dm = refset_codes("dm"),
                    dmres = refset_codes("dmres"), copd = refset_codes("copd"), copdres = refset_codes("copdres");
  static const std::vector<Ever> ever = {
      {{refset_codes("depr")}, 0.50}, {{refset_codes("ast")}, 0.19},  {{refset_codes("afib")}, 1.34},
      {{refset_codes("ckd")}, 0.53},  {{refset_codes("rarth")}, 0.43}, {{refset_codes("chd")}, 0.49},
      {{refset_codes("dem")}, 2.50},  {{refset_codes("epil")}, 0.92},  {{refset_codes("hf")}, 1.18},
      {{refset_codes("mh")}, 0.64},   {{refset_codes("strk"), refset_codes("tia")}, 0.80},
      {{severn_codes("snomed-efi-hearing-impairment.csv")}, 0.09}};
  std::vector<bool> has(ever.size(), false);
  std::optional<Days> last_hyp, last_hypres, last_dm, last_dmres, last_copd, last_copdres;
  auto latest = [](std::optional<Days>& d, Days x) { if (!d || x > *d) d = x; };
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    for (std::size_t k = 0; k < ever.size(); ++k)
      for (const auto& list : ever[k].lists) has[k] = has[k] || list.count(e.code);
    if (hyp.count(e.code)) latest(last_hyp, e.date);
    if (hypres.count(e.code)) latest(last_hypres, e.date);
    if (dm.count(e.code)) latest(last_dm, e.date);
    if (dmres.count(e.code)) latest(last_dmres, e.date);
    if (copd.count(e.code)) latest(last_copd, e.date);
    if (copdres.count(e.code)) latest(last_copdres, e.date);
  }
  auto open = [](const std::optional<Days>& on, const std::optional<Days>& off) { return on && (!off || *off < *on); };
  bool cancer = false;
  for (const auto& c : p.cancers) cancer = cancer || c.diagnosis <= day;
  auto w = [&](std::size_t k) { return has[k] ? ever[k].weight : 0.0; };
  // hyp, depr, asthma, AF, cancer, CKD, RA, COPD, CHD, dementia, diabetes, epilepsy, HF, SMI,
  // stroke/TIA, hearing.
  double s = open(last_hyp, last_hypres) ? 0.08 : 0.0;
  s = s + w(0);
  s = s + w(1);
  s = s + w(2);
  s = s + (cancer ? 1.53 : 0.0);
  s = s + w(3);
  s = s + w(4);
  s = s + (open(last_copd, last_copdres) ? 1.46 : 0.0);
  s = s + w(5);
  s = s + w(6);
  s = s + (open(last_dm, last_dmres) ? 0.75 : 0.0);
  s = s + w(7);
  s = s + w(8);
  s = s + w(9);
  s = s + w(10);
  s = s + w(11);
  return s;
}

TEST(LibraryMultimorbidity, CambridgeScoreMatchesTheExtractsEveryMonthAndPerson) {
  SEVERN_REQUIRE_PACK();
  const Days end = days_from_civil(2025, 3, 31);
  const auto run = run_definition("library:multimorbidity", end);
  const auto& world = library_world();
  const auto numerators = expect_monthly_counts(run, [](const ExtractPerson& p, Days day, Tally& want) {
    if (age_on(p.birth_month, day) < 18) return;
    tally(want, "cms_2plus_adults", true, cms_of(p, day) >= 2.0);
  });
  ASSERT_EQ(numerators.size(), 1u);
  EXPECT_GT(numerators.at("cms_2plus_adults"), 12 * 50);

  const auto rows = dataset_by_pseudonym(run.dataset);
  std::size_t in_dataset = 0, with_hearing_weight = 0;
  for (const auto& p : world.people) {
    const bool in = registered_on(p, end) && age_on(p.birth_month, end) >= 18;
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    ASSERT_EQ(it != rows.end(), in) << p.nhs_number;
    if (!in) continue;
    ++in_dataset;
    const double s = cms_of(p, end);
    EXPECT_NEAR(std::stod(it->second.at("cms_general")), s, 1e-9) << p.nhs_number;
    with_hearing_weight += std::abs(s - 0.09) < 1e-9 ? 1 : 0;
  }
  EXPECT_EQ(rows.size(), in_dataset);
  EXPECT_GT(with_hearing_weight, 10u);  // people whose only condition is hearing loss: it is scored
}

}  // namespace
}  // namespace severn::testing
