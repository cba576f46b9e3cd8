// Deaths (ONS death registrations, underlying cause in ICD-10), cancer registrations (site and
// stage, as the National Disease Registration Service records them), community health contacts
// and adult social care episodes.
#pragma once
#include "refdata/codelists.h"
#include "refdata/geography.h"
#include "synth/code_picker.h"
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/partners.h"
#include "synth/person.h"
#include "synth/targets.h"

namespace severn::synth {

struct OutcomeModel {
  // Underlying-cause codes.
  const std::string *chd, *mi, *stroke, *heart_failure, *af, *copd, *pneumonia, *dementia,
      *alzheimer;
  std::vector<const std::string*> cancer_site_icd10;  // by cancer site
  double circulatory_weight = 1;  // calibrated so circulatory deaths match JFP11
  double early_stage_shift = 0;   // logit shift so staged cancers at stage 1-2 match JFP12
};

OutcomeModel build_outcome_model(const refdata::CodelistLibrary& lib, const SynthConfig& config,
                                 const Targets& targets, const std::vector<Person>& people);

// Assigns cancer sites (needed before any record is rendered).
void assign_cancer_sites(const SynthConfig& config, std::vector<Person>& people);

void render_outcomes(const Person& person, const SynthConfig& config, const OutcomeModel& model,
                     const refdata::Lsoa& home, const std::string& nhs_number,
                     const std::string& postcode, PersonPartners& partners, Chunk& chunk);

}  // namespace severn::synth
