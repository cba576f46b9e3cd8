// The minimum link probability of `severn run --min-link-probability` and `severn report
// --link-sensitivity` (docs/linkage-uncertainty.md): read and checked here, and what a view
// without weak links left out, said once in the command's output.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "store/store.h"

namespace severn::cli {

// A probability from 0 to 1 given to `option`; throws InputError naming the option and the value.
inline double parse_probability(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double p = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(p >= 0.0 && p <= 1.0))
    throw InputError(option + ": '" + text + "' is not a probability: give a number from 0 to 1 (for example 0.9)");
  return p;
}

// One line (or a few) for the command's output: what the view left out, or that the store has no
// link probabilities at all, so every row counts as linked with probability 1.0.
inline std::string describe_link_filter(const store::LinkFilter& f, const std::string& option) {
  char p[32];
  std::snprintf(p, sizeof p, "%g", f.min_probability);
  if (f.no_probabilities())
    return "links: the store has no link_probability column (it was built before probabilistic linkage), so every "
           "row counts as linked with probability 1.0 and " + option + " " + p + " leaves nothing out";
  std::string out = "links: rows linked with probability below " + std::string(p) + " left out: " +
                    std::to_string(f.rows_removed()) + " rows";
  for (const auto& t : f.tables)
    out += "; " + t.name + " " + std::to_string(t.rows_after) + " of " + std::to_string(t.rows_before) + " kept";
  return out;
}

}  // namespace severn::cli
