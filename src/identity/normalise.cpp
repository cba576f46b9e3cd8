#include "identity/normalise.h"

#include <array>

#include "identity/postcode.h"

namespace severn::identity {

namespace {

constexpr std::array<std::pair<FieldKind, const char*>, 6> kKindNames{{
    {FieldKind::kText, "text"},
    {FieldKind::kName, "name"},
    {FieldKind::kDate, "date"},
    {FieldKind::kNhsNumber, "nhs_number"},
    {FieldKind::kPostcode, "postcode"},
    {FieldKind::kSex, "sex"},
}};

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Upper case, runs of white space to one space, no leading or trailing space.
std::string collapse_upper(std::string_view raw) {
  std::string s;
  s.reserve(raw.size());
  bool pending_space = false;
  for (char c : raw) {
    if (is_space(c)) {
      pending_space = !s.empty();
      continue;
    }
    if (pending_space) s += ' ';
    pending_space = false;
    s += upper(c);
  }
  return s;
}

std::string normalise_name(std::string_view raw) {
  std::string s;
  s.reserve(raw.size());
  bool pending_space = false;
  for (char c : raw) {
    c = upper(c);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (keep) {
      if (pending_space) s += ' ';
      pending_space = false;
      s += c;
    } else if (c == '-' || is_space(c) || c == ',' || c == '/') {
      pending_space = !s.empty();
    }
    // Apostrophes, dots and other punctuation vanish: O'BRIEN = OBRIEN, ST. JOHN = ST JOHN.
  }
  return s;
}

std::string normalise_sex(std::string_view raw) {
  const std::string s = collapse_upper(raw);
  if (s == "M" || s == "MALE" || s == "1") return "M";
  if (s == "F" || s == "FEMALE" || s == "2") return "F";
  if (s == "0" || s == "9" || s == "U" || s == "UNKNOWN" || s == "NOT KNOWN" || s == "NOT SPECIFIED") return "";
  return s;
}

std::string normalise_nhs_number(std::string_view raw) {
  std::string digits;
  bool other = false;
  for (char c : raw) {
    if (c >= '0' && c <= '9') digits += c;
    else if (c != ' ' && c != '-') other = true;
  }
  return other ? collapse_upper(raw) : digits;
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

const char* field_kind_name(FieldKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "?";
}

std::optional<FieldKind> parse_field_kind(std::string_view name) {
  for (const auto& [k, n] : kKindNames)
    if (name == n) return k;
  return std::nullopt;
}

std::string field_kind_names() {
  std::string s;
  for (const auto& [k, n] : kKindNames) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

std::optional<DateFormat> DateFormat::parse(std::string_view layout) {
  const auto count = [&](std::string_view token) {
    int n = 0;
    for (std::size_t at = layout.find(token); at != std::string_view::npos; at = layout.find(token, at + 1)) ++n;
    return n;
  };
  if (count("YYYY") != 1 || count("MM") != 1 || count("DD") != 1) return std::nullopt;
  DateFormat f;
  f.layout_ = std::string(layout);
  return f;
}

std::optional<Days> DateFormat::read(std::string_view text) const {
  if (text.size() != layout_.size()) return std::nullopt;
  int year = -1, month = -1, day = -1;
  std::size_t i = 0;
  while (i < layout_.size()) {
    const std::string_view rest = std::string_view(layout_).substr(i);
    if (rest.starts_with("YYYY")) {
      year = digits_value(text.substr(i, 4));
      i += 4;
    } else if (rest.starts_with("MM")) {
      month = digits_value(text.substr(i, 2));
      i += 2;
    } else if (rest.starts_with("DD")) {
      day = digits_value(text.substr(i, 2));
      i += 2;
    } else {
      if (text[i] != layout_[i]) return std::nullopt;
      ++i;
    }
  }
  if (year < 1 || month < 1 || day < 1 || !is_valid_civil(year, month, day)) return std::nullopt;
  return days_from_civil(year, month, day);
}

std::string normalise_value(FieldKind kind, std::string_view raw, const DateFormat* date_format) {
  switch (kind) {
    case FieldKind::kText: return collapse_upper(raw);
    case FieldKind::kName: return normalise_name(raw);
    case FieldKind::kSex: return normalise_sex(raw);
    case FieldKind::kNhsNumber: return normalise_nhs_number(raw);
    case FieldKind::kPostcode: {
      if (const auto p = parse_postcode(raw)) return p->full;
      std::string s;
      for (char c : collapse_upper(raw))
        if (c != ' ') s += c;
      return s;
    }
    case FieldKind::kDate: {
      std::string s = collapse_upper(raw);
      if (s.empty()) return s;
      const std::optional<Days> d = date_format != nullptr ? date_format->read(s) : parse_iso_date(s);
      return d ? format_iso_date(*d) : std::string();
    }
  }
  return std::string(raw);
}

std::vector<std::string_view> name_parts(std::string_view normalised) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < normalised.size()) {
    std::size_t end = normalised.find(' ', start);
    if (end == std::string_view::npos) end = normalised.size();
    if (end > start) parts.push_back(normalised.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace severn::identity
