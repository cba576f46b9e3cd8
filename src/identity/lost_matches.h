// How many true matches did blocking lose? Pairs no rule generates are never compared, so their
// matches cannot be found. The trained model can still score them: the expected number of
// matches among non-candidate pairs is the sum of their match probabilities. We estimate that
// sum by sampling, stratified so that the rare pairs that matter are not missed: a lost match
// usually still agrees exactly on some field (the same date of birth, the same postcode), so
//
//   stratum f (one per compared field, most selective first): the pairs whose values of field f
//     are equal and non-null, sampled uniformly by drawing a block of equal values in proportion
//     to its pairs and then a pair inside it; a pair counts in the first stratum it belongs to;
//   the last stratum: all pairs, sampled uniformly, counting those equal on no field.
//
// In every stratum a sampled pair that some rule holds for (a candidate), or that belongs to an
// earlier stratum, scores 0; the others score their match probability; the stratum's estimate
// is (its number of pairs) * (mean score), with the sample's standard error, and the strata add
// up. When all pairs fit in the sample budget every non-candidate pair is scored instead and the
// figure is exact under the model. Blocking recall is found / (found + lost), where found is
// the sum of match probabilities over the candidates. The estimate is only as good as the model:
// it assumes the model's m and u describe pairs outside the blocks too (docs/linkage.md).
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
  std::size_t strata = 0;
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
