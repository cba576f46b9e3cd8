// Who a person is by name and address, the truth every record of them starts from. Two layers:
//  * DrawnIdentity: what the person's own random stream gives them alone: given name, family
//    name, a birth family name for the women who changed theirs (35% of women 22+), a postcode and
//    for 12% an earlier one. These draws are exactly those the generator made before it knew
//    about households, because partner_duplicates.cpp replays partner streams from them.
//  * Identity: the person as their household makes them (households.h). A child carries the
//    family name of the parent it lives with, a wife who took her husband's name carries his,
//    twins share a birth family name and a second twin never shares the first's given name, and
//    everyone in a household has the head's postcode. 2% of birth family names are
//    double-barrelled.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "refdata/organisations.h"
#include "synth/config.h"
#include "synth/households.h"
#include "synth/names.h"
#include "synth/person.h"

namespace severn::synth {

struct DrawnIdentity {
  std::string nhs_number, given_name, family_name, birth_family_name, postcode, previous_postcode;
  bool changed_family_name = false;  // a woman who took another family name on marriage
};

struct Identity {
  std::string nhs_number, family_name, given_name, postcode, previous_postcode;
  std::string birth_family_name;  // differs from family_name after a change of name
};

// Share of birth family names that are double-barrelled (hyphenated, or two words): an
// assumption, as no published UK figure was found.
inline constexpr double kDoubleBarrelledShare = 0.02;
// Double-barrelled names are a British and European custom; the South Asian and Chinese name
// lists (names.cpp) do not carry them.
bool may_double_barrel(char ethnicity);

// The person alone, as their own stream draws them.
DrawnIdentity draw_identity(const Person& person, const NameTables& names, const refdata::Organisations& organisations,
                            const SynthConfig& config);

class IdentityMaker {
 public:
  IdentityMaker(const std::vector<Person>& people, const Households& households, const NameTables& names,
                const refdata::Organisations& organisations, const SynthConfig& config)
      : people_(people), households_(households), names_(names), organisations_(organisations), config_(config) {}

  DrawnIdentity drawn(std::uint32_t person) const {
    return draw_identity(people_[person], names_, organisations_, config_);
  }
  // `own` is drawn(person), which the caller usually needs too.
  Identity identity(std::uint32_t person, const DrawnIdentity& own) const;

 private:
  // Names follow links to parents, partners and twins; depth guards against a cycle, which
  // households.cpp never makes. `own` is drawn(person) when the caller has it (else null), to
  // save drawing it again.
  std::string birth_family_name(std::uint32_t person, const DrawnIdentity* own, int depth) const;
  std::string current_family_name(std::uint32_t person, const DrawnIdentity* own, int depth) const;
  // The name, double-barrelled for 2% of people (a draw from the stream named `purpose`).
  std::string with_form(std::uint32_t person, const std::string& family_name, std::string_view purpose) const;
  std::string given_name(std::uint32_t person, const DrawnIdentity& drawn) const;

  const std::vector<Person>& people_;
  const Households& households_;
  const NameTables& names_;
  const refdata::Organisations& organisations_;
  const SynthConfig& config_;
};

// Whether each person changed her family name on marriage: the flag of draw_identity, for
// build_households, without keeping every identity in memory.
std::vector<std::uint8_t> changed_family_names(const std::vector<Person>& people, const NameTables& names,
                                               const refdata::Organisations& organisations, const SynthConfig& config);

// A family name in the form for a person of `sex`: Polish -ski/-cki/-dzki surnames take -ska/-cka/-dzka
// for women, and the reverse for men.
std::string gendered_family_name(std::string name, char sex);

}  // namespace severn::synth
