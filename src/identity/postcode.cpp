#include "identity/postcode.h"

namespace severn::identity {

namespace {
bool letter(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::optional<PostcodeParts> parse_postcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (letter(c) || digit(c)) compact += c;
    if (compact.size() > 7) return std::nullopt;
  }
  if (compact.size() < 5) return std::nullopt;
  const std::string_view inward = std::string_view(compact).substr(compact.size() - 3);
  const std::string_view outward = std::string_view(compact).substr(0, compact.size() - 3);
  if (!digit(inward[0]) || !letter(inward[1]) || !letter(inward[2])) return std::nullopt;
  // Outward: 1-2 area letters, a district digit, then an optional digit or letter.
  std::size_t i = 0;
  while (i < outward.size() && letter(outward[i])) ++i;
  if (i < 1 || i > 2 || i >= outward.size() || !digit(outward[i])) return std::nullopt;
  const std::size_t area_length = i;
  ++i;
  if (i < outward.size() && (digit(outward[i]) || letter(outward[i]))) ++i;
  if (i != outward.size()) return std::nullopt;
  PostcodeParts p;
  p.district = std::string(outward);
  p.full = p.district + " " + std::string(inward);
  p.sector = p.district + " " + inward[0];
  p.area = std::string(outward.substr(0, area_length));
  return p;
}

}  // namespace severn::identity
