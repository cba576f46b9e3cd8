// STW lower-layer super output areas (LSOA 2021) with deprivation and an age profile.
// Deprivation is the English Indices of Deprivation 2025 (IMD) on LSOA 2021: decile 1 = most
// deprived 10% of England; quintile 1 (deciles 1-2) is "Core20". The age profile is the ONS
// mid-2020 single-year population of the LSOA 2011 areas, carried to LSOA 2021 through the ONS
// change lookup (unchanged: as is; merged: summed; split: shared equally between the children).
#pragma once
#include <array>
#include <string>
#include <vector>

#include "refdata/data_dir.h"

namespace severn::refdata {

inline constexpr int kAgeColumns = 91;  // ages 0..89 single years, then 90+ at index 90

struct Lsoa {
  std::string code;     // E01...
  std::string name;
  std::string la_code;  // E06000051 Shropshire, E06000020 Telford and Wrekin
  std::string la_name;
  std::string ward_name;
  double imd_score = 0;  // IoD 2025 IMD score (higher = more deprived)
  int imd_rank = 0;      // 1 = most deprived LSOA in England
  int imd_decile = 0;    // 1..10
  int imd_quintile() const { return (imd_decile + 1) / 2; }
  std::array<double, kAgeColumns> population_by_age{};  // persons, mid-2020
  double population() const;
};

struct Geography {
  std::vector<Lsoa> lsoas;  // sorted by code
  const Lsoa* find(const std::string& code) const;
  int index_of(const std::string& code) const;  // -1 if absent
};

// Reads geography/lsoa21_stw.csv, geography/lsoa11_stw.csv and geography/lsoa11_to_lsoa21_stw.csv.
Geography load_geography(const DataDir& dir);

}  // namespace severn::refdata
