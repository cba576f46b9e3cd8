// Reads what mutual aid needs from a store: every reported RTT period (wl_pathways) with the
// patient's date of birth and home LSOA (patients). Works on stores from before and after the
// WLMDS columns were added (docs/elective/mutual-aid.md): what a store lacks is listed in `notes`
// and treated as unknown, never guessed:
//   * no `pathway` column: the period's row number stands for its pathway number;
//   * no `tci_date`: no TCI date is known, so nobody is excluded for a date within 8 weeks;
//   * no `removal_date`: a period ends only at its clock stop;
//   * no wl_activity table (or no transfer_provider_code): nobody is known to have transferred.
#pragma once
#include <string>
#include <vector>

#include "elective/mutual_aid_eligibility.h"
#include "store/store.h"

namespace severn::elective {

struct MutualAidInputs {
  std::vector<WaitingPeriod> periods;
  std::vector<std::string> person_lsoa;  // LSOA 2021 code by person id
  bool has_tci = false, has_removal = false, has_pathway = false, has_transfers = false;
  std::vector<std::string> notes;  // what the store lacked, for the output's metadata
};

// Throws StoreError/InputError when the store has no wl_pathways or patients table.
MutualAidInputs read_mutual_aid_inputs(const store::Store& store);

}  // namespace severn::elective
