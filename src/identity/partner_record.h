// The identifying fields the linking stage compares: a GP person (gp/patients.csv, the persons
// everything links to) and a partner index record (partners/patients.csv, a partner's own copy
// of someone's identity, possibly with errors). Identifiable: these live in memory and in the
// store's restricted identity area only.
#pragma once
#include <cstdint>
#include <string>

#include "core/date.h"

namespace severn::identity {

struct GpPerson {
  std::uint64_t nhs_number = 0;
  std::string family_name, given_name, sex, postcode;
  Days date_of_birth = 0;
};

struct PartnerRecord {
  std::string partner_code, local_id;
  std::string nhs_number;        // as written in the extract (may be empty or invalid)
  bool nhs_valid = false;        // ten digits with a correct check digit
  std::uint64_t nhs_value = 0;   // when valid
  std::string nhs_problem;       // why the number cannot be used, when it is present but invalid
  std::string family_name, given_name, sex, postcode, previous_family_name, previous_postcode;
  Days date_of_birth = 0;
  std::int64_t line = 0;         // line of partners/patients.csv
};

}  // namespace severn::identity
