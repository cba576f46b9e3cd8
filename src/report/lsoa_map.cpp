#include "report/lsoa_map.h"

#include <simdjson.h>

#include <map>

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::report {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;

std::vector<std::pair<double, double>> read_ring(element ring, const std::filesystem::path& path) {
  std::vector<std::pair<double, double>> out;
  array points;
  if (ring.get(points) != simdjson::SUCCESS) throw InputError(path.string() + ": a polygon ring is not an array");
  for (element p : points) {
    array xy;
    double lon = 0, lat = 0;
    if (p.get(xy) != simdjson::SUCCESS || xy.size() < 2 || xy.at(0).get(lon) != simdjson::SUCCESS ||
        xy.at(1).get(lat) != simdjson::SUCCESS)
      throw InputError(path.string() + ": a position is not [longitude, latitude]");
    out.emplace_back(lon, lat);
  }
  return out;
}

void read_polygon(element polygon, MapArea& area, const std::filesystem::path& path) {
  array rings;
  if (polygon.get(rings) != simdjson::SUCCESS) throw InputError(path.string() + ": a polygon is not an array of rings");
  for (element ring : rings) area.rings.push_back(read_ring(ring, path));
}

}  // namespace

LsoaMap load_lsoa_map(const std::filesystem::path& geojson, const std::filesystem::path& lsoa_csv) {
  std::map<std::string, std::pair<int, std::string>> attributes;
  const CsvTable t = CsvTable::read_file(lsoa_csv);
  const std::size_t c_code = t.column("lsoa21_code"), c_decile = t.column("imd2025_decile"), c_la = t.column("lad24_name");
  for (std::size_t r = 0; r < t.rows(); ++r)
    attributes[t.cell(r, c_code)] = {static_cast<int>(t.get_int(r, c_decile)), t.cell(r, c_la)};

  simdjson::dom::parser parser;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(geojson.string()).get(text) != simdjson::SUCCESS)
    throw InputError(geojson.string() + ": cannot read the file");
  element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS) throw InputError(geojson.string() + ": not valid JSON");
  array features;
  if (root["features"].get(features) != simdjson::SUCCESS) throw InputError(geojson.string() + ": no 'features' array");
  LsoaMap m;
  for (element f : features) {
    MapArea area;
    std::string_view code, name, type;
    if (f["properties"]["LSOA21CD"].get(code) != simdjson::SUCCESS)
      throw InputError(geojson.string() + ": a feature has no LSOA21CD property");
    if (f["properties"]["LSOA21NM"].get(name) != simdjson::SUCCESS) name = code;
    area.code = std::string(code);
    area.name = std::string(name);
    element geometry;
    if (f["geometry"].get(geometry) != simdjson::SUCCESS || geometry["type"].get(type) != simdjson::SUCCESS)
      throw InputError(geojson.string() + ": feature " + area.code + " has no geometry type");
    if (type == "Polygon") {
      read_polygon(geometry["coordinates"], area, geojson);
    } else if (type == "MultiPolygon") {
      array polygons;
      if (geometry["coordinates"].get(polygons) != simdjson::SUCCESS)
        throw InputError(geojson.string() + ": feature " + area.code + " has no coordinates");
      for (element p : polygons) read_polygon(p, area, geojson);
    } else {
      throw InputError(geojson.string() + ": feature " + area.code + " is a " + std::string(type) +
                       ", not a Polygon or MultiPolygon");
    }
    const auto a = attributes.find(area.code);
    m.imd_decile.push_back(a == attributes.end() ? 0 : a->second.first);
    m.la_name.push_back(a == attributes.end() ? "" : a->second.second);
    m.areas.push_back(std::move(area));
  }
  return m;
}

}  // namespace severn::report
