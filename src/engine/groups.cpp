#include "engine/groups.h"

#include "refdata/geography.h"
#include "refdata/organisations.h"

namespace severn::engine {

GroupColumns::GroupColumns(const refdata::DataDir& data) {
  for (const auto& l : refdata::load_geography(data).lsoas) imd_decile_[l.code] = l.imd_decile;
  for (const auto& p : refdata::load_organisations(data).practices) {
    pcn_of_[p.code] = p.pcn_code;
    place_of_[p.code] = p.place;
  }
}

// ONS 2001 census 5+1 groups of the 16+1 categories (NHS Data Dictionary ETHNIC CATEGORY).
std::string ethnicity_group(std::string_view c) {
  if (c.size() != 1) return "unknown";
  switch (c[0]) {
    case 'A': case 'B': case 'C': return "White";
    case 'D': case 'E': case 'F': case 'G': return "Mixed";
    case 'H': case 'J': case 'K': case 'L': return "Asian or Asian British";
    case 'M': case 'N': case 'P': return "Black or Black British";
    case 'R': case 'S': return "Other ethnic groups";
    case 'Z': return "Not stated";
    default: return "unknown";
  }
}

std::string age_band(int age) {
  if (age < 0) return "unknown";
  if (age >= 90) return "90+";
  const int lo = age / 5 * 5;
  return std::to_string(lo) + "-" + std::to_string(lo + 4);
}

std::string GroupColumns::value(const std::string& column, Evaluator& ev) const {
  if (column == "sex") {
    const Value v = ev.patient_column("sex");
    return v.null() ? "unknown" : std::string(v.s);
  }
  if (column == "age_band") return age_band(ev.age_on(ev.index_date()));
  if (column == "ethnicity_group") {
    const Value v = ev.patient_column("ethnic_category");
    return v.null() ? "unknown" : ethnicity_group(v.s);
  }
  if (column == "imd_decile" || column == "imd_quintile") {
    const Value v = ev.patient_column("lsoa");
    const auto it = v.null() ? imd_decile_.end() : imd_decile_.find(v.s);
    if (it == imd_decile_.end()) return "unknown";
    return std::to_string(column == "imd_decile" ? it->second : (it->second + 1) / 2);
  }
  const std::string_view practice = ev.practice_on(ev.index_date());
  if (practice.empty()) return "unregistered";
  if (column == "practice") return std::string(practice);
  const auto& map = column == "pcn" ? pcn_of_ : place_of_;
  const auto it = map.find(practice);
  return it == map.end() ? "unknown" : it->second;
}

}  // namespace severn::engine
