// What a measure's numerator and denominator count, as a short fingerprint independent of the
// names in the file: the population, the denominator and the numerator with every let replaced by
// what it means, and every code list by the file it was loaded from. Two measures (in one
// definition or in two, in this release or an earlier one) with equal fingerprints count the
// same people on the same interval, so disclosure control treats them as one count and the
// release ledger can match them (docs/disclosure.md).
#pragma once
#include <string>
#include <vector>

#include "lang/checker.h"

namespace severn::engine {

struct MeasureMeaning {
  std::string numerator, denominator;  // 32 hex digits each
};

std::vector<MeasureMeaning> measure_meanings(const lang::CheckedDefinition& definition);

}  // namespace severn::engine
