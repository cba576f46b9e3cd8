// Term-frequency adjustment (Winkler 1989, "Frequency-based matching in Fellegi-Sunter model of
// record linkage", Proc. Section on Survey Research Methods, ASA; the form Splink uses): agreeing
// on a rare surname is stronger evidence than agreeing on SMITH. For a level marked
// term_frequency, the pair's u is replaced by the frequency f of its value among all non-null
// values (the chance two random records share that value), so the level's Bayes factor becomes
// m / f instead of m / u; for a level weaker than exact the larger of the two values' frequencies
// is used. Frequencies come from the input data, or from a population table (a CSV with a value
// column and a frequency or count column), whose values are normalised like the field's; a
// value absent from the table takes the table's smallest frequency (it is at most that common).
#pragma once
#include <string>
#include <vector>

#include "identity/comparison.h"

namespace severn::identity {

class TermFrequencies {
 public:
  TermFrequencies() = default;
  // For every comparison with a term-frequency level: the frequency of every value of its field.
  // left_only: frequencies counted among the left input's values alone (a scoring that must not
  // depend on which right-hand records happen to be compared, as in an incremental run).
  TermFrequencies(const LinkConfig& config, const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                  bool left_only = false);

  bool applies(std::size_t comparison) const { return comparison < by_value_.size() && !by_value_[comparison].empty(); }
  double frequency(std::size_t comparison, std::uint32_t value_id) const { return by_value_[comparison][value_id]; }
  const std::string& source(std::size_t comparison) const { return sources_[comparison]; }

 private:
  std::vector<std::vector<double>> by_value_;  // comparison -> value id -> frequency
  std::vector<std::string> sources_;           // "data" or the table's path
};

}  // namespace severn::identity
