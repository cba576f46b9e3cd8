// Partners other than general practice keep their own patient index, and their copies of a
// person's identifiers disagree the way real ones do: missing or mistyped NHS numbers, typos in
// names, a surname changed on marriage, an old postcode, a date of birth keyed wrongly, a
// duplicate record. Every activity row a partner sends names its local patient id and the NHS
// number in its own index; truth/partner_records.csv maps each local id to the true person.
#pragma once
#include <array>
#include <string>

#include "core/rng.h"
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/person.h"

namespace severn::synth {

enum class Partner : int {
  kAcute,          // RXW The Shrewsbury and Telford Hospital NHS Trust
  kOrthopaedic,    // RL1 The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS FT
  kCommunity,      // R1D Shropshire Community Health NHS Trust
  kShropshireLa,   // E06000051 Shropshire Council (adult social care)
  kTelfordLa,      // E06000020 Telford and Wrekin Council (adult social care)
  kCount
};
inline constexpr int kPartnerCount = static_cast<int>(Partner::kCount);
const char* partner_code(Partner p);

// The person as they really are (what GP records and the ground truth hold).
struct Identity {
  std::string nhs_number, family_name, given_name, postcode, previous_postcode;
  std::string birth_family_name;  // differs from family_name after a change of name
};

struct PartnerRecord {
  std::string local_id, nhs_number, family_name, given_name, postcode, discrepancies;
  Days birth = 0;
};

class PersonPartners {
 public:
  PersonPartners(const Person& person, const Identity& identity, const SynthConfig& config);
  // The record an activity row refers to (usually the main one; sometimes a duplicate).
  const PartnerRecord& use(Partner partner, Rng& rng);
  // Writes partners/patients.csv and truth/partner_records.csv rows for every record used.
  void emit(const Person& person, Chunk& chunk) const;

 private:
  std::array<std::array<PartnerRecord, 2>, kPartnerCount> records_;
  std::array<bool, kPartnerCount> has_duplicate_{};
  std::array<std::array<bool, 2>, kPartnerCount> used_{};
};

}  // namespace severn::synth
