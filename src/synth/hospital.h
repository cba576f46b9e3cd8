// Secondary care: emergency and elective admissions (SUS admitted patient care, ICD-10 and
// OPCS-4), A&E attendances (ECDS, SNOMED CT), outpatient appointments with DNAs (SUS outpatients)
// and referral-to-treatment pathways (waiting list minimum data set). Hospital use follows need:
// rates rise with age, frailty, deprivation and long-term conditions, and diagnoses match the
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

namespace severn::synth {

struct ElectiveCase {
  int treatment_function;
  const std::string* diagnosis;
  const std::string* procedure;
  int min_age;
  char sex;  // 'B' both
  double weight;
};

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

// Referral-to-treatment waits. Clock starts before March 2020 mostly finish within 18 weeks;
// later ones follow a mixture of short and long waits whose mix `long_share` and referral rate
// `referral_scale` are solved so that the waiting list on the snapshot date matches the
// published size and share over 18 weeks (Little's law: list size = referrals x mean wait).
struct RttModel {
  Days snapshot = 0;
  double referral_scale = 1;  // multiplies each person's base referral rate
  double long_share = 0.36;
  static constexpr double kShortMeanDays = 49, kLongMeanDays = 280, kCapDays = 546;
  double wait_days(Rng& rng, Days clock_start) const;
};
double rtt_base_rate(const Person& p, int age);  // referrals per year before scaling
RttModel build_rtt_model(const SynthConfig& config, const Targets& targets,
                         const std::vector<Person>& people, std::size_t alive);

void render_hospital(const Person& person, const SynthConfig& config, const HospitalCodes& codes,
                     const RttModel& rtt, PersonPartners& partners, Chunk& chunk);

}  // namespace severn::synth
