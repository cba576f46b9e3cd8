// library:copd against a hand computation from the GP extract for every month and person.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"

namespace severn::testing {
namespace {

// The flu season a day falls in: the year of the 1 September it started on.
int season_of(Days d) {
  const CivilDate c = civil_from_days(d);
  return c.month >= 9 ? c.year : c.year - 1;
}

struct Copd {
  bool on_register = false, flu = false, covid = false, pneumo = false;
};

Copd copd(const ExtractPerson& p, Days day) {
  static const auto reg = refset_codes("copd"), res = refset_codes("copdres"),
                    flu = severn_codes("snomed-flu-vaccination.csv"), covid = severn_codes("snomed-covid-vaccination.csv"),
                    pneumo = severn_codes("snomed-pneumococcal-vaccination.csv");
  Copd c;
  std::optional<Days> last, last_res;
  const Days year_ago = add_months(day, -12);
  for (const auto& e : p.events) {
    if (e.date > day) continue;
    if (reg.count(e.code) && (!last || e.date >= *last)) last = e.date;
    if (res.count(e.code) && (!last_res || e.date >= *last_res)) last_res = e.date;
    const bool this_season = e.date > year_ago && season_of(e.date) == season_of(day);
    c.flu = c.flu || (flu.count(e.code) && this_season);
    c.covid = c.covid || (covid.count(e.code) && this_season);
    c.pneumo = c.pneumo || pneumo.count(e.code);
  }
  c.on_register = last && (!last_res || *last_res < *last);
  return c;
}

TEST(LibraryCopd, VaccinationsMatchTheExtractEveryMonth) {
  SEVERN_REQUIRE_PACK();
  const auto run = run_definition("library:copd", days_from_civil(2025, 3, 31));
  const auto& world = library_world();
  std::int64_t on_register = 0;
  for (int m = 0; m < 12; ++m) {
    const Days start = days_from_civil(2024 + (3 + m) / 12, (3 + m) % 12 + 1, 1);
    const Days end = add_months(start, 1) - 1;
    std::pair<std::int64_t, std::int64_t> flu{0, 0}, covid{0, 0}, pneumo{0, 0};
    for (const auto& p : world.people) {
      if (!registered_on(p, end)) continue;
      const Copd c = copd(p, end);
      if (!c.on_register) continue;
      ++flu.second, ++covid.second, ++pneumo.second;
      flu.first += c.flu;
      covid.first += c.covid;
      pneumo.first += c.pneumo;
    }
    const std::string month = format_iso_date(start);
    EXPECT_EQ(counts_of(run.measures, "copd_flu_vaccinated", month), std::make_optional(flu)) << month;
    EXPECT_EQ(counts_of(run.measures, "copd_covid_vaccinated", month), std::make_optional(covid)) << month;
    EXPECT_EQ(counts_of(run.measures, "copd_pneumococcal_vaccinated", month), std::make_optional(pneumo)) << month;
    on_register += flu.second;
    if (m == 5) {
      EXPECT_LT(flu.first * 2, flu.second) << "September: the new season has only just started";
    }
  }
  EXPECT_GT(on_register, 12 * 50);
}

}  // namespace
}  // namespace severn::testing
