// The GP record of one person: diagnoses, observations with values, vaccinations, care processes
// and repeat medication issues, rendered as rows of gp/events.csv and gp/medications.csv.
// Units of numeric_value: blood pressure mmHg; HbA1c mmol/mol; cholesterol mmol/L; BMI kg/m2;
// eGFR mL/min/1.73m2; creatinine umol/L; urine ACR mg/mmol; QRISK percent.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/gp_codes.h"
#include "synth/person.h"

namespace severn::synth {

struct GpEvent {
  Days date;
  const std::string* code;
  double value;
  std::int8_t decimals;  // -1: no value
};
struct GpIssue {
  Days date;
  const std::string* code;
};

// Reused between people by one worker thread, so rendering allocates nothing per row.
struct GpScratch {
  std::vector<GpEvent> events;
  std::vector<GpIssue> issues;
};

void render_gp_record(const Person& person, const SynthConfig& config, const GpCodes& codes,
                      const std::string& nhs_number, GpScratch& scratch, Chunk& chunk);

// CHA2DS2-VASc stroke risk score on `on` (Lip et al., Chest 2010), from the true record.
int cha2ds2_vasc(const Person& person, Days on);

}  // namespace severn::synth
