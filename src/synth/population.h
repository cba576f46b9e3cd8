// Phase 1 of the synthetic ICS: who the people are (age, sex, ethnicity, where they live, which
// practice they are registered with) before any condition or record is drawn.
#pragma once
#include <vector>

#include "refdata/geography.h"
#include "refdata/organisations.h"
#include "synth/config.h"
#include "synth/person.h"

namespace severn::synth {

struct Population {
  std::vector<Person> people;  // first `alive` are alive at end_date; the rest died in the history
  std::size_t alive = 0;
};

// Deaths per person-year used to size the deceased cohort. STW records about 5,600 deaths a year
// for roughly 510,000 people (ONS death registrations, Shropshire and Telford and Wrekin LAs).
inline constexpr double kCrudeDeathRate = 0.011;

Population build_population(const SynthConfig& config, const refdata::Geography& geography,
                            const refdata::Organisations& organisations);

}  // namespace severn::synth
