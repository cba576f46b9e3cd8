// How right the partner links are, against a synthetic extract's ground truth
// (truth/partner_records.csv: each record's true person_id; truth/persons.csv: that person's
// NHS number). A store's person_id is mapped to the truth through the NHS number, so the figures
// do not depend on person_ids agreeing between the extract and the store.
//
//   precision = links to the true person / links made
//   recall    = links to the true person / records whose true person is a GP person of the store
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "core/csv_table.h"

namespace severn::identity {

struct PartnerLinkAccuracy {
  std::uint64_t records = 0, registered = 0, links = 0, correct = 0, wrong = 0;
  double precision = 1.0, recall = 1.0;
  std::map<std::string, std::uint64_t> links_by_method, wrong_by_method;
  std::map<std::string, std::uint64_t> missed_by_discrepancy;  // registered records not linked right
};

// `links`: partner_links.csv; `store_nhs`: store person_id -> NHS number (ten digits).
// Throws InputError when a link names a record the truth does not have.
PartnerLinkAccuracy evaluate_partner_links(const CsvTable& links,
                                           const std::unordered_map<std::string, std::string>& store_nhs,
                                           const CsvTable& truth_records, const CsvTable& truth_persons);

std::string accuracy_report(const PartnerLinkAccuracy& a);

}  // namespace severn::identity
