// The provider's reported list from a store: each row of `wl_pathways` (wlmds/rtt_pathways.csv)
// as a ClockPeriod, open from its clock start until min(clock_stop_date, removal_date), as the
// extracts' contract defines the reported list (docs/data-model.md, wlmds/rtt_pathways.csv).
#pragma once
#include <string>
#include <vector>

#include "elective/clock_period.h"
#include "store/store.h"

namespace severn::elective {

struct ReportedClocks {
  std::vector<ClockPeriod> periods;
  // Whether the store has the WLMDS columns added for elective care (pathway, rtt_period,
  // waiting_list_type, removal_date, removal_reason). A store that predates them gives periods with
  // no removal (open until the clock stop), list type unknown and pathway numbers of 0; every
  // period is then numbered period 1.
  bool has_wlmds_columns = false;
  std::vector<std::string> missing_columns;  // the new columns the store lacks, for the metadata
};

// Throws StoreError (through the store) when wl_pathways or an old column is absent, and InputError
// naming the row when a period ends before it starts.
ReportedClocks read_reported_clocks(const store::Store& store);

}  // namespace severn::elective
