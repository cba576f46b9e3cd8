// The linking stage of `severn ingest`: every partner index record (partners/patients.csv) is
// linked to a GP person (gp/patients.csv) or left unlinked, with a method and a probability.
//
//   1. A valid NHS number found among the GP persons links, with method nhs_number, when the
//      record's demographics corroborate it: the pair's weight without the NHS number's own
//      contribution must not be strongly against (a mistyped number can be valid and name
//      somebody else).
//   2. Every other record (no NHS number, an invalid or unknown one, or a refuted one) is
//      matched probabilistically (Fellegi-Sunter, resources/identity/partner_linkage.toml):
//      m counted from the corroborated NHS-number pairs, u from random pairs, term-frequency
//      adjusted names and postcodes, blocking rules applied to these records only.
//   3. The best candidate at or above the auto-link probability links (probabilistic), unless a
//      second candidate is nearly as good (twins) or the person already has an NHS-number-linked
//      record at the same partner and the evidence is not strong; those go to clerical review,
//      as does a best candidate in the review band. Below it: unlinked.
//   4. A reviewer's decisions (review_decisions.h) override: match links with method clerical
//      and probability 1; non_match removes that pair for good.
// docs/linkage.md ("Linking inside severn ingest") describes the model and the figures.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "identity/linker.h"
#include "identity/partner_record.h"
#include "identity/review_decisions.h"
#include "identity/scorer.h"

namespace severn::identity {

enum class LinkMethod { kNhsNumber, kProbabilistic, kClerical, kReview, kUnlinked };

// As written in partner_links.csv: a record in review is "unlinked" there (it has no person
// yet); the review band is listed in clerical_review.csv.
const char* link_method_name(LinkMethod method);

struct PartnerLink {
  std::int64_t person = -1;  // the linked person_id, -1 when none
  LinkMethod method = LinkMethod::kUnlinked;
  // Match probability and weight of the chosen (or best, when unlinked) pair; for nhs_number
  // and clerical links the probability is 1 and the weight is the scored pair's.
  double probability = 0.0;
  double weight = std::numeric_limits<double>::quiet_NaN();  // NaN: no candidate was scored
  std::int64_t candidate = -1;  // the best-scoring person (the one to review), -1 when none
  std::string reason;           // why it is not linked (for unlinked/ rows and the identity file)
  bool has_explanation = false; // a waterfall of (record, candidate) is in explanations
};

struct ReviewItem {
  std::uint32_t record = 0;  // partner index row
  std::uint32_t person = 0;
  Explanation explanation;
};

struct LinkingCounts {
  std::uint64_t records = 0;
  std::uint64_t nhs_found = 0;        // valid NHS number of a GP person
  std::uint64_t nhs_refuted = 0;      // ... whose demographics were strongly against
  std::uint64_t nhs_number = 0, probabilistic = 0, clerical = 0, review = 0, unlinked = 0;
  std::uint64_t ambiguous = 0;        // sent to review because a second candidate was as good
  std::uint64_t second_record = 0;    // sent to review: the person already had an NHS-linked record there
  std::uint64_t decisions_applied = 0;
  std::uint64_t candidate_pairs = 0;  // pairs scored for the records without an NHS link
  std::uint64_t reused = 0;           // links carried over from a previous store, not compared again
  std::uint64_t linked_anew = 0;      // records linked in this run (records - reused)
};

struct PartnerLinkingOptions {
  unsigned threads = 0;  // 0: all cores
  // An NHS-number pair is refuted when its weight without the prior and the NHS number's own
  // contribution is below this: the demographics are 1,024 times likelier for two people.
  double refute_weight = -10.0;
  // A person who already has an NHS-number link at the same partner takes a second record
  // probabilistically only at or above this (duplicates exist, but so do twins).
  double second_record_probability = 0.99999;
  // The best candidate must beat the second by this much weight (a factor of 2^margin) to link
  // automatically when the second is itself in the review band or above.
  double ambiguity_margin = 10.0;
  std::vector<ReviewDecision> decisions;
  // A model to score with instead of training one (an incremental run scores with its previous
  // store's model; --partner-link-model): the TOML text and its file's name for errors. Term
  // frequencies then come from the GP persons alone, so a record's weights do not depend on
  // which other partner records happen to be compared in the run.
  std::string model_text, model_source;
  // Empty, or one per partner record: a link carried over from a previous store (its person
  // already mapped to this build's person ids), used as it is and not compared again. A
  // reviewer's decision naming the record wins: the record is then linked anew.
  std::vector<std::optional<PartnerLink>> reused;
};

struct PartnerLinking {
  std::vector<PartnerLink> links;  // per partner record, in input order
  std::vector<ReviewItem> review;  // the review band, by record
  std::vector<std::pair<std::uint32_t, Explanation>> explanations;  // records linked without NHS number
  LinkingCounts counts;
  Model model;
  TrainingReport training;
  std::vector<RuleReport> rules;
  LostMatchEstimate lost;
  std::vector<PhaseTime> times;
  std::vector<std::string> comparison_names;
  double auto_link_probability = 0.0, review_probability = 0.0;
  double seconds = 0.0;
};

// Throws InputError when a decision names a record or person that does not exist.
PartnerLinking link_partner_records(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                    const PartnerLinkingOptions& options);

// The built-in configuration (resources/identity/partner_linkage.toml).
LinkConfig partner_link_config();

}  // namespace severn::identity
