// Built-in group columns for measures (docs/language.md): place, pcn, practice (the registration
// on the index date), imd_decile and imd_quintile (IoD 2025 of the person's LSOA), ethnicity_group
// (ONS 5+1 from the 16+1 category), age_band (five-year bands to 90+), sex.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "engine/evaluator.h"
#include "refdata/data_dir.h"

namespace severn::engine {

class GroupColumns {
 public:
  explicit GroupColumns(const refdata::DataDir& data);
  // The group a person falls in on the evaluator's index date; "unknown" when not known.
  std::string value(const std::string& column, Evaluator& ev) const;

 private:
  std::map<std::string, int, std::less<>> imd_decile_;        // LSOA -> decile
  std::map<std::string, std::string, std::less<>> pcn_of_;    // practice -> PCN code
  std::map<std::string, std::string, std::less<>> place_of_;  // practice -> Place
};

std::string ethnicity_group(std::string_view category);
std::string age_band(int age);

}  // namespace severn::engine
