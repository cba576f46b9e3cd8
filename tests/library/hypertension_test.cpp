// library:hypertension against a hand computation from the GP extract.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

// CVDP001HYP: latest hypertension code not followed by a resolution code, on or before the day.
bool on_register(const ExtractPerson& p, Days on, const std::set<std::string>& hyp, const std::set<std::string>& res) {
  std::optional<Days> last_hyp, last_res;
  for (const auto& e : p.events) {
    if (e.date > on) continue;
    if (hyp.count(e.code) && (!last_hyp || e.date >= *last_hyp)) last_hyp = e.date;
    if (res.count(e.code) && (!last_res || e.date >= *last_res)) last_res = e.date;
  }
  return last_hyp && (!last_res || *last_res < *last_hyp);
}

TEST(LibraryHypertension, Cvdp001PrevalenceMatchesTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto hyp = pack_codes("nhsd-primary-care-domain-refsets-hyp_cod.csv");
  const auto res = pack_codes("nhsd-primary-care-domain-refsets-hypres_cod.csv");
  const auto run = run_definition("library:hypertension", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  int months = 0;
  std::int64_t on_register_total = 0;
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const CivilDate s = civil_from_days(start);
    const Days end = days_from_civil(s.month == 12 ? s.year + 1 : s.year, s.month == 12 ? 1 : s.month + 1, 1) - 1;
    std::int64_t num = 0, den = 0;
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      ++den;
      num += on_register(p, end, hyp, res) ? 1 : 0;
    }
    const auto got = counts_of(run.measures, "cvdp001hyp_prevalence", format_iso_date(start));
    ASSERT_TRUE(got) << format_iso_date(start);
    EXPECT_EQ(got->first, num) << format_iso_date(start);
    EXPECT_EQ(got->second, den) << format_iso_date(start);
    on_register_total += num;
    ++months;
  }
  EXPECT_EQ(months, 12);
  EXPECT_GT(on_register_total, 12 * 300);  // the register is not empty: the comparison has substance
  // The dataset's flag, person by person, on the index date.
  const auto rows = dataset_by_pseudonym(run.dataset);
  std::size_t compared = 0;
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    ASSERT_EQ(it != rows.end(), registered_on(p, days_from_civil(2025, 3, 31))) << p.nhs_number;
    if (it == rows.end()) continue;
    EXPECT_EQ(it->second.at("hypertension_register"),
              on_register(p, days_from_civil(2025, 3, 31), hyp, res) ? "true" : "false") << p.nhs_number;
    ++compared;
  }
  EXPECT_GT(compared, 5000u);
}

struct BpState {
  bool on_register = false, recorded = false, at_target = false, raised = false, cvd_dm_ckd = false;
  std::optional<double> systolic, diastolic;
  int group = 0;  // 0: none
};

// The CVDPREVENT hypertension rules and the priority groups, by loops over the person's rows.
BpState bp_state(const ExtractPerson& p, Days day) {
  static const auto hyp = pack_codes("nhsd-primary-care-domain-refsets-hyp_cod.csv");
  static const auto res = pack_codes("nhsd-primary-care-domain-refsets-hypres_cod.csv");
  static const auto sbp = pack_codes("opensafely-systolic-blood-pressure-qof.csv");
  static const auto dbp = pack_codes("user-milanwiedemann-diastolic-blood-pressure-qof.csv");
  static const auto comorbid = [] {
    std::set<std::string> all;
    for (const char* r : {"chd", "strk", "tia", "pad", "dm", "ckd"}) {
      const auto s = pack_codes(std::string("nhsd-primary-care-domain-refsets-") + r + "_cod.csv");
      all.insert(s.begin(), s.end());
    }
    return all;
  }();
  BpState s;
  s.on_register = on_register(p, day, hyp, res);
  const Days from = add_months(day, -12);
  std::optional<Days> sbp_date, dbp_date;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    if (comorbid.count(e.code)) s.cvd_dm_ckd = true;
    if (e.date <= from) continue;
    if (sbp.count(e.code) && (!sbp_date || e.date >= *sbp_date)) sbp_date = e.date, s.systolic = e.value;
    if (dbp.count(e.code) && (!dbp_date || e.date >= *dbp_date)) dbp_date = e.date, s.diastolic = e.value;
  }
  const int age = age_on(p.birth_month, day);
  s.recorded = s.systolic && s.diastolic;
  if (s.recorded) {
    const double limit = age >= 80 ? 150 : 140;
    s.at_target = *s.systolic <= limit && *s.diastolic <= 90;
    s.raised = *s.systolic >= 140 || *s.diastolic >= 90;
  }
  if (s.on_register && age >= 18) {
    if (s.recorded && (*s.systolic >= 180 || *s.diastolic >= 120)) s.group = 1;
    else if (s.recorded && (*s.systolic >= 160 || *s.diastolic >= 100)) s.group = 2;
    else if (s.recorded && !s.at_target) s.group = s.cvd_dm_ckd ? 2 : 3;
    else if (!s.recorded) s.group = 4;
  }
  return s;
}

TEST(LibraryHypertension, TreatmentRecordingAndCaseFindingMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:hypertension", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  const auto nonzero = expect_monthly_counts(run, [](const ExtractPerson& p, Days end, Tally& want) {
    const int age = age_on(p.birth_month, end);
    const BpState s = bp_state(p, end);
    tally(want, "cvdp002hyp_treated_to_target_18_79", s.on_register && age >= 18 && age < 80, s.at_target);
    tally(want, "cvdp003hyp_treated_to_target_80plus", s.on_register && age >= 80, s.at_target);
    tally(want, "cvdp007hyp_treated_to_target", s.on_register && age >= 18, s.at_target);
    tally(want, "cvdp004hyp_bp_recorded", s.on_register && age >= 18, s.recorded);
    tally(want, "cvdp005hyp_raised_bp_undiagnosed", !s.on_register && age >= 18, s.raised);
  });
  EXPECT_EQ(nonzero.size(), 5u);
  for (const auto& [measure, n] : nonzero) EXPECT_GT(n, 12 * 20) << measure;

  const Days day = days_from_civil(2025, 3, 31);
  const auto rows = dataset_by_pseudonym(run.dataset);
  std::map<int, int> groups;
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const BpState s = bp_state(p, day);
    EXPECT_EQ(it->second.at("hypertension_priority_group"), s.group ? std::to_string(s.group) : "") << p.nhs_number;
    EXPECT_EQ(it->second.at("bp_treated_to_target"), s.at_target ? "true" : "false") << p.nhs_number;
    ++groups[s.group];
  }
  for (int g = 1; g <= 4; ++g) EXPECT_GT(groups[g], 0) << "priority group " << g << " is empty";
}

}  // namespace
}  // namespace severn::testing
