// How a partner's copy of a person's identity comes to differ from the truth, one perturbation at
// a time. Each perturbation is named in truth/partner_records.csv (docs/data-model.md), so a
// linker's accuracy can be measured by kind of error; each record also keeps the chance every
// perturbation had, so the calibration report can set what happened beside what was expected.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/rng.h"
#include "synth/nicknames.h"
#include "synth/person.h"
#include "synth/person_identity.h"

namespace severn::synth {

enum class Perturbation : std::uint8_t {
  kNhsNumberMissing,
  kNhsNumberMistyped,
  kPreviousFamilyName,        // the family name from before a change of name
  kFamilyNameOnePart,         // one part of a double-barrelled family name
  kFamilyNameHyphenation,     // a double-barrelled name with its hyphen or space changed
  kFamilyNameTypo,
  kGivenNameNickname,         // a nickname for the formal name, or the formal name for a nickname
  kGivenNameTypo,
  kNamesSwapped,              // given and family name in each other's fields
  kPreviousPostcode,          // an earlier address's postcode
  kPostcodeMissing,
  kPostcodeTypo,              // one character of the inward code wrong
  kDateOfBirthDayMonthSwapped,
  kDateOfBirthOffByOneDay,
  kDateOfBirthYearOff,        // the year one out
  kDuplicateRecord,           // a second registration at the same partner
  kCount
};
inline constexpr int kPerturbationCount = static_cast<int>(Perturbation::kCount);
const char* perturbation_name(Perturbation p);  // as in truth/partner_records.csv

// The chance of each perturbation in one partner's records, given that the record allows it (an
// old postcode needs a move, a nickname a name that has one, one part a double-barrelled name).
struct PerturbationRates {
  double nhs_missing, nhs_mistyped;
  double previous_family_name;
  double keeps_previous_family_name;  // fills previous_family_name when the current name is recorded
  double family_name_one_part, family_name_hyphenation, name_typo, nickname, names_swapped;
  double previous_postcode;
  double keeps_previous_postcode;     // fills previous_postcode when the current one is recorded
  double postcode_missing, postcode_typo;
  double date_of_birth_error;         // split over swapped day and month, one day, one year
};

struct PartnerRecord {
  std::string local_id, nhs_number, family_name, given_name, postcode;
  std::string previous_family_name, previous_postcode;  // empty unless the partner kept one
  Days birth = 0;
  std::uint32_t applied = 0;                  // bit per Perturbation
  std::array<float, kPerturbationCount> chance{};  // the chance each perturbation had here

  bool has(Perturbation p) const { return applied >> static_cast<int>(p) & 1u; }
  void mark(Perturbation p) { applied |= 1u << static_cast<int>(p); }
  std::string discrepancies() const;  // the names of the perturbations applied, ';'-separated
};

// A partner's copy of `identity`. Dates of birth stay on or before `latest_birth` (the end of
// the history), which ingest requires.
PartnerRecord perturbed_copy(const Person& person, const Identity& identity, const PerturbationRates& rates,
                             const Nicknames& nicknames, Days latest_birth, Rng& rng);

}  // namespace severn::synth
