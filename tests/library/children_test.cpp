// library:children against a hand computation from the GP extract for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"
#include "refdata/codelists.h"

namespace severn::testing {
namespace {

std::set<std::string> codes_in(const std::string& path) {
  const auto list = refdata::parse_codelist(read_text(path), path, path);
  return {list.codes.begin(), list.codes.end()};
}
std::set<std::string> pack(const std::string& r) {
  return codes_in(std::string(SEVERN_TEST_DATA_DIR) + "/codelists/nhsd-primary-care-domain-refsets-" + r + "_cod.csv");
}
std::set<std::string> own(const std::string& file) { return codes_in(std::string(SEVERN_SOURCE_DIR) + "/resources/codelists/" + file); }

struct Child {
  bool child = false, asthma = false, diabetes = false, preventer = false, hba1c = false, retinal = false;
  int saba = 0, age = 0;
};

Child child_state(const ExtractPerson& p, Days day) {
  static const auto ast = pack("ast"), dm = pack("dm"), dmres = pack("dmres"), hba1c = pack("ifcchbam");
  static const auto saba = own("dmd-saba.csv"), retinal = own("snomed-retinal-screening.csv");
  static const auto ics = [] {
    auto s = own("dmd-ics-inhalers.csv");
    const auto l = own("dmd-ics-laba.csv");
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
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const Days end = add_months(start, 1) - 1;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> want;
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      const Child c = child_state(p, end);
      if (!c.child) continue;
      const auto count = [&](const char* measure, bool den, bool num) {
        want[measure].second += den;
        want[measure].first += den && num;
      };
      count("cyp_asthma_saba_over_reliance", c.asthma, c.saba >= 6);
      count("cyp_asthma_no_preventer", c.asthma, !c.preventer);
      count("cyp_diabetes_hba1c_recorded", c.diabetes, c.hba1c);
      count("cyp_diabetes_retinal_screening_12plus", c.diabetes && c.age >= 12, c.retinal);
    }
    for (const auto& [measure, c] : want) {
      EXPECT_EQ(counts_of(run.measures, measure, format_iso_date(start)), std::make_optional(c)) << measure << " " << format_iso_date(start);
      dens[measure] += c.second;
    }
  }
  EXPECT_GT(dens["cyp_asthma_saba_over_reliance"], 12 * 20);
  EXPECT_GT(dens["cyp_diabetes_hba1c_recorded"], 0);
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
