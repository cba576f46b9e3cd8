// library:diabetes against a hand computation from the GP extract: the register, the eight NDA
// care processes and the three treatment targets, for every month and every person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

struct Lists {
  std::set<std::string> dm = refset_codes("dm"), dmres = refset_codes("dmres"), hba1c = refset_codes("ifcchbam"),
                        sbp = pack_codes("opensafely-systolic-blood-pressure-qof.csv"),
                        dbp = pack_codes("user-milanwiedemann-diastolic-blood-pressure-qof.csv"), chol = refset_codes("chol2"),
                        creat = refset_codes("cre"), acr = severn_codes("snomed-urine-acr.csv"), foot = severn_codes("snomed-diabetic-foot-check.csv"),
                        bmi = refset_codes("bmival"), smoking = [] {
                          auto s = refset_codes("lsmok");
                          for (const auto& x : {refset_codes("exsmok"), severn_codes("snomed-never-smoked.csv")}) s.insert(x.begin(), x.end());
                          return s;
                        }(),
                        cvd = [] {
                          std::set<std::string> s;
                          for (const char* r : {"chd", "strk", "tia", "pad"}) {
                            const auto x = refset_codes(r);
                            s.insert(x.begin(), x.end());
                          }
                          return s;
                        }(),
                        statin = pack_codes("opensafely-statin-medication.csv");
};

struct Dm {
  bool in_audit = false, eligible = false, hba1c_ok = false, bp_ok = false, statin = false;
  int processes = 0;
  bool cp[8] = {};
};

Dm diabetes(const ExtractPerson& p, Days day, const Lists& l) {
  Dm d;
  std::optional<Days> last_dm, last_res, d_hba1c, d_sbp, d_dbp;
  std::optional<double> hba1c, sbp, dbp;
  bool cvd = false;
  const Days from = add_months(day, -12);
  bool seen_sbp = false, seen_dbp = false;
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    if (l.dm.count(e.code) && (!last_dm || e.date >= *last_dm)) last_dm = e.date;
    if (l.dmres.count(e.code) && (!last_res || e.date >= *last_res)) last_res = e.date;
    cvd = cvd || l.cvd.count(e.code);
    if (e.date <= from) continue;
    const auto latest = [&](const std::set<std::string>& s, std::optional<Days>& when, std::optional<double>& v) {
      if (s.count(e.code) && (!when || e.date >= *when)) when = e.date, v = e.value;
    };
    latest(l.hba1c, d_hba1c, hba1c);
    latest(l.sbp, d_sbp, sbp);
    latest(l.dbp, d_dbp, dbp);
    d.cp[0] = d.cp[0] || l.hba1c.count(e.code);
    seen_sbp = seen_sbp || l.sbp.count(e.code);
    seen_dbp = seen_dbp || l.dbp.count(e.code);
    d.cp[2] = d.cp[2] || l.chol.count(e.code);
    d.cp[3] = d.cp[3] || l.creat.count(e.code);
    d.cp[4] = d.cp[4] || l.acr.count(e.code);
    d.cp[5] = d.cp[5] || l.foot.count(e.code);
    d.cp[6] = d.cp[6] || l.bmi.count(e.code);
    d.cp[7] = d.cp[7] || l.smoking.count(e.code);
  }
  d.cp[1] = seen_sbp && seen_dbp;
  const int age = age_on(p.birth_month, day);
  d.in_audit = last_dm && (!last_res || *last_res < *last_dm) && age >= 12;
  for (const bool c : d.cp) d.processes += c;
  d.hba1c_ok = hba1c && *hba1c <= 58;
  d.bp_ok = sbp && dbp && *sbp <= 140 && *dbp <= 80;
  d.eligible = cvd || (age >= 40 && age <= 80);
  const Days six = add_months(day, -6);
  std::optional<Days> last_statin;
  for (const auto& m : p.medications)
    if (m.date <= day && l.statin.count(m.code) && (!last_statin || m.date >= *last_statin)) last_statin = m.date;
  d.statin = last_statin && *last_statin > six;
  return d;
}

TEST(LibraryDiabetes, CareProcessesAndTargetsMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const Lists lists;
  const auto run = run_definition("library:diabetes", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  const char* cp_names[8] = {"nda_cp_hba1c", "nda_cp_blood_pressure", "nda_cp_cholesterol", "nda_cp_creatinine",
                             "nda_cp_urine_albumin", "nda_cp_foot_surveillance", "nda_cp_bmi", "nda_cp_smoking"};
  const auto numerators = expect_monthly_counts(run, [&](const ExtractPerson& p, Days end, Tally& want) {
    const Dm d = diabetes(p, end, lists);
    if (!d.in_audit) return;
    for (int c = 0; c < 8; ++c) tally(want, cp_names[c], true, d.cp[c]);
    tally(want, "nda_all_eight_care_processes", true, d.processes == 8);
    tally(want, "nda_target_hba1c", true, d.hba1c_ok);
    tally(want, "nda_target_blood_pressure", true, d.bp_ok);
    tally(want, "nda_target_statin", d.eligible, d.statin);
    tally(want, "nda_all_three_targets", d.eligible, d.hba1c_ok && d.bp_ok && d.statin);
  });
  EXPECT_EQ(numerators.size(), 13u);
  for (const auto& [measure, n] : numerators) EXPECT_GT(n, 12) << measure;

  const auto rows = dataset_by_pseudonym(run.dataset);
  const Days day = days_from_civil(2025, 3, 31);
  for (const auto& p : world.people) {
    const auto it = rows.find(world.pseudonym_of.at(p.nhs_number));
    if (it == rows.end()) continue;
    const Dm d = diabetes(p, day, lists);
    EXPECT_EQ(it->second.at("nda_care_processes"), std::to_string(d.processes)) << p.nhs_number;
    EXPECT_EQ(it->second.at("nda_on_statin"), d.statin ? "true" : "false") << p.nhs_number;
  }
}

}  // namespace
}  // namespace severn::testing
