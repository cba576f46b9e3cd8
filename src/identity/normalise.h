// Turning a raw CSV cell into the value a comparison sees. Each field of a linkage
// configuration has a kind; the kind says how its text is cleaned, what counts as missing
// (null), and which comparison levels make sense for it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace severn::identity {

enum class FieldKind {
  kText,       // upper-cased, spaces collapsed
  kName,       // letters and digits upper-cased; hyphens and spaces separate parts; ' and . dropped
  kDate,       // parsed with the field's date format; unparseable dates are null
  kNhsNumber,  // digits only (spaces and hyphens dropped); anything else is kept as text
  kPostcode,   // "SY1 2AB" when it has a postcode's shape, else the compact upper-cased text
  kSex,        // M or F (also MALE/FEMALE, 1/2); 0, 9, U, UNKNOWN are null; anything else as text
};

const char* field_kind_name(FieldKind kind);
std::optional<FieldKind> parse_field_kind(std::string_view name);
// For messages: every kind's name, comma separated.
std::string field_kind_names();

// A date layout such as "YYYY-MM-DD", "YYYYMMDD" or "DD/MM/YYYY": YYYY, MM and DD stand for
// digits, anything else must appear literally.
class DateFormat {
 public:
  // nullopt when the layout lacks YYYY, MM or DD or repeats one.
  static std::optional<DateFormat> parse(std::string_view layout);
  std::optional<Days> read(std::string_view text) const;
  const std::string& layout() const { return layout_; }

 private:
  std::string layout_;
};

// The normalised value, or "" for null. Dates come back as their ISO text; the caller parses
// them again with parse_iso_date (normalised dates are always ISO).
std::string normalise_value(FieldKind kind, std::string_view raw, const DateFormat* date_format);

// The parts of a normalised name ("SMITH JONES" -> SMITH, JONES).
std::vector<std::string_view> name_parts(std::string_view normalised);

}  // namespace severn::identity
