#include "identity/partner_linking.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/embedded.h"
#include "core/error.h"
#include "core/parallel.h"
#include "identity/nicknames.h"
#include "identity/person_index.h"

namespace severn::identity {
namespace {

constexpr const char* kConfigResource = "identity/partner_linkage.toml";
constexpr std::size_t kNhsComparison = 0;  // the configuration's first comparison

class Stopwatch {
 public:
  explicit Stopwatch(std::vector<PhaseTime>& times) : times_(times), start_(std::chrono::steady_clock::now()) {}
  void lap(const std::string& phase) {
    const auto now = std::chrono::steady_clock::now();
    times_.push_back({phase, std::chrono::duration<double>(now - start_).count()});
    start_ = now;
  }

 private:
  std::vector<PhaseTime>& times_;
  std::chrono::steady_clock::time_point start_;
};

// Ids are zero-padded row numbers, so the linker's canonical (sorted by id) order is row order.
std::string row_id(std::size_t row) {
  char b[24];
  std::snprintf(b, sizeof b, "%010zu", row);
  return b;
}

std::string nhs_text(std::uint64_t nhs) {
  char b[24];
  std::snprintf(b, sizeof b, "%010llu", static_cast<unsigned long long>(nhs));
  return b;
}

const std::vector<std::string> kColumns = {"id",  "nhs_number", "given_name", "family_name", "previous_family_name",
                                           "date_of_birth", "sex", "postcode", "previous_postcode"};

RecordTable gp_table(const std::vector<GpPerson>& persons) {
  RecordTable t = RecordTable::with_header("gp/patients.csv", kColumns);
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const GpPerson& p = persons[i];
    const std::string id = row_id(i), nhs = nhs_text(p.nhs_number), dob = format_iso_date(p.date_of_birth);
    t.add_row({id, nhs, p.given_name, p.family_name, "", dob, p.sex, p.postcode, ""}, static_cast<std::int64_t>(i) + 2);
  }
  return t;
}

// The records that need comparing (`rows`, partner index rows in order).
RecordTable partner_table(const std::vector<PartnerRecord>& records, const std::vector<std::uint32_t>& rows) {
  RecordTable t = RecordTable::with_header("partners/patients.csv", kColumns);
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const PartnerRecord& r = records[rows[j]];
    const std::string id = row_id(j), nhs = r.nhs_valid ? nhs_text(r.nhs_value) : "",
                      dob = format_iso_date(r.date_of_birth);
    t.add_row({id, nhs, r.given_name, r.family_name, r.previous_family_name, dob, r.sex, r.postcode, r.previous_postcode},
              r.line);
  }
  return t;
}

std::string record_key(std::string_view partner, std::string_view local_id) {
  std::string k(partner);
  k += '\x1f';
  k.append(local_id);
  return k;
}

std::uint64_t pair_key(std::uint32_t record, std::uint32_t person) {
  return (static_cast<std::uint64_t>(record) << 32) | person;
}

std::string probability_text(double p) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6f", p);
  return b;
}

// The NHS number comparison's m cannot be counted from the NHS-number pairs (they agree by
// construction) and no other rule's pairs are trusted to train it, so it is set: a partner's
// NHS number is the person's in nearly all records, and a wrong one is usually one digit off or
// two digits swapped (the error rates of docs/synthetic-population.md section 6 are of this
// order; real-world figures for secondary care are similar, well under 1%).
void set_nhs_number_m(Model& model) {
  auto& levels = model.comparisons[kNhsComparison].levels;  // exact, transposition, one character, else
  const double m[] = {0.99, 0.002, 0.003, 0.005};
  for (std::size_t l = 0; l < levels.size() && l < 4; ++l) levels[l].m = m[l];
  model.comparisons[kNhsComparison].m_source = "set (docs/linkage.md)";
}

// FNV-1a of partner and local id: which records train m does not depend on the order of rows.
std::uint64_t stable_hash(const PartnerRecord& r) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const std::string* s : {&r.partner_code, &r.local_id})
    for (const char c : *s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// The record repeats, exactly, the compared fields of the person its NHS number names.
bool repeats(const PartnerRecord& r, const GpPerson& p) {
  return r.family_name == p.family_name && r.given_name == p.given_name && r.sex == p.sex &&
         r.date_of_birth == p.date_of_birth && r.postcode == p.postcode;
}

// How many of the records repeating their person are compared anyway, as a uniform sample for
// training m (together with every other NHS-number pair of the same sample).
constexpr std::uint64_t kTrainingPairs = 50'000;

// m counted from a sample gives a level never seen among the sample's matches a probability of
// zero (floored at 1e-9, a weight near -30), which would let one unusual but real error refute
// a true NHS number. Half a pair for every level, as u has (training.h), keeps it finite.
void smooth_counted_m(Model& model, double pairs) {
  if (pairs < 30) return;  // too few to count m from: training kept its starting m (training.cpp)
  for (std::size_t c = 0; c < model.comparisons.size(); ++c) {
    if (c == kNhsComparison) continue;
    auto& levels = model.comparisons[c].levels;
    const double total = pairs + 0.5 * static_cast<double>(levels.size());
    for (auto& l : levels) l.m = (l.m * pairs + 0.5) / total;
  }
}

struct Best {
  double w1 = -std::numeric_limits<double>::infinity(), w2 = -std::numeric_limits<double>::infinity();
  std::uint32_t a1 = 0, a2 = 0;
  bool any = false;
};

}  // namespace

const char* link_method_name(LinkMethod method) {
  switch (method) {
    case LinkMethod::kNhsNumber: return "nhs_number";
    case LinkMethod::kProbabilistic: return "probabilistic";
    case LinkMethod::kClerical: return "clerical";
    case LinkMethod::kReview:
    case LinkMethod::kUnlinked: return "unlinked";
  }
  return "unlinked";
}

LinkConfig partner_link_config() {
  const auto text = embedded::find(kConfigResource);
  if (!text) throw std::logic_error(std::string(kConfigResource) + " is not embedded in this build");
  return parse_link_config(std::string(*text), std::string("resources/") + kConfigResource);
}

PartnerLinking link_partner_records(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                    const PartnerLinkingOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  PartnerLinking out;
  Stopwatch clock(out.times);
  const LinkConfig config = partner_link_config();
  out.auto_link_probability = config.decision.auto_link_probability;
  out.review_probability = config.decision.review_probability;
  for (const auto& c : config.comparisons) out.comparison_names.push_back(c.name);
  const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = records.size();
  out.links.resize(n);
  out.counts.records = n;

  // The reviewer's decisions, checked against the records and persons they name.
  std::unordered_map<std::string, std::uint32_t> row_of;
  if (!options.decisions.empty()) {
    row_of.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) row_of.emplace(record_key(records[i].partner_code, records[i].local_id), i);
  }
  std::unordered_set<std::uint64_t> rejected;                 // (record, person) pairs that never link
  std::unordered_map<std::uint32_t, std::uint32_t> clerical;  // record -> person
  for (const ReviewDecision& d : options.decisions) {
    const auto it = row_of.find(record_key(d.partner_code, d.local_id));
    if (it == row_of.end())
      throw InputError(located(d.source, d.line, "local_patient_id",
                               "no record '" + d.local_id + "' of partner " + d.partner_code + " in partners/patients.csv"));
    if (d.person >= persons.size())
      throw InputError(located(d.source, d.line, "person_id",
                               "no person " + std::to_string(d.person) + " in gp/patients.csv (person_ids run from 0 to " +
                                   std::to_string(persons.size()) + " - 1)"));
    if (d.match) clerical[it->second] = d.person;
    else rejected.insert(pair_key(it->second, d.person));
  }
  out.counts.decisions_applied = options.decisions.size();
  if (persons.empty() || n == 0) {
    for (auto& l : out.links) l.reason = "gp/patients.csv has no persons to link to";
    out.counts.unlinked = n;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
  }

  // Which person each valid NHS number names, and which records simply repeat that person: they
  // are corroborated without being compared, apart from a uniform sample that trains m.
  PersonIndex by_nhs;
  by_nhs.reserve(persons.size());
  for (std::uint32_t p = 0; p < persons.size(); ++p) by_nhs.insert(persons[p].nhs_number, p);
  std::vector<std::int64_t> named(n, -1);
  std::vector<char> copy(n, 0);
  std::uint64_t copies = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!records[i].nhs_valid) continue;
    const auto found = by_nhs.find(records[i].nhs_value);
    if (!found) continue;
    named[i] = *found;
    ++out.counts.nhs_found;
    if (rejected.count(pair_key(i, *found)) == 0 && clerical.count(i) == 0 && repeats(records[i], persons[*found]))
      copy[i] = 1, ++copies;
  }
  const std::uint64_t every = std::max<std::uint64_t>(1, copies / kTrainingPairs);
  const auto sampled = [&](std::uint32_t i) { return stable_hash(records[i]) % every == 0; };
  std::vector<std::uint32_t> right_rows;  // right input record -> partner index row
  std::vector<std::int64_t> right_of(n, -1);
  for (std::uint32_t i = 0; i < n; ++i)
    if (!copy[i] || sampled(i)) right_of[i] = static_cast<std::int64_t>(right_rows.size()), right_rows.push_back(i);
  const std::size_t nr = right_rows.size();
  clock.lap("find NHS numbers");

  // Prepare both inputs once; every phase below works on the same prepared values.
  const RecordTable left = gp_table(persons);
  const RecordTable right = partner_table(records, right_rows);
  clock.lap("prepare: tables");
  PreparedInputs inputs(config, left, &right, NicknameTable::builtin(), threads);
  for (std::uint32_t i = 0; i < persons.size(); ++i)
    if (inputs.row(0, i) != i) throw std::logic_error("partner linking: GP persons out of row order");
  for (std::uint32_t j = 0; j < nr; ++j)
    if (inputs.row(1, j) != j) throw std::logic_error("partner linking: partner records out of row order");
  clock.lap("prepare: values");
  const std::vector<Comparison> comparisons = build_comparisons(config, inputs);
  std::vector<BlockingRule> rules;
  for (const BlockingRuleSpec& spec : config.blocking) {
    rules.push_back(parse_blocking_rule(spec, inputs));
    for (const RuleTerm& t : rules.back().terms) {
      inputs.key(t.left);
      inputs.key(t.right);
    }
  }
  std::vector<RuleKeys> rule_keys(rules.size());
  parallel_for(rules.size(), threads, [&](std::size_t k) { rule_keys[k] = compute_rule_keys(rules[k], inputs); });
  const TermFrequencies frequencies(config, comparisons, inputs);
  clock.lap("prepare: keys and frequencies");

  // 1. The pairs an NHS number names (the first blocking rule) among the compared records.
  CandidateSet nhs_pairs, training;
  nhs_pairs.per_rule.resize(1);
  training.per_rule.resize(1);
  for (std::uint32_t j = 0; j < nr; ++j) {
    const std::uint32_t i = right_rows[j];
    if (named[i] < 0 || rejected.count(pair_key(i, static_cast<std::uint32_t>(named[i]))) != 0) continue;
    nhs_pairs.pairs.push_back({static_cast<std::uint32_t>(named[i]), j, 1u, 0});
  }
  constexpr std::size_t kChunk = 1 << 14;
  parallel_for((nhs_pairs.pairs.size() + kChunk - 1) / kChunk, threads, [&](std::size_t k) {
    const std::size_t end = std::min(nhs_pairs.pairs.size(), (k + 1) * kChunk);
    for (std::size_t j = k * kChunk; j < end; ++j) {
      CandidatePair& c = nhs_pairs.pairs[j];
      c.pattern = compare_all(comparisons, inputs, 0, c.a, 1, c.b);
    }
  });
  for (const CandidatePair& c : nhs_pairs.pairs)
    if (sampled(right_rows[c.b])) training.pairs.push_back(c);
  training.per_rule[0].holding = training.per_rule[0].added = training.pairs.size();
  clock.lap("compare NHS number pairs");

  // 2. Train: m from a uniform sample of the NHS-number pairs, u from random pairs.
  const std::vector<BlockingRule> nhs_rule{rules[0]};
  const std::vector<RuleKeys> nhs_keys{rule_keys[0]};
  out.model = train_model(config, comparisons, inputs, nhs_rule, nhs_keys, training, false, threads, out.training);
  smooth_counted_m(out.model, static_cast<double>(training.pairs.size()));
  std::vector<CandidatePair>().swap(training.pairs);
  set_nhs_number_m(out.model);
  // A partner record belongs to at most one GP person and nearly every record to one: the prior
  // share of matches among all pairs is 1 / persons (EM on NHS pairs alone cannot see it).
  out.model.lambda = 1.0 / static_cast<double>(persons.size());
  const Scorer scorer(out.model, comparisons, inputs, frequencies);
  const double prior = out.model.prior_weight();
  clock.lap("train");

  // 3. Corroborate each compared NHS-number pair by its demographics; the copies need not be.
  std::vector<double> nhs_weight(nhs_pairs.pairs.size());
  parallel_for((nhs_pairs.pairs.size() + kChunk - 1) / kChunk, threads, [&](std::size_t k) {
    const std::size_t end = std::min(nhs_pairs.pairs.size(), (k + 1) * kChunk);
    for (std::size_t j = k * kChunk; j < end; ++j) {
      const CandidatePair& c = nhs_pairs.pairs[j];
      nhs_weight[j] = scorer.weight(c.pattern, c.a, c.b);
    }
  });
  double expected_found = 0.0;
  std::unordered_set<std::uint64_t> nhs_linked_at_partner;  // (partner, person) with an NHS-number link
  std::unordered_map<std::string, std::uint32_t> partner_ids;
  const auto partner_id = [&](const std::string& code) {
    return partner_ids.emplace(code, static_cast<std::uint32_t>(partner_ids.size())).first->second;
  };
  const auto link_by_nhs = [&](std::uint32_t i, std::uint32_t person, double w) {
    PartnerLink& link = out.links[i];
    link.weight = w;
    link.candidate = person;
    link.person = person;
    link.method = LinkMethod::kNhsNumber;
    link.probability = 1.0;
    expected_found += probability_from_weight(w);
    nhs_linked_at_partner.insert(pair_key(partner_id(records[i].partner_code), person));
  };
  std::vector<double> refuted_weight(n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t j = 0; j < nhs_pairs.pairs.size(); ++j) {
    const CandidatePair& c = nhs_pairs.pairs[j];
    const std::uint32_t i = right_rows[c.b];
    const double w = nhs_weight[j];
    const double demographic = w - prior - out.model.level_weight(kNhsComparison, pattern_level(c.pattern, kNhsComparison));
    if (demographic < options.refute_weight) {
      ++out.counts.nhs_refuted;
      refuted_weight[i] = demographic;
      rejected.insert(pair_key(i, c.a));  // the number named somebody else: never this pair
      continue;
    }
    link_by_nhs(i, c.a, w);
  }
  const std::uint64_t nhs_pair_count = nhs_pairs.pairs.size() + copies;
  std::vector<CandidatePair>().swap(nhs_pairs.pairs);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!copy[i] || right_of[i] >= 0) continue;
    const auto p = static_cast<std::uint32_t>(named[i]);
    link_by_nhs(i, p, scorer.weight_against_copy(compare_all(comparisons, inputs, 0, p, 0, p), p));
  }
  clock.lap("corroborate");

  // 4. Block and compare the records still without a person (the other rules, on them alone).
  std::vector<char> open(nr, 0);
  std::uint64_t open_count = 0;
  for (std::uint32_t j = 0; j < nr; ++j)
    if (out.links[right_rows[j]].method != LinkMethod::kNhsNumber) open[j] = 1, ++open_count;
  std::vector<RuleKeys> open_keys(rules.size());
  for (std::size_t k = 0; k < rules.size(); ++k) {
    open_keys[k].left = rule_keys[k].left;
    open_keys[k].right = rule_keys[k].right;
    for (std::uint32_t j = 0; j < nr; ++j)
      if (!open[j]) open_keys[k].right[j] = 0;
  }
  CandidateSet candidates = open_count == 0 ? CandidateSet{{}, std::vector<RuleCount>(rules.size())}
                                            : generate_candidates(rules, open_keys, comparisons, inputs, threads,
                                                                  config.max_pairs);
  std::vector<RuleKeys>().swap(open_keys);
  out.counts.candidate_pairs = candidates.pairs.size();
  std::uint64_t cumulative = 0;
  for (std::size_t k = 0; k < rules.size(); ++k) {
    RuleCount count = candidates.per_rule[k];
    if (k == 0) count.holding = count.added = count.added + nhs_pair_count;
    cumulative += count.added;
    out.rules.push_back({rules[k].text, count, cumulative});
  }
  clock.lap("block and compare");

  // 5. Score: the best two candidates of each open record.
  std::vector<double> weights(candidates.pairs.size());
  parallel_for((candidates.pairs.size() + kChunk - 1) / kChunk, threads, [&](std::size_t k) {
    const std::size_t end = std::min(candidates.pairs.size(), (k + 1) * kChunk);
    for (std::size_t j = k * kChunk; j < end; ++j) {
      const CandidatePair& c = candidates.pairs[j];
      weights[j] = scorer.weight(c.pattern, c.a, c.b);
    }
  });
  std::vector<Best> best(nr);
  for (std::size_t j = 0; j < candidates.pairs.size(); ++j) {
    const CandidatePair& c = candidates.pairs[j];
    if (rejected.count(pair_key(right_rows[c.b], c.a)) != 0) continue;
    const double w = weights[j];
    expected_found += probability_from_weight(w);
    Best& b = best[c.b];
    b.any = true;
    if (w > b.w1 || (w == b.w1 && c.a < b.a1)) {
      b.w2 = b.w1, b.a2 = b.a1;
      b.w1 = w, b.a1 = c.a;
    } else if (w > b.w2 || (w == b.w2 && c.a < b.a2)) {
      b.w2 = w, b.a2 = c.a;
    }
  }
  std::vector<CandidatePair>().swap(candidates.pairs);
  clock.lap("score");

  // 6. Decide.
  const double auto_weight = weight_from_probability(config.decision.auto_link_probability);
  const double review_weight = weight_from_probability(config.decision.review_probability);
  const double second_weight = weight_from_probability(options.second_record_probability);
  for (std::uint32_t j = 0; j < nr; ++j) {
    if (!open[j]) continue;
    const std::uint32_t i = right_rows[j];
    PartnerLink& link = out.links[i];
    const Best& b = best[j];
    const std::string refuted =
        std::isnan(refuted_weight[i])
            ? ""
            : "its NHS number names person " + std::to_string(named[i]) + " but the demographics are against it (weight " +
                  probability_text(refuted_weight[i]) + "); ";
    if (!b.any) {
      link.reason = refuted + (records[i].nhs_valid && named[i] < 0 ? "NHS number not in gp/patients.csv and " : "") +
                    "no GP person shares a blocking key with it";
      continue;
    }
    link.weight = b.w1;
    link.candidate = b.a1;
    link.probability = probability_from_weight(b.w1);
    link.has_explanation = true;
    if (b.w1 >= auto_weight) {
      const bool ambiguous = b.w2 >= review_weight && b.w1 - b.w2 < options.ambiguity_margin;
      const bool second = nhs_linked_at_partner.count(pair_key(partner_id(records[i].partner_code), b.a1)) != 0 &&
                          b.w1 < second_weight;
      if (ambiguous || second) {
        link.method = LinkMethod::kReview;
        link.reason = refuted + (ambiguous ? "in clerical review: two candidates are nearly as likely"
                                           : "in clerical review: the person already has a record at this partner "
                                             "linked by NHS number");
        ++(ambiguous ? out.counts.ambiguous : out.counts.second_record);
      } else {
        link.person = b.a1;
        link.method = LinkMethod::kProbabilistic;
      }
    } else if (b.w1 >= review_weight) {
      link.method = LinkMethod::kReview;
      link.reason = refuted + "in clerical review: match probability " + probability_text(link.probability);
    } else {
      link.reason = refuted + "best candidate's match probability " + probability_text(link.probability) +
                    " is below the review threshold " + probability_text(config.decision.review_probability);
    }
  }
  // A reviewer's match is final, whatever the scores say now.
  for (const auto& [record, person] : clerical) {
    PartnerLink& link = out.links[record];
    link.person = person;
    link.candidate = person;
    link.method = LinkMethod::kClerical;
    link.probability = 1.0;
    link.reason.clear();
    link.has_explanation = true;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    PartnerLink& link = out.links[i];
    switch (link.method) {
      case LinkMethod::kNhsNumber: ++out.counts.nhs_number; break;
      case LinkMethod::kProbabilistic: ++out.counts.probabilistic; break;
      case LinkMethod::kClerical: ++out.counts.clerical; break;
      case LinkMethod::kReview: ++out.counts.review; break;
      case LinkMethod::kUnlinked: ++out.counts.unlinked; break;
    }
    if (!link.has_explanation || link.candidate < 0 || right_of[i] < 0) continue;
    Explanation e = scorer.explain(static_cast<std::uint32_t>(link.candidate), static_cast<std::uint32_t>(right_of[i]));
    if (link.method == LinkMethod::kClerical) link.weight = e.match_weight;
    if (link.method == LinkMethod::kReview) out.review.push_back({i, static_cast<std::uint32_t>(link.candidate), e});
    out.explanations.emplace_back(i, std::move(e));
  }
  clock.lap("decide");

  // 7. What blocking lost, judged with every rule applied to every compared record (the rules'
  //    recall; the copies left out are found by their NHS numbers).
  out.lost = estimate_lost_matches(rule_keys, comparisons, inputs, scorer,
                                   static_cast<double>(out.rules.empty() ? 0 : out.rules.back().cumulative),
                                   expected_found, config.training.lost_match_sample_pairs, config.training.seed + 1,
                                   threads);
  clock.lap("estimate lost matches");
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace severn::identity
