// Synthetic names and postcodes. Given names follow the ONS top-100 baby names of the person's
// birth decade and sex; family names the commonest surnames of England and Wales; people of South
// Asian, Chinese or Eastern European heritage draw from lists for that heritage where we have
// them (resources/names/INDEX.csv gives every source). Postcodes are synthetic: the outward code
// of the person's practice and a random inward code, so they look right but locate nobody.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/rng.h"

namespace severn::synth {

class NameTables {
 public:
  static NameTables load();  // from the built-in resources/names
  std::string given_name(Rng& rng, int birth_year, char sex, char ethnicity) const;
  std::string family_name(Rng& rng, char sex, char ethnicity) const;

 private:
  struct Table {
    std::vector<std::string> names;
    AliasTable weights;
  };
  static Table make(std::vector<std::pair<std::string, double>> rows);
  std::map<std::string, Table> given_;  // "1950M", "south_asianF", ...
  std::map<std::string, Table> family_;  // "", "chinese", ...
};

std::string synthetic_postcode(Rng& rng, const std::string& practice_postcode);
// One character of the inward code keyed wrongly, keeping the postcode's format valid.
std::string postcode_typo(Rng& rng, const std::string& postcode);

// Realistic keying errors, used for partners' copies of identifiers.
std::string typo(Rng& rng, const std::string& s);           // one edit: swap, drop, double, replace
std::string mistype_digits(Rng& rng, const std::string& s);  // transpose two digits or change one

}  // namespace severn::synth
