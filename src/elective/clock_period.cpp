#include "elective/clock_period.h"

namespace severn::elective {

std::string_view list_type_name(WaitingListType t) {
  switch (t) {
    case WaitingListType::kAdmitted: return "admitted";
    case WaitingListType::kNonAdmitted: return "non_admitted";
    case WaitingListType::kUnknown: break;
  }
  return "";
}

WaitingListType parse_list_type(std::string_view text) {
  if (text == "admitted") return WaitingListType::kAdmitted;
  if (text == "non_admitted") return WaitingListType::kNonAdmitted;
  return WaitingListType::kUnknown;
}

std::string_view period_end_name(PeriodEnd e) {
  switch (e) {
    case PeriodEnd::kOpen: return "open";
    case PeriodEnd::kClockStop: return "clock_stop";
    case PeriodEnd::kRemoved: return "removed";
    case PeriodEnd::kTransferred: return "transferred";
    case PeriodEnd::kNullified: return "nullified";
  }
  return "";
}

int parse_priority(std::string_view text) {
  if (text.size() == 2 && text[0] == 'P' && text[1] >= '1' && text[1] <= '4') return text[1] - '0';
  return 0;
}

}  // namespace severn::elective
