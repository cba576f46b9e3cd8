// The linking stage of severn ingest on a small population made here: NHS numbers corroborated
// by demographics, a mistyped but valid NHS number, twins kept apart, the review band, a
// reviewer's decisions, and the decisions file's errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "identity/partner_link_outputs.h"
#include "identity/partner_linking.h"
#include "identity/review_decisions.h"

namespace severn::identity {
namespace {

// The n-th valid NHS number of the 999 test range (modulus 11 check digit).
std::uint64_t test_nhs_number(std::uint64_t n) {
  for (std::uint64_t body = 999000000 + n * 7;; ++body) {
    std::uint64_t b = body, sum = 0;
    int digits[9];
    for (int i = 8; i >= 0; --i) digits[i] = static_cast<int>(b % 10), b /= 10;
    for (int i = 0; i < 9; ++i) sum += static_cast<std::uint64_t>(digits[i] * (10 - i));
    std::uint64_t check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    return body * 10 + check;
  }
}

const char* kGiven[] = {"Oliver", "Amelia", "George", "Isla",  "Arthur", "Ava",    "Noah",  "Mia",
                        "Leo",    "Ivy",    "Oscar", "Lily",  "Harry",  "Freya",  "Jack",  "Grace",
                        "Thomas", "Evie",   "Henry", "Poppy", "Alfie",  "Sophie", "Jacob", "Ella"};
const char* kFamily[] = {"Smith",  "Jones",  "Taylor", "Brown",   "Williams", "Wilson", "Johnson", "Davies",
                         "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
                         "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
                         "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox", "Alexander"};

struct Population {
  std::vector<GpPerson> persons;
  std::vector<PartnerRecord> records;
};

GpPerson make_person(std::uint64_t i) {
  GpPerson p;
  p.nhs_number = test_nhs_number(i);
  p.given_name = kGiven[(i * 7) % 24];
  p.family_name = kFamily[(i * 13 + i / 32) % 32];
  p.sex = (i % 2) ? "M" : "F";
  p.date_of_birth = days_from_civil(1930 + static_cast<int>(i * 37 % 90), 1 + static_cast<int>(i * 5 % 12),
                                    1 + static_cast<int>(i * 11 % 28));
  char pc[16];
  std::snprintf(pc, sizeof pc, "SY%d %d%c%c", 1 + static_cast<int>(i % 9), static_cast<int>(i / 9 % 10),
                'A' + static_cast<int>(i / 90 % 26), 'A' + static_cast<int>(i / 7 % 26));
  p.postcode = pc;
  return p;
}

PartnerRecord record_of(const GpPerson& p, const std::string& partner, const std::string& local, bool with_nhs) {
  PartnerRecord r;
  r.partner_code = partner;
  r.local_id = local;
  if (with_nhs) {
    r.nhs_valid = true;
    r.nhs_value = p.nhs_number;
    r.nhs_number = std::to_string(p.nhs_number);
  }
  r.family_name = p.family_name;
  r.given_name = p.given_name;
  r.sex = p.sex;
  r.date_of_birth = p.date_of_birth;
  r.postcode = p.postcode;
  r.line = 2;
  return r;
}

// 3,000 people; partner RXW holds a record of each, most with the NHS number.
Population population() {
  Population pop;
  for (std::uint64_t i = 0; i < 3000; ++i) pop.persons.push_back(make_person(i));
  for (std::size_t i = 0; i < pop.persons.size(); ++i)
    pop.records.push_back(record_of(pop.persons[i], "RXW", "L" + std::to_string(i), i % 10 != 0));
  return pop;
}

PartnerLinking link(const Population& pop, std::vector<ReviewDecision> decisions = {}) {
  PartnerLinkingOptions o;
  o.threads = 2;
  o.decisions = std::move(decisions);
  return link_partner_records(pop.persons, pop.records, o);
}

TEST(PartnerLinking, NhsNumberCorroboratedByDemographics) {
  const Population pop = population();
  const PartnerLinking r = link(pop);
  ASSERT_EQ(r.links.size(), pop.records.size());
  for (std::size_t i = 0; i < pop.records.size(); ++i) {
    const PartnerLink& l = r.links[i];
    EXPECT_EQ(l.person, static_cast<std::int64_t>(i)) << i;
    EXPECT_EQ(l.method, i % 10 != 0 ? LinkMethod::kNhsNumber : LinkMethod::kProbabilistic) << i;
  }
  EXPECT_EQ(r.counts.nhs_refuted, 0U);
  EXPECT_EQ(r.counts.nhs_number, 2700U);
  EXPECT_EQ(r.counts.probabilistic, 300U);
  EXPECT_GT(r.links[1].weight, 20.0);
  EXPECT_DOUBLE_EQ(r.links[1].probability, 1.0);
}

TEST(PartnerLinking, MistypedValidNhsNumberIsRefutedAndTheRecordLinksToItsPerson) {
  Population pop = population();
  // Record 5 carries person 2000's (valid) NHS number but is person 5 in every other field.
  pop.records[5].nhs_value = pop.persons[2000].nhs_number;
  pop.records[5].nhs_number = std::to_string(pop.records[5].nhs_value);
  const PartnerLinking r = link(pop);
  EXPECT_EQ(r.counts.nhs_refuted, 1U);
  EXPECT_NE(r.links[5].person, 2000);
  EXPECT_EQ(r.links[5].person, 5);
  EXPECT_EQ(r.links[5].method, LinkMethod::kProbabilistic);
  EXPECT_EQ(r.links[2000].person, 2000);
}

TEST(PartnerLinking, ChildRecordCarryingTheParentsNhsNumberIsRefuted) {
  Population pop = population();
  // Person 3000 is person 7's child: same family name and home, another given name and birth.
  GpPerson child = make_person(3000);
  child.family_name = pop.persons[7].family_name;
  child.postcode = pop.persons[7].postcode;
  child.given_name = "Zachary";
  pop.persons.push_back(child);
  PartnerRecord r = record_of(child, "RXW", "CHILD", false);
  r.nhs_valid = true;
  r.nhs_value = pop.persons[7].nhs_number;
  r.nhs_number = std::to_string(r.nhs_value);
  pop.records.push_back(r);
  const PartnerLinking l = link(pop);
  const std::size_t i = pop.records.size() - 1;
  EXPECT_EQ(l.counts.nhs_refuted, 1U);
  EXPECT_EQ(l.links[i].person, 3000) << resolution(l.links[i]);
}

TEST(PartnerLinking, TwinsAreNotMerged) {
  Population pop = population();
  // Persons 3000 and 3001: twins, same family name, date of birth, sex and home; alike names
  // (rarer than the 24 names everyone else has, as most given names are).
  GpPerson a = make_person(3000), b = a;
  a.given_name = "Jasper";
  b.given_name = "Jesper";
  b.nhs_number = test_nhs_number(3001);
  pop.persons.push_back(a);
  pop.persons.push_back(b);
  pop.records.push_back(record_of(a, "RXW", "TWIN-A", false));
  pop.records.push_back(record_of(b, "RXW", "TWIN-B", false));
  pop.records.push_back(record_of(a, "RL1", "TWIN-A-NHS", true));
  const PartnerLinking r = link(pop);
  const std::size_t ta = pop.records.size() - 3, tb = ta + 1;
  EXPECT_NE(r.links[ta].person, 3001);
  EXPECT_NE(r.links[tb].person, 3000);
  // Each twin's record links to that twin or, when the names alone cannot be trusted to tell
  // them apart (in this small population nothing but exact copies trained m), waits for review.
  for (const std::size_t t : {ta, tb}) {
    const bool own = r.links[t].person == (t == ta ? 3000 : 3001);
    EXPECT_TRUE(own || r.links[t].method == LinkMethod::kReview) << resolution(r.links[t]);
  }
  EXPECT_EQ(r.links[ta + 2].method, LinkMethod::kNhsNumber);
}

// Two GP persons identical in every compared field but the NHS number: a record without one
// cannot be told between them, so it goes to review, and a reviewer decides.
Population with_indistinguishable_pair() {
  Population pop = population();
  GpPerson a = make_person(3000), b = a;
  b.nhs_number = test_nhs_number(3001);
  pop.persons.push_back(a);
  pop.persons.push_back(b);
  pop.records.push_back(record_of(a, "E06000051", "SC1", false));
  return pop;
}

TEST(PartnerLinking, AmbiguousRecordGoesToTheReviewBand) {
  const Population pop = with_indistinguishable_pair();
  const PartnerLinking r = link(pop);
  const std::size_t i = pop.records.size() - 1;
  EXPECT_EQ(r.links[i].method, LinkMethod::kReview);
  EXPECT_EQ(r.links[i].person, -1);
  ASSERT_EQ(r.review.size(), 1U);
  EXPECT_EQ(r.review[0].record, i);
  const std::string csv = clerical_review_csv(pop.persons, pop.records, r);
  EXPECT_NE(csv.find("E06000051,SC1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("weight_given_name"), std::string::npos);
  const std::string links = partner_links_csv(pop.records, r);
  EXPECT_NE(links.find("E06000051,SC1,,unlinked,"), std::string::npos);
}

TEST(PartnerLinking, ReviewerMatchLinksClericallyAndNonMatchTakesTheNextCandidate) {
  const Population pop = with_indistinguishable_pair();
  const std::size_t i = pop.records.size() - 1;
  {
    const PartnerLinking r = link(pop, {{"E06000051", "SC1", 3001, true, "decisions.csv", 2}});
    EXPECT_EQ(r.links[i].method, LinkMethod::kClerical);
    EXPECT_EQ(r.links[i].person, 3001);
    EXPECT_DOUBLE_EQ(r.links[i].probability, 1.0);
    EXPECT_EQ(r.counts.clerical, 1U);
  }
  {
    const PartnerLinking r = link(pop, {{"E06000051", "SC1", 3000, false, "decisions.csv", 2}});
    EXPECT_EQ(r.links[i].person, 3001);
    EXPECT_EQ(r.links[i].method, LinkMethod::kProbabilistic);
  }
  {
    const PartnerLinking r = link(pop, {{"E06000051", "SC1", 3000, false, "decisions.csv", 2},
                                        {"E06000051", "SC1", 3001, false, "decisions.csv", 3}});
    EXPECT_NE(r.links[i].person, 3000);
    EXPECT_NE(r.links[i].person, 3001);
  }
}

TEST(PartnerLinking, DecisionsNamingUnknownRecordsOrPersonsAreErrors) {
  const Population pop = population();
  try {
    link(pop, {{"RXW", "NOPE", 1, true, "decisions.csv", 7}});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("decisions.csv:7"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("local_patient_id"), std::string::npos) << e.what();
  }
  EXPECT_THROW(link(pop, {{"RXW", "L1", 99999, true, "decisions.csv", 2}}), InputError);
}

TEST(ReviewDecisions, ParsesAndReportsFileLineAndField) {
  const auto d = parse_review_decisions(
      "partner_code,local_patient_id,person_id,decision\nRXW,A1,17,match\nRXW,A2,18,non_match\n", "d.csv");
  ASSERT_EQ(d.size(), 2U);
  EXPECT_TRUE(d[0].match);
  EXPECT_EQ(d[1].person, 18U);
  EXPECT_EQ(d[1].line, 3);
  const auto error_of = [](const std::string& text) {
    try {
      parse_review_decisions(text, "d.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("partner_code,local_patient_id,person_id\nRXW,A1,1\n").find("field 'decision'"), std::string::npos);
  EXPECT_NE(error_of("partner_code,local_patient_id,person_id,decision\nRXW,A1,x,match\n").find("d.csv:2: field 'person_id'"),
            std::string::npos);
  EXPECT_NE(error_of("partner_code,local_patient_id,person_id,decision\nRXW,A1,1,maybe\n").find("field 'decision'"),
            std::string::npos);
  EXPECT_NE(error_of("partner_code,local_patient_id,person_id,decision\nRXW,A1,1,match\nRXW,A1,1,non_match\n")
                .find("d.csv:3"),
            std::string::npos);
  EXPECT_NE(error_of("partner_code,local_patient_id,person_id,decision\nRXW,A1,1,match\nRXW,A1,2,match\n")
                .find("already matched"),
            std::string::npos);
}

}  // namespace
}  // namespace severn::identity
