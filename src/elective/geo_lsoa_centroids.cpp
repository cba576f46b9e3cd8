#include "elective/geo_lsoa_centroids.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::elective {
namespace {

constexpr std::string_view kEmbeddedPath = "reference/lsoa21-centroids-stw.csv";

bool lsoa_code_shape(std::string_view c) {
  if (c.size() != 9 || !(c.starts_with("E01") || c.starts_with("W01"))) return false;
  for (std::size_t i = 3; i < c.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(c[i]))) return false;
  return true;
}

double degrees(const CsvTable& t, std::size_t r, std::string_view field) {
  const std::string& s = t.cell(r, field);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno != 0)
    throw InputError(t.source() + " line " + std::to_string(t.line(r)) + ", " + std::string(field) + ": '" + s +
                     "' is not a number of degrees");
  return v;
}

}  // namespace

const LatLon* LsoaCentroids::find(std::string_view code) const {
  const auto it = by_code.find(std::string(code));
  return it == by_code.end() ? nullptr : &it->second;
}

LsoaCentroids parse_lsoa_centroids(std::string_view text, const std::string& source_name) {
  const CsvTable t = CsvTable::parse(text, source_name);
  for (const char* c : {"lsoa21_code", "latitude", "longitude"})
    if (!t.has_column(c)) throw InputError(source_name + ": no column '" + c + "'");
  LsoaCentroids out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string line = source_name + " line " + std::to_string(t.line(r));
    const std::string& code = t.cell(r, "lsoa21_code");
    if (!lsoa_code_shape(code)) throw InputError(line + ", lsoa21_code: '" + code + "' is not an LSOA 2021 code");
    const LatLon p{degrees(t, r, "latitude"), degrees(t, r, "longitude")};
    if (!plausible_in_great_britain(p))
      throw InputError(line + ", latitude/longitude: " + t.cell(r, "latitude") + ", " + t.cell(r, "longitude") +
                       " is not in Great Britain (swapped or mistyped?)");
    if (!out.by_code.emplace(code, p).second) throw InputError(line + ", lsoa21_code: " + code + " is listed twice");
  }
  return out;
}

const LsoaCentroids& stw_lsoa_centroids() {
  static const LsoaCentroids centroids = [] {
    const auto text = embedded::find(kEmbeddedPath);
    if (!text) throw InputError("resources/" + std::string(kEmbeddedPath) + " is not compiled into this binary");
    return parse_lsoa_centroids(*text, "resources/" + std::string(kEmbeddedPath));
  }();
  return centroids;
}

}  // namespace severn::elective
