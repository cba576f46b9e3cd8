// Partners other than general practice keep their own patient index, and their copies of a
// person's identifiers disagree the way real ones do (perturbations.h): missing or mistyped NHS
// numbers, nicknames, typos, a surname changed on marriage, part of a double-barrelled name, an
// old or missing postcode, a date of birth keyed wrongly, names in the wrong fields, a duplicate
// record. Every activity row a partner sends names its local patient id and the NHS number in
// its own index; truth/partner_records.csv maps each local id to the true person and lists the
// perturbations of the record.
#pragma once
#include <array>
#include <string>

#include "core/rng.h"
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/nicknames.h"
#include "synth/partner_codes.h"
#include "synth/person.h"
#include "synth/person_identity.h"
#include "synth/perturbations.h"

namespace severn::synth {

// The rates of a partner's main records, and of the second records some people have there.
const PerturbationRates& record_rates(Partner partner);
const PerturbationRates& duplicate_rates(Partner partner);

class PersonPartners {
 public:
  // Keeps references: the person, identities and tables must outlive this object.
  PersonPartners(const Person& person, const Identity& identity, const DrawnIdentity& drawn,
                 const Nicknames& nicknames, const SynthConfig& config)
      : person_(person), identity_(identity), drawn_(drawn), nicknames_(nicknames), config_(config) {}
  // The record an activity row refers to (usually the main one; sometimes a duplicate).
  const PartnerRecord& use(Partner partner, Rng& rng);
  // Writes partners/patients.csv and truth/partner_records.csv rows for every record used.
  void emit(Chunk& chunk) const;

 private:
  // A partner's records are made on its first use: most people never reach most partners. Each
  // comes from its own stream, so making them lazily changes nothing.
  void prepare(std::size_t k);

  const Person& person_;
  const Identity& identity_;
  const DrawnIdentity& drawn_;
  const Nicknames& nicknames_;
  const SynthConfig& config_;
  std::array<std::array<PartnerRecord, 2>, kPartnerCount> records_;
  std::array<bool, kPartnerCount> prepared_{}, has_duplicate_{};
  std::array<std::array<bool, 2>, kPartnerCount> used_{};
};

}  // namespace severn::synth
