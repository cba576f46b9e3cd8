#include "identity/partner_linking.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/embedded.h"
#include "core/error.h"
#include "core/parallel.h"
#include "identity/stopwatch.h"
#include "identity/nicknames.h"
#include "identity/person_index.h"

namespace severn::identity {
namespace {

constexpr const char* kConfigResource = "identity/partner_linkage.toml";
constexpr std::size_t kNhsComparison = 0;  // the configuration's first comparison

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

namespace {

constexpr std::size_t kChunk = 1 << 14;  // pairs per parallel work item

// Runs `fn(i)` for i in [0, n) on `threads` threads, in chunks.
template <class Fn>
void parallel_chunks(std::size_t n, unsigned threads, Fn fn) {
  parallel_for((n + kChunk - 1) / kChunk, threads, [&](std::size_t k) {
    const std::size_t end = std::min(n, (k + 1) * kChunk);
    for (std::size_t i = k * kChunk; i < end; ++i) fn(i);
  });
}

// The stage, as the list of its phases (run()); the members carry what one phase leaves for
// the next.
class PartnerLinker {
 public:
  PartnerLinker(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                const PartnerLinkingOptions& options, PartnerLinking& out)
      : persons_(persons), records_(records), options_(options), out_(out), config_(partner_link_config()),
        threads_(options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency())),
        fixed_model_(!options.model_text.empty()), clock_(out.times) {}

  void run() {
    const auto started = std::chrono::steady_clock::now();
    start();
    check_decisions();
    carry_over();
    if (persons_.empty() || records_.empty()) {
      for (auto& l : out_.links) l.reason = "gp/patients.csv has no persons to link to";
      out_.counts.unlinked = out_.counts.linked_anew = records_.size();
    } else {
      find_nhs_numbers();
      prepare();
      compare_nhs_pairs();
      train();
      corroborate();
      block_and_compare();
      score();
      decide();
      apply_clerical_matches();
      count_and_explain();
      estimate_lost_matches_of_blocking();
    }
    out_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }

 private:
  void start() {
    out_.auto_link_probability = config_.decision.auto_link_probability;
    out_.review_probability = config_.decision.review_probability;
    for (const auto& c : config_.comparisons) out_.comparison_names.push_back(c.name);
    out_.links.resize(records_.size());
    out_.counts.records = records_.size();
    reused_.assign(records_.size(), 0);
  }

  // Links carried over from a previous store, unless a reviewer's decision names the record.
  // Their NHS-number links count for the second-record rule as this run's do.
  void carry_over() {
    if (options_.reused.empty()) return;
    if (options_.reused.size() != records_.size()) throw std::logic_error("partner linking: reused links not one per record");
    std::unordered_set<std::string> decided;
    for (const ReviewDecision& d : options_.decisions) decided.insert(record_key(d.partner_code, d.local_id));
    for (std::uint32_t i = 0; i < records_.size(); ++i) {
      if (!options_.reused[i]) continue;
      if (!decided.empty() && decided.count(record_key(records_[i].partner_code, records_[i].local_id)) != 0) continue;
      const PartnerLink& l = *options_.reused[i];
      if (l.person >= static_cast<std::int64_t>(persons_.size())) throw std::logic_error("partner linking: reused link to no person");
      out_.links[i] = l;
      out_.links[i].has_explanation = false;  // its waterfall was written by the run that compared it
      reused_[i] = 1;
      ++out_.counts.reused;
      if (l.method == LinkMethod::kNhsNumber)
        nhs_linked_at_partner_.insert(pair_key(partner_id(records_[i].partner_code), static_cast<std::uint32_t>(l.person)));
    }
    clock_.lap("carry over previous links");
  }

  // The reviewer's decisions, checked against the records and persons they name.
  void check_decisions() {
    if (options_.decisions.empty()) return;
    std::unordered_map<std::string, std::uint32_t> row_of;
    row_of.reserve(records_.size());
    for (std::uint32_t i = 0; i < records_.size(); ++i)
      row_of.emplace(record_key(records_[i].partner_code, records_[i].local_id), i);
    for (const ReviewDecision& d : options_.decisions) {
      const auto it = row_of.find(record_key(d.partner_code, d.local_id));
      if (it == row_of.end())
        throw InputError(located(d.source, d.line, "local_patient_id",
                                 "no record '" + d.local_id + "' of partner " + d.partner_code + " in partners/patients.csv"));
      if (d.person >= persons_.size())
        throw InputError(located(d.source, d.line, "person_id",
                                 "no person " + std::to_string(d.person) + " in gp/patients.csv (person_ids run from 0 to " +
                                     std::to_string(persons_.size()) + " - 1)"));
      if (d.match) clerical_[it->second] = d.person;
      else rejected_.insert(pair_key(it->second, d.person));
    }
    out_.counts.decisions_applied = options_.decisions.size();
  }

  // Which person each valid NHS number names, and which records simply repeat that person: they
  // are corroborated without being compared, apart from a uniform sample that trains m.
  void find_nhs_numbers() {
    const std::size_t n = records_.size();
    PersonIndex by_nhs;
    by_nhs.reserve(persons_.size());
    for (std::uint32_t p = 0; p < persons_.size(); ++p) by_nhs.insert(persons_[p].nhs_number, p);
    named_.assign(n, -1);
    copy_.assign(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!records_[i].nhs_valid) continue;
      const auto found = by_nhs.find(records_[i].nhs_value);
      if (!found) continue;
      ++out_.counts.nhs_found;
      if (reused_[i]) continue;  // carried over: not compared
      named_[i] = *found;
      if (rejected_.count(pair_key(i, *found)) == 0 && clerical_.count(i) == 0 && repeats(records_[i], persons_[*found]))
        copy_[i] = 1, ++copies_;
    }
    every_ = std::max<std::uint64_t>(1, copies_ / kTrainingPairs);
    right_of_.assign(n, -1);
    for (std::uint32_t i = 0; i < n; ++i)
      if (!reused_[i] && (!copy_[i] || sampled(i))) right_of_[i] = static_cast<std::int64_t>(right_rows_.size()), right_rows_.push_back(i);
    clock_.lap("find NHS numbers");
  }

  // With a given model nothing is trained, so no copy needs comparing.
  bool sampled(std::uint32_t record) const { return !fixed_model_ && stable_hash(records_[record]) % every_ == 0; }

  // Both inputs prepared once; every phase below works on the same prepared values.
  void prepare() {
    left_ = std::make_unique<RecordTable>(gp_table(persons_));
    right_ = std::make_unique<RecordTable>(partner_table(records_, right_rows_));
    clock_.lap("prepare: tables");
    inputs_ = std::make_unique<PreparedInputs>(config_, *left_, right_.get(), NicknameTable::builtin(), threads_);
    for (std::uint32_t i = 0; i < persons_.size(); ++i)
      if (inputs_->row(0, i) != i) throw std::logic_error("partner linking: GP persons out of row order");
    for (std::uint32_t j = 0; j < right_rows_.size(); ++j)
      if (inputs_->row(1, j) != j) throw std::logic_error("partner linking: partner records out of row order");
    clock_.lap("prepare: values");
    comparisons_ = build_comparisons(config_, *inputs_);
    for (const BlockingRuleSpec& spec : config_.blocking) {
      rules_.push_back(parse_blocking_rule(spec, *inputs_));
      for (const RuleTerm& t : rules_.back().terms) {
        inputs_->key(t.left);
        inputs_->key(t.right);
      }
    }
    rule_keys_.resize(rules_.size());
    parallel_for(rules_.size(), threads_, [&](std::size_t k) { rule_keys_[k] = compute_rule_keys(rules_[k], *inputs_); });
    frequencies_ = TermFrequencies(config_, comparisons_, *inputs_, fixed_model_);
    clock_.lap("prepare: keys and frequencies");
  }

  // The pairs an NHS number names (the first blocking rule) among the compared records.
  void compare_nhs_pairs() {
    for (std::uint32_t j = 0; j < right_rows_.size(); ++j) {
      const std::uint32_t i = right_rows_[j];
      if (named_[i] < 0 || rejected_.count(pair_key(i, static_cast<std::uint32_t>(named_[i]))) != 0) continue;
      nhs_pairs_.push_back({static_cast<std::uint32_t>(named_[i]), j, 1u, 0});
    }
    parallel_chunks(nhs_pairs_.size(), threads_, [&](std::size_t k) {
      CandidatePair& c = nhs_pairs_[k];
      c.pattern = compare_all(comparisons_, *inputs_, 0, c.a, 1, c.b);
    });
    clock_.lap("compare NHS number pairs");
  }

  // m from a uniform sample of the NHS-number pairs, u from random pairs.
  void train() {
    if (fixed_model_) {
      out_.model = parse_model(options_.model_text, options_.model_source, comparisons_);
      scorer_ = std::make_unique<Scorer>(out_.model, comparisons_, *inputs_, frequencies_);
      clock_.lap("read model");
      return;
    }
    CandidateSet training;
    training.per_rule.resize(1);
    for (const CandidatePair& c : nhs_pairs_)
      if (sampled(right_rows_[c.b])) training.pairs.push_back(c);
    training.per_rule[0].holding = training.per_rule[0].added = training.pairs.size();
    const std::vector<BlockingRule> nhs_rule{rules_[0]};
    const std::vector<RuleKeys> nhs_keys{rule_keys_[0]};
    out_.model = train_model(config_, comparisons_, *inputs_, nhs_rule, nhs_keys, training, false, threads_, out_.training);
    smooth_counted_m(out_.model, static_cast<double>(training.pairs.size()));
    set_nhs_number_m(out_.model);
    // A partner record belongs to at most one GP person and nearly every record to one: the
    // prior share of matches among all pairs is 1 / persons (EM on NHS pairs alone cannot see it).
    out_.model.lambda = 1.0 / static_cast<double>(persons_.size());
    scorer_ = std::make_unique<Scorer>(out_.model, comparisons_, *inputs_, frequencies_);
    clock_.lap("train");
  }

  void link_by_nhs(std::uint32_t i, std::uint32_t person, double w) {
    PartnerLink& link = out_.links[i];
    link.weight = w;
    link.candidate = person;
    link.person = person;
    link.method = LinkMethod::kNhsNumber;
    link.probability = 1.0;
    expected_found_ += probability_from_weight(w);
    nhs_linked_at_partner_.insert(pair_key(partner_id(records_[i].partner_code), person));
  }

  std::uint32_t partner_id(const std::string& code) {
    return partner_ids_.emplace(code, static_cast<std::uint32_t>(partner_ids_.size())).first->second;
  }

  // Each compared NHS-number pair must not be strongly against by its demographics; the copies
  // need not be compared.
  void corroborate() {
    std::vector<double> weights(nhs_pairs_.size());
    parallel_chunks(nhs_pairs_.size(), threads_,
                    [&](std::size_t k) { weights[k] = scorer_->weight(nhs_pairs_[k].pattern, nhs_pairs_[k].a, nhs_pairs_[k].b); });
    const double prior = out_.model.prior_weight();
    refuted_weight_.assign(records_.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; k < nhs_pairs_.size(); ++k) {
      const CandidatePair& c = nhs_pairs_[k];
      const std::uint32_t i = right_rows_[c.b];
      const double demographic =
          weights[k] - prior - out_.model.level_weight(kNhsComparison, pattern_level(c.pattern, kNhsComparison));
      if (demographic < options_.refute_weight) {
        ++out_.counts.nhs_refuted;
        refuted_weight_[i] = demographic;
        rejected_.insert(pair_key(i, c.a));  // the number named somebody else: never this pair
        continue;
      }
      link_by_nhs(i, c.a, weights[k]);
    }
    nhs_pair_count_ = nhs_pairs_.size() + copies_;
    std::vector<CandidatePair>().swap(nhs_pairs_);
    for (std::uint32_t i = 0; i < records_.size(); ++i) {
      if (!copy_[i] || right_of_[i] >= 0) continue;
      const auto p = static_cast<std::uint32_t>(named_[i]);
      link_by_nhs(i, p, scorer_->weight_against_copy(compare_all(comparisons_, *inputs_, 0, p, 0, p), p));
    }
    clock_.lap("corroborate");
  }

  // The records still without a person, against every GP person, by the other rules.
  void block_and_compare() {
    const std::size_t nr = right_rows_.size();
    open_.assign(nr, 0);
    std::uint64_t open_count = 0;
    for (std::uint32_t j = 0; j < nr; ++j)
      if (out_.links[right_rows_[j]].method != LinkMethod::kNhsNumber) open_[j] = 1, ++open_count;
    std::vector<RuleKeys> open_keys(rules_.size());
    for (std::size_t k = 0; k < rules_.size(); ++k) {
      open_keys[k].left = rule_keys_[k].left;
      open_keys[k].right = rule_keys_[k].right;
      for (std::uint32_t j = 0; j < nr; ++j)
        if (!open_[j]) open_keys[k].right[j] = 0;
    }
    candidates_ = open_count == 0 ? CandidateSet{{}, std::vector<RuleCount>(rules_.size())}
                                  : generate_candidates(rules_, open_keys, comparisons_, *inputs_, threads_, config_.max_pairs);
    out_.counts.candidate_pairs = candidates_.pairs.size();
    std::uint64_t cumulative = 0;
    for (std::size_t k = 0; k < rules_.size(); ++k) {
      RuleCount count = candidates_.per_rule[k];
      if (k == 0) count.holding = count.added = count.added + nhs_pair_count_;
      cumulative += count.added;
      out_.rules.push_back({rules_[k].text, count, cumulative});
    }
    clock_.lap("block and compare");
  }

  // The best two candidates of each open record.
  void score() {
    std::vector<double> weights(candidates_.pairs.size());
    parallel_chunks(candidates_.pairs.size(), threads_, [&](std::size_t k) {
      const CandidatePair& c = candidates_.pairs[k];
      weights[k] = scorer_->weight(c.pattern, c.a, c.b);
    });
    best_.assign(right_rows_.size(), Best{});
    for (std::size_t k = 0; k < candidates_.pairs.size(); ++k) {
      const CandidatePair& c = candidates_.pairs[k];
      if (rejected_.count(pair_key(right_rows_[c.b], c.a)) != 0) continue;
      const double w = weights[k];
      expected_found_ += probability_from_weight(w);
      Best& b = best_[c.b];
      b.any = true;
      if (w > b.w1 || (w == b.w1 && c.a < b.a1)) {
        b.w2 = b.w1, b.a2 = b.a1;
        b.w1 = w, b.a1 = c.a;
      } else if (w > b.w2 || (w == b.w2 && c.a < b.a2)) {
        b.w2 = w, b.a2 = c.a;
      }
    }
    std::vector<CandidatePair>().swap(candidates_.pairs);
    clock_.lap("score");
  }

  void decide() {
    for (std::uint32_t j = 0; j < right_rows_.size(); ++j)
      if (open_[j]) decide_record(right_rows_[j], best_[j]);
  }

  void decide_record(std::uint32_t i, const Best& b) {
    const double auto_weight = weight_from_probability(config_.decision.auto_link_probability);
    const double review_weight = weight_from_probability(config_.decision.review_probability);
    const double second_weight = weight_from_probability(options_.second_record_probability);
    PartnerLink& link = out_.links[i];
    const std::string refuted =
        std::isnan(refuted_weight_[i])
            ? ""
            : "its NHS number names person " + std::to_string(named_[i]) + " but the demographics are against it (weight " +
                  probability_text(refuted_weight_[i]) + "); ";
    if (!b.any) {
      link.reason = refuted + (records_[i].nhs_valid && named_[i] < 0 ? "NHS number not in gp/patients.csv and " : "") +
                    "no GP person shares a blocking key with it";
      return;
    }
    link.weight = b.w1;
    link.candidate = b.a1;
    link.probability = probability_from_weight(b.w1);
    link.has_explanation = true;
    if (b.w1 >= auto_weight) {
      // Twins: a second candidate nearly as likely. Duplicates: the person already has a record
      // here, linked by NHS number; a second one needs strong evidence.
      const bool ambiguous = b.w2 >= review_weight && b.w1 - b.w2 < options_.ambiguity_margin;
      const bool second = nhs_linked_at_partner_.count(pair_key(partner_id(records_[i].partner_code), b.a1)) != 0 &&
                          b.w1 < second_weight;
      if (ambiguous || second) {
        link.method = LinkMethod::kReview;
        link.reason = refuted + (ambiguous ? "in clerical review: two candidates are nearly as likely"
                                           : "in clerical review: the person already has a record at this partner "
                                             "linked by NHS number");
        ++(ambiguous ? out_.counts.ambiguous : out_.counts.second_record);
      } else {
        link.person = b.a1;
        link.method = LinkMethod::kProbabilistic;
      }
    } else if (b.w1 >= review_weight) {
      link.method = LinkMethod::kReview;
      link.reason = refuted + "in clerical review: match probability " + probability_text(link.probability);
    } else {
      link.reason = refuted + "best candidate's match probability " + probability_text(link.probability) +
                    " is below the review threshold " + probability_text(config_.decision.review_probability);
    }
  }

  // A reviewer's match is final, whatever the scores say now.
  void apply_clerical_matches() {
    for (const auto& [record, person] : clerical_) {
      PartnerLink& link = out_.links[record];
      link.person = person;
      link.candidate = person;
      link.method = LinkMethod::kClerical;
      link.probability = 1.0;
      link.reason.clear();
      link.has_explanation = true;
    }
  }

  void count_and_explain() {
    for (std::uint32_t i = 0; i < records_.size(); ++i) {
      PartnerLink& link = out_.links[i];
      if (!reused_[i]) ++out_.counts.linked_anew;
      switch (link.method) {
        case LinkMethod::kNhsNumber: ++out_.counts.nhs_number; break;
        case LinkMethod::kProbabilistic: ++out_.counts.probabilistic; break;
        case LinkMethod::kClerical: ++out_.counts.clerical; break;
        case LinkMethod::kReview: ++out_.counts.review; break;
        case LinkMethod::kUnlinked: ++out_.counts.unlinked; break;
      }
      if (!link.has_explanation || link.candidate < 0 || right_of_[i] < 0) continue;
      Explanation e = scorer_->explain(static_cast<std::uint32_t>(link.candidate), static_cast<std::uint32_t>(right_of_[i]));
      if (link.method == LinkMethod::kClerical) link.weight = e.match_weight;
      if (link.method == LinkMethod::kReview) out_.review.push_back({i, static_cast<std::uint32_t>(link.candidate), e});
      out_.explanations.emplace_back(i, std::move(e));
    }
    clock_.lap("decide");
  }

  // What blocking lost, judged with every rule applied to every compared record (the rules'
  // recall; the copies left out are found by their NHS numbers).
  void estimate_lost_matches_of_blocking() {
    out_.lost = estimate_lost_matches(rule_keys_, comparisons_, *inputs_, *scorer_,
                                      static_cast<double>(out_.rules.empty() ? 0 : out_.rules.back().cumulative),
                                      expected_found_, config_.training.lost_match_sample_pairs,
                                      config_.training.seed + 1, threads_);
    clock_.lap("estimate lost matches");
  }

  const std::vector<GpPerson>& persons_;
  const std::vector<PartnerRecord>& records_;
  const PartnerLinkingOptions& options_;
  PartnerLinking& out_;
  const LinkConfig config_;
  const unsigned threads_;
  const bool fixed_model_;  // scores with options_.model_text, trains nothing
  Stopwatch clock_;
  std::vector<char> reused_;  // per record: its link carried over (options_.reused), not compared

  std::unordered_set<std::uint64_t> rejected_;                 // (record, person) pairs that never link
  std::unordered_map<std::uint32_t, std::uint32_t> clerical_;  // record -> person
  std::vector<std::int64_t> named_;                            // per record: the person its NHS number names
  std::vector<char> copy_;                                     // per record: repeats that person exactly
  std::uint64_t copies_ = 0, every_ = 1;
  std::vector<std::uint32_t> right_rows_;  // right input record -> partner index row
  std::vector<std::int64_t> right_of_;     // partner index row -> right input record, -1: not compared
  std::unique_ptr<RecordTable> left_, right_;
  std::unique_ptr<PreparedInputs> inputs_;
  std::vector<Comparison> comparisons_;
  std::vector<BlockingRule> rules_;
  std::vector<RuleKeys> rule_keys_;
  TermFrequencies frequencies_;
  std::vector<CandidatePair> nhs_pairs_;
  std::uint64_t nhs_pair_count_ = 0;
  std::unique_ptr<Scorer> scorer_;
  double expected_found_ = 0.0;
  std::unordered_set<std::uint64_t> nhs_linked_at_partner_;  // (partner, person) with an NHS-number link
  std::unordered_map<std::string, std::uint32_t> partner_ids_;
  std::vector<double> refuted_weight_;  // per record: demographic weight of a refused NHS number
  std::vector<char> open_;              // per right input record: still without a person
  CandidateSet candidates_;
  std::vector<Best> best_;
};

}  // namespace

PartnerLinking link_partner_records(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                    const PartnerLinkingOptions& options) {
  PartnerLinking out;
  PartnerLinker(persons, records, options, out).run();
  return out;
}

}  // namespace severn::identity
