// library:atrial_fibrillation against a hand computation from the GP extract: the AF register,
// CHA2DS2-VASc from its parts, anticoagulation in the last 6 months, for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

struct AfLists {
  std::set<std::string> af = refset_codes("afib"), hf = refset_codes("hf"), hflvsd = refset_codes("hflvsd"), hyp = refset_codes("hyp"),
                        hypres = refset_codes("hypres"), dm = refset_codes("dm"), dmres = refset_codes("dmres"), stroke = refset_codes("strk"),
                        tia = refset_codes("tia"), chd = refset_codes("chd"), pad = refset_codes("pad");
  std::set<std::string> anticoagulants = [] {
    auto a = severn_codes("dmd-anticoagulants-doac.csv");
    const auto w = severn_codes("dmd-warfarin.csv");
    a.insert(w.begin(), w.end());
    return a;
  }();
};

struct AfState {
  bool on_register = false, anticoagulated = false;
  int score = 0;
};

// Everything by plain loops over the person's rows, on the day.
AfState af_state(const ExtractPerson& p, Days day, const AfLists& l) {
  std::optional<Days> last_hyp, last_hypres, last_dm, last_dmres;
  bool af = false, hf = false, stroke_tia = false, vascular = false;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    const auto latest = [&](const std::set<std::string>& s, std::optional<Days>& d) {
      if (s.count(e.code) && (!d || e.date >= *d)) d = e.date;
    };
    af = af || l.af.count(e.code);
    hf = hf || l.hf.count(e.code) || l.hflvsd.count(e.code);
    stroke_tia = stroke_tia || l.stroke.count(e.code) || l.tia.count(e.code);
    vascular = vascular || l.chd.count(e.code) || l.pad.count(e.code);
    latest(l.hyp, last_hyp);
    latest(l.hypres, last_hypres);
    latest(l.dm, last_dm);
    latest(l.dmres, last_dmres);
  }
  const bool hyp = last_hyp && (!last_hypres || *last_hypres < *last_hyp);
  const bool dm = last_dm && (!last_dmres || *last_dmres < *last_dm);
  const int age = age_on(p.birth_month, day);
  AfState s;
  s.on_register = af;
  s.score = (hf ? 1 : 0) + (hyp ? 1 : 0) + (age >= 75 ? 2 : age >= 65 ? 1 : 0) + (dm ? 1 : 0) + (stroke_tia ? 2 : 0) +
            (vascular ? 1 : 0) + (p.sex == "F" ? 1 : 0);
  const Days six_months_before = add_months(day, -6);
  for (const auto& m : p.medications)
    if (m.date <= day && m.date > six_months_before && l.anticoagulants.count(m.code)) s.anticoagulated = true;
  return s;
}

TEST(LibraryAtrialFibrillation, RegisterScoreAndAnticoagulationMatchTheExtract) {
  SEVERN_REQUIRE_PACK();
  const AfLists lists;
  const auto run = run_definition("library:atrial_fibrillation", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::int64_t high_risk_total = 0;
  expect_monthly_counts(run, [&](const ExtractPerson& p, Days end, Tally& want) {
    const AfState s = af_state(p, end, lists);
    tally(want, "af_prevalence", true, s.on_register);
    tally(want, "af_high_risk_anticoagulated", s.on_register && s.score >= 2, s.anticoagulated);
    high_risk_total += s.on_register && s.score >= 2;
  });
  EXPECT_GT(high_risk_total, 12 * 60);

  const Days day = days_from_civil(2025, 3, 31);
  const auto rows = dataset_by_pseudonym(run.dataset);
  std::map<int, int> scores;
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const AfState s = af_state(p, day, lists);
    EXPECT_EQ(it->second.at("af_register"), s.on_register ? "true" : "false") << p.nhs_number;
    EXPECT_EQ(it->second.at("cha2ds2_vasc"), std::to_string(s.score)) << p.nhs_number;
    EXPECT_EQ(it->second.at("af_anticoagulated"), s.anticoagulated ? "true" : "false") << p.nhs_number;
    ++scores[s.score];
  }
  EXPECT_GE(scores.size(), 7u);  // the score takes most of its values 0..9: every part is exercised
}

}  // namespace
}  // namespace severn::testing
