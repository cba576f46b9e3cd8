#include "identity/string_similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace severn::identity {

namespace {

// Names and identifiers are short; a fixed buffer keeps the comparator free of allocation in
// the pair-scoring loop. Longer strings fall back to the heap.
constexpr std::size_t kStackLength = 64;

double jaro_with_flags(std::string_view a, std::string_view b, bool* a_flag, bool* b_flag) {
  const std::size_t la = a.size(), lb = b.size();
  const std::size_t window = std::max(la, lb) / 2 > 0 ? std::max(la, lb) / 2 - 1 : 0;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_flag[j] && a[i] == b[j]) {
        a_flag[i] = b_flag[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  // Count matched characters that appear in a different order: each out-of-order pair is two
  // half-transpositions.
  std::size_t half_transpositions = 0, k = 0;
  for (std::size_t i = 0; i < la; ++i) {
    if (!a_flag[i]) continue;
    while (!b_flag[k]) ++k;
    if (a[i] != b[k]) ++half_transpositions;
    ++k;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions / 2);
  return (m / static_cast<double>(la) + m / static_cast<double>(lb) + (m - t) / m) / 3.0;
}

}  // namespace

double jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() <= kStackLength && b.size() <= kStackLength) {
    std::array<bool, kStackLength> a_flag{}, b_flag{};
    return jaro_with_flags(a, b, a_flag.data(), b_flag.data());
  }
  const std::unique_ptr<bool[]> a_flag(new bool[a.size()]()), b_flag(new bool[b.size()]());
  return jaro_with_flags(a, b, a_flag.get(), b_flag.get());
}

double jaro_winkler(std::string_view a, std::string_view b, double prefix_scale) {
  const double j = jaro(a, b);
  std::size_t prefix = 0;
  const std::size_t limit = std::min<std::size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * prefix_scale * (1.0 - j);
}

int bounded_osa_distance(std::string_view a, std::string_view b, int max_distance) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > max_distance) return max_distance + 1;
  if (la == 0 || lb == 0) return std::max(la, lb);
  // Three rolling rows of the dynamic programme (the transposition looks two rows back), on the
  // stack for short strings: this runs once per compared pair.
  const int big = max_distance + 1;
  const std::size_t width = static_cast<std::size_t>(lb) + 1;
  std::array<int, 3 * (kStackLength + 1)> stack_rows;
  std::vector<int> heap_rows;
  int* rows = stack_rows.data();
  if (width > kStackLength + 1) {
    heap_rows.resize(3 * width);
    rows = heap_rows.data();
  }
  int* two_back = rows;
  int* previous = rows + width;
  int* current = rows + 2 * width;
  for (std::size_t j = 0; j < width; ++j) {
    two_back[j] = big;
    previous[j] = std::min(static_cast<int>(j), big);
  }
  for (int i = 1; i <= la; ++i) {
    current[0] = std::min(i, big);
    int row_min = current[0];
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, two_back[j - 2] + 1);
      current[j] = std::min(d, big);
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > max_distance) return big;
    int* recycled = two_back;
    two_back = previous;
    previous = current;
    current = recycled;
  }
  return std::min(previous[lb], big);
}

bool is_adjacent_transposition(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.size() < 2) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i + 1 >= a.size()) return false;
  if (a[i] != b[i + 1] || a[i + 1] != b[i] || a[i] == a[i + 1]) return false;
  return a.substr(i + 2) == b.substr(i + 2);
}

bool differs_in_one_position(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  int differences = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && ++differences > 1) return false;
  return differences == 1;
}

}  // namespace severn::identity
