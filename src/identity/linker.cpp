#include "identity/linker.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "core/parallel.h"
#include "identity/stopwatch.h"

namespace severn::identity {

namespace {

unsigned thread_count(const LinkConfig& config, const LinkOptions& options) {
  if (options.threads > 0) return options.threads;
  if (config.threads > 0) return config.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void check_decisions(const LinkConfig& config, const PreparedInputs& inputs) {
  if (config.decision.one_to_one && !inputs.linking())
    throw InputError(config.source + ": [decision] one_to_one applies when linking two files, not when deduplicating one");
}

// Scores every candidate and sorts it into a band.
void decide(LinkResult& r, const CandidateSet& candidates, const DecisionSpec& d, unsigned threads,
            std::vector<ScoredPair>& accepted, double& expected_found) {
  const double auto_weight = weight_from_probability(d.auto_link_probability);
  const double review_weight = weight_from_probability(d.review_probability);
  constexpr std::size_t kChunk = 1 << 16;
  const std::size_t chunks = (candidates.pairs.size() + kChunk - 1) / kChunk;
  struct Part {
    std::vector<ScoredPair> accepted, review;
    std::uint64_t below = 0;
    double found = 0.0;
  };
  std::vector<Part> parts(chunks);
  parallel_for(chunks, threads, [&](std::size_t k) {
    Part& part = parts[k];
    const std::size_t end = std::min(candidates.pairs.size(), (k + 1) * kChunk);
    for (std::size_t i = k * kChunk; i < end; ++i) {
      const CandidatePair& c = candidates.pairs[i];
      const double w = r.scorer->weight(c.pattern, c.a, c.b);
      const double p = probability_from_weight(w);
      part.found += p;
      const ScoredPair s{c.a, c.b, w, p, c.pattern};
      if (w >= auto_weight) part.accepted.push_back(s);
      else if (w >= review_weight) part.review.push_back(s);
      else ++part.below;
    }
  });
  expected_found = 0.0;
  for (Part& part : parts) {
    accepted.insert(accepted.end(), part.accepted.begin(), part.accepted.end());
    r.review.insert(r.review.end(), part.review.begin(), part.review.end());
    r.below_review += part.below;
    expected_found += part.found;
  }
  r.accepted_by_weight = accepted.size();
  std::sort(r.review.begin(), r.review.end(),
            [](const ScoredPair& x, const ScoredPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
}

}  // namespace

const NicknameTable& nickname_table(const LinkConfig& config, std::unique_ptr<NicknameTable>& storage) {
  if (config.nickname_file.empty()) return NicknameTable::builtin();
  storage = std::make_unique<NicknameTable>(NicknameTable::read_file(config.nickname_file));
  return *storage;
}

std::unique_ptr<LinkResult> run_linkage(const LinkConfig& config, const RecordTable& left, const RecordTable* right,
                                        const LinkOptions& options) {
  auto result = std::make_unique<LinkResult>();
  LinkResult& r = *result;
  r.threads = thread_count(config, options);
  Stopwatch clock(r.times);

  std::unique_ptr<NicknameTable> nickname_storage;
  const NicknameTable& nicknames = nickname_table(config, nickname_storage);
  r.inputs = std::make_unique<PreparedInputs>(config, left, right, nicknames, r.threads);
  PreparedInputs& inputs = *r.inputs;
  check_decisions(config, inputs);
  r.comparisons = build_comparisons(config, inputs);
  for (const BlockingRuleSpec& spec : config.blocking) {
    r.rules.push_back(parse_blocking_rule(spec, inputs));
    // Derived keys are computed once per distinct value, here, so the rules' record keys can be
    // computed on all threads below (reading them only).
    for (const RuleTerm& t : r.rules.back().terms) {
      inputs.key(t.left);
      inputs.key(t.right);
    }
  }
  r.rule_keys.resize(r.rules.size());
  parallel_for(r.rules.size(), r.threads, [&](std::size_t k) { r.rule_keys[k] = compute_rule_keys(r.rules[k], inputs); });
  r.frequencies = TermFrequencies(config, r.comparisons, inputs);
  clock.lap("prepare");

  CandidateSet candidates = options.all_pairs
                                ? generate_all_pairs(r.rule_keys, r.comparisons, inputs, r.threads)
                                : generate_candidates(r.rules, r.rule_keys, r.comparisons, inputs, r.threads, config.max_pairs);
  r.candidate_pairs = candidates.pairs.size();
  std::uint64_t cumulative = 0;
  for (std::size_t k = 0; k < r.rules.size(); ++k) {
    cumulative += candidates.per_rule[k].added;
    r.rule_reports.push_back({r.rules[k].text, candidates.per_rule[k], cumulative});
  }
  clock.lap(options.all_pairs ? "compare all pairs" : "block and compare");

  if (options.model.empty()) {
    r.model = train_model(config, r.comparisons, inputs, r.rules, r.rule_keys, candidates, options.all_pairs, r.threads,
                          r.training);
    r.trained = true;
  } else {
    r.model = read_model(options.model, r.comparisons);
  }
  r.scorer = std::make_unique<Scorer>(r.model, r.comparisons, inputs, r.frequencies);
  clock.lap(r.trained ? "train" : "load model");

  std::vector<ScoredPair> accepted;
  double expected_found = 0.0;
  decide(r, candidates, config.decision, r.threads, accepted, expected_found);
  std::vector<CandidatePair>().swap(candidates.pairs);
  clock.lap("score");

  ClusterOptions cluster_options;
  cluster_options.one_to_one = config.decision.one_to_one;
  for (const std::string& f : config.decision.never_together) cluster_options.never_together.push_back(inputs.field_index(f));
  r.clustering = cluster_links(std::move(accepted), inputs, cluster_options);
  clock.lap("cluster");

  if (!options.all_pairs)
    r.lost = estimate_lost_matches(r.rule_keys, r.comparisons, inputs, *r.scorer, static_cast<double>(r.candidate_pairs),
                                   expected_found, config.training.lost_match_sample_pairs, config.training.seed + 1,
                                   r.threads);
  clock.lap("estimate lost matches");
  return result;
}

}  // namespace severn::identity
