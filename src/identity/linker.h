// One linkage run, as the list of its phases: prepare the records, block, compare, train (or
// load) the model, score, decide, cluster, estimate what blocking lost. `severn link` writes the
// result (link_outputs.h); the ingest can use the same result in memory.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "identity/blocking_rule.h"
#include "identity/candidate_pairs.h"
#include "identity/clustering.h"
#include "identity/lost_matches.h"
#include "identity/model.h"
#include "identity/scorer.h"
#include "identity/stopwatch.h"
#include "identity/training.h"

namespace severn::identity {

struct LinkOptions {
  std::filesystem::path model;  // when set: score with this model instead of training one
  bool all_pairs = false;       // compare every pair (the baseline blocking is measured against)
  unsigned threads = 0;         // 0: the configuration's, else all cores
};

struct RuleReport {
  std::string text;
  RuleCount count;
  std::uint64_t cumulative = 0;  // candidates after this rule
};

// Not movable: the scorer refers to the model, comparisons and frequencies beside it.
struct LinkResult {
  LinkResult() = default;
  LinkResult(const LinkResult&) = delete;
  LinkResult& operator=(const LinkResult&) = delete;

  std::unique_ptr<PreparedInputs> inputs;
  std::vector<Comparison> comparisons;
  std::vector<BlockingRule> rules;
  std::vector<RuleKeys> rule_keys;
  Model model;
  TermFrequencies frequencies;
  std::unique_ptr<Scorer> scorer;
  bool trained = false;
  TrainingReport training;
  std::vector<RuleReport> rule_reports;
  std::uint64_t candidate_pairs = 0;
  std::vector<ScoredPair> review;   // the clerical-review band, canonical order
  std::uint64_t accepted_by_weight = 0;
  std::uint64_t below_review = 0;
  Clustering clustering;
  LostMatchEstimate lost;
  std::vector<PhaseTime> times;
  unsigned threads = 1;
};

// Throws InputError for problems in the configuration or the inputs.
std::unique_ptr<LinkResult> run_linkage(const LinkConfig& config, const RecordTable& left, const RecordTable* right,
                       const LinkOptions& options);

// The configuration's nickname table (the built-in one unless [run] nicknames names a file).
const NicknameTable& nickname_table(const LinkConfig& config, std::unique_ptr<NicknameTable>& storage);

}  // namespace severn::identity
