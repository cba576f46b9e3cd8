#include "identity/lost_matches.h"

#include <cmath>

#include "core/parallel.h"
#include "core/rng.h"
#include "identity/training.h"

namespace severn::identity {

namespace {
struct Sums {
  double p = 0.0, p2 = 0.0;
  std::uint64_t n = 0;
};
}  // namespace

LostMatchEstimate estimate_lost_matches(const std::vector<RuleKeys>& keys, const std::vector<Comparison>& comparisons,
                                        const PreparedInputs& inputs, const Scorer& scorer, double candidate_pairs,
                                        double expected_found, std::uint64_t sample_pairs, std::uint64_t seed,
                                        unsigned threads) {
  LostMatchEstimate e;
  e.total_pairs = total_pairs(inputs);
  e.candidate_pairs = candidate_pairs;
  e.non_candidate_pairs = e.total_pairs - candidate_pairs;
  e.expected_found = expected_found;
  const bool linking = inputs.linking();
  const int right = inputs.right_side();
  const std::uint64_t n = inputs.size(0), m = inputs.size(right);
  if (e.non_candidate_pairs <= 0 || sample_pairs == 0) return e;
  const auto score = [&](std::uint32_t a, std::uint32_t b, Sums& s) {
    if (rules_holding(keys, linking, a, b) != 0) return;
    const double p = probability_from_weight(scorer.weight(compare_all(comparisons, inputs, 0, a, right, b), a, b));
    s.p += p;
    s.p2 += p * p;
    ++s.n;
  };
  Sums total;
  if (e.total_pairs <= static_cast<double>(sample_pairs)) {
    // Every pair: exact under the model.
    std::vector<Sums> rows(n);
    parallel_for(n, threads, [&](std::size_t i) {
      const auto a = static_cast<std::uint32_t>(i);
      for (std::uint32_t b = linking ? 0 : a + 1; b < m; ++b) score(a, b, rows[i]);
    });
    for (const Sums& s : rows) total.p += s.p, total.n += s.n;
    e.exhaustive = true;
    e.scored = total.n;
    e.expected_lost = total.p;
  } else {
    constexpr std::uint64_t kChunk = 1 << 16;
    const std::uint64_t chunks = (sample_pairs + kChunk - 1) / kChunk;
    std::vector<Sums> parts(chunks);
    parallel_for(chunks, threads, [&](std::size_t k) {
      Rng rng(seed, k, "linkage lost-match sample");
      const std::uint64_t todo = std::min(kChunk, sample_pairs - k * kChunk);
      for (std::uint64_t s = 0; s < todo; ++s) {
        auto a = static_cast<std::uint32_t>(rng.below(n));
        auto b = static_cast<std::uint32_t>(rng.below(m));
        if (!linking) {
          if (a == b) continue;
          if (a > b) std::swap(a, b);
        }
        score(a, b, parts[k]);
      }
    });
    for (const Sums& s : parts) total.p += s.p, total.p2 += s.p2, total.n += s.n;
    e.scored = total.n;
    if (total.n > 0) {
      const double mean = total.p / static_cast<double>(total.n);
      const double var = std::max(0.0, total.p2 / static_cast<double>(total.n) - mean * mean);
      e.expected_lost = e.non_candidate_pairs * mean;
      e.standard_error = e.non_candidate_pairs * std::sqrt(var / static_cast<double>(total.n));
    }
  }
  e.blocking_recall = e.expected_found + e.expected_lost > 0 ? e.expected_found / (e.expected_found + e.expected_lost) : 1.0;
  return e;
}

}  // namespace severn::identity
