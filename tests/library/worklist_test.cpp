// `worklist NAME when COND show ...` and `severn run --worklists`: who is on a list, by PCN, with
// identity from the store and the evidence shown, checked against a hand computation.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "library/library_fixture.h"
#include "refdata/codelists.h"

namespace severn::testing {
namespace {

std::set<std::string> pack_codes(const std::string& file) {
  const auto list = refdata::parse_codelist(read_text(std::string(SEVERN_TEST_DATA_DIR) + "/codelists/" + file), file, file);
  return {list.codes.begin(), list.codes.end()};
}

TEST(Worklist, EveryoneOnTheListAndNobodyElseWithIdentityAndEvidence) {
  SEVERN_REQUIRE_PACK();
  Scratch s("worklist");
  write_text(s.dir() / "def.sev",
             "codelist af = \"nhsd-primary-care-domain-refsets-afib_cod.csv\"\n"
             "let first_af = clinical_events.where(code in af and date <= index_date).first().date\n"
             "let af_codes = clinical_events.where(code in af and date <= index_date).count()\n"
             "population registered_on(index_date)\n"
             "worklist af_register when first_af is not null show first_af, af_codes\n");
  const Days day = days_from_civil(2025, 3, 31);
  const auto& world = library_world();
  const auto checked = lang::check_file((s.dir() / "def.sev").string(), {std::string(SEVERN_TEST_DATA_DIR) + "/codelists"});
  measures::RunOptions o;
  o.out = s.dir() / "out";
  o.index_date = day;
  o.threads = 2;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  o.worklists = true;
  // Every identity read goes through the store's identity area, which tells this observer.
  std::vector<std::string> purposes;
  std::size_t people_read = 0;
  o.identity_observer = [&](const store::IdentityAccess& a) {
    purposes.push_back(a.context->who + ": " + a.context->purpose);
    people_read += a.person_ids->size();
    EXPECT_FALSE(store::has(a.fields, store::IdentityField::kPostcode));  // a worklist shows no postcode
  };
  const auto summary = measures::run_definition(*world.store, checked, o);
  EXPECT_EQ(purposes, std::vector<std::string>{"severn run: worklist af_register"});

  // By hand: registered on the day, with an AF code on or before it.
  const auto af = pack_codes("nhsd-primary-care-domain-refsets-afib_cod.csv");
  std::map<std::string, std::string> want;  // NHS number -> "first_af,af_codes"
  for (const auto& p : world.people) {
    if (!registered_on(p, day)) continue;
    std::optional<Days> first;
    int n = 0;
    for (const auto& e : p.events)
      if (e.date <= day && af.count(e.code)) {
        ++n;
        if (!first || e.date < *first) first = e.date;
      }
    if (first) want[p.nhs_number] = format_iso_date(*first) + "," + std::to_string(n);
  }
  ASSERT_GT(want.size(), 50u);
  ASSERT_EQ(summary.worklists.size(), 1u);
  EXPECT_EQ(summary.worklists[0].people, want.size());
  EXPECT_EQ(people_read, want.size());

  const auto root = o.out / "worklists";
  EXPECT_EQ(std::filesystem::status(root).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  const CsvTable index = CsvTable::read_file(root / "index.csv");
  std::map<std::string, std::string> got;
  std::set<std::string> pcns;
  for (std::size_t r = 0; r < index.rows(); ++r) {
    const auto file = root / index.cell(r, "file");
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const CsvTable t = CsvTable::read_file(file);
    EXPECT_EQ(std::to_string(t.rows()), index.cell(r, "people"));
    EXPECT_TRUE(pcns.insert(index.cell(r, "pcn")).second) << "one file per PCN";
    std::tuple<std::string, std::string, std::string> previous;
    for (std::size_t i = 0; i < t.rows(); ++i) {
      EXPECT_EQ(t.cell(i, "pcn"), index.cell(r, "pcn"));
      got[t.cell(i, "nhs_number")] = t.cell(i, "first_af") + "," + t.cell(i, "af_codes");
      // Identity is the person's own, from the GP extract.
      const auto& p = *std::find_if(world.people.begin(), world.people.end(),
                                    [&](const ExtractPerson& x) { return x.nhs_number == t.cell(i, "nhs_number"); });
      EXPECT_EQ(t.cell(i, "date_of_birth"), format_iso_date(p.date_of_birth));
      EXPECT_EQ(t.cell(i, "age"), std::to_string(age_on(p.date_of_birth, day)));
      EXPECT_FALSE(t.cell(i, "family_name").empty());
      const auto key = std::make_tuple(t.cell(i, "practice"), t.cell(i, "family_name"), t.cell(i, "given_name"));
      EXPECT_LE(previous, key) << "rows in practice, then name order";
      previous = key;
    }
  }
  EXPECT_EQ(got, want);
  EXPECT_GT(pcns.size(), 3u);
}

TEST(Worklist, NotWrittenUnlessAskedAndRecordedInRunJson) {
  SEVERN_REQUIRE_PACK();
  Scratch s("worklist-off");
  write_text(s.dir() / "def.sev",
             "let age = patients.age_on(index_date)\npopulation registered_on(index_date)\n"
             "worklist older when age >= 90 show age_years\n");
  EXPECT_THROW(lang::check_file((s.dir() / "def.sev").string(), {}), InputError);  // age_years is unknown
  write_text(s.dir() / "def.sev",
             "let years = patients.age_on(index_date)\npopulation registered_on(index_date)\n"
             "worklist older when years >= 90 show years\n");
  measures::RunOptions o;
  o.out = s.dir() / "out";
  o.index_date = days_from_civil(2025, 3, 31);
  o.data_dir = SEVERN_TEST_DATA_DIR;
  measures::run_definition(*library_world().store, lang::check_file((s.dir() / "def.sev").string(), {}), o);
  EXPECT_FALSE(std::filesystem::exists(o.out / "worklists"));
  EXPECT_NE(read_text(o.out / "run.json").find("\"worklists\": {\"written\": false, \"lists\": [{\"name\": \"older\"}]}"),
            std::string::npos)
      << read_text(o.out / "run.json");
}

}  // namespace
}  // namespace severn::testing
