#include <cstddef>
#include <string>

#include "engine/measure_counts.h"

namespace severn::engine {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Compares the digit runs a[i, i_end) and b[j, j_end) as whole numbers of any length:
// negative, zero or positive as a is less, equal or greater.
int compare_numbers(const std::string& a, std::size_t i, std::size_t i_end, const std::string& b, std::size_t j,
                    std::size_t j_end) {
  while (i + 1 < i_end && a[i] == '0') ++i;  // leading zeros do not change the number
  while (j + 1 < j_end && b[j] == '0') ++j;
  if (i_end - i != j_end - j) return i_end - i < j_end - j ? -1 : 1;
  for (; i < i_end; ++i, ++j)
    if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
  return 0;
}

}  // namespace

bool GroupOrder::operator()(const std::string& a, const std::string& b) const {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && is_digit(a[i_end])) ++i_end;
      while (j_end < b.size() && is_digit(b[j_end])) ++j_end;
      if (const int c = compare_numbers(a, i, i_end, b, j, j_end); c != 0) return c < 0;
      i = i_end;
      j = j_end;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (i < a.size() || j < b.size()) return j < b.size();  // a prefix comes first
  return a < b;  // equal as numbers ("01" and "1"): byte order keeps the order total
}

}  // namespace severn::engine
