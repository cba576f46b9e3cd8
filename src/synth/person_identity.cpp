#include "synth/person_identity.h"

#include <cstdio>

#include "core/error.h"
#include "core/rng.h"

namespace severn::synth {
bool may_double_barrel(char ethnicity) {
  switch (ethnicity) {
    case 'H': case 'J': case 'K': case 'L': case 'R': return false;
    default: return true;
  }
}

DrawnIdentity draw_identity(const Person& p, const NameTables& names, const refdata::Organisations& organisations,
                            const SynthConfig& config) {
  // The order of these draws is fixed: see the header.
  Rng rng(config.seed, p.id, "identity");
  DrawnIdentity id;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010llu", static_cast<unsigned long long>(p.nhs_number));
  id.nhs_number = buf;
  const int birth_year = civil_from_days(p.birth).year;
  id.given_name = names.given_name(rng, birth_year, p.sex, p.ethnicity);
  id.family_name = names.family_name(rng, p.sex, p.ethnicity);
  id.birth_family_name = id.family_name;
  const int age = age_in_years(p.birth, p.last_day(config.end_date));
  if (p.sex == 'F' && age >= 22 && rng.bernoulli(0.35)) {
    id.birth_family_name = names.family_name(rng, p.sex, p.ethnicity);  // changed on marriage
    id.changed_family_name = true;
  }
  const auto& practice = organisations.practices[p.practice];
  id.postcode = synthetic_postcode(rng, practice.postcode);
  if (rng.bernoulli(0.12)) id.previous_postcode = synthetic_postcode(rng, practice.postcode);
  return id;
}

std::vector<std::uint8_t> changed_family_names(const std::vector<Person>& people, const NameTables& names,
                                               const refdata::Organisations& organisations, const SynthConfig& config) {
  std::vector<std::uint8_t> out(people.size(), 0);
  for (std::size_t i = 0; i < people.size(); ++i)
    out[i] = draw_identity(people[i], names, organisations, config).changed_family_name ? 1 : 0;
  return out;
}

std::string gendered_family_name(std::string name, char sex) {
  // Each part of a double-barrelled name separately.
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t end = name.find_first_of("- ", start);
    if (end == std::string::npos) end = name.size();
    const std::size_t len = end - start;
    if (len > 3) {
      const char stem = name[end - 3];
      const bool polish = (stem == 's' || stem == 'c' || stem == 'z') && name[end - 2] == 'k';
      char& last = name[end - 1];
      if (polish && sex == 'F' && last == 'i') last = 'a';
      if (polish && sex == 'M' && last == 'a') last = 'i';
    }
    start = end + 1;
  }
  return name;
}

std::string IdentityMaker::with_form(std::uint32_t person, const std::string& family_name,
                                     std::string_view purpose) const {
  const Person& p = people_[person];
  if (!may_double_barrel(p.ethnicity)) return family_name;
  Rng rng(config_.seed, person, purpose);
  if (!rng.bernoulli(kDoubleBarrelledShare)) return family_name;
  std::string second = names_.family_name(rng, p.sex, p.ethnicity);
  for (int tries = 0; second == family_name && tries < 8; ++tries) second = names_.family_name(rng, p.sex, p.ethnicity);
  if (second == family_name) return family_name;
  // Most are hyphenated (Smith-Jones); some are two words (Lloyd Webber).
  return family_name + (rng.bernoulli(0.75) ? "-" : " ") + second;
}

std::string IdentityMaker::birth_family_name(std::uint32_t person, const DrawnIdentity* own, int depth) const {
  if (depth > 8) throw InputError("internal error: a cycle in the household name links of person " + std::to_string(person));
  const Kin& k = households_.kin[person];
  std::string name;
  if (k.name_parent != kNobody) name = current_family_name(k.name_parent, nullptr, depth + 1);
  else if (k.twin != kNobody && k.twin < person) name = birth_family_name(k.twin, nullptr, depth + 1);
  else name = with_form(person, own ? own->birth_family_name : drawn(person).birth_family_name, "family-name-form");
  return gendered_family_name(std::move(name), people_[person].sex);
}

std::string IdentityMaker::current_family_name(std::uint32_t person, const DrawnIdentity* own, int depth) const {
  if (depth > 8) throw InputError("internal error: a cycle in the household name links of person " + std::to_string(person));
  const Kin& k = households_.kin[person];
  if (k.took_partner_name)
    return gendered_family_name(current_family_name(k.partner, nullptr, depth + 1), people_[person].sex);
  DrawnIdentity drawn_here;
  if (!own) {
    drawn_here = drawn(person);
    own = &drawn_here;
  }
  // A woman who changed her name on marriage and lives with no partner keeps that married name,
  // which may be double-barrelled like any family's.
  if (own->changed_family_name) return with_form(person, own->family_name, "married-name-form");
  return birth_family_name(person, own, depth + 1);
}

std::string IdentityMaker::given_name(std::uint32_t person, const DrawnIdentity& own) const {
  const std::uint32_t twin = households_.kin[person].twin;
  if (twin == kNobody || twin > person) return own.given_name;
  // Parents give twins different names, a quarter of them alike (the same initial: Oliver and
  // Olivia, Harry and Henry); an assumption for the false-positive trap, not a published rate.
  const std::string first = drawn(twin).given_name;
  const Person& p = people_[person];
  Rng rng(config_.seed, person, "twin-given-name");
  const bool alike = rng.bernoulli(0.25);
  const int year = civil_from_days(p.birth).year;
  std::string name = own.given_name;
  for (int tries = 0; tries < 200; ++tries) {
    // An alike name is sought for a while; after that any different name will do.
    if (name != first && (!alike || tries >= 30 || name[0] == first[0])) return name;
    name = names_.given_name(rng, year, p.sex, p.ethnicity);
  }
  throw InputError("the given-name lists are too short to give twins different names");
}

Identity IdentityMaker::identity(std::uint32_t person, const DrawnIdentity& own) const {
  Identity id;
  id.nhs_number = own.nhs_number;
  id.given_name = given_name(person, own);
  id.birth_family_name = birth_family_name(person, &own, 0);
  id.family_name = current_family_name(person, &own, 0);
  const std::uint32_t head = households_.kin[person].household;
  if (head == person) {
    id.postcode = own.postcode;
    id.previous_postcode = own.previous_postcode;
  } else {
    DrawnIdentity home = drawn(head);
    id.postcode = std::move(home.postcode);
    id.previous_postcode = std::move(home.previous_postcode);
  }
  return id;
}

}  // namespace severn::synth
