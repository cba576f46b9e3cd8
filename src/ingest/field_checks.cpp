#include "ingest/field_checks.h"

#include <array>
#include <cstdio>

namespace severn::ingest {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// Multiplication in the dihedral group D5, the permutation applied by position, and the inverse:
// the three tables that define the Verhoeff scheme (Verhoeff 1969).
constexpr std::array<std::array<std::uint8_t, 10>, 10> kD5{{
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
    {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
    {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
    {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
}};

constexpr std::array<std::array<std::uint8_t, 10>, 8> make_permutations() {
  constexpr std::array<std::uint8_t, 10> p1{1, 5, 7, 6, 2, 8, 3, 0, 9, 4};
  std::array<std::array<std::uint8_t, 10>, 8> p{};
  for (std::uint8_t j = 0; j < 10; ++j) p[0][j] = j;
  for (int i = 1; i < 8; ++i)
    for (int j = 0; j < 10; ++j) p[i][j] = p[i - 1][p1[j]];
  return p;
}
constexpr auto kPerm = make_permutations();

std::string quoted(std::string_view v) { return "'" + printable(v) + "'"; }

}  // namespace

bool verhoeff_valid(std::string_view digits) {
  std::uint8_t c = 0;
  std::size_t i = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++i) {
    if (!is_digit(*it)) return false;
    c = kD5[c][kPerm[i % 8][*it - '0']];
  }
  return c == 0;
}

std::string check_snomed_concept(std::string_view t) {
  if (t.size() < 6 || t.size() > 18) return "SNOMED CT code " + quoted(t) + " must have 6 to 18 digits";
  for (const char c : t)
    if (!is_digit(c)) return "SNOMED CT code " + quoted(t) + " must be digits only";
  if (t[0] == '0') return "SNOMED CT code " + quoted(t) + " has a leading zero";
  if (!verhoeff_valid(t)) return "SNOMED CT code " + quoted(t) + " fails the Verhoeff check digit";
  const std::string_view partition = t.substr(t.size() - 3, 2);
  if (partition != "00" && partition != "10")
    return "SNOMED CT code " + quoted(t) + " is not a concept identifier (partition " +
           std::string(partition) + ")";
  return {};
}

std::string check_icd10(std::string_view t, std::string& out) {
  const auto bad = [&] {
    return "ICD-10 code " + quoted(t) +
           " is not a letter and two digits with an optional fourth and fifth digit (I10, I25.1, "
           "I251, E11.65, filler I10X)";
  };
  if (t.size() < 3 || !is_upper(t[0]) || !is_digit(t[1]) || !is_digit(t[2])) return bad();
  std::string_view rest = t.substr(3);
  const bool dotted = !rest.empty() && rest[0] == '.';
  if (dotted) rest.remove_prefix(1);
  if (dotted && rest.empty()) return bad();
  if (rest.size() > 2) return bad();
  // Digits only, except the filler X, which may only stand alone as the fourth character.
  for (const char c : rest)
    if (!is_digit(c) && c != 'X') return bad();
  if (rest.find('X') != std::string_view::npos && rest != "X") return bad();
  out.assign(t.substr(0, 3));
  // "X" pads a three-character code to four ("I10X"); it carries no meaning.
  if (!rest.empty() && rest != "X") {
    out += '.';
    out += rest;
  }
  return {};
}

std::string check_opcs4(std::string_view t, std::string& out) {
  const auto bad = [&] {
    return "OPCS-4 code " + quoted(t) + " is not a chapter letter, two digits and an optional .digit";
  };
  if (t.size() < 3 || !is_upper(t[0]) || t[0] == 'I' || !is_digit(t[1]) || !is_digit(t[2]))
    return bad();
  std::string_view rest = t.substr(3);
  const bool dotted = !rest.empty() && rest[0] == '.';
  if (dotted) rest.remove_prefix(1);
  if ((dotted && rest.empty()) || rest.size() > 1 || (!rest.empty() && !is_digit(rest[0])))
    return bad();
  out.assign(t.substr(0, 3));
  if (!rest.empty()) {
    out += '.';
    out += rest;
  }
  return {};
}

std::string check_practice_code(std::string_view t) {
  if (t.size() != 6 || !is_upper(t[0])) return "practice code " + quoted(t) + " is not a letter and five digits";
  for (std::size_t i = 1; i < 6; ++i)
    if (!is_digit(t[i])) return "practice code " + quoted(t) + " is not a letter and five digits";
  return {};
}

std::string check_ods_code(std::string_view t) {
  bool ok = t.size() >= 3 && t.size() <= 6;
  for (const char c : t) ok = ok && (is_upper(c) || is_digit(c));
  return ok ? std::string() : "ODS code " + quoted(t) + " is not 3 to 6 upper-case letters and digits";
}

std::string check_lsoa_code(std::string_view t) {
  const bool ok = t.size() == 9 && (t[0] == 'E' || t[0] == 'W') && t[1] == '0' && t[2] == '1' &&
                  [&] {
                    for (std::size_t i = 3; i < 9; ++i)
                      if (!is_digit(t[i])) return false;
                    return true;
                  }();
  return ok ? std::string() : "LSOA code " + quoted(t) + " is not E01/W01 and six digits";
}

std::string check_postcode(std::string_view t) {
  const auto space = t.find(' ');
  const auto bad = [&] { return "postcode " + quoted(t) + " is not a UK postcode like 'TF2 6FH'"; };
  if (space == std::string_view::npos) return bad();
  const std::string_view out = t.substr(0, space), in = t.substr(space + 1);
  if (out.size() < 2 || out.size() > 4 || in.size() != 3) return bad();
  if (!is_upper(out[0])) return bad();
  std::size_t i = 1;
  if (is_upper(out[i])) ++i;
  if (i >= out.size() || !is_digit(out[i])) return bad();
  for (++i; i < out.size(); ++i)
    if (!is_digit(out[i]) && !is_upper(out[i])) return bad();
  if (!is_digit(in[0]) || !is_upper(in[1]) || !is_upper(in[2])) return bad();
  return {};
}

std::size_t first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t bad = first_invalid_utf8(text.substr(i));
    const std::size_t good_end = bad == std::string_view::npos ? text.size() : i + bad;
    for (; i < good_end; ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c < 0x20 || c == 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    if (i < text.size()) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(text[i]));
      out += buf;
      ++i;
    }
  }
  return out;
}

}  // namespace severn::ingest
