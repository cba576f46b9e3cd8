// Estimating the model's parameters from the data, without labelled pairs.
//
// u: from a seeded random sample of all pairs (nearly all of which are non-matches), the share of
//    non-null comparisons at each level.
// m: by expectation-maximisation (Dempster, Laird and Rubin 1977; for record linkage Winkler
//    1988 and Jaro 1989) on the candidate pairs with u held fixed, once per blocking rule on the
//    pairs that rule holds for. A comparison that reads a field the rule joins on agrees by
//    construction there, so it is left out of that rule's session; a comparison's m is the mean
//    over the sessions that estimated it. Optionally, the m of comparisons independent of a
//    deterministic rule (an NHS-number agreement) are counted directly from that rule's pairs.
// Correction: a uniform sample of pairs holds matches in proportion lambda, and in a small file
//    a person's own duplicates are a visible share of it. Once m and lambda are known, each
//    sampled pair is weighted by its probability of being a non-match and u is re-estimated from
//    the weighted sample (the u step of EM, on the random pairs); m, lambda and u are
//    re-estimated in turn for three rounds.
// lambda: the share of matches among all pairs, by EM with m and u fixed. The candidates are
//    counted exactly; the pairs no rule generates are represented by the random sample's pairs
//    that no rule holds for, each standing for (non-candidate pairs / such sampled pairs) pairs.
//    (EM on the candidates alone would be wrong: blocking keeps the non-matches that agree
//    somewhere, so the candidates' non-matches do not follow u.)
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "identity/blocking_rule.h"
#include "identity/candidate_pairs.h"
#include "identity/model.h"

namespace severn::identity {

using LevelTable = std::vector<std::vector<double>>;  // comparison -> level -> probability

struct PatternCount {
  Pattern pattern = 0;
  double count = 0.0;
};

struct EmResult {
  LevelTable m;
  double match_share = 0.0;
  int iterations = 0;
  bool converged = false;
};

// EM over pattern counts. Comparisons with in_likelihood[c] false are ignored; those with
// update[c] true have their m re-estimated (the others keep the m they came with). The match
// share is always fitted.
EmResult expectation_maximisation(const std::vector<PatternCount>& patterns, const LevelTable& u, LevelTable m,
                                  const std::vector<bool>& in_likelihood, const std::vector<bool>& update,
                                  double match_share, int max_iterations, double tolerance);

struct RandomPairSample {
  LevelTable u;
  std::unordered_map<Pattern, double> all;             // patterns of every sampled pair
  std::unordered_map<Pattern, double> non_candidates;  // patterns of sampled pairs no rule holds for
  std::uint64_t pairs = 0, non_candidate_pairs = 0;
};

// u from `sample_pairs` random pairs (deterministic for a seed, whatever the thread count); with
// rule keys, the sampled pairs that no rule holds for are also kept as patterns.
RandomPairSample sample_random_pairs(const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                                     const std::vector<RuleKeys>* keys, std::uint64_t sample_pairs, std::uint64_t seed,
                                     unsigned threads);

// A starting m: most of the mass on the first (strictest) level.
LevelTable starting_m(const std::vector<Comparison>& comparisons);

struct EmSessionReport {
  std::string rule;
  std::uint64_t pairs = 0;
  std::vector<std::string> estimated;  // comparison names
  int iterations = 0;
  bool converged = false;
  double match_share = 0.0;
};

struct TrainingReport {
  std::uint64_t u_sample_pairs = 0;
  std::vector<EmSessionReport> sessions;
  std::string m_rule;               // the deterministic rule used for m, if any
  std::uint64_t m_rule_pairs = 0;
  std::uint64_t sampled_non_candidates = 0;
  double candidate_match_share = 0.0;  // the expected share of matches among the candidates
  double total_pairs = 0.0;
  std::vector<std::string> warnings;
};

// `all_pairs`: the candidates are every pair (no non-candidates to sample).
Model train_model(const LinkConfig& config, const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                  const std::vector<BlockingRule>& rules, const std::vector<RuleKeys>& keys, const CandidateSet& candidates,
                  bool all_pairs, unsigned threads, TrainingReport& report);

// All pairs of the inputs: n(n-1)/2 deduplicating, n*m linking.
double total_pairs(const PreparedInputs& inputs);

}  // namespace severn::identity
