#include "identity/evaluation.h"

#include <map>
#include <set>

namespace severn::identity {

namespace {
std::uint64_t pairs_in(std::uint64_t n) { return n * (n - (n > 0 ? 1 : 0)) / 2; }

std::uint64_t true_pair_count(const TruthClusters& truth) {
  std::unordered_map<std::string, std::uint64_t> sizes;
  for (const auto& [id, c] : truth) ++sizes[c];
  std::uint64_t n = 0;
  for (const auto& [c, size] : sizes) n += pairs_in(size);
  return n;
}
}  // namespace

PairwiseScore score_links(const std::vector<std::pair<std::string, std::string>>& links, const TruthClusters& truth) {
  PairwiseScore s;
  s.true_pairs = true_pair_count(truth);
  std::set<std::pair<std::string, std::string>> seen;
  for (auto [a, b] : links) {
    if (a == b) continue;
    if (b < a) std::swap(a, b);
    if (!seen.insert({a, b}).second) continue;
    ++s.predicted_pairs;
    const auto x = truth.find(a), y = truth.find(b);
    if (x != truth.end() && y != truth.end() && x->second == y->second) ++s.correct_pairs;
  }
  return s;
}

PairwiseScore score_clusters(const std::unordered_map<std::string, std::string>& predicted, const TruthClusters& truth) {
  PairwiseScore s;
  std::map<std::string, std::uint64_t> pred_sizes, truth_sizes;
  std::map<std::pair<std::string, std::string>, std::uint64_t> both;
  for (const auto& [id, p] : predicted) {
    const auto t = truth.find(id);
    if (t == truth.end()) continue;
    ++pred_sizes[p];
    ++truth_sizes[t->second];
    ++both[{p, t->second}];
  }
  for (const auto& [k, n] : pred_sizes) s.predicted_pairs += pairs_in(n);
  for (const auto& [k, n] : truth_sizes) s.true_pairs += pairs_in(n);
  for (const auto& [k, n] : both) s.correct_pairs += pairs_in(n);
  return s;
}

}  // namespace severn::identity
