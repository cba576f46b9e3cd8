// A point for each STW LSOA 2021, from which a patient's distance to a provider site is measured
// (resources/reference/lsoa21-centroids-stw.csv). They are the area centroids of the ONS LSOA
// (December 2021) boundaries, not population-weighted centroids (no stored copy of those was
// found; see resources/reference/INDEX.csv): in a large rural LSOA the two can be a few km apart.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>

#include "elective/geo_distance.h"

namespace severn::elective {

struct LsoaCentroids {
  std::unordered_map<std::string, LatLon> by_code;  // LSOA 2021 code (E01...) -> point
  const LatLon* find(std::string_view code) const;
};

// Parses a table with header lsoa21_code,latitude,longitude. Throws InputError naming the source,
// line and field for a code that is not E01/W01 + 6 digits, a coordinate that is not a number or
// not in Great Britain, or a code listed twice.
LsoaCentroids parse_lsoa_centroids(std::string_view text, const std::string& source_name);

// The STW table compiled into the binary, parsed once.
const LsoaCentroids& stw_lsoa_centroids();

}  // namespace severn::elective
