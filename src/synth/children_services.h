// Community services for children and young people, as contacts in the community extract
// (community/contacts.csv): NHS-funded children and young people's mental health services, and
// epilepsy specialist nursing for children with epilepsy. These are what Core20PLUS5 for
// children and young people asks an ICS to measure access to.
#pragma once
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/partners.h"
#include "synth/person.h"

namespace severn::synth {

// Service names as they appear in the `service` column.
inline constexpr const char* kCypMentalHealthService = "Children and young people's mental health";
inline constexpr const char* kEpilepsyNursingService = "Epilepsy specialist nursing";

void render_children_services(const Person& person, const SynthConfig& config,
                              PersonPartners& partners, Chunk& chunk);

}  // namespace severn::synth
