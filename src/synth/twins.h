// Twins: which people are each other's twin, at the rate England and Wales records for their year
// of birth. A twin pair is two people already in the population with the same date of birth,
// practice and ethnic category, so making them twins changes no clinical record.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "synth/config.h"
#include "synth/person.h"

namespace severn::synth {

// Multiple maternities per 1,000 maternities in England and Wales for a year of birth (ONS,
// interpolated; see twins.cpp for the figures and their sources).
double multiple_maternity_rate(int birth_year);

struct TwinPairs {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (lower id, higher id)
  double expected = 0;  // pairs the rates call for over everyone's year of birth
};

// Same-sex pairs are drawn twice as readily as opposite-sex ones: identical twins (about a third
// of twin pairs) are always the same sex and fraternal twins are so half the time, so about two
// thirds of twin pairs are the same sex (Weinberg's differential rule).
TwinPairs pair_twins(const std::vector<Person>& people, const SynthConfig& config);

}  // namespace severn::synth
