#include "synth/twins.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>

#include "core/rng.h"

namespace severn::synth {
namespace {

struct YearRate {
  int year;
  double per_1000;
};

// Multiple maternities (twins and more) per 1,000 women giving birth, England and Wales:
//  * 9.6 in 1976, 15.7 in 2010, 16.1 in 2011 (ONS, Births in England and Wales by
//    Characteristics of Birth 2, 2011, as reported in February 2013);
//  * 15.9 in 2012 (ONS, Characteristics of Birth 2, 2012, published 21 November 2013);
//  * 15.6 in 2013 (ONS, Characteristics of Birth 2, 2013, published 17 November 2014);
//  * 12.5 in 1992 and 15 in 2002 (ONS figures reported by BBC News, 17 February 2004);
//  * 14.5 in 1999 and about 10 (1 in 100) in 1982 (National Statistics figures quoted by Curtin
//    University's Twins and Multiples pages);
//  * 14.8 in 2001 (ONS, quoted with the 2011 figure);
//  * 13.7 in 2021 and 14.6 in 2022 (ONS birth characteristics, as summarised with the ONS
//    series in Google Dataset Search).
// Before 1976: the rate had fallen since the early 1950s (Botting, Macdonald Davies and
// Macfarlane, Arch Dis Child 1987;62:941); 12.0 up to 1955 is an assumption, not a figure.
// Years between figures are interpolated; later years take the 2022 figure.
constexpr std::array<YearRate, 13> kRates{{{1955, 12.0}, {1976, 9.6}, {1982, 10.0}, {1992, 12.5},
                                           {1999, 14.5}, {2001, 14.8}, {2002, 15.0}, {2010, 15.7},
                                           {2011, 16.1}, {2012, 15.9}, {2013, 15.6}, {2021, 13.7},
                                           {2022, 14.6}}};

// Two thirds of twin pairs are the same sex: identical twins (about a third of pairs) always
// are, and fraternal twins half the time (Weinberg's differential rule).
constexpr double kSameSexShare = 2.0 / 3.0;

struct Candidate {
  int year;
  bool same_sex;
  double key;  // random, plus 1 within a practice: larger keys are taken first
  std::uint32_t a, b;
};

}  // namespace

double multiple_maternity_rate(int birth_year) {
  if (birth_year <= kRates.front().year) return kRates.front().per_1000;
  for (std::size_t k = 1; k < kRates.size(); ++k) {
    if (birth_year > kRates[k].year) continue;
    const auto& lo = kRates[k - 1];
    const auto& hi = kRates[k];
    return lo.per_1000 + (hi.per_1000 - lo.per_1000) * (birth_year - lo.year) / (hi.year - lo.year);
  }
  return kRates.back().per_1000;
}

TwinPairs pair_twins(const std::vector<Person>& people, const refdata::Organisations& organisations,
                     const SynthConfig& config) {
  TwinPairs out;
  // Pairs wanted per year of birth: among n people born in a year with t twin maternities per
  // maternity, n = M(1 + t) for M maternities, so there are n t / (1 + t) twin pairs.
  std::map<int, double> wanted;
  for (const Person& p : people) {
    const double t = multiple_maternity_rate(civil_from_days(p.birth).year) / 1000.0;
    wanted[civil_from_days(p.birth).year] += t / (1.0 + t);
  }
  for (const auto& [year, w] : wanted) out.expected += w;

  // The network of each practice (a practice in none is its own).
  std::map<std::string, int> network_ids;
  std::vector<int> network(organisations.practices.size());
  for (std::size_t i = 0; i < network.size(); ++i) {
    const auto& pr = organisations.practices[i];
    const std::string key = pr.pcn_code == "U" ? "practice " + pr.code : pr.pcn_code;
    network[i] = network_ids.emplace(key, static_cast<int>(network_ids.size())).first->second;
  }
  auto network_of = [&](std::uint32_t x) { return network[people[x].practice]; };

  // Candidates: every pair with the same network, date of birth and ethnic category.
  std::vector<std::uint32_t> order(people.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  auto same_group = [&](std::uint32_t x, std::uint32_t y) {
    return network_of(x) == network_of(y) && people[x].birth == people[y].birth &&
           people[x].ethnicity == people[y].ethnicity;
  };
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (network_of(x) != network_of(y)) return network_of(x) < network_of(y);
    const Person& a = people[x];
    const Person& b = people[y];
    if (a.birth != b.birth) return a.birth < b.birth;
    if (a.ethnicity != b.ethnicity) return a.ethnicity < b.ethnicity;
    return x < y;
  });
  std::vector<Candidate> candidates;
  for (std::size_t s = 0; s < order.size();) {
    std::size_t e = s + 1;
    while (e < order.size() && same_group(order[s], order[e])) ++e;
    for (std::size_t i = s; i < e; ++i)
      for (std::size_t j = i + 1; j < e; ++j) {
        const std::uint32_t a = std::min(order[i], order[j]), b = std::max(order[i], order[j]);
        Rng rng(config.seed, (static_cast<std::uint64_t>(a) << 32) | b, "twin-candidate");
        // Keys of pairs within a practice are above 1, so they all come before the others.
        const double tier = people[a].practice == people[b].practice ? 1.0 : 0.0;
        candidates.push_back({civil_from_days(people[a].birth).year, people[a].sex == people[b].sex,
                              tier + rng.uniform(), a, b});
      }
    s = e;
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.year != y.year) return x.year < y.year;
    if (x.same_sex != y.same_sex) return x.same_sex;
    if (x.key != y.key) return x.key > y.key;
    return x.a < y.a || (x.a == y.a && x.b < y.b);
  });

  // Each year takes its wanted number of same-sex and of opposite-sex pairs (rounded at random,
  // so small years are not always zero), best keys first, never putting a person in two pairs.
  std::vector<std::uint8_t> paired(people.size(), 0);
  auto take_pairs = [&](std::size_t from, std::size_t to, double wanted_pairs, Rng& rng) {
    auto take = static_cast<std::int64_t>(std::floor(wanted_pairs)) +
                (rng.bernoulli(wanted_pairs - std::floor(wanted_pairs)) ? 1 : 0);
    for (std::size_t k = from; k < to && take > 0; ++k) {
      const auto& c = candidates[k];
      if (paired[c.a] || paired[c.b]) continue;
      paired[c.a] = paired[c.b] = 1;
      out.pairs.emplace_back(c.a, c.b);
      --take;
    }
  };
  for (std::size_t s = 0; s < candidates.size();) {
    const int year = candidates[s].year;
    std::size_t split = s, e = s;
    while (split < candidates.size() && candidates[split].year == year && candidates[split].same_sex) ++split;
    e = split;
    while (e < candidates.size() && candidates[e].year == year) ++e;
    Rng rng(config.seed, static_cast<std::uint64_t>(year + 10000), "twin-count");
    take_pairs(s, split, wanted[year] * kSameSexShare, rng);
    take_pairs(split, e, wanted[year] * (1 - kSameSexShare), rng);
    s = e;
  }
  std::sort(out.pairs.begin(), out.pairs.end());
  return out;
}

}  // namespace severn::synth
