// Blocking rules: which pairs are compared at all. A rule is a conjunction of equalities between
// derived keys of the left and right record, written as Splink users write them:
//
//   l.surname = r.surname and year(l.date_of_birth) = year(r.date_of_birth)
//   nysiis(l.surname) = nysiis(r.surname)
//   first(l.postcode, 3) = first(r.postcode, 3)       (substr(l.postcode, 1, 3) also reads)
//   l.surname = r.previous_surname                    (the two sides may use different fields)
//
// Functions: nysiis, soundex, first(x, n), substr(x, 1, n), initial (first letter), year and
// year_month (dates), postcode_sector, postcode_district, postcode_area. A null key never joins.
// A pair is a candidate when any rule holds for it; each pair is generated once, by the first
// rule that holds (candidate_pairs.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "identity/link_config.h"
#include "identity/prepared_inputs.h"

namespace severn::identity {

struct RuleTerm {
  DerivedKey left, right;
};

struct BlockingRule {
  std::string text;
  ConfigPlace place;
  std::vector<RuleTerm> terms;
  std::vector<int> fields;  // every field the rule reads (sorted, unique)
  bool symmetric = true;    // each term has the same key on both sides
};

// Throws InputError at the rule's place: bad syntax, unknown function or field.
BlockingRule parse_blocking_rule(const BlockingRuleSpec& spec, const PreparedInputs& inputs);

// One 64-bit key per record of an input for one side of a rule (0: some term is null).
struct RuleKeys {
  std::vector<std::uint64_t> left;   // the rule's left-hand keys of input 0
  std::vector<std::uint64_t> right;  // the rule's right-hand keys of the right input (input 0 when deduplicating)
};
// Thread-safe once every derived key of the rule has been computed (PreparedInputs::key).
RuleKeys compute_rule_keys(const BlockingRule& rule, PreparedInputs& inputs);

// Whether the rule holds for a pair: a from input 0, b from the right input. Deduplicating, a
// rule holds for {a, b} in either direction.
inline bool rule_holds(const RuleKeys& k, bool linking, std::uint32_t a, std::uint32_t b) {
  if (k.left[a] != 0 && k.left[a] == k.right[b]) return true;
  return !linking && k.left[b] != 0 && k.left[b] == k.right[a];
}

}  // namespace severn::identity
