// The RTT PERIOD STATUS codes (NHS Data Dictionary, "REFERRAL TO TREATMENT PERIOD STATUS",
// https://www.datadictionary.nhs.uk/attributes/referral_to_treatment_period_status.html) and what
// each does to a waiting-time clock under NHS England's "Referral to treatment consultant-led
// waiting times: rules suite" (October 2022, https://www.gov.uk/government/publications/
// right-to-start-consultant-led-treatment-within-18-weeks). docs/elective/clocks.md gives the
// rules with their sources.
#pragma once
#include <cstdint>
#include <string_view>

namespace severn::elective {

// What a status does to the clock.
enum class StatusEffect : std::uint8_t {
  kFirstStart,        // 10: first activity of a referral to treatment period; the clock starts
  kNewPeriodStart,    // 11 (active monitoring ends), 12 (consultant referral for a new condition)
  kRunning,           // 20: subsequent activity, the clock keeps running
  kTransfer,          // 21: transfer to another provider, the clock keeps running there
  kStop,              // 30, 34, 35, 36: the clock stops (treatment or no treatment)
  kActiveMonitoring,  // 31, 32: the clock stops for active monitoring
  kFirstActivityDna,  // 33: the patient did not attend the first activity; the clock is nullified
  kOutsidePeriod,     // 90, 91, 92, 98, 99: the activity is not within an RTT period
  kUnknown,           // any other value
};

// The code (10..99) of a two-digit status text, or -1 when the text is not one of the codes.
int parse_rtt_status(std::string_view text);
// The effect of a code; kUnknown for anything not in the Data Dictionary's list.
StatusEffect status_effect(int code);
// One line of plain English for a code ("first definitive treatment"); "unknown status" else.
std::string_view status_meaning(int code);
// True for the codes that stop a clock (30-36).
constexpr bool is_stop_code(int code) { return code >= 30 && code <= 36; }

}  // namespace severn::elective
