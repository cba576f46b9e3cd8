// UK postcodes: an outward code (area letters, district digits and an optional letter: "SY1",
// "TF10", "EC1A") and a three-character inward code (sector digit, unit letters: "2AB").
// Shape from the ONS Postcode Directory user guide (outward code 2-4 characters, inward code
// digit + two letters). Sector = outward + inward digit ("SY1 2"); district = outward code.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace severn::identity {

struct PostcodeParts {
  std::string full;      // "SY1 2AB": outward, one space, inward
  std::string sector;    // "SY1 2"
  std::string district;  // "SY1"
  std::string area;      // "SY"
};

// Upper-cases, drops spaces and punctuation, and splits; nullopt when what is left does not
// have the shape of a postcode.
std::optional<PostcodeParts> parse_postcode(std::string_view text);

}  // namespace severn::identity
