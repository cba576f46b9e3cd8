// Property test of a whole release: random populations counted into random tables that share
// denominators, nest (a child breakdown within a parent one), and add up (a register split in two
// by a condition), as measure sets in definitions do. Each release is put through
// disclosure::control under both policies, and an independent attacker (attacker.h), who knows
// how the tables relate from the "definitions" alone, must not narrow any withheld count below the
// protection rule. A negative control shows the attacker does find what an unaudited release
// gives away.
#include <gtest/gtest.h>

#include <random>

#include "attacker.h"
#include "disclosure/release.h"

namespace severn::disclosure {
namespace {

// One random "definition": people with a parent group, a child group nested in it, an
// independent group, and three conditions.
struct Person {
  int parent, child, other;
  bool register_, split, outcome;
};

struct Spec {
  // Series, by what they count: "den:all", "den:reg", "den:reg-a", "den:reg-b" and numerators
  // "num:<den>" = den and outcome. reg = reg-a + reg-b (split). A second measure shares den:reg.
  std::vector<std::string> names;
};

struct Built {
  Release release;
  // Per series: its name (the attacker's view of what it counts) and interval.
  std::vector<std::string> name;
  std::vector<int> interval;
  int children_per_parent = 0;
};

bool counts(const std::string& name, const Person& p) {
  const std::string den = name.substr(4);
  bool in = den == "all" || (p.register_ && (den == "reg" || (den == "reg-a" && !p.split) || (den == "reg-b" && p.split)));
  if (name.rfind("num:", 0) == 0) in = in && p.outcome;
  return in;
}

Built random_release(std::mt19937_64& rng) {
  Built b;
  std::uniform_int_distribution<int> people_d(15, 400), parents_d(2, 3), children_d(1, 3), others_d(2, 5), intervals_d(1, 2);
  std::uniform_real_distribution<double> u(0, 1);
  const int parents = parents_d(rng), children = children_d(rng), others = others_d(rng);
  b.children_per_parent = children;
  const double p_reg = 0.05 + 0.5 * u(rng), p_split = 0.1 + 0.6 * u(rng), p_out = 0.05 + 0.8 * u(rng);
  // Series kinds: denominators and numerators of four measures, the second sharing the first's
  // denominator (two measures on one register).
  const std::vector<std::string> kinds = {"den:all", "num:all", "den:reg", "num:reg", "den:reg-a", "num:reg-a",
                                          "den:reg-b", "num:reg-b", "den:reg#2", "num:reg#2"};
  const int intervals = intervals_d(rng);
  for (int k = 0; k < intervals; ++k) {
    const int n = people_d(rng);
    std::vector<Person> people;
    for (int i = 0; i < n; ++i) {
      Person p;
      p.parent = static_cast<int>(u(rng) * parents);
      p.child = p.parent * children + static_cast<int>(u(rng) * children);
      p.other = static_cast<int>(u(rng) * u(rng) * others);  // skewed: some small groups
      p.register_ = u(rng) < p_reg;
      p.split = u(rng) < p_split;
      p.outcome = u(rng) < p_out;
      people.push_back(p);
    }
    const std::string interval = "2024-0" + std::to_string(k + 1);
    for (const auto& kind : kinds) {
      const std::string name = kind.substr(0, kind.find('#'));
      Series s;
      s.meaning = name;  // equal meanings: the shared denominator, and a numerator over it
      s.interval = interval;
      s.label = kind;
      const auto tally = [&](const char* breakdown, auto key) {
        std::map<int, std::int64_t> c;
        for (const auto& p : people)
          if (counts("den:" + name.substr(4), p)) c[key(p)] += counts(name, p) ? 1 : 0;
        SeriesBreakdown bd{breakdown, {}};
        for (const auto& [g, count] : c) bd.groups.push_back({std::to_string(g), count});
        s.breakdowns.push_back(bd);
      };
      for (const auto& p : people) s.total += counts(name, p) ? 1 : 0;
      // Groups with nobody in the denominator are not published at all (as `severn run` does).
      tally("parent", [](const Person& p) { return p.parent; });
      tally("child", [](const Person& p) { return p.child; });
      tally("other", [](const Person& p) { return p.other; });
      b.release.series.push_back(std::move(s));
      b.name.push_back(kind);
      b.interval.push_back(k);
    }
    // Numerators lie within their denominators.
    const std::size_t first = b.release.series.size() - kinds.size();
    for (std::size_t i = 0; i < kinds.size(); i += 2) b.release.series[first + i + 1].within = static_cast<std::ptrdiff_t>(first + i);
  }
  Nesting n{"child", "parent", {}};
  for (int c = 0; c < parents * children; ++c) n.parent_of[std::to_string(c)] = std::to_string(c / children);
  b.release.nestings.push_back(n);
  return b;
}

// The attacker's problem: published counts, the definitions' identities (shared denominators are
// one count, reg = reg-a + reg-b for denominators and numerators, numerators within
// denominators), breakdown sums and the public child-in-parent map.
attack::Problem attacker_view(const Built& b, const ReleaseDecision& d, const Policy& policy) {
  attack::Problem p;
  attack::Published pub{policy.rounding_base(), policy.redact_min, policy.redact_max, policy.midpoint};
  const auto cell = [&](std::size_t s, const std::string& breakdown, const std::string& group) {
    // The attacker names a cell by what it counts, so shared series name the same cell.
    const std::string& kind = b.name[s];
    return kind.substr(0, kind.find('#')) + "/" + std::to_string(b.interval[s]) + "/" + breakdown + "/" + group;
  };
  std::map<std::string, std::vector<std::string>> labels_of;  // breakdown -> every label seen
  for (std::size_t s = 0; s < b.release.series.size(); ++s) {
    const Series& ser = b.release.series[s];
    const SeriesDecision& sd = d.series[s];
    const std::string total = cell(s, "all", "all");
    if (sd.total.withheld()) p.withheld(total);
    else p.published(total, sd.total.shown, pub);
    for (std::size_t k = 0; k < ser.breakdowns.size(); ++k) {
      std::vector<std::pair<std::string, double>> sum{{total, 1}};
      for (std::size_t g = 0; g < ser.breakdowns[k].groups.size(); ++g) {
        const std::string c = cell(s, ser.breakdowns[k].name, ser.breakdowns[k].groups[g].label);
        if (sd.groups[k][g].withheld()) p.withheld(c);
        else p.published(c, sd.groups[k][g].shown, pub);
        sum.push_back({c, -1});
        labels_of[ser.breakdowns[k].name].push_back(ser.breakdowns[k].groups[g].label);
      }
      p.equation(sum);
    }
  }
  const int intervals = b.interval.empty() ? 0 : b.interval.back() + 1;
  const std::vector<std::string> names = {"den:all", "num:all", "den:reg", "num:reg", "den:reg-a", "num:reg-a", "den:reg-b", "num:reg-b"};
  std::vector<std::pair<std::string, std::string>> cells{{"all", "all"}};
  for (const auto& [breakdown, labels] : labels_of)
    for (const auto& l : labels) cells.push_back({breakdown, l});
  const auto at = [&](const std::string& name, int k, const std::pair<std::string, std::string>& c) {
    const std::string key = name + "/" + std::to_string(k) + "/" + c.first + "/" + c.second;
    if (!p.known(key)) p.zero(key);  // a group not published in that table counts nobody
    return key;
  };
  for (int k = 0; k < intervals; ++k)
    for (const auto& c : cells) {
      for (const char* kind : {"den:", "num:"}) {
        const std::string K(kind);
        p.equation({{at(K + "reg", k, c), 1}, {at(K + "reg-a", k, c), -1}, {at(K + "reg-b", k, c), -1}});
      }
      for (const char* den : {"all", "reg", "reg-a", "reg-b"})
        p.at_most_zero({{at(std::string("num:") + den, k, c), 1}, {at(std::string("den:") + den, k, c), -1}});
      // Everyone on the register is someone; a register's numerator is within everyone's.
      p.at_most_zero({{at("den:reg", k, c), 1}, {at("den:all", k, c), -1}});
      p.at_most_zero({{at("num:reg", k, c), 1}, {at("num:all", k, c), -1}});
    }
  // Each parent is the sum of its children, in every table.
  for (std::size_t s = 0; s < b.release.series.size(); ++s) {
    const std::string& kind = b.name[s];
    if (kind.find('#') != std::string::npos) continue;
    for (const auto& parent_label : labels_of["parent"]) {
      const int parent = std::stoi(parent_label);
      std::vector<std::pair<std::string, double>> eq{{at(kind, b.interval[s], {"parent", parent_label}), 1}};
      for (int c = parent * b.children_per_parent; c < (parent + 1) * b.children_per_parent; ++c)
        eq.push_back({at(kind, b.interval[s], {"child", std::to_string(c)}), -1});
      p.equation(eq);
    }
  }
  return p;
}

struct Tally {
  int releases = 0, withheld = 0, broken = 0, extra = 0;
};

Tally attack_many(Mode mode, std::int64_t protection_width, int releases, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Tally t;
  Policy policy;
  policy.mode = mode;
  policy.protection_width = protection_width;
  for (int r = 0; r < releases; ++r) {
    const Built b = random_release(rng);
    const ReleaseDecision d = control(b.release, policy);
    attack::Problem p = attacker_view(b, d, policy);
    for (const auto& f : p.solve()) {
      ++t.withheld;
      if (attack::breaks(f, 8, 7)) {
        ++t.broken;
        if (protection_width >= 8)
          ADD_FAILURE() << "release " << r << ": " << f.cell << " narrowed to [" << f.lo << ", " << f.hi << "]";
      }
    }
    t.extra += static_cast<int>(d.audit.withheld_audit);
    ++t.releases;
  }
  return t;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr int kReleases = 8;  // the sanitised build is several times slower
#else
constexpr int kReleases = 40;
#endif

TEST(ReleaseAttack, RoundedReleasesGiveNoWithheldCountAway) {
  const Tally t = attack_many(Mode::kRounded, 8, kReleases, 11);
  std::printf("rounded: %d releases, %d withheld counts attacked, %d narrowed; %d withheld after the audit\n", t.releases,
              t.withheld, t.broken, t.extra);
  EXPECT_GT(t.withheld, kReleases);  // the test attacks something
  EXPECT_GT(t.extra, 0);             // and the audit had work to do
}

TEST(ReleaseAttack, SuppressedExactReleasesGiveNoWithheldCountAway) {
  const Tally t = attack_many(Mode::kSuppressedExact, 8, kReleases, 12);
  std::printf("suppressed-exact: %d releases, %d withheld counts attacked, %d narrowed; %d withheld after the audit\n",
              t.releases, t.withheld, t.broken, t.extra);
  EXPECT_GT(t.withheld, kReleases);
  EXPECT_GT(t.extra, 0);
}

TEST(ReleaseAttack, WithoutTheAuditTheAttackerSucceeds) {
  // Negative control: with the protection rule off (width 0, so the audit accepts anything) the
  // same attacker narrows counts, under both policies; the tests above would then fail.
  const Tally rounded = attack_many(Mode::kRounded, 0, kReleases / 2, 11);
  const Tally exact = attack_many(Mode::kSuppressedExact, 0, kReleases / 2, 12);
  EXPECT_GT(rounded.broken, 0);
  EXPECT_GT(exact.broken, 0);
}

}  // namespace
}  // namespace severn::disclosure
