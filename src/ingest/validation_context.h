// What row validation needs besides the row: the as-of date, reference sets, plausible ranges of
// measurements, and the identity indexes built from earlier sources. Read-only while parts of a
// table are validated in parallel.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "identity/partner_index.h"
#include "identity/partner_record.h"
#include "identity/person_index.h"
#include "ingest/schema.h"
#include "refdata/data_dir.h"

namespace severn::ingest {

struct MeasurementRange {
  std::string measure;
  std::string unit;
  double min = 0;
  double max = 0;
};

struct ValidationContext {
  Days as_of = 0;                        // dates after it are in the future
  Days earliest = 0;                     // 1890-01-01: anything earlier is implausible
  std::unordered_set<std::string> practices;  // ODS codes of the pack's practices
  // SNOMED CT code (as an integer) -> plausible range of its numeric value.
  std::unordered_map<std::uint64_t, MeasurementRange> ranges;
  // Allowed values per table field, from the spec's list and reference table.
  std::unordered_map<std::string, std::unordered_set<std::string>> allowed;
  identity::PersonIndex persons;
  identity::PartnerIndex partners;
  std::vector<identity::GpPerson> gp_persons;  // per person_id: what the partner linking compares
  // Per partner index row, from the linking stage. One struct, not parallel vectors, so that a
  // caller cannot fill one and forget another (the fuzzer once did).
  struct PartnerOutcome {
    std::int64_t person = -1;  // person_id, or -1 when unlinked or in review
    double probability = 0.0;  // of the link: 1 for NHS number and clerical links
    std::string unlinked_reason;
  };
  std::vector<PartnerOutcome> partner_outcomes;
  // Partner index records that were quarantined (partner + '\x1f' + local id -> line): activity
  // naming them is kept as unlinked rather than rejected for an unknown local id.
  std::unordered_map<std::string, std::int64_t> quarantined_partner_records;

  static ValidationContext load(const refdata::DataDir& data, Days as_of);
  const std::unordered_set<std::string>& allowed_for(std::string_view table,
                                                     std::string_view field) const;
};

}  // namespace severn::ingest
