// What `severn elective clocks` writes (docs/elective/clocks.md):
//   derived_periods.csv     aggregate: provider_code, treatment_function_code, end_kind, periods
//                           (derived periods at a provider, with an `all` row per provider and
//                           treatment function), under disclosure control;
//   validation_findings.csv one row per finding, pseudonymous (the store's pathway number):
//                           pathway, rtt_period, provider_code, treatment_function_code, finding,
//                           reported, derived, detail;
//   validation_list.csv     (only on request) the same rows with patient_pathway_id and
//                           local_patient_id from the identity area, owner-only (0600);
//   clocks.json             what was done: counts, findings by code, timings, disclosure policy.
#pragma once
#include <filesystem>
#include <string>

#include "disclosure/suppression.h"
#include "elective/activity_reader.h"
#include "store/identity_area.h"

namespace severn::elective {

// derived_periods.csv. Each provider and treatment function is one table (its `all` total split
// by end kind); small counts are withheld and the rest rounded (disclosure/suppression.h), unless
// `apply` is false.
std::string derived_periods_csv(const ClockRun& run, const disclosure::Policy& policy, bool apply);
std::string validation_findings_csv(const ClockRun& run);
// validation_list.csv: the identifiable list, read through the audited identity area (the
// observer is told who read identity/pathways.csv and why). Throws StoreError when the store
// has no identity/pathways.csv.
std::string validation_list_csv(const ClockRun& run, const store::Store& store, const store::AccessContext& context,
                                const store::AccessObserver& observer);
std::string clocks_json(const ClockRun& run, const disclosure::Policy& policy, bool applied, double seconds);

// Writes `text` to `path`; owner-only (0600) when `restricted`. Throws InputError.
void write_output(const std::filesystem::path& path, const std::string& text, bool restricted = false);

}  // namespace severn::elective
