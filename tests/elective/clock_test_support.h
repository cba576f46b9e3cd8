// Crafted activity and reported rows for the clock engine's tests.
#pragma once
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/clock_derivation.h"
#include "elective/reconciliation.h"
#include "elective/rtt_status.h"

namespace severn::elective::testing {

inline Days day(const char* iso) { return *parse_iso_date(iso); }

// One activity row at RXW, treatment function 110, unless changed by the chained setters.
struct Row {
  Activity a;
  Row(const char* date, ActivityType type, const char* status) {
    a.date = day(date);
    a.type = type;
    a.rtt_status_text = status;
    a.rtt_status = parse_rtt_status(status);
    a.provider_code = "RXW";
    a.treatment_function = 110;
  }
  Row& at(const char* provider) {
    a.provider_code = provider;
    return *this;
  }
  Row& to(const char* receiver) {
    a.transfer_provider_code = receiver;
    return *this;
  }
  Row& outcome(ValidationOutcome o, const char* reason = "") {
    a.validation = o;
    a.removal_reason = reason;
    return *this;
  }
  operator Activity() const { return a; }
};

struct Derived {
  std::vector<ClockPeriod> periods;
  std::vector<Finding> findings;
  bool has(FindingCode c) const {
    for (const auto& f : findings)
      if (f.code == c) return true;
    return false;
  }
};

inline Derived derive(std::vector<Activity> rows, std::uint32_t pathway = 7) {
  sort_for_derivation(rows);
  Derived d;
  derive_pathway({3, pathway}, rows, d.periods, d.findings);
  return d;
}

inline std::vector<std::string> finding_names(const std::vector<Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.emplace_back(finding_name(x.code));
  return out;
}

}  // namespace severn::elective::testing
