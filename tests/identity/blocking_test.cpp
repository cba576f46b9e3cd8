// Blocking rules: parsing, the union of rules generated once per pair and equal to a brute-force
// check of every pair, per-rule counts, and the lost-match estimate.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "core/error.h"
#include "identity/candidate_pairs.h"
#include "linkage_fixture.h"
#include "synthetic_people.h"

namespace severn::identity {
namespace {

const char* kConfig = R"toml(
[fields]
first_name = { kind = "name" }
surname = { kind = "name" }
dob = { kind = "date" }
[[comparison]]
field = "first_name"
levels = [{ level = "exact" }]
[[comparison]]
field = "surname"
levels = [{ level = "exact" }, { level = "jaro_winkler", at_least = 0.8 }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }]
[blocking]
rules = ["l.surname = r.surname and year(l.dob) = year(r.dob)", "first(l.first_name, 2) = substr(r.first_name, 1, 2)",
         "l.first_name = r.surname", "nysiis(l.surname) = nysiis(r.surname)"]
[training]
u_sample_pairs = 50000
)toml";

struct Fixture {
  LinkConfig config = testing::config_from(kConfig);
  RecordTable left, right;
  std::unique_ptr<PreparedInputs> inputs;
  std::vector<Comparison> comparisons;
  std::vector<BlockingRule> rules;
  std::vector<RuleKeys> keys;
  Fixture(bool linking, int people) {
    testing::SyntheticRates rates;
    rates.first_names = 40;
    rates.surnames = 60;
    left = testing::table_from(testing::synthetic_people(people, linking ? 1 : 2, rates, 21));
    if (linking) right = testing::table_from(testing::synthetic_people(people, 1, rates, 21));
    inputs = std::make_unique<PreparedInputs>(config, left, linking ? &right : nullptr, NicknameTable::builtin(), 2);
    comparisons = build_comparisons(config, *inputs);
    for (const auto& spec : config.blocking) {
      rules.push_back(parse_blocking_rule(spec, *inputs));
      keys.push_back(compute_rule_keys(rules.back(), *inputs));
    }
  }
};

void check_against_brute_force(bool linking) {
  Fixture f(linking, 150);
  const CandidateSet got = generate_candidates(f.rules, f.keys, f.comparisons, *f.inputs, 2, 1u << 30);
  std::set<std::pair<std::uint32_t, std::uint32_t>> generated;
  for (const CandidatePair& p : got.pairs) {
    EXPECT_TRUE(generated.insert({p.a, p.b}).second) << "pair generated twice";
    if (!linking) {
      EXPECT_LT(p.a, p.b);
    }
    EXPECT_EQ(p.pattern, compare_all(f.comparisons, *f.inputs, 0, p.a, f.inputs->right_side(), p.b));
  }
  // Brute force: every pair some rule holds for, with the rules' own semantics written out.
  const auto& in = *f.inputs;
  const int right = in.right_side();
  const auto v = [&](const char* field, int side, std::uint32_t r) { return std::string(in.value(in.field_index(field), side, r)); };
  std::set<std::pair<std::uint32_t, std::uint32_t>> expected;
  std::vector<std::uint64_t> holding(4, 0);
  for (std::uint32_t a = 0; a < in.size(0); ++a)
    for (std::uint32_t b = linking ? 0 : a + 1; b < in.size(right); ++b) {
      const auto holds = [&](int rule, std::uint32_t x, int sx, std::uint32_t y, int sy) {
        switch (rule) {
          case 0: return !v("surname", sx, x).empty() && v("surname", sx, x) == v("surname", sy, y) &&
                         !v("dob", sx, x).empty() && v("dob", sx, x).substr(0, 4) == v("dob", sy, y).substr(0, 4);
          case 1: return !v("first_name", sx, x).empty() && v("first_name", sx, x).substr(0, 2) == v("first_name", sy, y).substr(0, 2);
          case 2: return !v("first_name", sx, x).empty() && v("first_name", sx, x) == v("surname", sy, y);
          default: return false;  // rule 3 is checked through its keys below
        }
      };
      bool any = false;
      for (int r = 0; r < 3; ++r) {
        const bool h = holds(r, a, 0, b, right) || (!linking && holds(r, b, 0, a, right));
        if (h) ++holding[static_cast<std::size_t>(r)];
        any = any || h;
      }
      if (rule_holds(f.keys[3], linking, a, b)) any = true;
      if (any) expected.insert({a, b});
    }
  EXPECT_EQ(generated, expected);
  for (int r = 0; r < 3; ++r) EXPECT_EQ(got.per_rule[static_cast<std::size_t>(r)].holding, holding[static_cast<std::size_t>(r)]) << "rule " << r;
  std::uint64_t added = 0;
  for (const auto& c : got.per_rule) added += c.added;
  EXPECT_EQ(added, got.pairs.size());
}

TEST(Blocking, DedupeUnionEqualsBruteForce) { check_against_brute_force(false); }
TEST(Blocking, LinkUnionEqualsBruteForce) { check_against_brute_force(true); }

TEST(Blocking, AllPairsBaselineCoversEverything) {
  Fixture f(true, 60);
  const CandidateSet all = generate_all_pairs(f.keys, f.comparisons, *f.inputs, 2);
  EXPECT_EQ(all.pairs.size(), f.inputs->size(0) * f.inputs->size(1));
}

std::string rule_error(const std::string& rule) {
  Fixture f(false, 5);
  try {
    parse_blocking_rule({rule, {"cfg.toml", 7}}, *f.inputs);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Blocking, RuleErrorsNameTheRule) {
  EXPECT_EQ(rule_error("l.surname = l.surname"),
            "cfg.toml:7: field 'blocking.rules': rule \"l.surname = l.surname\": each equality compares an l. expression "
            "with an r. expression; both sides here are l. (at character 22)");
  EXPECT_EQ(rule_error("l.surnme = r.surname"),
            "cfg.toml:7: field 'blocking.rules': rule \"l.surnme = r.surname\": no field 'surnme' in [fields] (at character 9)");
  EXPECT_EQ(rule_error("metaphone(l.surname) = metaphone(r.surname)").find("unknown function 'metaphone'") != std::string::npos, true);
  EXPECT_EQ(rule_error("year(l.surname) = year(r.surname)").find("year() needs a date field") != std::string::npos, true);
  EXPECT_EQ(rule_error("l.surname = r.surname or l.dob = r.dob").find("expected 'and'") != std::string::npos, true);
  EXPECT_EQ(rule_error("l.surname = r.surname and"), rule_error("l.surname = r.surname and"));
  EXPECT_NE(rule_error("l.surname = r.surname and").find("expected a name"), std::string::npos);
  EXPECT_EQ(rule_error("L.surname = R.surname AND Year(l.dob) = YEAR(r.dob)"), "no error");  // keywords in any case
}

TEST(Blocking, LooseRulesFailFastWithTheirSize) {
  Fixture f(false, 200);
  try {
    generate_candidates(f.rules, f.keys, f.comparisons, *f.inputs, 1, 1000);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("more than [run] max_pairs = 1000"), std::string::npos) << e.what();
  }
}

// Exhaustive mode: the lost-match estimate is exactly the sum of the model's match probabilities
// over the pairs no rule generates, and close to the true number of matches the rules miss.
TEST(LostMatches, ExhaustiveEstimateIsTheSumOverNonCandidates) {
  LinkConfig c = testing::config_from(kConfig);
  const RecordTable t = testing::table_from(testing::synthetic_people(400, 2, testing::SyntheticRates{}, 2));
  // A pair is missed when both its first names and its surnames disagree: with the error rates
  // (10% and 15% a copy) about 5% of true pairs.
  c.blocking = {{"l.surname = r.surname", {"x", 1}}, {"l.first_name = r.first_name", {"x", 2}}};
  c.training.lost_match_sample_pairs = 1'000'000;  // more than the 319,600 pairs: exhaustive
  c.training.u_sample_pairs = 300'000;
  const auto r = run_linkage(c, t, nullptr, LinkOptions{});
  ASSERT_TRUE(r->lost.exhaustive);
  const auto& in = *r->inputs;
  double sum = 0.0;
  int truly_lost = 0;
  const int person = t.column("person").value();
  for (std::uint32_t a = 0; a < in.size(0); ++a)
    for (std::uint32_t b = a + 1; b < in.size(0); ++b) {
      if (rules_holding(r->rule_keys, false, a, b) != 0) continue;
      sum += probability_from_weight(r->scorer->weight(compare_all(r->comparisons, in, 0, a, 0, b), a, b));
      if (t.cell(in.row(0, a), static_cast<std::size_t>(person)) == t.cell(in.row(0, b), static_cast<std::size_t>(person))) ++truly_lost;
    }
  EXPECT_NEAR(r->lost.expected_lost, sum, 1e-6 * std::max(1.0, sum));
  std::printf("lost matches: estimated %.2f, true %d of 400\n", r->lost.expected_lost, truly_lost);
  EXPECT_GT(truly_lost, 8);
  EXPECT_NEAR(r->lost.expected_lost, truly_lost, std::max(4.0, 0.4 * truly_lost));
}

// Sampled mode on the same data agrees with the exhaustive figure within its standard error.
TEST(LostMatches, SampledEstimateAgreesWithExhaustive) {
  LinkConfig c = testing::config_from(kConfig);
  const RecordTable t = testing::table_from(testing::synthetic_people(400, 2, testing::SyntheticRates{}, 2));
  c.blocking = {{"l.surname = r.surname", {"x", 1}}, {"l.first_name = r.first_name", {"x", 2}}};
  c.training.u_sample_pairs = 300'000;
  c.training.lost_match_sample_pairs = 1'000'000;
  const auto exhaustive = run_linkage(c, t, nullptr, LinkOptions{});
  c.training.lost_match_sample_pairs = 200'000;
  const auto sampled = run_linkage(c, t, nullptr, LinkOptions{});
  ASSERT_FALSE(sampled->lost.exhaustive);
  EXPECT_GT(sampled->lost.standard_error, 0.0);
  EXPECT_NEAR(sampled->lost.expected_lost, exhaustive->lost.expected_lost, 4 * sampled->lost.standard_error);
}

}  // namespace
}  // namespace severn::identity
