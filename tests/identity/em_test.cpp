// Expectation-maximisation recovers known m and u: first on simulated comparison patterns, then
// end to end through u sampling and per-rule EM sessions on records with known error rates.
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "identity/training.h"
#include "linkage_fixture.h"
#include "synthetic_people.h"

namespace severn::identity {
namespace {

TEST(Em, RecoversKnownParametersFromSimulatedPatterns) {
  const LevelTable m_true = {{0.85, 0.10, 0.05}, {0.90, 0.10}, {0.70, 0.15, 0.10, 0.05}};
  const LevelTable u_true = {{0.01, 0.04, 0.95}, {0.05, 0.95}, {0.001, 0.01, 0.09, 0.899}};
  const double share = 0.2;
  Rng rng(11, 0, "em simulation");
  std::unordered_map<Pattern, double> counts;
  const auto draw = [&](const std::vector<double>& probs) {
    double x = rng.uniform();
    for (std::size_t l = 0; l < probs.size(); ++l) {
      if (x < probs[l]) return l;
      x -= probs[l];
    }
    return probs.size() - 1;
  };
  for (int i = 0; i < 400000; ++i) {
    const bool match = rng.bernoulli(share);
    Pattern p = 0;
    for (std::size_t c = 0; c < m_true.size(); ++c) {
      // One comparison in ten is null, which must not bias anything.
      if (rng.bernoulli(0.1)) continue;
      p |= static_cast<Pattern>(draw(match ? m_true[c] : u_true[c]) + 1) << (4 * c);
    }
    counts[p] += 1.0;
  }
  std::vector<PatternCount> patterns;
  for (const auto& [p, n] : counts) patterns.push_back({p, n});
  LevelTable m_start = {{0.5, 0.3, 0.2}, {0.6, 0.4}, {0.4, 0.3, 0.2, 0.1}};
  const std::vector<bool> all(3, true);
  const EmResult r = expectation_maximisation(patterns, u_true, m_start, all, all, 0.05, 1000, 1e-9);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.match_share, share, 0.005);
  for (std::size_t c = 0; c < m_true.size(); ++c)
    for (std::size_t l = 0; l < m_true[c].size(); ++l)
      EXPECT_NEAR(r.m[c][l], m_true[c][l], 0.01) << "comparison " << c << " level " << l;
}

TEST(Em, FixedComparisonsKeepTheirM) {
  const std::vector<PatternCount> patterns = {{0x11, 100}, {0x12, 50}, {0x21, 40}, {0x22, 900}};
  const LevelTable u = {{0.05, 0.95}, {0.05, 0.95}};
  const LevelTable m = {{0.9, 0.1}, {0.7, 0.3}};
  const EmResult r = expectation_maximisation(patterns, u, m, {true, true}, {true, false}, 0.1, 200, 1e-9);
  EXPECT_EQ(r.m[1][0], 0.7);
  EXPECT_NE(r.m[0][0], 0.9);
}

const char* kTrainingConfig = R"toml(
[input]
id = "id"
[fields]
first_name = { kind = "name" }
surname = { kind = "name" }
dob = { kind = "date" }
[[comparison]]
field = "first_name"
levels = [{ level = "exact" }]
[[comparison]]
field = "surname"
levels = [{ level = "exact" }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }]
[blocking]
rules = ["l.first_name = r.first_name", "l.surname = r.surname", "l.dob = r.dob"]
[training]
seed = 5
u_sample_pairs = 1000000
lost_match_sample_pairs = 0
)toml";

TEST(Em, TrainingRecoversKnownErrorRatesEndToEnd) {
#ifdef __SANITIZE_ADDRESS__
  const int people = 1500;
#else
  const int people = 4000;
#endif
  const testing::SyntheticRates rates;
  const RecordTable t = testing::table_from(testing::synthetic_people(people, 2, rates, 3));
  const LinkConfig config = testing::config_from(kTrainingConfig);
  const auto r = run_linkage(config, t, nullptr, LinkOptions{});
  const Model& m = r->model;
  // m(exact) = P(both copies keep the value) + P(both replaced by the same other value).
  EXPECT_NEAR(m.comparisons[0].levels[0].m, std::pow(1 - rates.first_wrong, 2), 0.03);
  EXPECT_NEAR(m.comparisons[1].levels[0].m, std::pow(1 - rates.surname_wrong, 2), 0.03);
  EXPECT_NEAR(m.comparisons[2].levels[0].m, std::pow(1 - rates.dob_wrong, 2), 0.03);
  // u(exact) for uniform values: 1 / the number of values.
  EXPECT_NEAR(m.comparisons[0].levels[0].u, 1.0 / rates.first_names, 0.001);
  EXPECT_NEAR(m.comparisons[1].levels[0].u, 1.0 / rates.surnames, 0.001);
  // lambda: one true pair per person among n(n-1)/2 pairs.
  const double n = 2.0 * people;
  EXPECT_NEAR(m.lambda / (people / (n * (n - 1) / 2)), 1.0, 0.1);
  for (const auto& c : m.comparisons) EXPECT_EQ(c.m_source, "em");
  ASSERT_EQ(r->training.sessions.size(), 3u);
  EXPECT_EQ(r->training.sessions[0].estimated, (std::vector<std::string>{"surname", "dob"}));
}

}  // namespace
}  // namespace severn::identity
