// Harm-while-waiting evidence and the person attributes the PTL and the prioritisation score use,
// read from the person's linked GP and hospital record in the store. Definitions follow Severn's
// library (resources/library/segmentation.sev, frailty.sev) and its group columns
// (src/query/reference.cpp), so a PTL and a `severn run` of those definitions agree:
//   * long-term conditions: the 18 registers of library:segmentation (QOF refsets ever coded on or
//     before the day; hypertension, diabetes and COPD drop out after a later resolution code;
//     cancer is an NCRAS registration);
//   * new long-term conditions since the clock start: registers counted on the day whose first
//     code (or cancer registration) falls after the clock start day: deterioration while waiting;
//   * frailty: the latest MILDFRAIL/MODFRAIL/SEVFRAIL code on or before the day;
//   * emergency admissions: APCS spells with an emergency admission method (21-25, 28, 2A-2D:
//     resources/reference/admission-method-codes.csv, and library:segmentation's set) admitted
//     after the clock start day, up to and including the day; A&E attendances: ECDS arrivals in
//     the same window;
//   * learning disability: an LD_COD code on or before the day (the GP learning disability
//     register);
//   * IMD decile and quintile of the person's LSOA 2021 (IoD 2025; refdata/geography.h), and the
//     ethnicity group of the NHS Data Dictionary ethnic category (ONS 5+1 groups, as Severn's
//     ethnicity_group column).
// Severn's language evaluates every person at one index date per pass (engine lanes), but every
// period here has its own window (its clock start to the PTL date), so these are read directly
// from the store tables with the same code lists and rules, not through the engine.
#pragma once
#include <cstdint>
#include <string_view>
#include <string>
#include <vector>

#include "core/date.h"
#include "refdata/codelists.h"
#include "refdata/geography.h"
#include "store/store.h"

namespace severn::elective {

enum class Frailty : std::uint8_t { kNoneRecorded, kMild, kModerate, kSevere };
// "none recorded", "mild", "moderate", "severe" (library:segmentation's labels).
const char* frailty_name(Frailty f);

struct PersonAttributes {
  int imd_decile = 0;  // 1 (most deprived 10% of England) .. 10; 0 unknown
  int imd_quintile() const { return imd_decile == 0 ? 0 : (imd_decile + 1) / 2; }
  std::string ethnicity_group = "unknown";
  int age = -1;  // whole years on the day; -1 unknown
  bool learning_disability = false;
  std::string pseudonym;  // 64 hex digits (the store's HMAC pseudonym)
};

struct HarmEvidence {
  int emergency_admissions = 0;     // since the clock start (after its day, up to the PTL day)
  int ae_attendances = 0;           // same window
  Frailty frailty = Frailty::kNoneRecorded;  // on the PTL day
  int long_term_conditions = 0;     // on the PTL day (multimorbidity count, 0-18)
  int new_long_term_conditions = 0; // of those, first recorded after the clock start day
};

// Reads the linked record of persons of one store. Code lists come from the reference-data pack
// and Severn's built-in lists (refdata::CodelistLibrary); construction binds them to the store's
// code dictionaries once.
class LinkedRecord {
 public:
  LinkedRecord(const store::Store& store, const refdata::CodelistLibrary& codelists, const refdata::Geography& geography);

  PersonAttributes attributes(std::uint32_t person, Days on) const;
  // The evidence for a period that started on `clock_start`, on day `on` (clock_start <= on).
  HarmEvidence harm(std::uint32_t person, Days clock_start, Days on) const;

 private:
  const store::Store& store_;
  std::vector<std::uint32_t> register_mask_;  // bits by snomedct dictionary id
  std::vector<std::uint8_t> emergency_method_;  // by apcs.admission_method dictionary id
  std::vector<int> imd_by_lsoa_;                // decile by patients.lsoa21_code id (0 unknown)
  std::vector<std::string> ethnicity_by_id_;    // group by patients.ethnic_category id
};

// The ONS 5+1 group of an NHS Data Dictionary ETHNIC CATEGORY code ("A".."Z"); "unknown" otherwise.
std::string ethnicity_group(std::string_view code);

}  // namespace severn::elective
