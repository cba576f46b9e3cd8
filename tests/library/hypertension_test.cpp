// library:hypertension against a hand computation from the GP extract.
#include <gtest/gtest.h>

#include <set>

#include "library/library_fixture.h"
#include "refdata/codelists.h"

namespace severn::testing {
namespace {

std::set<std::string> codes_of(const std::string& pack_file) {
  const auto text = read_text(std::string(SEVERN_TEST_DATA_DIR) + "/codelists/" + pack_file);
  const auto list = refdata::parse_codelist(text, pack_file, pack_file);
  return {list.codes.begin(), list.codes.end()};
}

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
  const auto hyp = codes_of("nhsd-primary-care-domain-refsets-hyp_cod.csv");
  const auto res = codes_of("nhsd-primary-care-domain-refsets-hypres_cod.csv");
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

}  // namespace
}  // namespace severn::testing
