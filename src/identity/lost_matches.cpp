#include "identity/lost_matches.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "core/parallel.h"
#include "core/rng.h"
#include "identity/training.h"

namespace severn::identity {

namespace {

struct Sums {
  double p = 0.0, p2 = 0.0;
  std::uint64_t n = 0, scored = 0;
  void add(double x, bool was_scored) {
    p += x;
    p2 += x * x;
    ++n;
    if (was_scored) ++scored;
  }
};

// Pairs of equal non-null values of one field, as blocks of the sorted records; sampled by block
// in proportion to its pairs.
class EqualValuePairs {
 public:
  EqualValuePairs(const PreparedInputs& in, int field) : linking_(in.linking()) {
    const FieldValues& f = in.field(field);
    const auto sorted = [&](int side) {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> v;  // (value, record)
      for (std::uint32_t r = 0; r < f.ids[side].size(); ++r)
        if (f.ids[side][r] != 0) v.push_back({f.ids[side][r], r});
      std::sort(v.begin(), v.end());
      return v;
    };
    left_ = sorted(0);
    right_ = linking_ ? sorted(1) : left_;
    std::size_t i = 0, j = 0;
    while (i < left_.size() && j < right_.size()) {
      if (left_[i].first < right_[j].first) { ++i; continue; }
      if (right_[j].first < left_[i].first) { ++j; continue; }
      std::size_t i1 = i, j1 = j;
      while (i1 < left_.size() && left_[i1].first == left_[i].first) ++i1;
      while (j1 < right_.size() && right_[j1].first == right_[j].first) ++j1;
      const double n = static_cast<double>(i1 - i), m = static_cast<double>(j1 - j);
      const double pairs = linking_ ? n * m : n * (n - 1) / 2;
      if (pairs > 0) {
        blocks_.push_back({i, i1, j, j1});
        total_ += pairs;
        cumulative_.push_back(total_);
      }
      i = i1;
      j = j1;
    }
  }
  double pairs() const { return total_; }
  // A uniformly drawn pair (a from input 0, b from the right input; a < b deduplicating).
  std::pair<std::uint32_t, std::uint32_t> draw(Rng& rng) const {
    const double x = rng.uniform() * total_;
    const std::size_t k = std::min<std::size_t>(
        blocks_.size() - 1, static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin()));
    const Block& b = blocks_[k];
    std::uint32_t a = left_[b.l0 + rng.below(b.l1 - b.l0)].second;
    std::uint32_t c = right_[b.r0 + rng.below(b.r1 - b.r0)].second;
    if (!linking_) {
      while (c == a) c = right_[b.r0 + rng.below(b.r1 - b.r0)].second;
      if (a > c) std::swap(a, c);
    }
    return {a, c};
  }

 private:
  struct Block {
    std::size_t l0, l1, r0, r1;
  };
  bool linking_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> left_, right_;
  std::vector<Block> blocks_;
  std::vector<double> cumulative_;
  double total_ = 0.0;
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
  const PackedRuleKeys packed(keys, linking);
  const auto probability = [&](std::uint32_t a, std::uint32_t b) {
    return probability_from_weight(scorer.weight(compare_all(comparisons, inputs, 0, a, right, b), a, b));
  };
  if (e.total_pairs <= static_cast<double>(sample_pairs)) {
    // Every pair: exact under the model.
    std::vector<Sums> rows(n);
    parallel_for(n, threads, [&](std::size_t i) {
      const auto a = static_cast<std::uint32_t>(i);
      for (std::uint32_t b = linking ? 0 : a + 1; b < m; ++b)
        if (packed.holding(a, b) == 0) rows[i].add(probability(a, b), true);
    });
    for (const Sums& s : rows) e.expected_lost += s.p, e.scored += s.n;
    e.exhaustive = true;
    e.strata = 1;
  } else {
    // The compared fields, most distinct values first, then the catch-all stratum.
    std::vector<int> fields;
    for (const Comparison& c : comparisons)
      if (std::find(fields.begin(), fields.end(), c.field) == fields.end()) fields.push_back(c.field);
    std::sort(fields.begin(), fields.end(), [&](int x, int y) {
      const auto dx = inputs.field(x).dictionary.size(), dy = inputs.field(y).dictionary.size();
      return dx != dy ? dx > dy : x < y;
    });
    std::vector<EqualValuePairs> strata;
    strata.reserve(fields.size());
    for (int f : fields) strata.emplace_back(inputs, f);
    const auto equal_on = [&](std::size_t k, std::uint32_t a, std::uint32_t b) {
      const FieldValues& f = inputs.field(fields[k]);
      return f.ids[0][a] != 0 && f.ids[0][a] == f.ids[right][b];
    };
    e.strata = strata.size() + 1;
    const std::uint64_t per_stratum = std::max<std::uint64_t>(1, sample_pairs / e.strata);
    constexpr std::uint64_t kChunk = 1 << 14;
    const std::uint64_t chunks = (per_stratum + kChunk - 1) / kChunk;
    double variance = 0.0;
    for (std::size_t k = 0; k <= strata.size(); ++k) {
      const bool catch_all = k == strata.size();
      const double pairs = catch_all ? e.total_pairs : strata[k].pairs();
      if (pairs <= 0) continue;
      std::vector<Sums> parts(chunks);
      parallel_for(chunks, threads, [&](std::size_t c) {
        Rng rng(seed, k * 1000003 + c, "linkage lost-match sample");
        const std::uint64_t todo = std::min(kChunk, per_stratum - c * kChunk);
        for (std::uint64_t s = 0; s < todo; ++s) {
          std::uint32_t a, b;
          if (catch_all) {
            a = static_cast<std::uint32_t>(rng.below(n));
            b = static_cast<std::uint32_t>(rng.below(m));
            if (!linking) {
              while (b == a) b = static_cast<std::uint32_t>(rng.below(m));
              if (a > b) std::swap(a, b);
            }
          } else {
            std::tie(a, b) = strata[k].draw(rng);
          }
          bool earlier = false;
          for (std::size_t j = 0; j < (catch_all ? strata.size() : k) && !earlier; ++j) earlier = equal_on(j, a, b);
          if (earlier || packed.holding(a, b) != 0) {
            parts[c].add(0.0, false);
            continue;
          }
          parts[c].add(probability(a, b), true);
        }
      });
      Sums total;
      for (const Sums& s : parts) total.p += s.p, total.p2 += s.p2, total.n += s.n, total.scored += s.scored;
      if (total.n == 0) continue;
      const double mean = total.p / static_cast<double>(total.n);
      const double var = std::max(0.0, total.p2 / static_cast<double>(total.n) - mean * mean);
      e.expected_lost += pairs * mean;
      variance += pairs * pairs * var / static_cast<double>(total.n);
      e.scored += total.scored;
    }
    e.standard_error = std::sqrt(variance);
  }
  e.blocking_recall = e.expected_found + e.expected_lost > 0 ? e.expected_found / (e.expected_found + e.expected_lost) : 1.0;
  return e;
}

}  // namespace severn::identity
