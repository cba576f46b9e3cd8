// Match weights for pairs under a trained model, with term-frequency adjustment, and the
// explanation of a weight as a waterfall: the prior, then each comparison's level and its
// contribution (the level's log2(m/u) plus any term-frequency adjustment), summing to the
// pair's match weight.
#pragma once
#include <string>
#include <vector>

#include "identity/model.h"
#include "identity/term_frequencies.h"

namespace severn::identity {

struct Contribution {
  std::string comparison;
  std::string left_value, right_value;
  int level = kNullLevel;
  std::string label;        // "null" for a null comparison
  double m = 0.0, u = 0.0;  // of the level (0 for null)
  double level_weight = 0.0;         // log2(m / u)
  double term_frequency_weight = 0.0;  // log2(u / f) when the level is term-frequency adjusted
  double weight() const { return level_weight + term_frequency_weight; }
};

struct Explanation {
  double prior_weight = 0.0;
  std::vector<Contribution> contributions;
  double match_weight = 0.0;
  double match_probability = 0.0;
};

class Scorer {
 public:
  Scorer(const Model& model, const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
         const TermFrequencies& frequencies);

  // a from input 0, b from the right input; `pattern` as compare_all gives it.
  double weight(Pattern pattern, std::uint32_t a, std::uint32_t b) const;
  // The weight of record a of input 0 against a record with exactly its values (the ingest's
  // partner records that repeat their GP person's fields need no preparation of their own).
  // `pattern`: compare_all of a against itself.
  double weight_against_copy(Pattern pattern, std::uint32_t a) const;
  Explanation explain(std::uint32_t a, std::uint32_t b) const;
  // The same from a pattern already computed, without the compared values (for bulk output).
  Explanation explain(std::uint32_t a, std::uint32_t b, Pattern pattern) const;

 private:
  double term_frequency_adjustment(std::size_t c, int level, std::uint32_t a, std::uint32_t b) const;
  Explanation explain(std::uint32_t a, std::uint32_t b, const Pattern* pattern) const;

  const Model& model_;
  const std::vector<Comparison>& comparisons_;
  const PreparedInputs& inputs_;
  const TermFrequencies& frequencies_;
  std::vector<std::vector<double>> weights_;         // comparison -> level -> log2(m/u)
  std::vector<std::vector<char>> adjusted_;          // comparison -> level -> term frequency?
};

}  // namespace severn::identity
