// The GP record's vocabulary: which code list every generated diagnosis, observation and
// medication issue is drawn from. Built once from the code-list library; a missing list stops the
// run with a message naming it.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "refdata/codelists.h"
#include "synth/code_picker.h"
#include "synth/person.h"

namespace severn::synth {

struct CancerSite {
  const char* name;
  const char* snomed;       // GP record code (from the pack's C19CAN/C19HAEMCAN refsets)
  const char* icd10;        // registry site code (from resources/codelists/icd10-cancer-sites.csv)
  char sex;                 // 'M', 'F', or 'B' for both
  double share;             // share of new cancers (England, rounded)
  double early_stage;       // share of staged cancers at stage 1 or 2 (England, rounded)
};
const std::vector<CancerSite>& cancer_sites();

// eFI deficits the generator codes directly (the other eFI deficits are conditions of the model
// or, for polypharmacy, the medication issues). Order matches efi_deficit_file().
enum class EfiDeficit : std::uint8_t {
  kActivityLimitation, kAnaemia, kArthritis, kCareRequirement, kDizziness, kDyspnoea, kFalls,
  kFootProblems, kFragilityFracture, kHearingImpairment, kHeartValveDisease, kHousebound,
  kHypotensionSyncope, kMemoryProblems, kMobilityProblems, kParkinsonism, kPepticUlcer,
  kSkinUlcer, kSleepDisturbance, kSocialVulnerability, kThyroidDisease, kUrinaryIncontinence,
  kUrinarySystemDisease, kVisualImpairment, kWeightLoss, kCount
};
inline constexpr int kEfiDeficitCount = static_cast<int>(EfiDeficit::kCount);
// The code list (file stem in resources/codelists/) of each generated deficit.
const char* efi_deficit_file(EfiDeficit d);

struct GpCodes {
  std::array<CodePicker, kConditionCount> diagnosis;
  CodePicker diabetes_type1, diabetes_type2, tia, hf_lvsd;
  CodePicker ckd3a, ckd3b, ckd4, ckd5;
  CodePicker hyp_resolved, dm_resolved, copd_resolved;
  CodePicker systolic, diastolic, hba1c, cholesterol, bmi, obese, creatinine, egfr, acr;
  CodePicker current_smoker, ex_smoker, never_smoker, alcohol;
  CodePicker flu, pneumococcal, covid, foot_check, retinal_screening, health_check, qrisk;
  CodePicker asthma_review, copd_review;
  CodePicker mild_frailty, moderate_frailty, severe_frailty, care_home, palliative;
  std::vector<const std::string*> cancer_snomed;  // by cancer site

  // Electronic Frailty Index deficits that are not long-term conditions of the model (Clegg et
  // al., Age and Ageing 2016), one picker per deficit, in the order of EfiDeficit.
  std::array<CodePicker, kEfiDeficitCount> efi_deficit;

  // Medications (dm+d).
  CodePicker acei, arb, ccb, thiazide, beta_blocker, doac, warfarin;
  CodePicker statin_high, statin_medium, statin_low;
  CodePicker saba, ics, ics_laba, metformin, sulfonylurea, sglt2, dpp4, insulin;
  CodePicker antipsychotic, antidepressant, antiepileptic;

  // The four Cambridge Multimorbidity Score conditions that are not QOF registers
  // (cms_conditions.h): their diagnosis codes and the drugs their usage rules count.
  CodePicker alcohol_problem, ibs, laxative, antispasmodic, opioid, gabapentinoid;
};

GpCodes build_gp_codes(const refdata::CodelistLibrary& lib);

}  // namespace severn::synth
