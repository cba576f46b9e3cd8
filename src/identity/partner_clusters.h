// Clusters of a partner's records that are one person (identity/partner_clusters.csv).
//
//   * Records of one partner linked to the same person are one cluster (a partner's duplicate
//     registrations), except that a record whose valid NHS number is not the person's starts a
//     cluster of its own: no cluster holds two different valid NHS numbers.
//   * Records left unlinked are deduplicated among themselves, within the partner: the same
//     valid NHS number, or the same family name, given name and date of birth (upper-cased,
//     spaces and punctuation dropped) with no conflicting valid NHS numbers, join a cluster.
//   * A cluster's id is its partner code and its smallest local id ("RXW:RXW0001"): it depends
//     on who is in the cluster, never on the order of the rows or of the run, so it is stable
//     across rebuilds while the membership is.
#pragma once
#include <string>
#include <vector>

#include "identity/partner_linking.h"
#include "identity/partner_record.h"

namespace severn::identity {

// Per record, its cluster id.
std::vector<std::string> partner_clusters(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                          const std::vector<PartnerLink>& links);

// partner_code,local_patient_id,cluster_id,person_id
std::string partner_clusters_csv(const std::vector<PartnerRecord>& records, const std::vector<PartnerLink>& links,
                                 const std::vector<std::string>& clusters);

}  // namespace severn::identity
