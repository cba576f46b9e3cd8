// The STW LSOA 2021 map the report draws: each area's boundary (the reference pack's
// geography/lsoa21_stw.geojson, ONS generalised clipped boundaries) with its name, local authority
// and IoD 2025 IMD decile (geography/lsoa21_stw.csv).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "report/charts.h"

namespace severn::report {

struct LsoaMap {
  std::vector<MapArea> areas;  // in the GeoJSON's order
  std::vector<int> imd_decile; // one per area: 1 (most deprived 10% of England) .. 10; 0 if unknown
  std::vector<std::string> la_name;
};

// Reads a GeoJSON FeatureCollection of Polygon or MultiPolygon features whose properties hold
// LSOA21CD and LSOA21NM, and a CSV with lsoa21_code, lad24_name and imd2025_decile. Throws
// InputError naming the file when either is missing or malformed.
LsoaMap load_lsoa_map(const std::filesystem::path& geojson, const std::filesystem::path& lsoa_csv);

}  // namespace severn::report
