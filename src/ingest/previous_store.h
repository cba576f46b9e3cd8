// An incremental run's previous store (`severn ingest --previous-store OLD`): the partner links,
// partner records, persons and model of OLD's identity area, read through store::IdentityArea
// (checksums verified, the access reported), and which of them a new extract may reuse.
//
// A partner record's link is reused, not compared again, when OLD holds the same
// (partner_code, local_patient_id) with identical identity fields (NHS number as written, names,
// sex, date of birth, postcodes, previous name and postcode), OLD linked it by NHS number or
// probabilistically, and OLD's person is still a GP person of the new extract (same NHS number)
// with the same name, date of birth and postcode. Everything else is linked anew: new and
// changed records, records OLD left unlinked or in review (a new GP person may match them now),
// clerical links (a reviewer's decisions apply only when given again with --review-decisions).
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "identity/partner_linking.h"
#include "identity/partner_record.h"

namespace severn::ingest {

class PreviousStore {
 public:
  // Opens OLD and reads its identity area. Throws InputError (naming the file and the reason):
  // not a store, a pseudonym key other than `key_id`, an identity file missing, damaged (size or
  // checksum), or malformed. Called before the new store is begun, so OLD may be the same
  // directory as the new store.
  static PreviousStore open(const std::filesystem::path& dir, const std::string& key_id);

  // Per record of the new extract: OLD's link when it may be reused (see above), its person
  // mapped through the NHS number to the new extract's person_id.
  std::vector<std::optional<identity::PartnerLink>> reusable(const std::vector<identity::GpPerson>& persons,
                                                              const std::vector<identity::PartnerRecord>& records,
                                                              unsigned threads) const;

  const std::string& model_text() const { return model_text_; }
  const std::string& model_source() const { return model_source_; }

 private:
  struct OldRecord {
    std::string fields;  // identity fields joined, as partner_records.csv writes them
    std::int64_t person = -1;
    identity::LinkMethod method = identity::LinkMethod::kUnlinked;
    double probability = 0, weight = 0;
  };
  struct OldPerson {
    std::string nhs_number, family_name, given_name, date_of_birth, postcode;
  };
  std::unordered_map<std::string, OldRecord> records_;  // by partner_code \x1f local_patient_id
  std::vector<OldPerson> persons_;                      // by OLD person_id
  std::string model_text_, model_source_;
};

}  // namespace severn::ingest
