// library:lipids against a hand computation from the GP extract for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

struct Lipids {
  bool cvd = false, primary = false, statin = false;
};

Lipids lipids(const ExtractPerson& p, Days day) {
  static const auto cvd_codes = [] {
    std::set<std::string> s;
    for (const char* r : {"chd", "strk", "tia", "pad"}) {
      const auto x = refset_codes(r);
      s.insert(x.begin(), x.end());
    }
    return s;
  }();
  static const auto qrisk = severn_codes("snomed-qrisk.csv");
  static const auto statin = pack_codes("opensafely-statin-medication.csv");
  Lipids l;
  std::optional<Days> qrisk_date;
  std::optional<double> score;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    l.cvd = l.cvd || cvd_codes.count(e.code);
    if (qrisk.count(e.code) && (!qrisk_date || e.date >= *qrisk_date)) qrisk_date = e.date, score = e.value;
  }
  const int age = age_on(p.birth_month, day);
  l.primary = !l.cvd && age >= 18 && age <= 84 && score && *score >= 10;
  std::optional<Days> last;
  for (const auto& m : p.medications)
    if (m.date <= day && statin.count(m.code) && (!last || m.date >= *last)) last = m.date;
  l.statin = last && *last > add_months(day, -6);
  return l;
}

TEST(LibraryLipids, SecondaryAndPrimaryPreventionMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:lipids", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::int64_t primary_total = 0, cvd_total = 0;
  expect_monthly_counts(run, [&](const ExtractPerson& p, Days end, Tally& want) {
    const Lipids l = lipids(p, end);
    tally(want, "lipids_cvd_on_lipid_lowering", l.cvd, l.statin);
    tally(want, "lipids_qrisk10_on_statin", l.primary, l.statin);
    cvd_total += l.cvd;
    primary_total += l.primary;
  });
  EXPECT_GT(cvd_total, 12 * 100);
  EXPECT_GT(primary_total, 12 * 100);
  const auto rows = dataset_by_pseudonym(run.dataset);
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const Lipids l = lipids(p, days_from_civil(2025, 3, 31));
    EXPECT_EQ(it->second.at("lipids_cvd"), l.cvd ? "true" : "false");
    EXPECT_EQ(it->second.at("lipids_on_statin"), l.statin ? "true" : "false");
  }
}

}  // namespace
}  // namespace severn::testing
