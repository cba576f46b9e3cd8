#include "elective/sites.h"

#include <cerrno>
#include <cstdlib>
#include <set>
#include <utility>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::elective {
namespace {

constexpr std::string_view kEmbeddedPath = "reference/provider-sites.csv";

std::string where(const CsvTable& t, std::size_t r, std::string_view field) {
  return t.source() + " line " + std::to_string(t.line(r)) + ", " + std::string(field);
}

double parse_degrees(const CsvTable& t, std::size_t r, std::string_view field) {
  const std::string& s = t.cell(r, field);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno != 0)
    throw InputError(where(t, r, field) + ": '" + s + "' is not a number of degrees");
  return v;
}

}  // namespace

std::vector<ProviderSite> parse_provider_sites(std::string_view text, const std::string& source_name) {
  const CsvTable t = CsvTable::parse(text, source_name);
  for (const char* c : {"org_code", "org_name", "site_name", "postcode", "latitude", "longitude", "stw", "source"})
    if (!t.has_column(c)) throw InputError(source_name + ": no column '" + c + "'");
  std::vector<ProviderSite> sites;
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    ProviderSite s;
    s.org_code = t.cell(r, "org_code");
    s.org_name = t.cell(r, "org_name");
    s.site_name = t.cell(r, "site_name");
    s.postcode = t.cell(r, "postcode");
    s.source = t.cell(r, "source");
    if (s.org_code.empty()) throw InputError(where(t, r, "org_code") + ": empty");
    if (s.site_name.empty()) throw InputError(where(t, r, "site_name") + ": empty");
    s.location = {parse_degrees(t, r, "latitude"), parse_degrees(t, r, "longitude")};
    if (!plausible_in_great_britain(s.location))
      throw InputError(where(t, r, "latitude/longitude") + ": " + t.cell(r, "latitude") + ", " +
                       t.cell(r, "longitude") + " is not in Great Britain (swapped or mistyped?)");
    const std::string& stw = t.cell(r, "stw");
    if (stw != "0" && stw != "1") throw InputError(where(t, r, "stw") + ": '" + stw + "' is not 0 or 1");
    s.stw = stw == "1";
    if (!seen.emplace(s.org_code, s.site_name).second)
      throw InputError(where(t, r, "site_name") + ": " + s.org_code + " " + s.site_name + " is listed twice");
    sites.push_back(std::move(s));
  }
  if (sites.empty()) throw InputError(source_name + ": no provider sites");
  return sites;
}

const std::vector<ProviderSite>& provider_sites() {
  static const std::vector<ProviderSite> sites = [] {
    const auto text = embedded::find(kEmbeddedPath);
    if (!text) throw InputError("resources/" + std::string(kEmbeddedPath) + " is not compiled into this binary");
    return parse_provider_sites(*text, "resources/" + std::string(kEmbeddedPath));
  }();
  return sites;
}

}  // namespace severn::elective
