#include "synth/households.h"

#include <algorithm>
#include <map>

#include "core/rng.h"
#include "synth/twins.h"

namespace severn::synth {
namespace {

constexpr Days kYear = 365;

// People pair up within their practice and naming heritage, so a household shares the outward
// code of its postcode and, mostly, family names of one heritage (names.cpp).
int heritage_group(char ethnicity) {
  switch (ethnicity) {
    case 'H': case 'J': case 'K': case 'L': return 1;  // South Asian
    case 'R': return 2;                                // Chinese
    default: return 0;
  }
}

// People of one practice and heritage group, sorted by date of birth.
struct Pool {
  std::vector<std::uint32_t> ids;
  std::vector<Days> births;
};
using PoolKey = std::pair<int, int>;  // practice, heritage group

std::map<PoolKey, Pool> pools_of(const std::vector<Person>& people, char sex) {
  std::map<PoolKey, std::vector<std::uint32_t>> ids;
  for (std::uint32_t i = 0; i < people.size(); ++i)
    if (people[i].sex == sex) ids[{people[i].practice, heritage_group(people[i].ethnicity)}].push_back(i);
  std::map<PoolKey, Pool> out;
  for (auto& [key, list] : ids) {
    std::sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
      return people[a].birth != people[b].birth ? people[a].birth < people[b].birth : a < b;
    });
    Pool& pool = out[key];
    pool.ids = std::move(list);
    for (std::uint32_t id : pool.ids) pool.births.push_back(people[id].birth);
  }
  return out;
}

// The person of `pool` born nearest to `target` (within `window` days) whom `acceptable` takes.
// Among the few nearest acceptable people, one from the same LSOA is preferred, so households
// mostly keep to one small area.
template <class Acceptable>
std::uint32_t nearest(const Pool& pool, Days target, Days window, std::uint16_t lsoa,
                      const std::vector<Person>& people, const Acceptable& acceptable) {
  constexpr int kConsidered = 8;
  std::uint32_t found[kConsidered];
  int n = 0;
  const auto& b = pool.births;
  std::ptrdiff_t right = std::lower_bound(b.begin(), b.end(), target) - b.begin();
  std::ptrdiff_t left = right - 1;
  const auto size = static_cast<std::ptrdiff_t>(b.size());
  while (n < kConsidered) {
    const bool left_ok = left >= 0 && target - b[static_cast<std::size_t>(left)] <= window;
    const bool right_ok = right < size && b[static_cast<std::size_t>(right)] - target <= window;
    if (!left_ok && !right_ok) break;
    const bool take_left =
        left_ok && (!right_ok || target - b[static_cast<std::size_t>(left)] <= b[static_cast<std::size_t>(right)] - target);
    const std::uint32_t id = pool.ids[static_cast<std::size_t>(take_left ? left-- : right++)];
    if (acceptable(id)) found[n++] = id;
  }
  for (int k = 0; k < n; ++k)
    if (people[found[k]].lsoa == lsoa) return found[k];
  return n > 0 ? found[0] : kNobody;
}

// Chance that a woman lives with a partner in the data, by her age at the end of her record.
// About half of adults in England live in a couple (ONS, Families and households); widowhood
// takes most partners after 75. A woman who took a married name is far likelier to live with her
// partner than one who did not; a partner may also be away, dead before the history, or
// registered elsewhere. Assumptions shaped on those figures, not fitted to them.
double partner_chance(int age, bool married_name) {
  const double by_age = age < 20 ? 0 : age < 25 ? 0.30 : age < 30 ? 0.60 : age < 65 ? 0.80
                        : age < 75 ? 0.75 : age < 85 ? 0.55 : 0.25;
  return by_age * (married_name ? 1.0 : 0.45);
}

// Chance that a family with this many children takes one more when a child looks for a mother
// already bringing up children. Shaped so that families with dependent children have one child
// about 45% of the time, two about 40% and three or more about 15%, roughly as ONS Families and
// households reports; an assumption, not a fit.
double grow_chance(int children) {
  switch (children) {
    case 1: return 1.0;
    case 2: return 0.3;
    case 3: return 0.15;
    default: return 0;
  }
}

struct Family {
  std::uint32_t mother;
  Days youngest;  // date of birth of her youngest child so far
  int children;
};

class Builder {
 public:
  Builder(const std::vector<Person>& people, const std::vector<std::uint8_t>& changed_name,
          const refdata::Organisations& organisations, const SynthConfig& config)
      : people_(people), changed_name_(changed_name), organisations_(organisations), config_(config) {
    out_.kin.resize(people.size());
    for (std::uint32_t i = 0; i < people.size(); ++i) out_.kin[i].household = i;
  }

  Households build() {
    twins();
    couples();
    children();
    adult_twins_together();
    return std::move(out_);
  }

 private:
  Days ref(std::uint32_t i) const { return people_[i].last_day(config_.end_date); }
  int age_at_ref(std::uint32_t i) const { return age_in_years(people_[i].birth, ref(i)); }

  void twins() {
    const TwinPairs pairs = pair_twins(people_, organisations_, config_);
    out_.summary.twin_pairs_expected = pairs.expected;
    for (const auto& [a, b] : pairs.pairs) {
      out_.kin[a].twin = b;
      out_.kin[b].twin = a;
      ++out_.summary.twin_pairs;
      out_.summary.twin_pairs_same_sex += people_[a].sex == people_[b].sex;
    }
  }

  // Women in a shuffled order each may find a man of about her age (husbands average a couple of
  // years older) in her practice and heritage group, both adults while both alive.
  void couples() {
    const auto men = pools_of(people_, 'M');
    std::vector<std::pair<std::uint64_t, std::uint32_t>> women;
    for (std::uint32_t i = 0; i < people_.size(); ++i)
      if (people_[i].sex == 'F' && age_at_ref(i) >= 20)
        women.emplace_back(Rng(config_.seed, i, "partner-order").next(), i);
    std::sort(women.begin(), women.end());
    std::vector<std::uint8_t> taken(people_.size(), 0);
    for (const auto& [order, w] : women) {
      Rng rng(config_.seed, w, "partner");
      if (!rng.bernoulli(partner_chance(age_at_ref(w), changed_name_[w]))) continue;
      const Person& her = people_[w];
      const auto pool = men.find({her.practice, heritage_group(her.ethnicity)});
      if (pool == men.end()) continue;
      const Days target = her.birth - static_cast<Days>(rng.normal(2.2, 3.5) * 365.25);
      const std::uint32_t m = nearest(pool->second, target, 4 * kYear, her.lsoa, people_, [&](std::uint32_t id) {
        if (taken[id]) return false;
        const Person& him = people_[id];
        // Both adults at some time when both were alive.
        return add_years(std::max(her.birth, him.birth), 18) < std::min(ref(w), ref(id));
      });
      if (m == kNobody) continue;
      taken[m] = 1;
      Kin& k = out_.kin[w];
      k.partner = m;
      k.household = m;
      k.role = HouseholdRole::kPartner;
      k.took_partner_name = changed_name_[w] != 0;
      out_.kin[m].partner = w;
      ++out_.summary.couples;
      out_.summary.couples_sharing_name += k.took_partner_name;
    }
  }

  // Children under 18, oldest first, join a mother already bringing up children (so siblings
  // arise) or find a new mother aged 18-45 at their birth; twins go together.
  void children() {
    const auto women = pools_of(people_, 'F');
    std::vector<std::uint32_t> kids;
    for (std::uint32_t i = 0; i < people_.size(); ++i)
      if (age_at_ref(i) < 18) kids.push_back(i);
    std::sort(kids.begin(), kids.end(), [&](std::uint32_t a, std::uint32_t b) {
      return people_[a].birth != people_[b].birth ? people_[a].birth < people_[b].birth : a < b;
    });
    std::vector<Family> families;
    std::map<PoolKey, std::vector<std::size_t>> families_of_pool;
    std::vector<std::uint8_t> is_mother(people_.size(), 0), done(people_.size(), 0);
    out_.summary.children = static_cast<std::int64_t>(kids.size());

    auto mother_fits = [&](std::uint32_t mum, std::uint32_t child) {
      const int age = age_in_years(people_[mum].birth, people_[child].birth);
      return age >= 18 && age <= 45 && ref(mum) >= ref(child);
    };
    for (const std::uint32_t c : kids) {
      if (done[c]) continue;
      done[c] = 1;
      const std::uint32_t twin = out_.kin[c].twin;
      if (twin != kNobody) done[twin] = 1;
      const Person& child = people_[c];
      Rng rng(config_.seed, c, "family");
      // Some children live with neither parent, or with a mother registered outside STW.
      if (!rng.bernoulli(0.92)) {
        if (twin != kNobody) live_with_twin(c, twin);
        continue;
      }
      const PoolKey key{child.practice, heritage_group(child.ethnicity)};
      std::size_t family = families.size();
      auto& known = families_of_pool[key];
      if (!known.empty() && rng.bernoulli(0.45)) {
        for (int probe = 0; probe < 48; ++probe) {
          const std::size_t f = known[rng.below(known.size())];
          const Family& fam = families[f];
          if (child.birth >= fam.youngest + 300 && child.birth <= fam.youngest + 8 * kYear && mother_fits(fam.mother, c) &&
              rng.bernoulli(grow_chance(fam.children))) {
            family = f;
            break;
          }
        }
      }
      if (family == families.size()) {
        const auto pool = women.find(key);
        if (pool == women.end()) continue;
        const double age = std::clamp(rng.normal(29.5, 5.5), 18.5, 44.0);
        const Days target = child.birth - static_cast<Days>(age * 365.25);
        const std::uint32_t mum = nearest(pool->second, target, 6 * kYear, child.lsoa, people_,
                                          [&](std::uint32_t id) { return !is_mother[id] && mother_fits(id, c); });
        if (mum == kNobody) {
          if (twin != kNobody) live_with_twin(c, twin);
          continue;
        }
        is_mother[mum] = 1;
        families.push_back({mum, child.birth, 0});
        known.push_back(family);
      }
      place(c, families[family]);
      if (twin != kNobody) place(twin, families[family]);
    }
    for (const Family& f : families)
      if (f.children >= 2) out_.summary.children_with_sibling += f.children;
  }

  // A child carries the family name of the mother's partner when he was alive around the birth,
  // otherwise the mother's, and lives in her household.
  void place(std::uint32_t c, Family& family) {
    const std::uint32_t mum = family.mother;
    const std::uint32_t father = out_.kin[mum].partner;
    const bool father_there = father != kNobody && ref(father) >= people_[c].birth - 280;
    Kin& k = out_.kin[c];
    k.name_parent = father_there ? father : mum;
    k.household = out_.kin[mum].household;
    k.role = HouseholdRole::kChild;
    family.youngest = std::max(family.youngest, people_[c].birth);
    ++family.children;
    ++out_.summary.children_with_mother;
  }

  void live_with_twin(std::uint32_t first, std::uint32_t second) {
    const std::uint32_t head = std::min(first, second), other = std::max(first, second);
    out_.kin[other].household = head;
    out_.kin[other].role = HouseholdRole::kTwin;
  }

  // Young adult twins (18-24) who live alone, with no partner and no children, share a home.
  void adult_twins_together() {
    std::vector<std::uint8_t> heads_others(people_.size(), 0);
    for (std::uint32_t i = 0; i < people_.size(); ++i)
      if (out_.kin[i].household != i) heads_others[out_.kin[i].household] = 1;
    for (std::uint32_t a = 0; a < people_.size(); ++a) {
      const std::uint32_t b = out_.kin[a].twin;
      if (b == kNobody || b < a) continue;
      const auto alone = [&](std::uint32_t i) {
        const Kin& k = out_.kin[i];
        return k.household == i && !heads_others[i] && k.role == HouseholdRole::kHead && age_at_ref(i) >= 18 &&
               age_at_ref(i) < 25;
      };
      if (!alone(a) || !alone(b)) continue;
      live_with_twin(a, b);
      ++out_.summary.adult_twins_together;
    }
  }

  const std::vector<Person>& people_;
  const std::vector<std::uint8_t>& changed_name_;
  const refdata::Organisations& organisations_;
  const SynthConfig& config_;
  Households out_;
};

}  // namespace

const char* household_role_name(HouseholdRole role) {
  switch (role) {
    case HouseholdRole::kHead: return "head";
    case HouseholdRole::kPartner: return "partner";
    case HouseholdRole::kChild: return "child";
    case HouseholdRole::kTwin: return "twin";
  }
  return "?";
}

Households build_households(const std::vector<Person>& people, const std::vector<std::uint8_t>& changed_name,
                            const refdata::Organisations& organisations, const SynthConfig& config) {
  return Builder(people, changed_name, organisations, config).build();
}

}  // namespace severn::synth
