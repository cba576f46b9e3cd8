#include "query/reference.h"

#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "refdata/organisations.h"

namespace severn::query {

std::unordered_map<std::string, std::string> load_reference(Reference r, const std::string& data_dir) {
  std::unordered_map<std::string, std::string> out;
  switch (r) {
    case Reference::kPracticePcn:
    case Reference::kPracticePlace:
      for (const auto& p : refdata::load_organisations(refdata::DataDir::resolve(data_dir)).practices)
        out[p.code] = r == Reference::kPracticePcn ? p.pcn_code : p.place;
      break;
    case Reference::kLsoaImdDecile:
    case Reference::kLsoaImdQuintile:
      for (const auto& l : refdata::load_geography(refdata::DataDir::resolve(data_dir)).lsoas)
        out[l.code] = std::to_string(r == Reference::kLsoaImdDecile ? l.imd_decile : l.imd_quintile());
      break;
    case Reference::kEthnicityGroup:
      // NHS Data Dictionary ETHNIC CATEGORY (16+1) grouped as the ONS 2001 census 5+1 groups.
      for (const char c : std::string("ABC")) out[std::string(1, c)] = "White";
      for (const char c : std::string("DEFG")) out[std::string(1, c)] = "Mixed";
      for (const char c : std::string("HJKL")) out[std::string(1, c)] = "Asian or Asian British";
      for (const char c : std::string("MNP")) out[std::string(1, c)] = "Black or Black British";
      for (const char c : std::string("RS")) out[std::string(1, c)] = "Other ethnic groups";
      out["Z"] = "Not stated";
      break;
    case Reference::kAgeBand:
      // The 19 bands of the European Standard Population 2013; 90 and over by the caller.
      for (int age = 0; age < 90; ++age)
        out[std::to_string(age)] = std::to_string(age / 5 * 5) + "-" + std::to_string(age / 5 * 5 + 4);
      break;
  }
  return out;
}

void ensure_reference(Model& model, Reference r, const std::string& data_dir) {
  auto& table = model.references[static_cast<std::size_t>(r)];
  if (table.empty()) table = load_reference(r, data_dir);
}

}  // namespace severn::query
