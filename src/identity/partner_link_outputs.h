// The linking stage's files in the store's restricted identity area (docs/store.md), as CSV
// text; the ingest writes them with the store writer's restricted-file mechanism.
//
//   identity/partner_links.csv       one row per partner index record: partner_code,
//                                    local_patient_id, person_id, method, match_probability,
//                                    match_weight (the contract other stages read)
//   identity/clerical_review.csv     each review-band pair side by side, with each comparison's
//                                    contribution to the weight
//   identity/partner_link_explanations.csv
//                                    the waterfall of every link not made by NHS number (and of
//                                    the best candidate of records left unlinked), for
//                                    `severn identity explain`
//   identity/partner_records.csv     each partner record's identity, person and resolution
//   identity/partner_linking.json    what the stage did, in numbers
#pragma once
#include <string>
#include <vector>

#include "identity/partner_linking.h"
#include "identity/partner_record.h"

namespace severn::identity {

std::string partner_links_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking);
std::string clerical_review_csv(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                const PartnerLinking& linking);
std::string link_explanations_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking);
std::string partner_records_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking);

// identity/partner_linking.json: counts by method, NHS numbers refuted, the blocking rules with
// their pair counts, the lost-match estimate and training. Holds no identifier (aggregates
// only), but lives beside the files it describes. No times: the store must not depend on them.
std::string linking_summary_json(const PartnerLinking& linking);

// "nhs_number" or the reason a record is not linked, as partner_records.csv's resolution says.
std::string resolution(const PartnerLink& link);

}  // namespace severn::identity
