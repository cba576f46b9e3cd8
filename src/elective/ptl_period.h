// One open clock period as the patient tracking list (PTL) reads it from the provider's reported
// list (wl_pathways), with the WLMDS fields the PTL shows. Dates are days since 1970-01-01;
// kNoDate marks a date the record does not have.
#pragma once
#include <cstdint>
#include <limits>
#include <string>

#include "core/date.h"
#include "elective/clock_period.h"

namespace severn::elective {

inline constexpr Days kNoDate = std::numeric_limits<Days>::min();

struct PtlPeriod {
  std::uint32_t person = kNoPerson;  // store person id
  std::int64_t row = -1;             // row of wl_pathways (the stable key while a store has no pathway number)
  std::int32_t pathway = -1;         // the store's pathway number; -1 when the store predates it
  std::string provider_code;
  int treatment_function = 0;
  int priority = 0;  // P1-P4 as 1-4; 0 not recorded
  WaitingListType list_type = WaitingListType::kUnknown;
  Days clock_start = 0;
  Days referral_received = kNoDate;
  std::string planned_procedure;     // OPCS-4 code, "" when none
  Days tci_date = kNoDate;           // to-come-in date
  Days last_validation = kNoDate;    // the last validation contact
  bool has_validation_data = false;  // false: the store predates last_validation_date
};

}  // namespace severn::elective
