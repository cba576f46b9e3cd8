// How many true matches did blocking lose? Pairs no rule generates are never compared, so their
// matches cannot be found. The trained model can still score them: the expected number of
// matches among non-candidate pairs is the sum of their match probabilities. We estimate that
// sum from a seeded uniform sample of all pairs: sampled pairs some rule holds for are
// skipped, the rest are compared and scored, and
//
//   lost ~= (number of non-candidate pairs) * (mean match probability of sampled non-candidates)
//
// with the sample's standard error. When all pairs fit in the sample budget every non-candidate
// pair is scored and the figure is exact under the model. Blocking recall is then
// found / (found + lost), where found is the sum of match probabilities over the candidates.
// The estimate is only as good as the model: it assumes the model's m and u describe pairs
// outside the blocks too (docs/linkage.md discusses when that fails).
#pragma once
#include <cstdint>
#include <vector>

#include "identity/candidate_pairs.h"
#include "identity/scorer.h"

namespace severn::identity {

struct LostMatchEstimate {
  double total_pairs = 0.0;
  double candidate_pairs = 0.0;
  double non_candidate_pairs = 0.0;
  std::uint64_t scored = 0;      // non-candidate pairs scored
  bool exhaustive = false;       // every non-candidate pair scored
  double expected_lost = 0.0;
  double standard_error = 0.0;
  double expected_found = 0.0;   // sum of match probabilities over the candidates
  double blocking_recall = 1.0;  // found / (found + lost)
};

LostMatchEstimate estimate_lost_matches(const std::vector<RuleKeys>& keys, const std::vector<Comparison>& comparisons,
                                        const PreparedInputs& inputs, const Scorer& scorer, double candidate_pairs,
                                        double expected_found, std::uint64_t sample_pairs, std::uint64_t seed,
                                        unsigned threads);

}  // namespace severn::identity
