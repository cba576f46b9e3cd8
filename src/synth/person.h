// One synthetic person: the truth behind every partner's records of them.
// Dates are days since 1970-01-01; kNoDate marks "none".
#pragma once
#include <array>
#include <cstdint>
#include <limits>

#include "core/date.h"

namespace severn::synth {

inline constexpr Days kNoDate = std::numeric_limits<Days>::max();

// Long-term conditions modelled. Order matters: a condition's risk may depend on those before it.
enum class Condition : std::uint8_t {
  kHypertension,
  kDiabetes,         // type in Person::diabetes_type
  kNdh,              // non-diabetic hyperglycaemia
  kCkd,              // CKD stage 3-5
  kChd,
  kAf,
  kStrokeTia,
  kHeartFailure,
  kPad,
  kOtherCirculatory,  // valve disease, cardiomyopathy, VTE... (part of "heart and circulatory")
  kAsthma,
  kCopd,
  kSmi,
  kDepression,
  kDementia,
  kLearningDisability,
  kEpilepsy,
  kCancer,
  kOsteoporosis,
  kRheumatoidArthritis,
  kCount
};
inline constexpr int kConditionCount = static_cast<int>(Condition::kCount);
inline constexpr int idx(Condition c) { return static_cast<int>(c); }
const char* condition_name(Condition c);  // snake_case, used in truth and calibration files

enum class Smoking : std::uint8_t { kNever, kEx, kCurrent };
enum class Frailty : std::uint8_t { kFit, kMild, kModerate, kSevere };

struct Person {
  std::uint32_t id = 0;          // dense index: also the random stream key
  std::uint64_t nhs_number = 0;  // true NHS number (999 range, valid check digit)
  Days birth = 0;
  Days death = kNoDate;          // kNoDate: alive at the end of the history
  char sex = 'F';                // 'M' or 'F'
  char ethnicity = 'A';          // ONS 2001 16+1 category letter (A..S), true value
  bool ethnicity_recorded = true;  // false: the GP record says "not stated" (Z)
  std::uint16_t lsoa = 0;        // index into Geography::lsoas
  std::uint8_t imd_decile = 5;   // 1 = most deprived
  std::uint8_t practice = 0;     // index into Organisations::practices (current practice)
  std::uint8_t previous_practice = 0xFF;  // 0xFF: none within the history
  Days registered_from = 0;      // start of the current registration
  Smoking smoking = Smoking::kNever;
  Frailty frailty = Frailty::kFit;
  std::uint8_t diabetes_type = 0;  // 1 or 2 when kDiabetes
  std::uint8_t cancer_site = 0;    // index into the cancer site table when kCancer
  bool undiagnosed_hypertension = false;  // raised readings, no diagnosis code
  bool undiagnosed_diabetes = false;      // HbA1c >= 48 mmol/mol, no diabetes code
  bool dementia_undiagnosed = false;      // has dementia but no diagnosis on record
  bool care_home = false;
  float z_cardio = 0, z_resp = 0, z_mental = 0, z_frail = 0;  // latent risk (standard normal)

  std::uint32_t conditions = 0;  // bit per Condition: diagnosed and on the GP record
  std::array<Days, kConditionCount> diagnosed_on{};  // valid where the bit is set

  bool has(Condition c) const { return conditions >> idx(c) & 1u; }
  void set(Condition c, Days on) {
    conditions |= 1u << idx(c);
    diagnosed_on[static_cast<std::size_t>(idx(c))] = on;
  }
  Days on(Condition c) const { return diagnosed_on[static_cast<std::size_t>(idx(c))]; }
  bool alive_on(Days d) const { return d >= birth && d < death; }
  // The last day with a record: the day of death, or the end of the history.
  Days last_day(Days end) const { return death == kNoDate ? end : death; }
};

}  // namespace severn::synth
