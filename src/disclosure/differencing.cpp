#include "disclosure/differencing.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

namespace severn::disclosure {

bool difference_publishable(const Policy& policy, std::int64_t difference) {
  return difference == 0 || !is_small(policy, difference < 0 ? -difference : difference);
}

bool pair_reveals_difference(const Policy& policy, std::int64_t first, std::int64_t second) {
  if (difference_publishable(policy, first - second)) return false;
  if (is_small(policy, first) || is_small(policy, second)) return false;
  const CountRange a = published_range(policy, rounded(policy, first));
  const CountRange b = published_range(policy, rounded(policy, second));
  // What a reader of both published figures knows of first - second.
  const std::int64_t lo = a.lo - b.hi, hi = a.hi - b.lo;
  if (hi - lo < policy.protection_width) return true;
  const bool inside_small = lo >= policy.redact_min && hi <= policy.redact_max;
  const bool inside_negative_small = lo >= -policy.redact_max && hi <= -policy.redact_min;
  return inside_small || inside_negative_small;
}

void withhold_revealing_differences(const Policy& policy, const Series& first, Series& second) {
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  for (const auto& b : first.breakdowns)
    for (const auto& g : b.groups) counts[{b.name, g.label}] = g.count;
  if (pair_reveals_difference(policy, first.total, second.total)) second.withhold.push_back(0);
  std::size_t cell = 1;
  for (const auto& b : second.breakdowns)
    for (const auto& g : b.groups) {
      const auto it = counts.find({b.name, g.label});
      if (pair_reveals_difference(policy, it == counts.end() ? 0 : it->second, g.count)) second.withhold.push_back(cell);
      ++cell;
    }
  // A group of `first` absent from `second` counts 0 there: its difference is the group's own
  // count, withheld by the usual rule when small.
}

}  // namespace severn::disclosure
