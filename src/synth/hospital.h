// Secondary care: emergency and elective admissions (SUS admitted patient care, ICD-10 and
// OPCS-4), A&E attendances (ECDS, SNOMED CT), outpatient appointments with DNAs (SUS outpatients)
// and, through waiting_list.h, referral-to-treatment pathways (waiting list minimum data set).
// Hospital use follows need: rates rise with age, frailty, deprivation and long-term conditions, and diagnoses match the
// person's conditions. Children and young people have tooth extractions as day cases, mostly for
// dental caries and steeply more often in deprived areas.
#pragma once
#include <string>
#include <vector>

#include "refdata/codelists.h"
#include "synth/code_picker.h"
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/partners.h"
#include "synth/person.h"
#include "synth/targets.h"
#include "synth/waiting_list.h"

namespace severn::synth {

struct HospitalCodes {
  CodePicker copd_exacerbation, asthma, heart_failure, stroke, mi, hip_fracture, falls,
      hypo_dka, general, af, ecds_acuity_high, ecds_acuity_low, ecds_diagnosis;
  // Secondary diagnoses for long-term conditions, by Condition (null where none).
  std::vector<const std::string*> chronic;
  const std::string* diabetes_type1 = nullptr;
  std::vector<ElectiveCase> elective;
  // Tooth extractions in children and young people (0-19): for dental caries, or for another
  // dental reason (impacted or unerupted teeth, retained roots).
  CodePicker caries, dental_other, simple_extraction, surgical_extraction;
};
HospitalCodes build_hospital_codes(const refdata::CodelistLibrary& lib);

void render_hospital(const Person& person, const SynthConfig& config, const HospitalCodes& codes,
                     const RttModel& rtt, PersonPartners& partners, Chunk& chunk);

}  // namespace severn::synth
