// Twins: which people are each other's twin, at the rate England and Wales records for their year
// of birth. A twin pair is two people already in the population with the same date of birth and
// ethnic category, registered with the same practice or, where a small population has too few
// such pairs, with practices of the same primary care network; so making them twins changes no
// clinical record.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "refdata/organisations.h"
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

// Two thirds of the pairs of each year of birth are of the same sex: identical twins (about a
// third of twin pairs) are always the same sex and fraternal twins half the time (Weinberg's
// differential rule). Pairs within a practice are always taken before pairs across practices.
TwinPairs pair_twins(const std::vector<Person>& people, const refdata::Organisations& organisations,
                     const SynthConfig& config);

}  // namespace severn::synth
