// A small reader of the provider's reported list (the store's wl_pathways table) for the patient
// tracking list and the policy simulation. The snapshot helper is writing the shared reader of
// wl_pathways into elective::ClockPeriod; this one exists until the two are merged, and also reads
// the WLMDS fields only the PTL shows (planned procedure, TCI, last validation).
//
// A store made before the WLMDS extracts (the "old format") has only clock_start_date,
// clock_stop_date, rtt_status, treatment_function_code, priority, provider_code and
// link_probability: the reader then leaves pathway = -1, the list type unknown, and the WLMDS
// dates absent, and says so in ReportedListInfo.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/ptl_period.h"
#include "store/store.h"

namespace severn::elective {

struct ReportedListInfo {
  bool has_wlmds_columns = false;  // the store has the new wl_pathways columns
  std::vector<std::string> missing_columns;  // the new columns it lacks (empty when it has them all)
};

// One wl_pathways row with the day it left the list: min(clock_stop_date, removal_date), or
// kStillOpen. A row is on the list on day D when clock_start <= D < left.
struct ReportedRow {
  PtlPeriod period;
  Days left = kStillOpen;
  // The day it joined this provider's list: the clock start, or the transfer day of a pathway
  // transferred in (reported_transfers.h).
  Days joined = 0;
  bool stopped = false;  // left by a clock stop (clock_stop_date, not a removal)
  bool open_on(Days on) const { return joined <= on && on < left; }
};

// Calls `visit` for every row of wl_pathways whose provider is `provider` ("" = every provider),
// in store order (person, then clock start). Throws StoreError when the store has no wl_pathways.
ReportedListInfo read_reported_list(const store::Store& store, const std::string& provider,
                                    const std::function<void(const ReportedRow&)>& visit);

// The periods open on `on` (clock_start <= on < left), in store order.
std::vector<PtlPeriod> read_open_periods(const store::Store& store, const std::string& provider, Days on,
                                         ReportedListInfo* info = nullptr);

// The providers the reported list names (wl_pathways.provider_code's dictionary), in dictionary order.
std::vector<std::string> reported_providers(const store::Store& store);

// The day the PTL is taken on by default: the store's data end (the manifest's data_end, else
// its as-of date). Throws InputError when neither is a date.
Days default_list_date(const store::Store& store);

}  // namespace severn::elective
