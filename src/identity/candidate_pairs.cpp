#include "identity/candidate_pairs.h"

#include <algorithm>

#include "core/error.h"
#include "core/parallel.h"

namespace severn::identity {

namespace {

struct Keyed {
  std::uint64_t key;
  std::uint32_t record;
  bool operator<(const Keyed& o) const { return key != o.key ? key < o.key : record < o.record; }
};

std::vector<Keyed> sorted_keys(const std::vector<std::uint64_t>& keys) {
  std::vector<Keyed> out;
  out.reserve(keys.size());
  for (std::uint32_t r = 0; r < keys.size(); ++r)
    if (keys[r] != 0) out.push_back({keys[r], r});
  std::sort(out.begin(), out.end());
  return out;
}

// A piece of a block: left rows [l0, l1) against right rows [r0, r1) of the sorted lists. When
// `triangle` (a symmetric rule deduplicating), left and right are the same list and only pairs
// with left position < right position are taken.
struct Piece {
  std::uint32_t l0, l1, r0, r1;
  bool triangle;
  std::uint64_t work;
};

// Splits the joined blocks into pieces of at most `target` pairs (cutting big blocks by left
// rows), and counts the pairs the rule holds for.
std::vector<Piece> plan_pieces(const std::vector<Keyed>& left, const std::vector<Keyed>& right, bool triangle,
                               std::uint64_t target, RuleCount& count) {
  std::vector<Piece> pieces;
  std::size_t i = 0, j = 0;
  while (i < left.size() && j < right.size()) {
    if (left[i].key < right[j].key) {
      ++i;
      continue;
    }
    if (right[j].key < left[i].key) {
      ++j;
      continue;
    }
    const std::uint64_t key = left[i].key;
    std::size_t i1 = i, j1 = j;
    while (i1 < left.size() && left[i1].key == key) ++i1;
    while (j1 < right.size() && right[j1].key == key) ++j1;
    const std::uint64_t n = i1 - i, m = j1 - j;
    const std::uint64_t block = triangle ? n * (n - 1) / 2 : n * m;
    count.largest_block = std::max(count.largest_block, block);
    count.holding += block;  // asymmetric deduplication corrects this when enumerating
    if (block > 0) {
      // Rows per piece so a piece holds about `target` pairs.
      const std::uint64_t per_row = std::max<std::uint64_t>(1, triangle ? n / 2 : m);
      const std::uint64_t rows = std::max<std::uint64_t>(1, target / per_row);
      for (std::size_t s = i; s < i1; s += rows) {
        const std::size_t e = std::min<std::size_t>(i1, s + rows);
        pieces.push_back({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(e), static_cast<std::uint32_t>(j),
                          static_cast<std::uint32_t>(j1), triangle, (e - s) * per_row});
      }
    }
    i = i1;
    j = j1;
  }
  return pieces;
}

}  // namespace

PackedRuleKeys::PackedRuleKeys(const std::vector<RuleKeys>& keys, bool linking) : rules_(keys.size()), linking_(linking) {
  if (keys.empty()) return;
  const std::size_t n = keys[0].left.size(), m = keys[0].right.size();
  left_.resize(n * rules_);
  right_.resize(m * rules_);
  for (std::size_t r = 0; r < rules_; ++r) {
    for (std::size_t i = 0; i < n; ++i) left_[i * rules_ + r] = keys[r].left[i];
    for (std::size_t j = 0; j < m; ++j) right_[j * rules_ + r] = keys[r].right[j];
  }
}

std::uint32_t rules_holding(const std::vector<RuleKeys>& keys, bool linking, std::uint32_t a, std::uint32_t b) {
  std::uint32_t mask = 0;
  for (std::size_t r = 0; r < keys.size(); ++r)
    if (rule_holds(keys[r], linking, a, b)) mask |= 1u << r;
  return mask;
}

CandidateSet generate_candidates(const std::vector<BlockingRule>& rules, const std::vector<RuleKeys>& keys,
                                 const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                                 unsigned threads, std::uint64_t max_pairs) {
  const bool linking = inputs.linking();
  const int right_side = inputs.right_side();
  CandidateSet out;
  out.per_rule.resize(rules.size());
  const PackedRuleKeys packed(keys, linking);
  for (std::size_t k = 0; k < rules.size(); ++k) {
    const bool triangle = !linking && rules[k].symmetric;
    const std::vector<Keyed> left = sorted_keys(keys[k].left);
    const std::vector<Keyed> right = triangle ? std::vector<Keyed>() : sorted_keys(keys[k].right);
    RuleCount& count = out.per_rule[k];
    const std::vector<Piece> pieces = plan_pieces(left, triangle ? left : right, triangle, 20000, count);
    if (count.holding > max_pairs)
      throw InputError(located(rules[k].place.file, rules[k].place.line, "blocking.rules",
                               "rule \"" + rules[k].text + "\" would generate " + std::to_string(count.holding) +
                                   " pairs (its largest block alone " + std::to_string(count.largest_block) +
                                   "), more than [run] max_pairs = " + std::to_string(max_pairs) +
                                   "; make the rule stricter (add an equality) or raise max_pairs"));
    const std::vector<Keyed>& rl = triangle ? left : right;
    std::vector<std::vector<CandidatePair>> found(pieces.size());
    std::vector<std::uint64_t> holding(pieces.size(), 0);
    parallel_for(pieces.size(), threads, [&](std::size_t p) {
      const Piece& piece = pieces[p];
      auto& got = found[p];
      for (std::uint32_t x = piece.l0; x < piece.l1; ++x) {
        const std::uint32_t i = left[x].record;
        for (std::uint32_t y = piece.triangle ? std::max(piece.r0, x + 1) : piece.r0; y < piece.r1; ++y) {
          const std::uint32_t j = rl[y].record;
          std::uint32_t a = i, b = j;
          if (!linking) {
            if (i == j) continue;
            a = std::min(i, j);
            b = std::max(i, j);
            // Asymmetric rule, found from b's side: if it also holds from a's side, that visit
            // takes the pair.
            if (!piece.triangle && i == b && keys[k].left[a] == keys[k].right[b]) continue;
          }
          ++holding[p];
          const std::uint32_t mask = packed.holding(a, b);
          if ((mask & ((1u << k) - 1)) != 0) continue;  // an earlier rule generated it
          got.push_back({a, b, mask, compare_all(comparisons, inputs, 0, a, right_side, b)});
        }
      }
    });
    count.holding = 0;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      count.holding += holding[p];
      count.added += found[p].size();
      out.pairs.insert(out.pairs.end(), found[p].begin(), found[p].end());
      std::vector<CandidatePair>().swap(found[p]);
    }
    if (out.pairs.size() > max_pairs)
      throw InputError(located(rules[k].place.file, rules[k].place.line, "blocking.rules",
                               "the rules up to \"" + rules[k].text + "\" generate " + std::to_string(out.pairs.size()) +
                                   " candidate pairs, more than [run] max_pairs = " + std::to_string(max_pairs)));
  }
  return out;
}

CandidateSet generate_all_pairs(const std::vector<RuleKeys>& keys, const std::vector<Comparison>& comparisons,
                                const PreparedInputs& inputs, unsigned threads) {
  const bool linking = inputs.linking();
  const int right_side = inputs.right_side();
  const std::size_t n = inputs.size(0), m = inputs.size(right_side);
  std::vector<std::vector<CandidatePair>> found(n);
  const PackedRuleKeys packed(keys, linking);
  parallel_for(n, threads, [&](std::size_t i) {
    const auto a = static_cast<std::uint32_t>(i);
    for (std::uint32_t b = linking ? 0 : a + 1; b < m; ++b)
      found[i].push_back({a, b, packed.holding(a, b), compare_all(comparisons, inputs, 0, a, right_side, b)});
  });
  CandidateSet out;
  out.per_rule.resize(keys.size());
  for (auto& f : found) {
    out.pairs.insert(out.pairs.end(), f.begin(), f.end());
    std::vector<CandidatePair>().swap(f);
  }
  for (const CandidatePair& p : out.pairs)
    for (std::size_t r = 0; r < keys.size(); ++r)
      if (p.rules & (1u << r)) ++out.per_rule[r].holding;
  return out;
}

}  // namespace severn::identity
