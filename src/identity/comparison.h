// A comparison turns a pair of records into a level: the first of its configured levels that
// holds for the pair's values, or the implicit "else" level when none does, or null when either
// value is missing (a null comparison contributes nothing to the match weight). Levels are
// resolved against PreparedInputs once, so evaluating one is integer and string work only.
//
// A pair's levels across all comparisons form its pattern: four bits a comparison (0 = null,
// k + 1 = level k, the last being else), so up to 16 comparisons fit one 64-bit word. Training
// counts patterns; scoring looks weights up by pattern.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "identity/link_config.h"
#include "identity/prepared_inputs.h"

namespace severn::identity {

using Pattern = std::uint64_t;
constexpr int kNullLevel = -1;

inline int pattern_level(Pattern p, std::size_t comparison) {
  return static_cast<int>((p >> (4 * comparison)) & 0xF) - 1;
}

struct Level {
  LevelSpec spec;
  int other_field = -1;            // kSwapped, kPrevious
  DerivedKey key;                  // kPhonetic, kPostcode*
};

struct Comparison {
  std::string name;
  int field = -1;
  std::vector<Level> levels;       // configured levels; index levels.size() is "else"
  std::vector<std::string> labels; // levels' labels and "else"
  int max_edit_distance = 0;       // the largest bound of its edit-distance levels (computed once a pair)
  std::size_t level_count() const { return levels.size() + 1; }
};

// Resolves the configured comparisons against the prepared inputs (and asks them for the derived
// keys the levels need).
std::vector<Comparison> build_comparisons(const LinkConfig& config, PreparedInputs& inputs);

// The level of comparison c for records a (input side_a) and b (input side_b), or kNullLevel.
int compare(const Comparison& c, const PreparedInputs& inputs, int side_a, std::uint32_t a, int side_b,
            std::uint32_t b);

// Every comparison's level packed as a Pattern.
Pattern compare_all(const std::vector<Comparison>& comparisons, const PreparedInputs& inputs, int side_a,
                    std::uint32_t a, int side_b, std::uint32_t b);

}  // namespace severn::identity
