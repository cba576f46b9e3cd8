// library:segmentation against a hand computation from the GP, hospital, A&E and registry
// extracts: long-term conditions, recorded frailty, the pyramid of need and the proactive-care
// cohort, for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

struct Segment {
  int ltcs = 0, admissions = 0, ae = 0;
  std::string frailty = "none recorded", segment;
  bool proactive = false;
};

Segment segment_of(const ExtractPerson& p, Days day) {
  // Registers counted once each; stroke and TIA are one condition.
  static const std::vector<std::vector<std::set<std::string>>> ever = [] {
    std::vector<std::vector<std::set<std::string>>> v;
    for (const char* r : {"ckd", "chd", "afib", "hf", "pad", "ast", "mh", "depr", "dem", "ld", "epil", "osteo", "rarth"})
      v.push_back({refset_codes(r)});
    v.push_back({refset_codes("strk"), refset_codes("tia")});
    return v;
  }();
  static const std::vector<std::pair<std::set<std::string>, std::set<std::string>>> resolvable = {
      {refset_codes("hyp"), refset_codes("hypres")}, {refset_codes("dm"), refset_codes("dmres")}, {refset_codes("copd"), refset_codes("copdres")}};
  static const auto mild = refset_codes("mildfrail"), mod = refset_codes("modfrail"), sev = refset_codes("sevfrail"), home = refset_codes("carehome"),
                    pal = refset_codes("palcare");
  Segment s;
  std::vector<bool> has(ever.size(), false);
  std::vector<std::optional<Days>> last(resolvable.size()), last_res(resolvable.size());
  std::optional<Days> frailty_date;
  bool care_home = false, palliative = false;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    for (std::size_t k = 0; k < ever.size(); ++k)
      for (const auto& list : ever[k]) has[k] = has[k] || list.count(e.code);
    for (std::size_t k = 0; k < resolvable.size(); ++k) {
      if (resolvable[k].first.count(e.code) && (!last[k] || e.date >= *last[k])) last[k] = e.date;
      if (resolvable[k].second.count(e.code) && (!last_res[k] || e.date >= *last_res[k])) last_res[k] = e.date;
    }
    if ((mild.count(e.code) || mod.count(e.code) || sev.count(e.code)) && (!frailty_date || e.date >= *frailty_date)) {
      frailty_date = e.date;
      s.frailty = sev.count(e.code) ? "severe" : mod.count(e.code) ? "moderate" : "mild";
    }
    care_home = care_home || home.count(e.code);
    palliative = palliative || pal.count(e.code);
  }
  for (const bool h : has) s.ltcs += h;
  for (std::size_t k = 0; k < resolvable.size(); ++k) s.ltcs += last[k] && (!last_res[k] || *last_res[k] < *last[k]);
  bool cancer = false;
  for (const auto& c : p.cancers) cancer = cancer || c.diagnosis <= day;
  s.ltcs += cancer;
  const Days year_ago = add_months(day, -12);
  static const std::set<std::string> emergency = {"21", "22", "23", "24", "25", "28", "2A", "2B", "2C", "2D"};
  for (const auto& sp : p.spells) s.admissions += sp.admission > year_ago && sp.admission <= day && emergency.count(sp.method);
  for (const Days a : p.ae_arrivals) s.ae += a > year_ago && a <= day;
  const bool complex = s.frailty == "moderate" || s.frailty == "severe" || care_home || palliative || s.ltcs >= 4 ||
                       (s.ltcs >= 2 && s.admissions >= 1);
  s.segment = complex ? "complex needs" : s.ltcs >= 1 ? "long-term conditions" : "generally well";
  s.proactive = age_on(p.birth_month, day) >= 18 &&
                (s.frailty == "moderate" || s.frailty == "severe" || (s.ltcs >= 4 && (s.admissions >= 1 || s.ae >= 2)));
  return s;
}

TEST(LibrarySegmentation, ConditionsFrailtyPyramidAndCohortMatchTheExtractsEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:segmentation", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  const auto numerators = expect_monthly_counts(run, [](const ExtractPerson& p, Days end, Tally& want) {
    const Segment s = segment_of(p, end);
    const int age = age_on(p.birth_month, end);
    tally(want, "multimorbidity_2plus", true, s.ltcs >= 2);
    tally(want, "multimorbidity_4plus", true, s.ltcs >= 4);
    tally(want, "pyramid_complex_needs", true, s.segment == "complex needs");
    tally(want, "pyramid_long_term_conditions", true, s.segment == "long-term conditions");
    tally(want, "frailty_moderate_severe_65plus", age >= 65, s.frailty == "moderate" || s.frailty == "severe");
    tally(want, "proactive_care_cohort_adults", age >= 18, s.proactive);
  });
  EXPECT_EQ(numerators.size(), 6u);
  for (const auto& [measure, n] : numerators) EXPECT_GT(n, 12 * 10) << measure;

  const auto rows = dataset_by_pseudonym(run.dataset);
  std::map<std::string, int> segments;
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const Segment s = segment_of(p, days_from_civil(2025, 3, 31));
    EXPECT_EQ(it->second.at("long_term_conditions"), std::to_string(s.ltcs)) << p.nhs_number;
    EXPECT_EQ(it->second.at("frailty_recorded"), s.frailty) << p.nhs_number;
    EXPECT_EQ(it->second.at("pyramid_segment"), s.segment) << p.nhs_number;
    EXPECT_EQ(it->second.at("proactive_care_cohort"), s.proactive ? "true" : "false") << p.nhs_number;
    ++segments[s.segment];
  }
  EXPECT_EQ(segments.size(), 3u);
}

}  // namespace
}  // namespace severn::testing
