#include "identity/training.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace severn::identity {

namespace {

// The level indexes (0-based) present in a pattern for the active comparisons.
double log_likelihood(Pattern p, const LevelTable& probs, const std::vector<bool>& active) {
  double s = 0.0;
  for (std::size_t c = 0; c < probs.size(); ++c) {
    if (!active[c]) continue;
    const int level = pattern_level(p, c);
    if (level == kNullLevel) continue;
    s += std::log(std::max(probs[c][static_cast<std::size_t>(level)], kProbabilityFloor));
  }
  return s;
}

std::vector<PatternCount> to_vector(const std::unordered_map<Pattern, double>& counts) {
  std::vector<PatternCount> out;
  out.reserve(counts.size());
  for (const auto& [p, n] : counts) out.push_back({p, n});
  // Summation order must not depend on the hash map's layout.
  std::sort(out.begin(), out.end(), [](const PatternCount& a, const PatternCount& b) { return a.pattern < b.pattern; });
  return out;
}

bool reads_any(const Comparison& c, const std::vector<int>& fields) {
  const auto has = [&](int f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); };
  if (has(c.field)) return true;
  for (const Level& l : c.levels)
    if (l.other_field >= 0 && has(l.other_field)) return true;
  return false;
}

}  // namespace

double total_pairs(const PreparedInputs& inputs) {
  const double n = static_cast<double>(inputs.size(0));
  return inputs.linking() ? n * static_cast<double>(inputs.size(1)) : n * (n - 1.0) / 2.0;
}

EmResult expectation_maximisation(const std::vector<PatternCount>& patterns, const LevelTable& u, LevelTable m,
                                  const std::vector<bool>& active, const std::vector<bool>& update,
                                  double match_share, int max_iterations, double tolerance) {
  EmResult r;
  const bool estimate_m = std::find(update.begin(), update.end(), true) != update.end();
  for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
    LevelTable m_sum(m.size());
    for (std::size_t c = 0; c < m.size(); ++c) m_sum[c].assign(m[c].size(), 0.0);
    double match_total = 0.0, total = 0.0;
    const double log_share = std::log(match_share), log_rest = std::log1p(-match_share);
    for (const PatternCount& pc : patterns) {
      // E step: the probability that pairs with this pattern are matches.
      const double lm = log_share + log_likelihood(pc.pattern, m, active);
      const double lu = log_rest + log_likelihood(pc.pattern, u, active);
      const double w = 1.0 / (1.0 + std::exp(lu - lm));
      match_total += w * pc.count;
      total += pc.count;
      if (!estimate_m) continue;
      for (std::size_t c = 0; c < m.size(); ++c) {
        if (!update[c] || !active[c]) continue;
        const int level = pattern_level(pc.pattern, c);
        if (level != kNullLevel) m_sum[c][static_cast<std::size_t>(level)] += w * pc.count;
      }
    }
    // M step.
    double change = 0.0;
    const double new_share = std::clamp(total > 0 ? match_total / total : match_share, 1e-12, 1.0 - 1e-9);
    change = std::max(change, std::abs(new_share - match_share));
    match_share = new_share;
    if (estimate_m) {
      for (std::size_t c = 0; c < m.size(); ++c) {
        if (!update[c] || !active[c]) continue;
        double sum = 0.0;
        for (double v : m_sum[c]) sum += v;
        if (sum <= 0.0) continue;
        for (std::size_t l = 0; l < m[c].size(); ++l) {
          const double v = m_sum[c][l] / sum;
          change = std::max(change, std::abs(v - m[c][l]));
          m[c][l] = v;
        }
      }
    }
    if (change < tolerance) {
      r.converged = true;
      break;
    }
  }
  r.iterations = std::min(r.iterations, max_iterations);
  r.m = std::move(m);
  r.match_share = match_share;
  return r;
}

RandomPairSample sample_random_pairs(const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                                     const std::vector<RuleKeys>* keys, std::uint64_t sample_pairs, std::uint64_t seed,
                                     unsigned threads) {
  const std::uint64_t n = inputs.size(0), m = inputs.size(inputs.right_side());
  const bool linking = inputs.linking();
  RandomPairSample out;
  out.u.resize(comparisons.size());
  for (std::size_t c = 0; c < comparisons.size(); ++c) out.u[c].assign(comparisons[c].level_count(), 0.0);
  if (n == 0 || m == 0 || (!linking && n < 2)) return out;
  // Chunks of a fixed size with their own random streams, so the sample is the same for any
  // number of threads.
  constexpr std::uint64_t kChunk = 1 << 16;
  const std::uint64_t chunks = (sample_pairs + kChunk - 1) / kChunk;
  struct Part {
    LevelTable counts;
    std::unordered_map<Pattern, double> all, non_candidates;
    std::uint64_t non_candidate_pairs = 0;
  };
  std::vector<Part> parts(chunks);
  const std::unique_ptr<PackedRuleKeys> packed = keys != nullptr ? std::make_unique<PackedRuleKeys>(*keys, linking) : nullptr;
  parallel_for(chunks, threads, [&](std::size_t k) {
    Part& part = parts[k];
    part.counts.resize(out.u.size());
    for (std::size_t c = 0; c < out.u.size(); ++c) part.counts[c].assign(out.u[c].size(), 0.0);
    Rng rng(seed, k, "linkage u sample");
    const std::uint64_t todo = std::min(kChunk, sample_pairs - k * kChunk);
    for (std::uint64_t s = 0; s < todo; ++s) {
      auto a = static_cast<std::uint32_t>(rng.below(n));
      auto b = static_cast<std::uint32_t>(rng.below(m));
      if (!linking) {
        while (b == a) b = static_cast<std::uint32_t>(rng.below(m));
        if (a > b) std::swap(a, b);
      }
      const Pattern p = compare_all(comparisons, inputs, 0, a, inputs.right_side(), b);
      part.all[p] += 1.0;
      for (std::size_t c = 0; c < comparisons.size(); ++c) {
        const int level = pattern_level(p, c);
        if (level != kNullLevel) part.counts[c][static_cast<std::size_t>(level)] += 1.0;
      }
      if (packed != nullptr && packed->holding(a, b) == 0) {
        part.non_candidates[p] += 1.0;
        ++part.non_candidate_pairs;
      }
    }
  });
  for (const Part& part : parts) {
    for (std::size_t c = 0; c < out.u.size(); ++c)
      for (std::size_t l = 0; l < out.u[c].size(); ++l) out.u[c][l] += part.counts[c][l];
    for (const auto& [p, count] : part.non_candidates) out.non_candidates[p] += count;
    for (const auto& [p, count] : part.all) out.all[p] += count;
    out.non_candidate_pairs += part.non_candidate_pairs;
  }
  out.pairs = sample_pairs;
  for (auto& levels : out.u) {
    double total = 0.0;
    for (double v : levels) total += v;
    // Half a pair for a level never seen: rare, not impossible.
    for (double& v : levels) v = total > 0 ? std::max(v, 0.5) / total : 1.0 / static_cast<double>(levels.size());
  }
  return out;
}

LevelTable starting_m(const std::vector<Comparison>& comparisons) {
  LevelTable m(comparisons.size());
  for (std::size_t c = 0; c < comparisons.size(); ++c) {
    const std::size_t k = comparisons[c].level_count();
    m[c].assign(k, 0.0);
    if (k == 1) {
      m[c][0] = 1.0;
      continue;
    }
    m[c][0] = 0.8;
    // The rest halves at each weaker level.
    double weight = 1.0, sum = 0.0;
    for (std::size_t l = 1; l < k; ++l, weight /= 2) sum += weight;
    weight = 1.0;
    for (std::size_t l = 1; l < k; ++l, weight /= 2) m[c][l] = 0.2 * weight / sum;
  }
  return m;
}

namespace {

// Everything training reads, counted once.
struct TrainingData {
  std::unordered_map<Pattern, double> candidates;               // all candidate pairs
  std::vector<std::unordered_map<Pattern, double>> by_rule;      // pairs each rule holds for
  std::unordered_map<Pattern, double> everything;               // candidates + scaled non-candidate sample
};

// m counted directly from a deterministic rule's pairs, for the comparisons that do not read its
// fields. Returns which comparisons it fixed.
std::vector<bool> m_from_deterministic_rule(const TrainingSpec& t, const std::string& source,
                                            const std::vector<Comparison>& comparisons,
                                            const std::vector<BlockingRule>& rules, const TrainingData& d,
                                            LevelTable& m, TrainingReport& report) {
  std::vector<bool> fixed(comparisons.size(), false);
  if (t.m_from_rule.empty()) return fixed;
  std::size_t r = rules.size();
  for (std::size_t k = 0; k < rules.size(); ++k)
    if (rules[k].text == t.m_from_rule) r = k;
  if (r == rules.size())
    throw InputError(source + ": [training] m_from_rule \"" + t.m_from_rule + "\" is not one of the blocking rules");
  report.m_rule = t.m_from_rule;
  for (const auto& [p, n] : d.by_rule[r]) report.m_rule_pairs += static_cast<std::uint64_t>(n);
  if (report.m_rule_pairs < 30) {
    report.warnings.push_back("m_from_rule: only " + std::to_string(report.m_rule_pairs) +
                              " pairs agree on the rule; m is estimated by EM instead");
    return fixed;
  }
  for (std::size_t c = 0; c < comparisons.size(); ++c) {
    if (reads_any(comparisons[c], rules[r].fields)) continue;
    std::vector<double> counts(m[c].size(), 0.0);
    double total = 0.0;
    for (const auto& [p, n] : d.by_rule[r]) {
      const int level = pattern_level(p, c);
      if (level == kNullLevel) continue;
      counts[static_cast<std::size_t>(level)] += n;
      total += n;
    }
    if (total < 30) continue;
    for (std::size_t l = 0; l < counts.size(); ++l) m[c][l] = std::max(counts[l] / total, kProbabilityFloor);
    fixed[c] = true;
  }
  return fixed;
}

// One EM session per rule for the comparisons it does not read; a comparison's m is the mean of
// its sessions' estimates. Fills `source` with where each m came from.
LevelTable m_by_em_sessions(const TrainingSpec& t, const std::vector<Comparison>& comparisons,
                            const std::vector<BlockingRule>& rules, const TrainingData& d, const LevelTable& u,
                            LevelTable m, const std::vector<bool>& fixed, std::vector<std::string>& source,
                            TrainingReport& report) {
  const std::size_t nc = comparisons.size();
  LevelTable m_sum(nc);
  for (std::size_t c = 0; c < nc; ++c) m_sum[c].assign(m[c].size(), 0.0);
  std::vector<double> sessions(nc, 0.0);
  report.sessions.clear();
  for (std::size_t r = 0; r < rules.size(); ++r) {
    std::vector<bool> estimate(nc, false), in_likelihood(nc, false);
    bool any = false;
    for (std::size_t c = 0; c < nc; ++c) {
      const bool independent = !reads_any(comparisons[c], rules[r].fields);
      estimate[c] = independent && !fixed[c];
      // Comparisons whose m was counted from a deterministic rule still inform the E step.
      in_likelihood[c] = independent;
      any = any || estimate[c];
    }
    EmSessionReport s;
    s.rule = rules[r].text;
    for (const auto& [p, n] : d.by_rule[r]) s.pairs += static_cast<std::uint64_t>(n);
    if (any && s.pairs > 0) {
      const EmResult e = expectation_maximisation(to_vector(d.by_rule[r]), u, m, in_likelihood, estimate, 0.1,
                                                  t.em_max_iterations, t.em_tolerance);
      s.iterations = e.iterations;
      s.converged = e.converged;
      s.match_share = e.match_share;
      for (std::size_t c = 0; c < nc; ++c) {
        if (!estimate[c]) continue;
        s.estimated.push_back(comparisons[c].name);
        for (std::size_t l = 0; l < m[c].size(); ++l) m_sum[c][l] += e.m[c][l];
        sessions[c] += 1.0;
      }
    }
    report.sessions.push_back(s);
  }
  std::vector<bool> unestimated(nc, false);
  bool any_unestimated = false;
  for (std::size_t c = 0; c < nc; ++c) {
    if (fixed[c]) {
      source[c] = "deterministic rule";
    } else if (sessions[c] > 0) {
      for (std::size_t l = 0; l < m[c].size(); ++l) m[c][l] = m_sum[c][l] / sessions[c];
      source[c] = "em";
    } else {
      unestimated[c] = any_unestimated = true;
    }
  }
  // A comparison every rule reads: estimate it on all candidates (biased towards agreement,
  // because every candidate agrees on some rule; reported as a warning).
  if (any_unestimated && !d.candidates.empty()) {
    const EmResult e = expectation_maximisation(to_vector(d.candidates), u, m, std::vector<bool>(nc, true), unestimated,
                                                0.1, t.em_max_iterations, t.em_tolerance);
    for (std::size_t c = 0; c < nc; ++c) {
      if (!unestimated[c]) continue;
      m[c] = e.m[c];
      source[c] = "em on all candidates";
    }
  }
  return m;
}

// The match share among all pairs with m and u fixed.
double estimate_lambda(const TrainingSpec& t, const TrainingData& d, const LevelTable& u, const LevelTable& m,
                       double total, double start) {
  const double floor = total > 0 ? 0.5 / total : 1e-12;
  if (d.everything.empty()) return 0.5;
  const std::size_t nc = u.size();
  const EmResult share = expectation_maximisation(to_vector(d.everything), u, m, std::vector<bool>(nc, true),
                                                  std::vector<bool>(nc, false), start, 10 * t.em_max_iterations,
                                                  t.em_tolerance * start);
  return std::clamp(share.match_share, floor, 0.5);
}

// The u step of EM on the random sample: each sampled pattern counts towards u in proportion to
// its probability of being a non-match under (lambda, m, u). Negligible for large inputs; in a
// small file it removes the person's own duplicates from u (fake_1000: exact date of birth).
LevelTable reestimated_u(const std::unordered_map<Pattern, double>& sample, const LevelTable& u, const LevelTable& m,
                         double lambda) {
  const std::size_t nc = u.size();
  const std::vector<bool> active(nc, true);
  LevelTable sums(nc);
  for (std::size_t c = 0; c < nc; ++c) sums[c].assign(u[c].size(), 0.0);
  const double prior = std::log(lambda / (1.0 - lambda));
  for (const PatternCount& pc : to_vector(sample)) {
    const double log_odds = prior + log_likelihood(pc.pattern, m, active) - log_likelihood(pc.pattern, u, active);
    const double non_match = pc.count / (1.0 + std::exp(log_odds));
    for (std::size_t c = 0; c < nc; ++c) {
      const int level = pattern_level(pc.pattern, c);
      if (level != kNullLevel) sums[c][static_cast<std::size_t>(level)] += non_match;
    }
  }
  LevelTable out = u;
  for (std::size_t c = 0; c < nc; ++c) {
    double total = 0.0;
    for (double v : sums[c]) total += v;
    if (total <= 0.0) continue;
    // Half a pair for a level never seen, as for the plain sample.
    for (std::size_t l = 0; l < out[c].size(); ++l) out[c][l] = std::max(sums[c][l], 0.5) / total;
    double norm = 0.0;
    for (double v : out[c]) norm += v;
    for (double& v : out[c]) v /= norm;
  }
  return out;
}

}  // namespace

Model train_model(const LinkConfig& config, const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
                  const std::vector<BlockingRule>& rules, const std::vector<RuleKeys>& keys, const CandidateSet& candidates,
                  bool all_pairs, unsigned threads, TrainingReport& report) {
  const TrainingSpec& t = config.training;
  const std::size_t nc = comparisons.size();
  report.u_sample_pairs = t.u_sample_pairs;
  const RandomPairSample sample =
      sample_random_pairs(comparisons, inputs, all_pairs ? nullptr : &keys, t.u_sample_pairs, t.seed, threads);
  report.sampled_non_candidates = sample.non_candidate_pairs;
  report.total_pairs = total_pairs(inputs);

  TrainingData d;
  d.by_rule.resize(rules.size());
  for (const CandidatePair& p : candidates.pairs) {
    d.candidates[p.pattern] += 1.0;
    for (std::size_t r = 0; r < rules.size(); ++r)
      if (p.rules & (1u << r)) d.by_rule[r][p.pattern] += 1.0;
  }
  d.everything = d.candidates;
  if (sample.non_candidate_pairs > 0) {
    const double non_candidates = std::max(0.0, report.total_pairs - static_cast<double>(candidates.pairs.size()));
    const double scale = non_candidates / static_cast<double>(sample.non_candidate_pairs);
    for (const auto& [p, n] : sample.non_candidates) d.everything[p] += n * scale;
  }

  LevelTable m = starting_m(comparisons);
  const std::vector<bool> fixed = m_from_deterministic_rule(t, config.source, comparisons, rules, d, m, report);
  std::vector<std::string> source(nc);
  LevelTable u = sample.u;
  double lambda = std::clamp(static_cast<double>(inputs.size(0)) / std::max(1.0, report.total_pairs), 1e-12, 0.5);
  // m depends on u, lambda on both, and u's correction on m and lambda: a few rounds settle them.
  for (int round = 0; round < 3; ++round) {
    m = m_by_em_sessions(t, comparisons, rules, d, u, m, fixed, source, report);
    lambda = estimate_lambda(t, d, u, m, report.total_pairs, lambda);
    u = reestimated_u(sample.all, u, m, lambda);
  }
  for (std::size_t c = 0; c < nc; ++c)
    if (source[c] == "em on all candidates")
      report.warnings.push_back("every blocking rule reads the field of comparison '" + comparisons[c].name +
                                "', so its m was estimated on all candidates and is biased towards agreement; "
                                "add a rule that does not use it");

  Model model;
  model.lambda = lambda;
  // The expected share of matches among the candidates under the final parameters.
  double expected = 0.0;
  const double prior = std::log(lambda / (1.0 - lambda));
  const std::vector<bool> active(nc, true);
  for (const auto& [p, n] : d.candidates) {
    const double log_odds = prior + log_likelihood(p, m, active) - log_likelihood(p, u, active);
    expected += n / (1.0 + std::exp(-log_odds));
  }
  report.candidate_match_share = candidates.pairs.empty() ? 0.0 : expected / static_cast<double>(candidates.pairs.size());
  for (std::size_t c = 0; c < nc; ++c) {
    ComparisonParameters p;
    p.name = comparisons[c].name;
    p.m_source = source[c];
    for (std::size_t l = 0; l < m[c].size(); ++l)
      p.levels.push_back({comparisons[c].labels[l], std::max(m[c][l], kProbabilityFloor), u[c][l]});
    model.comparisons.push_back(std::move(p));
  }
  return model;
}

}  // namespace severn::identity
