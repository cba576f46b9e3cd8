// The reported waiting list (store table wl_pathways) as flows and stocks for capacity planning
// and simulation: weekly clock starts, clock stops (admitted / non-admitted), removals other than
// treatment, and the list by weeks waited. Dates are days since 1970-01-01; a week is 7 days
// ending on the day named (week_end); waits are whole days from the clock start (rtt_weeks.h).
//
// A period is on the list on day D when clock_start <= D < min(clock_stop, removal): the
// convention of NHS England's RTT statistics (the provider's reported list).
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/clock_period.h"

namespace severn::store {
class Store;
}

namespace severn::elective {

// One reported RTT period, reduced to what capacity planning needs.
struct ReportedPeriod {
  int treatment_function = 0;
  std::uint32_t provider = 0;  // index into ReportedList::providers
  int priority = 0;            // 1-4 for P1-P4, 0 not recorded
  WaitingListType list_type = WaitingListType::kUnknown;
  Days clock_start = 0;
  Days clock_stop = kStillOpen;  // kStillOpen: not stopped
  Days removal = kStillOpen;     // left the list other than by a clock stop; kStillOpen: not removed
  bool transferred = false;      // the removal was a transfer: the clock runs on at the other provider
  // On this provider's list from: the clock start, or the transfer day of a pathway transferred in
  // (reported_transfers.h), which then is not a new clock start.
  // The lowest date (the default) means the clock start.
  Days joined = std::numeric_limits<Days>::min();
  bool transferred_in() const { return joined > clock_start; }
  Days on_list_from() const { return joined > clock_start ? joined : clock_start; }

  Days exit() const { return clock_stop < removal ? clock_stop : removal; }
  bool open_on(Days d) const { return on_list_from() <= d && d < exit(); }
  // Left by a clock stop (not a removal) on exit().
  bool stopped() const { return clock_stop != kStillOpen && clock_stop <= removal; }
};

struct ReportedList {
  std::vector<ReportedPeriod> periods;
  std::vector<std::string> providers;  // ODS codes
  Days first_start = 0, last_date = 0;  // the data's range (last_date: the latest date seen)
  // The store predates the WLMDS columns (waiting_list_type, removal_date, removal_reason):
  // removals are unknown (none counted) and stops cannot be split by list type.
  bool has_removals = false;
  bool has_list_type = false;
};

// Reads wl_pathways. Throws InputError when the store has no wl_pathways table.
ReportedList read_reported_list(const store::Store& store);

// Which periods a series counts: a provider (or any) and a treatment function (or any).
struct FlowScope {
  static constexpr int kAnyTreatmentFunction = -1;
  static constexpr std::int64_t kAnyProvider = -1;
  int treatment_function = kAnyTreatmentFunction;
  std::int64_t provider = kAnyProvider;
  bool contains(const ReportedPeriod& p) const {
    return (treatment_function == kAnyTreatmentFunction || p.treatment_function == treatment_function) &&
           (provider == kAnyProvider || static_cast<std::int64_t>(p.provider) == provider);
  }
};

// Weekly flows for weeks ending first_week_end, first_week_end + 7, ... (weeks() of them).
struct WeeklyFlows {
  Days first_week_end = 0;
  std::vector<std::int64_t> clock_starts;     // clock_start within the week
  std::vector<std::int64_t> stops_admitted;   // clock stops of admitted pathways
  std::vector<std::int64_t> stops_non_admitted;
  std::vector<std::int64_t> stops_unknown_type;  // a store without waiting_list_type
  std::vector<std::int64_t> removals;         // removals other than treatment (transfers included)
  std::vector<std::int64_t> list_size;        // open at the end of the week
  std::size_t weeks() const { return clock_starts.size(); }
  std::int64_t stops(std::size_t w) const { return stops_admitted[w] + stops_non_admitted[w] + stops_unknown_type[w]; }
};

// The flows of the periods in `scope` for `weeks` weeks, the first ending on first_week_end.
WeeklyFlows weekly_flows(const ReportedList& list, const FlowScope& scope, Days first_week_end, std::size_t weeks);

// The list open on day `on` by completed weeks waited: counts[b] for b < bands - 1, and every
// wait of bands - 1 weeks or more in the last band.
std::vector<std::int64_t> list_by_weeks_waited(const ReportedList& list, const FlowScope& scope, Days on,
                                               std::size_t bands);

}  // namespace severn::elective
