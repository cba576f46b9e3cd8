// Provider sites a patient on an STW waiting list could be treated at: the STW trusts' own sites
// and their English neighbours (resources/reference/provider-sites.csv, sources per row there and
// in resources/reference/INDEX.csv). A trust (ODS organisation code) may have several sites; a
// patient's distance to a trust is the distance to its nearest listed site.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "elective/geo_distance.h"

namespace severn::elective {

struct ProviderSite {
  std::string org_code;   // ODS code of the trust, e.g. RXW (what wl_pathways.provider_code holds)
  std::string org_name;
  std::string site_name;
  std::string postcode;   // may be empty (no stored source gave one)
  LatLon location;        // WGS84 degrees
  bool stw = false;       // one of the STW system's own trusts
  std::string source;
};

// Parses a provider-sites table (header org_code,org_name,site_name,postcode,latitude,longitude,
// stw,source). Throws InputError naming `source_name`, the line and the field for a missing
// column, an empty code or name, a coordinate that is not a number or not in Great Britain, stw
// not 0/1, or a site listed twice.
std::vector<ProviderSite> parse_provider_sites(std::string_view text, const std::string& source_name);

// The table compiled into the binary (resources/reference/provider-sites.csv), parsed once.
const std::vector<ProviderSite>& provider_sites();

}  // namespace severn::elective
