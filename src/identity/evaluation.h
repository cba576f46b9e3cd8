// Pairwise accuracy against ground truth, the measure the FEBRL and Splink benchmarks quote: a
// true pair is two records of the same true person; precision = correct / predicted pairs,
// recall = correct / true pairs, F1 their harmonic mean. Predicted pairs come either from links
// (each link one pair) or from clusters (every two records in one cluster).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace severn::identity {

struct PairwiseScore {
  std::uint64_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double precision() const { return predicted_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(predicted_pairs) : 1.0; }
  double recall() const { return true_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(true_pairs) : 1.0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

using TruthClusters = std::unordered_map<std::string, std::string>;  // record id -> true cluster

// Links: distinct unordered pairs of ids; a pair naming an id absent from the truth is wrong.
PairwiseScore score_links(const std::vector<std::pair<std::string, std::string>>& links, const TruthClusters& truth);
// Clusters: record id -> predicted cluster id; only ids present in both maps count.
PairwiseScore score_clusters(const std::unordered_map<std::string, std::string>& predicted, const TruthClusters& truth);

}  // namespace severn::identity
