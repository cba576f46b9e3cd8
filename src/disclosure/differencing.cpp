#include "disclosure/differencing.h"

#include <map>
#include <string>
#include <utility>

namespace severn::disclosure {

bool difference_publishable(const Policy& policy, std::int64_t difference) {
  return difference == 0 || !is_small(policy, difference < 0 ? -difference : difference);
}

bool pair_reveals_difference(const Policy& policy, std::int64_t first, std::int64_t second) {
  if (difference_publishable(policy, first - second)) return false;
  // A small count is withheld anyway, and the audit protects it: the difference is then at least
  // as uncertain as that count.
  if (is_small(policy, first) || is_small(policy, second)) return false;
  // Rounding alone is not enough: each published figure is known within its rounding band, their
  // difference within twice that, but the tables' equations narrow the bands (a group's count is
  // also the total less the other groups), and a random attack found a difference of 4 pinned to
  // [-8, -1] that way. So a small difference withholds the second figure under every policy.
  return true;
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
