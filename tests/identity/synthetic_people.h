// Small synthetic person files with known errors, for training and clustering tests: `people`
// people, each written `copies` times, each copy's fields independently corrupted at known rates.
// Deterministic per seed.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "core/rng.h"

namespace severn::identity::testing {

struct SyntheticRates {
  int first_names = 200;     // distinct first names, uniform
  int surnames = 300;        // distinct surnames, uniform
  double first_wrong = 0.10; // a copy's first name replaced by another at random
  double surname_wrong = 0.15;
  double dob_wrong = 0.05;   // a copy's date of birth moved by 1-400 days
};

// CSV text with columns id,first_name,surname,dob,person; ids "p<person>c<copy>".
inline std::string synthetic_people(int people, int copies, const SyntheticRates& rates, std::uint64_t seed) {
  Rng rng(seed, 0, "synthetic people");
  std::string out = "id,first_name,surname,dob,person\n";
  for (int p = 0; p < people; ++p) {
    const int first = static_cast<int>(rng.below(static_cast<std::uint64_t>(rates.first_names)));
    const int surname = static_cast<int>(rng.below(static_cast<std::uint64_t>(rates.surnames)));
    const int dob = 3000 + static_cast<int>(rng.below(20000));
    for (int c = 0; c < copies; ++c) {
      int f = first, s = surname, d = dob;
      // A replacement is always a different value, so the error rates are exact.
      if (rng.bernoulli(rates.first_wrong)) f = (first + 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(rates.first_names - 1)))) % rates.first_names;
      if (rng.bernoulli(rates.surname_wrong)) s = (surname + 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(rates.surnames - 1)))) % rates.surnames;
      if (rng.bernoulli(rates.dob_wrong)) d += 1 + static_cast<int>(rng.below(400));
      const int year = 1930 + d / 372, month = 1 + (d % 372) / 31, day = 1 + d % 31 % 28;
      char dob_text[48];
      std::snprintf(dob_text, sizeof dob_text, "%04d-%02d-%02d", year, month, day);
      out += "p" + std::to_string(p) + "c" + std::to_string(c) + ",F" + std::to_string(f) + ",S" + std::to_string(s) + "," +
             dob_text + "," + std::to_string(p) + "\n";
    }
  }
  return out;
}

}  // namespace severn::identity::testing
