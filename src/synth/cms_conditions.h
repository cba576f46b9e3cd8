// The four conditions of the Cambridge Multimorbidity Score (Payne et al., CMAJ 2020) that are not
// QOF registers, as GP record content: alcohol problems and irritable bowel syndrome as diagnosis
// codes, and the prescriptions the score's usage rules count for treated constipation (laxatives),
// irritable bowel syndrome (antispasmodics) and painful conditions (opioid analgesics and
// gabapentinoids). Each condition has its own random stream, and its rows are added after the rest
// of the record is drawn, so every other row of every extract is what it was without them.
#pragma once
#include "synth/config.h"
#include "synth/gp_codes.h"
#include "synth/gp_record.h"
#include "synth/person.h"

namespace severn::synth {

// Appends the person's rows to scratch.events and scratch.issues (unsorted).
void add_cms_conditions(const Person& person, const SynthConfig& config, const GpCodes& codes,
                        GpScratch& scratch);

}  // namespace severn::synth
