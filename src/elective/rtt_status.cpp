#include "elective/rtt_status.h"

namespace severn::elective {

int parse_rtt_status(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') return -1;
  const int code = (text[0] - '0') * 10 + (text[1] - '0');
  return status_effect(code) == StatusEffect::kUnknown ? -1 : code;
}

StatusEffect status_effect(int code) {
  switch (code) {
    case 10: return StatusEffect::kFirstStart;
    case 11:
    case 12: return StatusEffect::kNewPeriodStart;
    case 20: return StatusEffect::kRunning;
    case 21: return StatusEffect::kTransfer;
    case 30:
    case 34:
    case 35:
    case 36: return StatusEffect::kStop;
    case 31:
    case 32: return StatusEffect::kActiveMonitoring;
    case 33: return StatusEffect::kFirstActivityDna;
    case 90:
    case 91:
    case 92:
    case 98:
    case 99: return StatusEffect::kOutsidePeriod;
    default: return StatusEffect::kUnknown;
  }
}

// The Data Dictionary's meanings, shortened.
std::string_view status_meaning(int code) {
  switch (code) {
    case 10: return "first activity (clock start)";
    case 11: return "start of a new period after active monitoring ends";
    case 12: return "consultant referral for a new condition (new period)";
    case 20: return "subsequent activity (clock running)";
    case 21: return "transfer to another provider (clock running)";
    case 30: return "first definitive treatment";
    case 31: return "active monitoring started by the patient";
    case 32: return "active monitoring started by a care professional";
    case 33: return "did not attend the first activity (clock nullified)";
    case 34: return "decision not to treat";
    case 35: return "patient declined treatment";
    case 36: return "patient died";
    case 90: return "after first definitive treatment";
    case 91: return "during active monitoring";
    case 92: return "not yet referred for treatment";
    case 98: return "not applicable to RTT";
    case 99: return "not yet known";
    default: return "unknown status";
  }
}

}  // namespace severn::elective
