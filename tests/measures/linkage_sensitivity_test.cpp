// Linkage sensitivity on counts built by hand (docs/linkage-uncertainty.md, docs/disclosure.md
// "Linkage sensitivity"): one definition's counts from every link ("all") and from the strong
// links only ("strong"), published as one release. The differencing attack: an attacker holding
// both sets of published figures, and the tables' equations, asks a linear program (the
// independent attacker of tests/disclosure/attacker.h) how far each difference all - strong can
// be narrowed; a small difference (1 to 7 persons depending on weak links) must never be pinned
// down. The same attack on the same figures published without the pairing rule succeeds, so the
// test can fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "core/date.h"
#include "disclosure/attacker.h"
#include "disclosure/differencing.h"
#include "lang/parser.h"
#include "measures/linkage_sensitivity.h"
#include "measures/publish.h"

namespace severn::measures {
namespace {

constexpr const char* kDefinition = R"SEV(# title: Hand-made counts
population true

measure admitted
  numerator   true
  denominator true
  by pcn
  stats proportion per 100
  intervals 2025-01-01 to 2025-01-31
)SEV";

engine::Cell cell(std::uint64_t numerator, std::uint64_t denominator) {
  engine::Cell c;
  c.numerator = numerator;
  c.denominator = denominator;
  return c;
}

struct Side {
  std::uint64_t numerator_total, denominator_total;
  std::vector<std::pair<std::string, engine::Cell>> groups;
};

// The crafted figures: the whole ICS differs by 3 persons in the numerator (small), PCN B by 5
// (small), PCN D by -2 (the strong links give more: a weak link had kept someone out); the
// denominators differ by 19 in the whole and 10 in PCN B (not small), and PCN C is a group that
// only the all-links figures have (its 9 people are all linked weakly).
const Side kAll{400, 1009, {{"A", cell(120, 250)}, {"B", cell(100, 250)}, {"C", cell(0, 9)}, {"D", cell(90, 250)}, {"E", cell(90, 250)}}};
const Side kStrong{397, 990, {{"A", cell(120, 250)}, {"B", cell(95, 240)}, {"D", cell(92, 250)}, {"E", cell(90, 250)}}};

class LinkSensitivityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    definition_ = lang::parse(file_);
    fill(all_, kAll, "");
    fill(strong_, kStrong, "");
  }
  void fill(engine::MeasureResults& r, const Side& side, const std::string&) {
    r.definition = &definition_;
    r.intervals = {{{*parse_iso_date("2025-01-01"), *parse_iso_date("2025-01-31")}}};
    r.breakdowns = {{"pcn"}};
    r.numerator_meaning = {"admitted numerator"};
    r.denominator_meaning = {"admitted denominator"};
    engine::MeasureTable t;
    t.by.resize(1);
    for (const auto& [g, c] : side.groups) t.by[0][g] = c;
    t.all = cell(side.numerator_total, side.denominator_total);
    r.tables = {{t}};
  }

  // Both sides in one release; `paired`: with the rule against differencing.
  ReleaseValues publish_both(const disclosure::Policy& policy, bool paired) {
    DefinitionCounts a{"hand", &all_, {}, ""};
    DefinitionCounts s{"hand (links>=0.9)", &strong_, {}, " [links>=0.9]"};
    a.statistics.sii_repetitions = s.statistics.sii_repetitions = 1000;
    PublishOptions o;
    o.policy = policy;
    if (paired) o.link_pairs.push_back({0, 1});
    return publish({a, s}, o);
  }

  lang::SourceFile file_{"hand.sev", kDefinition};
  lang::Definition definition_;
  engine::MeasureResults all_, strong_;
};

// The attacker's view of one side: each row's numerator and denominator cells.
void add_side(attack::Problem& p, const attack::Published& pub, const std::string& side, const MeasureValues& m,
              const std::vector<std::string>& groups) {
  for (const char* what : {"num", "den"}) {
    std::vector<std::pair<std::string, double>> sum{{side + "/" + what + "/all", -1.0}};
    for (const auto& g : groups) sum.push_back({side + "/" + what + "/" + g, 1.0});
    p.equation(sum);  // the groups add up to the whole
  }
  for (const auto& g : groups) {
    const MeasureRow* row = nullptr;
    for (const auto& r : m.rows)
      if (r.group == g) row = &r;
    for (const char* what : {"num", "den"}) {
      const std::string cell = side + "/" + what + "/" + g;
      if (row == nullptr) {
        p.zero(cell);  // a group absent from the release counts nobody
        continue;
      }
      const PublishedCount& c = std::string(what) == "num" ? row->numerator : row->denominator;
      if (c.withheld()) p.withheld(cell);
      else p.published(cell, c.shown, pub);
    }
  }
  const MeasureRow& total = m.rows.front();
  for (const char* what : {"num", "den"}) {
    const PublishedCount& c = std::string(what) == "num" ? total.numerator : total.denominator;
    if (c.withheld()) p.withheld(side + "/" + what + "/all");
    else p.published(side + "/" + what + "/all", c.shown, pub);
  }
}

// Every difference whose exact value is small and that the attacker pins down (narrower than the
// protection rule, or inside the small range of either sign): "num/all", "den/B", ...
std::vector<std::string> leaked_differences(const ReleaseValues& release, const disclosure::Policy& policy,
                                           const Side& all_side = kAll, const Side& strong_side = kStrong) {
  std::vector<std::string> groups;
  for (const auto& [g, c] : all_side.groups) groups.push_back(g);
  for (const auto& [g, c] : strong_side.groups)
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  attack::Problem p;
  const attack::Published pub{policy.rounding_base(), policy.redact_min, policy.redact_max, policy.midpoint};
  add_side(p, pub, "all", release.definitions[0].measures[0], groups);
  add_side(p, pub, "strong", release.definitions[1].measures[0], groups);
  // Each difference as an unknown of its own, shifted by a constant K so the attacker's
  // non-negative unknowns can hold it: shift = all - strong + K.
  constexpr std::int64_t kShift = 100000;
  p.published("K", kShift, attack::Published{1, 1, 0});
  std::map<std::string, std::int64_t> exact;
  const auto exact_of = [](const Side& s, const std::string& what, const std::string& g) -> std::int64_t {
    if (g == "all") return static_cast<std::int64_t>(what == "num" ? s.numerator_total : s.denominator_total);
    for (const auto& [name, c] : s.groups)
      if (name == g) return static_cast<std::int64_t>(what == "num" ? c.numerator : c.denominator);
    return 0;
  };
  std::vector<std::string> cells{"all"};
  cells.insert(cells.end(), groups.begin(), groups.end());
  for (const char* what : {"num", "den"})
    for (const std::string& g : cells) {
      const std::string key = std::string(what) + "/" + g;
      exact[key] = exact_of(all_side, what, g) - exact_of(strong_side, what, g);
      p.withheld("diff/" + key);
      p.equation({{"diff/" + key, 1.0}, {"all/" + key, -1.0}, {"strong/" + key, 1.0}, {"K", -1.0}});
    }
  std::vector<std::string> leaks;
  for (const auto& f : p.solve()) {
    if (f.cell.rfind("diff/", 0) != 0) continue;
    const std::string key = f.cell.substr(5);
    const std::int64_t d = exact.at(key);
    if (disclosure::difference_publishable(policy, d)) continue;  // zero or not small: no secret
    const double lo = f.lo - kShift, hi = f.hi - kShift;
    const bool narrow = hi - lo < static_cast<double>(policy.protection_width);
    const bool inside = (lo >= policy.redact_min && hi <= policy.redact_max) ||
                        (lo >= -policy.redact_max && hi <= -policy.redact_min);
    if (narrow || inside) leaks.push_back(key + " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return leaks;
}

disclosure::Policy exact_policy() {
  disclosure::Policy p;
  p.mode = disclosure::Mode::kSuppressedExact;
  return p;
}

disclosure::Policy unrounded_policy() {
  disclosure::Policy p;
  p.round_to = 1;
  return p;
}

TEST(Differencing, ADifferenceIsPublishableWhenZeroOrNotSmall) {
  const disclosure::Policy p;
  EXPECT_TRUE(disclosure::difference_publishable(p, 0));
  EXPECT_TRUE(disclosure::difference_publishable(p, 8));
  EXPECT_TRUE(disclosure::difference_publishable(p, -8));
  for (int d = 1; d <= 7; ++d) {
    EXPECT_FALSE(disclosure::difference_publishable(p, d)) << d;
    EXPECT_FALSE(disclosure::difference_publishable(p, -d)) << -d;
  }
}

TEST(Differencing, ExactCountsRevealEverySmallDifference) {
  const disclosure::Policy p = exact_policy();
  EXPECT_TRUE(disclosure::pair_reveals_difference(p, 400, 397));
  EXPECT_TRUE(disclosure::pair_reveals_difference(p, 90, 92));
  EXPECT_FALSE(disclosure::pair_reveals_difference(p, 400, 400));
  EXPECT_FALSE(disclosure::pair_reveals_difference(p, 400, 390));
  // A small count is withheld anyway, and the audit protects it.
  EXPECT_FALSE(disclosure::pair_reveals_difference(p, 10, 5));
}

TEST(Differencing, RoundedCountsRevealSmallDifferencesToo) {
  // Rounded to 5, two figures alone leave a difference 9 values wide; the tables' equations
  // narrow that (RandomPairsGiveNoSmallDifferenceAway found [-8, -1]), so the rule does not rely
  // on rounding.
  const disclosure::Policy p;
  for (std::int64_t a = 8; a < 200; ++a)
    for (std::int64_t d = -7; d <= 7; ++d)
      if (a - d >= 8) {
        EXPECT_EQ(disclosure::pair_reveals_difference(p, a, a - d), d != 0) << a << " " << d;
      }
}

TEST_F(LinkSensitivityTest, TheDifferencingAttackFindsNoSmallDifference) {
  for (const auto& policy : {disclosure::Policy{}, exact_policy(), unrounded_policy()}) {
    SCOPED_TRACE(policy.describe());
    const ReleaseValues release = publish_both(policy, true);
    const auto leaks = leaked_differences(release, policy);
    EXPECT_TRUE(leaks.empty()) << leaks.size() << " leaked, first " << leaks.front();
    EXPECT_EQ(release.audit.unprotected, 0u);
  }
}

TEST_F(LinkSensitivityTest, WithoutThePairingRuleTheAttackSucceeds) {
  for (const auto& policy : {exact_policy(), unrounded_policy()}) {
    SCOPED_TRACE(policy.describe());
    const auto leaks = leaked_differences(publish_both(policy, false), policy);
    EXPECT_FALSE(leaks.empty()) << "the crafted figures should give small differences away when unpaired";
  }
}

// The strong-links figures are audited with the all-links ones, so which all-links cells are
// withheld may change (a strong-links series equal to an all-links one is one unknown of the
// audit); a number published either way is the same number.
TEST_F(LinkSensitivityTest, TheAllLinksNumbersAreTheSameWithOrWithoutThePair) {
  for (const auto& policy : {disclosure::Policy{}, exact_policy()}) {
    DefinitionCounts a{"hand", &all_, {}, ""};
    a.statistics.sii_repetitions = 1000;
    PublishOptions o;
    o.policy = policy;
    const ReleaseValues alone = publish({a}, o);
    const ReleaseValues paired = publish_both(policy, true);
    const auto& x = alone.definitions[0].measures[0].rows;
    const auto& y = paired.definitions[0].measures[0].rows;
    ASSERT_EQ(x.size(), y.size());
    std::size_t compared = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].group, y[i].group);
      for (const auto& [p, q] : {std::pair{x[i].numerator, y[i].numerator}, std::pair{x[i].denominator, y[i].denominator}})
        if (!p.withheld() && !q.withheld()) {
          EXPECT_EQ(p.shown, q.shown) << x[i].group;
          ++compared;
        }
    }
    EXPECT_GE(compared, 8u);
  }
}

TEST_F(LinkSensitivityTest, ExactCountsWithholdTheStrongFigureOfASmallDifference) {
  const ReleaseValues release = publish_both(exact_policy(), true);
  EXPECT_GT(release.audit.withheld_pairs, 0u);
  const auto rows = link_sensitivity_rows(release.definitions[0], release.definitions[1]);
  for (const auto& r : rows) {
    SCOPED_TRACE(r.group);
    // Wherever both figures are out, their difference is zero or not small.
    if (!r.numerator_difference_withheld()) {
      EXPECT_TRUE(disclosure::difference_publishable(exact_policy(), r.numerator_difference()));
    }
    if (!r.denominator_difference_withheld()) {
      EXPECT_TRUE(disclosure::difference_publishable(exact_policy(), r.denominator_difference()));
    }
  }
  // The whole ICS's numerator differs by 3: its strong figure is withheld; PCN A's by 0: shown.
  EXPECT_TRUE(rows[0].numerator_strong.withheld());
  EXPECT_FALSE(rows[1].numerator_strong.withheld());
  EXPECT_EQ(rows[1].numerator_difference(), 0);
}

// Random crafted pairs: 3 to 6 PCNs, each group's strong-links counts the all-links ones moved by
// 0 (most), by 1 to 7 either way, or by more; a group of nobody on the strong side is absent. The
// attack must find nothing with the rule, under all three policies, and must find small
// differences without it, under exact counts and under rounding alike.
TEST_F(LinkSensitivityTest, RandomPairsGiveNoSmallDifferenceAway) {
  std::mt19937_64 rng(16);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::size_t small_differences = 0, leaks_unpaired = 0, leaks_unpaired_rounded = 0;
  for (int round = 0; round < 40; ++round) {
    Side a{0, 0, {}}, b{0, 0, {}};
    const int groups = uniform(3, 6);
    for (int g = 0; g < groups; ++g) {
      const std::string name = "G" + std::to_string(g);
      const auto num = static_cast<std::uint64_t>(uniform(0, 80));
      const auto den = num + static_cast<std::uint64_t>(uniform(0, 120));
      const auto move = [&](std::uint64_t x) {
        const int kind = uniform(0, 9);
        const int by = kind < 5 ? 0 : kind < 8 ? uniform(1, 7) * (uniform(0, 1) ? 1 : -1) : uniform(8, 30);
        return static_cast<std::uint64_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(x) - by));
      };
      const std::uint64_t snum = move(num), sden = std::max(snum, move(den));
      a.groups.push_back({name, cell(num, den)});
      a.numerator_total += num;
      a.denominator_total += den;
      if (snum != 0 || sden != 0) b.groups.push_back({name, cell(snum, sden)});
      b.numerator_total += snum;
      b.denominator_total += sden;
    }
    fill(all_, a, "");
    fill(strong_, b, "");
    const auto d = static_cast<std::int64_t>(a.numerator_total) - static_cast<std::int64_t>(b.numerator_total);
    small_differences += !disclosure::difference_publishable(disclosure::Policy{}, d);
    for (const auto& policy : {disclosure::Policy{}, exact_policy(), unrounded_policy()}) {
      const auto leaks = leaked_differences(publish_both(policy, true), policy, a, b);
      EXPECT_TRUE(leaks.empty()) << "round " << round << ", " << policy.describe() << ": " << leaks.front();
    }
    leaks_unpaired += leaked_differences(publish_both(exact_policy(), false), exact_policy(), a, b).size();
    leaks_unpaired_rounded += leaked_differences(publish_both(disclosure::Policy{}, false), disclosure::Policy{}, a, b).size();
  }
  EXPECT_GT(small_differences, 3u) << "the rounds should have small whole-ICS differences";
  EXPECT_GT(leaks_unpaired, 10u) << "without the rule the attack should succeed";
  // Rounding alone does not stop it: the tables' equations narrow the rounded figures.
  EXPECT_GT(leaks_unpaired_rounded, 0u) << "without the rule the attack should succeed on rounded figures too";
}

TEST_F(LinkSensitivityTest, TheCsvHasOneRowPerPublishedValueAndAbsentGroupsCountNobody) {
  const ReleaseValues release = publish_both(disclosure::Policy{}, true);
  const std::string csv = linkage_sensitivity_csv("hand", 0.9, link_sensitivity_rows(release.definitions[0], release.definitions[1]));
  // Rounded to 5. The numerators of the whole ICS (400 and 397), PCN B (100 and 95) and PCN D (90
  // and 92) differ by 1 to 7: their strong-links figures are withheld, and with them the values
  // and differences. The denominators differ by 19 and 10: published (1009 -> 1010, 990). PCN C's
  // 9 people (all linked weakly) are nobody with strong links.
  EXPECT_EQ(csv,
            "definition,measure,interval_start,interval_end,breakdown,group,min_link_probability,value_all_links,"
            "value_strong_links,value_difference,numerator_all_links,numerator_strong_links,numerator_difference,"
            "denominator_all_links,denominator_strong_links,denominator_difference,statistic\n"
            "hand,admitted,2025-01-01,2025-01-31,all,all,0.9,39.603960,[c],[c],400,[c],[c],1010,990,20,proportion per 100\n"
            "hand,admitted,2025-01-01,2025-01-31,pcn,A,0.9,48.000000,48.000000,0.000000,120,120,0,250,250,0,proportion per 100\n"
            "hand,admitted,2025-01-01,2025-01-31,pcn,B,0.9,40.000000,[c],[c],100,[c],[c],250,240,10,proportion per 100\n"
            "hand,admitted,2025-01-01,2025-01-31,pcn,C,0.9,0.000000,,,0,0,0,10,0,10,proportion per 100\n"
            "hand,admitted,2025-01-01,2025-01-31,pcn,D,0.9,36.000000,[c],[c],90,[c],[c],250,250,0,proportion per 100\n"
            "hand,admitted,2025-01-01,2025-01-31,pcn,E,0.9,36.000000,36.000000,0.000000,90,90,0,250,250,0,proportion per 100\n");
}

}  // namespace
}  // namespace severn::measures
