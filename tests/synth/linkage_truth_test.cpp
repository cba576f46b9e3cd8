// The synthetic ICS as a judge of linkage: twins and households are where a linker must not
// merge, partner records carry every kind of identity error at its set rate, and the ground truth
// names every error of every record, so accuracy can be measured by kind of error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "pack.h"
#include "synth/extract_files.h"
#include "synth/nicknames.h"
#include "synth/partner_codes.h"
#include "synth/person_identity.h"
#include "synth/perturbations.h"
#include "synth/synth_fixture.h"
#include "synth/twins.h"

namespace severn::synth {
namespace {

using testing::run_once;
using testing::small_config;

// The larger shared run of synth_test.cpp (generated once per test binary).
SynthConfig judge_run() { return small_config("gradients", 40000, 3); }

CsvTable table(Extract e) { return CsvTable::read_file(judge_run().out / spec(e).path); }

// A count drawn at random is within four standard deviations of what its rates call for.
void expect_count_near(double count, double expected, const std::string& what) {
  EXPECT_NEAR(count, expected, 4 * std::sqrt(std::max(expected, 1.0)) + 1) << what;
}

std::set<std::string> split(const std::string& s) {
  std::set<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t end = s.find(';', at);
    if (end == std::string::npos) end = s.size();
    out.insert(s.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// Optimal string alignment distance: one typo (a swap, drop, double or wrong letter) is 1.
int edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

struct TruePerson {
  std::string nhs, family, given, birth_family, sex, dob, postcode, previous_postcode, practice, household, role,
      twin, death;
};

std::vector<TruePerson> true_people() {
  const auto t = table(Extract::kTruthPersons);
  std::vector<TruePerson> out(t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    EXPECT_EQ(t.cell(r, "person_id"), std::to_string(r));
    out[r] = {t.cell(r, "nhs_number"),     t.cell(r, "family_name"),       t.cell(r, "given_name"),
              t.cell(r, "birth_family_name"), t.cell(r, "sex"),           t.cell(r, "date_of_birth"),
              t.cell(r, "postcode"),       t.cell(r, "previous_postcode"), t.cell(r, "practice_code"),
              t.cell(r, "household_id"),   t.cell(r, "household_role"),    t.cell(r, "twin_of"),
              t.cell(r, "date_of_death")};
  }
  return out;
}

// The perturbations of names, each checked exactly where it is a record's only name error.
constexpr const char* kNameKinds[] = {"previous_family_name", "family_name_one_part", "family_name_hyphenation",
                                      "family_name_typo",     "given_name_nickname",  "given_name_typo",
                                      "names_swapped"};

int age_at_end(const TruePerson& p) {
  const Days end = p.death.empty() ? judge_run().end_date : *parse_iso_date(p.death);
  return age_in_years(*parse_iso_date(p.dob), end);
}

TEST(SynthLinkage, TwinRateFollowsTheOnsSeries) {
  EXPECT_DOUBLE_EQ(multiple_maternity_rate(1976), 9.6);
  EXPECT_DOUBLE_EQ(multiple_maternity_rate(2011), 16.1);
  EXPECT_DOUBLE_EQ(multiple_maternity_rate(2013), 15.6);
  EXPECT_DOUBLE_EQ(multiple_maternity_rate(2040), 14.6);
  EXPECT_GT(multiple_maternity_rate(1995), 12.5);
  EXPECT_LT(multiple_maternity_rate(1995), 14.5);
}

TEST(SynthLinkage, TwinsAreBornAtTheCalibratedRateAndShareTheirFamily) {
  SEVERN_REQUIRE_PACK();
  run_once(judge_run());
  const auto people = true_people();
  double expected_pairs = 0;
  for (const auto& p : people) {
    const double t = multiple_maternity_rate(civil_from_days(*parse_iso_date(p.dob)).year) / 1000;
    expected_pairs += t / (1 + t);
  }
  int pairs = 0, same_sex = 0, children = 0;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& a = people[i];
    if (a.twin.empty()) continue;
    const std::size_t j = std::stoul(a.twin);
    ASSERT_LT(j, people.size());
    const auto& b = people[j];
    ASSERT_EQ(b.twin, std::to_string(i)) << "twins name each other";
    if (j < i) continue;
    ++pairs;
    same_sex += a.sex == b.sex;
    EXPECT_EQ(a.dob, b.dob);  // (and one practice, or where too few, one network: not checked here)
    EXPECT_EQ(a.birth_family, b.birth_family) << "twins are born into one family";
    EXPECT_NE(a.given, b.given) << "twins have different given names";
    if (age_at_end(a) < 18 && age_at_end(b) < 18) {
      ++children;
      EXPECT_EQ(a.household, b.household) << "child twins live together";
      EXPECT_EQ(a.postcode, b.postcode);
      EXPECT_EQ(a.family, b.family);
    }
  }
  expect_count_near(pairs, expected_pairs, "twin pairs");
  EXPECT_GT(children, 20);
  EXPECT_NEAR(static_cast<double>(same_sex) / pairs, 2.0 / 3, 4 * std::sqrt(2.0 / 9 / pairs)) << pairs << " pairs";
}

TEST(SynthLinkage, HouseholdsShareTheirPostcodeAndOftenTheirFamilyName) {
  SEVERN_REQUIRE_PACK();
  run_once(judge_run());
  const auto people = true_people();
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < people.size(); ++i) members[people[i].household].push_back(i);
  int partners = 0, partners_with_name = 0, children = 0, children_with_a_parents_name = 0;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& p = people[i];
    const auto& head = people.at(std::stoul(p.household));
    EXPECT_EQ(p.postcode, head.postcode) << "person " << i;
    EXPECT_EQ(p.previous_postcode, head.previous_postcode) << "person " << i;
    // A household's postcode has the outward code of its practice (only a twin may be registered
    // with another practice of the same network).
    if (p.twin.empty()) {
      EXPECT_EQ(p.practice, head.practice) << "person " << i;
    }
    if (p.household == std::to_string(i)) {
      EXPECT_EQ(p.role, "head");
      continue;
    }
    EXPECT_EQ(head.role, "head");
    if (p.role == "partner") {
      ++partners;
      EXPECT_NE(p.sex, head.sex);
      partners_with_name += p.family == head.family;
    } else if (p.role == "child") {
      ++children;
      bool parents_name = false;
      for (const std::size_t m : members[p.household])
        parents_name |= people[m].role != "child" && people[m].family == p.birth_family;
      children_with_a_parents_name += parents_name;
    } else {
      EXPECT_EQ(p.role, "twin");
      EXPECT_EQ(head.twin, std::to_string(i));
    }
  }
  EXPECT_GT(partners, 2000);
  EXPECT_GT(partners_with_name, partners / 3) << "many couples share a family name";
  EXPECT_LT(partners_with_name, partners);
  EXPECT_GT(children, 4000);
  EXPECT_GT(children_with_a_parents_name, children * 95 / 100) << "children carry a parent's name";
  // The trap: distinct people with the same family name and postcode, and the same date of birth.
  std::map<std::string, int> name_address, name_address_birth;
  for (const auto& p : people) {
    ++name_address[p.family + "|" + p.postcode];
    ++name_address_birth[p.family + "|" + p.postcode + "|" + p.dob];
  }
  int sharing = 0, sharing_birth = 0;
  for (const auto& p : people) {
    sharing += name_address[p.family + "|" + p.postcode] > 1;
    sharing_birth += name_address_birth[p.family + "|" + p.postcode + "|" + p.dob] > 1;
  }
  EXPECT_GT(sharing, static_cast<int>(people.size()) / 5);
  EXPECT_GT(sharing_birth, 100);
}

TEST(SynthLinkage, PerturbationsHappenAtTheirRates) {
  SEVERN_REQUIRE_PACK();
  const auto& report = run_once(judge_run());
  int checked = 0;
  for (int k = 0; k < kPartnerCount; ++k) {
    const PartnerTally& t = report.partners[static_cast<std::size_t>(k)];
    ASSERT_GT(t.records, 100) << partner_code(static_cast<Partner>(k));
    for (int p = 0; p < kPerturbationCount; ++p) {
      if (static_cast<Perturbation>(p) == Perturbation::kDuplicateRecord) continue;
      const auto i = static_cast<std::size_t>(p);
      expect_count_near(static_cast<double>(t.applied[i]), t.expected[i],
                        std::string(partner_code(static_cast<Partner>(k))) + " " + perturbation_name(static_cast<Perturbation>(p)));
      checked += t.expected[i] >= 20;
    }
  }
  EXPECT_GT(checked, 40);
  // Every kind of error is present in the extract.
  PartnerTally all;
  for (const auto& t : report.partners) all.add(t);
  for (int p = 0; p < kPerturbationCount; ++p)
    EXPECT_GT(all.applied[static_cast<std::size_t>(p)], 0) << perturbation_name(static_cast<Perturbation>(p));
}

TEST(SynthLinkage, CouncilRecordsLackTheNhsNumberAtTheirSetRate) {
  SEVERN_REQUIRE_PACK();
  run_once(judge_run());
  const auto pmi = table(Extract::kPartnerPatients);
  const auto truth = table(Extract::kTruthPartnerRecords);
  std::map<std::string, std::pair<int, int>> main_records;  // partner -> (records, without NHS number)
  for (std::size_t r = 0; r < pmi.rows(); ++r) {
    if (split(truth.cell(r, "discrepancies")).count("duplicate_record")) continue;
    auto& [n, missing] = main_records[pmi.cell(r, "partner_code")];
    ++n;
    missing += pmi.cell(r, "nhs_number").empty();
  }
  for (const char* council : {"E06000051", "E06000020"}) {
    const auto [n, missing] = main_records[council];
    ASSERT_GT(n, 50) << council;
    EXPECT_NEAR(static_cast<double>(missing) / n, 0.30, 4 * std::sqrt(0.21 / n)) << council << ", " << n << " records";
  }
  const auto [acute, acute_missing] = main_records["RXW"];
  EXPECT_NEAR(static_cast<double>(acute_missing) / acute, 0.02, 4 * std::sqrt(0.02 * 0.98 / acute));
}

// Every difference between a partner record and the truth is named in the truth, and every
// named perturbation is what the record shows.
TEST(SynthLinkage, TruthListsEveryPerturbationOfEveryRecord) {
  SEVERN_REQUIRE_PACK();
  run_once(judge_run());
  const auto people = true_people();
  const auto pmi = table(Extract::kPartnerPatients);
  const auto truth = table(Extract::kTruthPartnerRecords);
  const Nicknames nicknames = Nicknames::load();
  ASSERT_EQ(pmi.rows(), truth.rows());
  std::set<std::string> known;
  for (int p = 0; p < kPerturbationCount; ++p) known.insert(perturbation_name(static_cast<Perturbation>(p)));
  std::map<std::string, int> records_of;  // partner/person -> records
  std::map<std::string, int> single_kind_checked;
  for (std::size_t r = 0; r < pmi.rows(); ++r) {
    ASSERT_EQ(pmi.cell(r, "local_patient_id"), truth.cell(r, "local_patient_id"));
    const auto& who = people.at(std::stoul(truth.cell(r, "person_id")));
    const auto kinds = split(truth.cell(r, "discrepancies"));
    for (const auto& k : kinds) ASSERT_TRUE(known.count(k)) << k;
    auto has = [&](const char* k) { return kinds.count(k) > 0; };
    const std::string where = "line " + std::to_string(r + 2) + " " + truth.cell(r, "discrepancies");
    ++records_of[pmi.cell(r, "partner_code") + "/" + truth.cell(r, "person_id")];

    // NHS number.
    const auto& nhs = pmi.cell(r, "nhs_number");
    EXPECT_EQ(nhs.empty(), has("nhs_number_missing")) << where;
    EXPECT_EQ(!nhs.empty() && nhs != who.nhs, has("nhs_number_mistyped")) << where;

    // Date of birth.
    const Days dob = *parse_iso_date(pmi.cell(r, "date_of_birth")), true_dob = *parse_iso_date(who.dob);
    const CivilDate c = civil_from_days(dob), t = civil_from_days(true_dob);
    if (has("date_of_birth_day_month_swapped")) {
      EXPECT_TRUE(c.year == t.year && c.day == t.month && c.month == t.day) << where;
    } else if (has("date_of_birth_off_by_one_day")) {
      EXPECT_EQ(std::abs(dob - true_dob), 1) << where;
    } else if (has("date_of_birth_year_off")) {
      EXPECT_TRUE(std::abs(c.year - t.year) == 1 && c.month == t.month) << where;
    } else {
      EXPECT_EQ(dob, true_dob) << where;
    }
    EXPECT_LE(dob, judge_run().end_date) << where;

    // Postcode.
    const auto& postcode = pmi.cell(r, "postcode");
    EXPECT_EQ(postcode.empty(), has("postcode_missing")) << where;
    if (!postcode.empty()) {
      const std::string expect = has("previous_postcode") ? who.previous_postcode : who.postcode;
      if (has("postcode_typo")) {
        EXPECT_EQ(postcode.size(), expect.size()) << where;
        EXPECT_EQ(edit_distance(postcode, expect), 1) << where;
        EXPECT_EQ(postcode.substr(0, postcode.find(' ')), expect.substr(0, expect.find(' '))) << where;
      } else {
        EXPECT_EQ(postcode, expect) << where;
      }
    }
    if (has("previous_postcode")) {
      EXPECT_FALSE(who.previous_postcode.empty()) << where;
    }

    // Names: with no name perturbation named, the names are the truth; with one, it explains the
    // difference exactly.
    const auto& family = pmi.cell(r, "family_name");
    const auto& given = pmi.cell(r, "given_name");
    std::vector<std::string> name_kinds;
    for (const char* k : kNameKinds)
      if (has(k)) name_kinds.push_back(k);
    if (name_kinds.empty()) {
      EXPECT_EQ(family, who.family) << where;
      EXPECT_EQ(given, who.given) << where;
    } else if (name_kinds.size() == 1) {
      const std::string& k = name_kinds[0];
      ++single_kind_checked[k];
      if (k == "names_swapped") {
        EXPECT_EQ(family, who.given) << where;
        EXPECT_EQ(given, who.family) << where;
        continue;
      }
      const bool family_kind = k != "given_name_nickname" && k != "given_name_typo";
      EXPECT_EQ(family_kind ? given : family, family_kind ? who.given : who.family) << where;
      if (k == "previous_family_name") {
        EXPECT_EQ(family, who.birth_family) << where;
        EXPECT_NE(family, who.family) << where;
      } else if (k == "family_name_one_part") {
        const auto cut = who.family.find_first_of("- ");
        ASSERT_NE(cut, std::string::npos) << where;
        EXPECT_TRUE(family == who.family.substr(0, cut) || family == who.family.substr(cut + 1)) << where;
      } else if (k == "family_name_hyphenation") {
        std::string a = family, b = who.family;
        std::erase_if(a, [](char ch) { return ch == '-' || ch == ' '; });
        std::erase_if(b, [](char ch) { return ch == '-' || ch == ' '; });
        EXPECT_EQ(a, b) << where;
        EXPECT_NE(family, who.family) << where;
      } else if (k == "family_name_typo") {
        EXPECT_EQ(edit_distance(family, who.family), 1) << where;
      } else if (k == "given_name_nickname") {
        const auto* variants = nicknames.variants(who.given, who.sex[0]);
        ASSERT_NE(variants, nullptr) << where;
        EXPECT_NE(std::find(variants->begin(), variants->end(), given), variants->end()) << where << " " << given;
      } else if (k == "given_name_typo") {
        EXPECT_EQ(edit_distance(given, who.given), 1) << where;
      }
    }
    // Kept history is true history.
    const auto& previous_family = pmi.cell(r, "previous_family_name");
    if (!previous_family.empty()) {
      EXPECT_EQ(previous_family, who.birth_family) << where;
      EXPECT_NE(previous_family, who.family) << where;
    }
    const auto& previous_postcode = pmi.cell(r, "previous_postcode");
    if (!previous_postcode.empty()) {
      EXPECT_EQ(previous_postcode, who.previous_postcode) << where;
    }
    EXPECT_EQ(pmi.cell(r, "sex"), who.sex) << where;
  }
  for (const char* k : kNameKinds) EXPECT_GT(single_kind_checked[k], 0) << k;
  for (const auto& [key, n] : records_of) EXPECT_LE(n, 2) << key;
}

TEST(SynthLinkage, NicknamesGoBothWaysAndKeepToTheSex) {
  const Nicknames n = Nicknames::load();
  auto has = [&](const char* name, char sex, const char* variant) {
    const auto* v = n.variants(name, sex);
    return v && std::find(v->begin(), v->end(), variant) != v->end();
  };
  EXPECT_TRUE(has("William", 'M', "Bill"));
  EXPECT_TRUE(has("Margaret", 'F', "Peggy"));
  EXPECT_TRUE(has("Harry", 'M', "Henry")) << "a nickname's formal name";
  EXPECT_TRUE(has("Jack", 'M', "John"));
  EXPECT_FALSE(has("Jack", 'M', "Jacqueline")) << "a name the lists give only to girls";
  EXPECT_EQ(n.variants("Zzyzx", 'M'), nullptr);
}

TEST(SynthLinkage, PolishFamilyNamesTakeTheFormOfTheSex) {
  EXPECT_EQ(gendered_family_name("Kowalski", 'F'), "Kowalska");
  EXPECT_EQ(gendered_family_name("Kowalska", 'M'), "Kowalski");
  EXPECT_EQ(gendered_family_name("Nowak-Wisniewski", 'F'), "Nowak-Wisniewska");
  EXPECT_EQ(gendered_family_name("Smith", 'F'), "Smith");
  EXPECT_EQ(gendered_family_name("Ski", 'F'), "Ski");
}

}  // namespace
}  // namespace severn::synth
