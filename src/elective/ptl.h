// The patient tracking list (PTL) of one provider on one day: every period open on the provider's
// reported list, with its weeks waited, breach dates, validation status, harm-while-waiting
// evidence, deprivation and LD from the linked record, and the prioritisation score with each
// component, ordered by the score (highest first). Pseudonymised by default; the identifiable
// PTL (NHS number, name, date of birth, patient pathway id, local patient id) is read only through
// the store's identity area with an AccessContext (store/identity_area.h).
#pragma once
#include <array>
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/harm_evidence.h"
#include "elective/priority_score.h"
#include "elective/ptl_period.h"
#include "elective/ptl_reader.h"
#include "elective/ptl_rules.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::elective {

struct PtlRow {
  PtlPeriod period;
  Days days_waited = 0;  // on the PTL day (rtt_weeks.h)
  std::array<Days, kBreachWeeks.size()> breach{};  // the first day over 18, 52, 65 and 78 weeks
  ValidationStatus validation;
  PersonAttributes person;
  HarmEvidence harm;
  ScoreComponents score;
};

struct PatientTrackingList {
  std::string provider;
  Days on = 0;
  ReportedListInfo info;
  std::vector<PtlRow> rows;  // ordered by order_by_score
};

PtlRow make_ptl_row(const PtlPeriod& period, Days on, const PersonAttributes& person, const HarmEvidence& harm,
                    const PriorityWeights& weights);

// Highest total score first; ties: longer wait first, then person id, then store row (a total order,
// so the list is the same on every run).
void order_by_score(std::vector<PtlRow>& rows);

PatientTrackingList build_ptl(const store::Store& store, const LinkedRecord& record, const std::string& provider, Days on,
                              const PriorityWeights& weights);

// The identifiable fields of each row, in row order.
struct PtlIdentity {
  std::string nhs_number, family_name, given_name, date_of_birth;
  std::string patient_pathway_id, local_patient_id;  // from identity/pathways.csv when the store has it
};

// Throws InputError unless both who and purpose are given (the identifiable PTL is refused
// without them).
void require_access_context(const store::AccessContext& context);

// Reads the rows' identities through the identity area (the observer sees one read of the
// persons' fields, and one of identity/pathways.csv when the manifest lists it).
std::vector<PtlIdentity> read_ptl_identities(const store::Store& store, const store::IdentityArea& area,
                                             const store::AccessContext& context, const std::vector<PtlRow>& rows);

// The PTL as CSV text: one row per open period, in the list's order, every score component a
// column; with `identities` (same order as the rows) the identifiable columns come first.
std::string ptl_csv(const PatientTrackingList& ptl, const std::vector<PtlIdentity>* identities);

}  // namespace severn::elective
