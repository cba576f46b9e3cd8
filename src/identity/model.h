// The Fellegi-Sunter model (Fellegi and Sunter 1969, "A Theory for Record Linkage", J. Am.
// Stat. Assoc. 64:1183-1210). For each comparison level, m = P(level | the records are the same
// person) and u = P(level | different people); lambda = P(a random pair is a match). Under the
// model's conditional independence, a pair's match weight is
//
//   log2(lambda / (1 - lambda)) + sum over comparisons of log2(m / u)      (null: 0)
//
// and its match probability is 2^w / (1 + 2^w). A term-frequency level replaces u by the
// frequency of the value (see term_frequencies.h). Saved as TOML beside a run's outputs and
// loadable to score new data without training again.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "identity/comparison.h"

namespace severn::identity {

struct LevelParameters {
  std::string label;
  double m = 0.0;
  double u = 0.0;
};

struct ComparisonParameters {
  std::string name;
  std::vector<LevelParameters> levels;  // the configured levels, then else
  // How m was obtained: "em", "deterministic rule", or "em on all candidates" when every rule
  // uses the comparison's field (see training.h).
  std::string m_source;
};

struct Model {
  double lambda = 0.0;
  std::vector<ComparisonParameters> comparisons;

  double prior_weight() const;
  // log2(m / u) of a level; 0 for kNullLevel.
  double level_weight(std::size_t comparison, int level) const;
  // Weight of a whole pattern without term-frequency adjustment.
  double pattern_weight(Pattern p) const;
};

// Probabilities are kept away from 0 and 1 so no weight is infinite: a level never seen among
// matches (or non-matches) gets this floor.
inline constexpr double kProbabilityFloor = 1e-9;

double probability_from_weight(double weight);
double weight_from_probability(double probability);

void write_model(const Model& model, const std::filesystem::path& path);
std::string model_toml(const Model& model);  // the text write_model writes
// Throws InputError when the file is malformed or its comparisons and levels differ from
// `comparisons` (a model belongs to the configuration it was trained with).
Model read_model(const std::filesystem::path& path, const std::vector<Comparison>& comparisons);
// The same from the text of a model file (`file` names it in errors), e.g. one read from a
// store's identity area.
Model parse_model(std::string_view text, const std::string& file, const std::vector<Comparison>& comparisons);

}  // namespace severn::identity
