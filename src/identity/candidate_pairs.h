// Candidate generation: the union of the blocking rules' pairs, each pair generated once (by the
// first rule that holds for it; later rules skip pairs an earlier rule holds for, so no set of
// seen pairs is needed), compared as it is generated. Rules are hash joins on sorted keys;
// blocks are cut into pieces of similar work and shared between threads; the output order
// depends only on the data, never on the scheduling.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "identity/blocking_rule.h"
#include "identity/comparison.h"

namespace severn::identity {

struct CandidatePair {
  std::uint32_t a = 0;     // record of input 0
  std::uint32_t b = 0;     // record of the right input (input 0 again when deduplicating; a < b)
  std::uint32_t rules = 0; // bit r: rule r holds for the pair
  Pattern pattern = 0;
};

struct RuleCount {
  std::uint64_t holding = 0;  // pairs the rule holds for (before removing earlier rules' pairs)
  std::uint64_t added = 0;    // pairs it added to the candidates
  std::uint64_t largest_block = 0;  // pairs in its largest block
};

struct CandidateSet {
  std::vector<CandidatePair> pairs;
  std::vector<RuleCount> per_rule;
};

// Throws InputError when a rule would generate more than max_pairs pairs (naming the rule and the
// size of its largest block) so that a loose rule fails fast instead of exhausting memory.
CandidateSet generate_candidates(const std::vector<BlockingRule>& rules, const std::vector<RuleKeys>& keys,
                                 const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                                 unsigned threads, std::uint64_t max_pairs);

// Every pair, for comparison with blocking on small inputs (the bench's all-pairs baseline).
CandidateSet generate_all_pairs(const std::vector<RuleKeys>& keys, const std::vector<Comparison>& comparisons,
                                const PreparedInputs& inputs, unsigned threads);

// Bit r set when rule r holds for the pair.
std::uint32_t rules_holding(const std::vector<RuleKeys>& keys, bool linking, std::uint32_t a, std::uint32_t b);

// The same test with each record's keys for every rule side by side: checking all rules for a
// pair then reads a cache line or two per record instead of one line per rule, which matters
// when it runs for every one of millions of pairs.
class PackedRuleKeys {
 public:
  PackedRuleKeys(const std::vector<RuleKeys>& keys, bool linking);
  std::uint32_t holding(std::uint32_t a, std::uint32_t b) const {
    const std::uint64_t* la = &left_[a * rules_];
    const std::uint64_t* rb = &right_[b * rules_];
    std::uint32_t mask = 0;
    for (std::size_t r = 0; r < rules_; ++r)
      if (la[r] != 0 && la[r] == rb[r]) mask |= 1u << r;
    if (!linking_) {
      const std::uint64_t* lb = &left_[b * rules_];
      const std::uint64_t* ra = &right_[a * rules_];
      for (std::size_t r = 0; r < rules_; ++r)
        if (lb[r] != 0 && lb[r] == ra[r]) mask |= 1u << r;
    }
    return mask;
  }

 private:
  std::size_t rules_ = 0;
  bool linking_ = true;
  std::vector<std::uint64_t> left_, right_;  // record * rules + rule
};

}  // namespace severn::identity
