// GP practices and Primary Care Networks of STW, and where their registered patients live.
#pragma once
#include <string>
#include <vector>

#include "refdata/data_dir.h"

namespace severn::refdata {

struct Practice {
  std::string code;      // ODS practice code, e.g. M82002
  std::string name;
  std::string postcode;
  std::string pcn_code;  // "U" = not in a PCN
  std::string place;     // "Shropshire" or "Telford and Wrekin" (the practice's pre-2022 CCG)
  int list_size = 0;     // registered patients, 1 April 2026
};

struct Pcn {
  std::string code;
  std::string name;
  std::string place;  // Place holding most of the PCN's registered patients
};

// Registered patients of one PCN's practices living in one LSOA (January 2026).
struct LsoaPcnCount {
  std::string lsoa_code;
  std::string pcn_code;
  int patients = 0;
};

struct Organisations {
  std::vector<Practice> practices;  // sorted by code
  std::vector<Pcn> pcns;            // sorted by code
  std::vector<LsoaPcnCount> lsoa_pcn;
  const Practice* find_practice(const std::string& code) const;
  const Pcn* find_pcn(const std::string& code) const;
};

// Reads organisations/practices_stw.csv, pcns_stw.csv and lsoa_pcn_patients_stw.csv and checks
// that every practice names a known PCN and every count names a known PCN.
Organisations load_organisations(const DataDir& dir);

}  // namespace severn::refdata
