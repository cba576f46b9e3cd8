// Who lives with whom. People are drawn one by one (population.cpp); this step joins some of them
// into households without changing anything a clinical record depends on: members are chosen
// among people already registered with the same practice (so the postcode's outward code fits
// all of them) and of compatible ages, and only their names and postcode follow from it.
//
//  * Twins: pairs of people with the same date of birth and ethnic category, registered with one
//    practice (or, if too few, one primary care network), at the ONS twin rate for their year
//    of birth (twins.h).
//  * Couples: a woman and a man of similar age. A woman who changed her family name on marriage
//    (the 35% of women 22+ that person_identity.h draws) carries her partner's name.
//  * Children under 18 live with a mother of a plausible age, with her partner if she has one,
//    and carry the household's family name; children of one mother are siblings. Twins who are
//    children live with the same mother.
//  * Adult twins share their birth family name; young adult twins who live alone (no partner,
//    no children) share a home.
// These are the people a linker must not merge: same family name, same postcode, and for twins
// the same date of birth.
#pragma once
#include <cstdint>
#include <vector>

#include "refdata/organisations.h"
#include "synth/config.h"
#include "synth/person.h"

namespace severn::synth {

inline constexpr std::uint32_t kNobody = 0xFFFFFFFFu;

enum class HouseholdRole : std::uint8_t {
  kHead,     // the person whose postcode the household uses (also anyone living alone)
  kPartner,  // the head's partner
  kChild,    // a child under 18 of the head or of the head's partner
  kTwin,     // an adult twin living with the other twin
};
const char* household_role_name(HouseholdRole role);  // head, partner, child, twin

struct Kin {
  std::uint32_t household = kNobody;    // person id of the head (the person's own id if alone)
  std::uint32_t partner = kNobody;      // co-resident partner
  std::uint32_t twin = kNobody;         // the other twin
  std::uint32_t name_parent = kNobody;  // a child's parent, whose current family name it carries
  HouseholdRole role = HouseholdRole::kHead;
  bool took_partner_name = false;       // a wife who carries her husband's family name
};

struct HouseholdSummary {
  std::int64_t twin_pairs = 0, twin_pairs_same_sex = 0;
  double twin_pairs_expected = 0;  // at the ONS rates, over everyone's year of birth
  std::int64_t couples = 0, couples_sharing_name = 0;
  std::int64_t children = 0, children_with_mother = 0, children_with_sibling = 0;
  std::int64_t adult_twins_together = 0;
};

struct Households {
  std::vector<Kin> kin;  // by person id
  HouseholdSummary summary;
};

// `changed_name[i]` says whether person i changed her family name on marriage (drawn with her
// identity). Deterministic for the seed; draws come from their own streams.
Households build_households(const std::vector<Person>& people, const std::vector<std::uint8_t>& changed_name,
                            const refdata::Organisations& organisations, const SynthConfig& config);

}  // namespace severn::synth
