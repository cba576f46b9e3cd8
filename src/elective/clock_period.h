// One RTT clock period, the unit every elective measure counts: as the provider reported it
// (wl_pathways: NHS England's statistics count this list) or as Severn derived it from the
// pathway's activity (wl_activity, under the RTT rules). Dates are days since 1970-01-01.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/date.h"

namespace severn::elective {

inline constexpr Days kStillOpen = std::numeric_limits<Days>::max();
inline constexpr std::uint32_t kNoPerson = std::numeric_limits<std::uint32_t>::max();

enum class WaitingListType : std::uint8_t { kUnknown, kAdmitted, kNonAdmitted };

// Why a period left the list (kOpen: it had not by the end of the data).
enum class PeriodEnd : std::uint8_t {
  kOpen,
  kClockStop,    // an RTT status 30-36 stopped the clock (stop_status says which)
  kRemoved,      // removed other than treatment, after validation (removal_reason says why)
  kTransferred,  // moved to another provider; the clock runs on there (RTT status 21)
  kNullified,    // a first-activity DNA (status 33): the period never counts
};

// "admitted", "non_admitted", "" (the extracts' values).
std::string_view list_type_name(WaitingListType t);
// From the extracts' values; kUnknown for anything else.
WaitingListType parse_list_type(std::string_view text);
// "open", "clock_stop", "removed", "transferred", "nullified".
std::string_view period_end_name(PeriodEnd e);
// "P1".."P4" -> 1..4; 0 for empty or anything else.
int parse_priority(std::string_view text);

struct ClockPeriod {
  std::uint32_t person = kNoPerson;  // store person id
  std::uint32_t pathway = 0;         // the store's pathway number (column `pathway`, the same in every wl_ table)
  int period = 1;                    // 1 for the pathway's first RTT period, then 2, ...
  std::string provider_code;         // ODS code of the provider holding the list
  int treatment_function = 0;        // NHS DD TREATMENT FUNCTION CODE
  int priority = 0;                  // clinical priority P1-P4 as 1-4; 0 not recorded
  WaitingListType list_type = WaitingListType::kUnknown;
  Days clock_start = 0;
  Days end = kStillOpen;  // the day it left the list (clock stop, removal or transfer)
  PeriodEnd end_kind = PeriodEnd::kOpen;
  int stop_status = 0;  // 30-36 for kClockStop
  std::string removal_reason;  // for kRemoved
  // The day the period joined this provider's list when that is not its clock start: the
  // transfer date of a period transferred in (its clock started at the sender). Unset (the
  // lowest Days) for every other period.
  Days on_list_from = std::numeric_limits<Days>::min();

  // On the list at the end of day `on`: on this provider's list by then and not yet ended.
  bool open_on(Days on) const {
    return clock_start <= on && on_list_from <= on && on < end && end_kind != PeriodEnd::kNullified;
  }
};

}  // namespace severn::elective
