#include "synth/population.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/error.h"
#include "core/nhs_number.h"
#include "core/rng.h"

namespace severn::synth {
namespace {

// Share of males by age, England and Wales mid-year estimates (rounded): near 51% in childhood,
// falling to about 30% at 90+ as women live longer.
double male_share(int age) {
  if (age < 20) return 0.512;
  if (age < 40) return 0.500;
  if (age < 60) return 0.494;
  if (age < 70) return 0.488;
  if (age < 80) return 0.470;
  if (age < 85) return 0.440;
  if (age < 90) return 0.390;
  return 0.300;
}

// Ethnic group shares (ONS 2001 16+1 letters) by local authority, approximating ONS Census 2021
// table TS021 for Shropshire and for Telford and Wrekin. A, B, C white; D-G mixed; H, J, K, L Asian;
// M, N, P Black; R Chinese; S any other.
struct EthnicMix {
  const char* letters;
  std::array<double, 16> share;
};
constexpr EthnicMix kShropshire{"ABCDEFGHJKLMNPRS",
                                {92.9, 0.4, 3.3, 0.3, 0.2, 0.5, 0.3, 0.4, 0.1, 0.2, 0.3, 0.1,
                                 0.15, 0.05, 0.3, 0.4}};
constexpr EthnicMix kTelford{"ABCDEFGHJKLMNPRS",
                             {84.9, 0.4, 3.6, 0.9, 0.3, 0.7, 0.6, 2.4, 1.3, 0.2, 1.1, 0.3, 1.3,
                              0.2, 0.3, 0.9}};

// Ethnic minority groups are more concentrated in deprived urban areas: odds multiplier per IMD
// decile step towards the most deprived (normalised within each local authority below).
constexpr double kMinorityDeprivationGradient = 0.15;

// Age at death for the deceased cohort: approximate shares of deaths in England and Wales by age.
struct AgeBand {
  int lo, hi;
  double share;
};
constexpr AgeBand kDeathAges[] = {{0, 0, 0.4},   {1, 14, 0.3},  {15, 44, 3.5}, {45, 64, 13.0},
                                  {65, 74, 15.0}, {75, 84, 26.0}, {85, 104, 41.8}};

// 90+ is one column in the source: spread it over single years 90..104 with a steep decline.
int spread_ninety_plus(Rng& rng) {
  int age = 90;
  while (age < 104 && rng.bernoulli(0.78)) ++age;
  return age;
}

Days birth_for_age(Rng& rng, int age, Days on) {
  // Uniform over the 365/366 days of birth that make `age` completed years on `on`.
  const Days latest = add_years(on, -age);
  const Days earliest = add_years(on, -(age + 1)) + 1;
  return static_cast<Days>(rng.between(earliest, latest));
}

}  // namespace

Population build_population(const SynthConfig& config, const refdata::Geography& geo,
                            const refdata::Organisations& org) {
  Population pop;
  const Days end = config.end_date, start = config.start_date();
  const auto alive = static_cast<std::size_t>(config.people);
  const auto dead = static_cast<std::size_t>(
      std::llround(static_cast<double>(config.people) * kCrudeDeathRate * config.years));
  const std::size_t total = alive + dead;

  // Where registered patients live, by PCN: rows of the LSOA x PCN table inside STW.
  std::vector<std::pair<int, std::string>> cells;
  std::vector<double> cell_weights;
  for (const auto& c : org.lsoa_pcn) {
    const int l = geo.index_of(c.lsoa_code);
    if (l < 0 || c.patients <= 0) continue;
    cells.emplace_back(l, c.pcn_code);
    cell_weights.push_back(c.patients);
  }
  if (cells.empty()) throw InputError("organisations/lsoa_pcn_patients_stw.csv: no STW LSOA rows");
  const AliasTable cell_table(cell_weights);

  std::map<std::string, std::vector<int>> practices_of_pcn;
  std::map<std::string, AliasTable> practice_table;
  for (std::size_t i = 0; i < org.practices.size(); ++i)
    practices_of_pcn[org.practices[i].pcn_code].push_back(static_cast<int>(i));
  for (auto& [pcn, list] : practices_of_pcn) {
    std::vector<double> w;
    for (int p : list) w.push_back(org.practices[static_cast<std::size_t>(p)].list_size);
    practice_table.emplace(pcn, AliasTable(w));
  }
  std::vector<double> all_practice_w;
  for (const auto& p : org.practices) all_practice_w.push_back(p.list_size);
  const AliasTable any_practice(all_practice_w);

  std::vector<AliasTable> age_table;
  for (const auto& l : geo.lsoas)
    age_table.emplace_back(std::span<const double>(l.population_by_age));

  // Ethnic minority normalisation: mean deprivation multiplier per LA over registered patients.
  std::map<std::string, std::pair<double, double>> la_norm;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const auto& l = geo.lsoas[static_cast<std::size_t>(cells[k].first)];
    auto& [sum_w, sum_wm] = la_norm[l.la_code];
    sum_w += cell_weights[k];
    sum_wm += cell_weights[k] * std::exp(kMinorityDeprivationGradient * (5.5 - l.imd_decile));
  }

  // NHS numbers: a seeded shuffle of every valid number in the 999 test range, except the
  // placeholder 9999999999 (ten identical digits), which ingest rightly refuses.
  std::vector<std::uint32_t> bases;
  bases.reserve(910000);
  for (std::uint32_t b = 999000000; b <= 999999999; ++b)
    if (nhs_check_digit(b) && make_nhs_number(b) != 9999999999ULL) bases.push_back(b);
  {
    Rng rng(config.seed, 0, "nhs-number-shuffle");
    for (std::size_t i = bases.size() - 1; i > 0; --i)
      std::swap(bases[i], bases[rng.below(i + 1)]);
  }
  if (total > bases.size()) throw InputError("too many people for the 999 NHS number test range");

  std::vector<double> death_w;
  for (const auto& b : kDeathAges) death_w.push_back(b.share);
  const AliasTable death_age(death_w);

  pop.people.resize(total);
  pop.alive = alive;
  for (std::size_t i = 0; i < total; ++i) {
    Person& p = pop.people[i];
    Rng rng(config.seed, i, "demographics");
    p.id = static_cast<std::uint32_t>(i);
    p.nhs_number = make_nhs_number(bases[i]);
    const auto& [lsoa, pcn] = cells[cell_table.draw(rng)];
    p.lsoa = static_cast<std::uint16_t>(lsoa);
    const auto& area = geo.lsoas[static_cast<std::size_t>(lsoa)];
    p.imd_decile = static_cast<std::uint8_t>(area.imd_decile);
    const auto& plist = practices_of_pcn.at(pcn);
    p.practice = static_cast<std::uint8_t>(plist[practice_table.at(pcn).draw(rng)]);

    int age;
    Days reference = end;
    if (i < alive) {
      age = static_cast<int>(age_table[static_cast<std::size_t>(lsoa)].draw(rng));
      if (age == 90) age = spread_ninety_plus(rng);
    } else {
      const auto& band = kDeathAges[death_age.draw(rng)];
      age = static_cast<int>(rng.between(band.lo, band.hi));
      p.death = static_cast<Days>(rng.between(start, end));
      reference = p.death;
    }
    p.birth = birth_for_age(rng, age, reference);
    if (p.death != kNoDate && p.death < p.birth) p.death = p.birth;
    p.sex = rng.bernoulli(male_share(age)) ? 'M' : 'F';

    const EthnicMix& mix = area.la_code == "E06000020" ? kTelford : kShropshire;
    const auto& [sw, swm] = la_norm[area.la_code];
    const double minority_mult =
        std::exp(kMinorityDeprivationGradient * (5.5 - area.imd_decile)) / (swm / sw);
    std::array<double, 16> w = mix.share;
    for (std::size_t k = 1; k < w.size(); ++k) w[k] *= minority_mult;
    w[0] = std::max(0.0, 100.0 - std::accumulate(w.begin() + 1, w.end(), 0.0));
    p.ethnicity = mix.letters[rng.weighted(w)];
    // About one GP record in sixteen has no ethnicity recorded.
    p.ethnicity_recorded = !rng.bernoulli(0.06);

    // Registration: most people have been with their practice for years; some joined during the
    // history, half of those moving from another STW practice.
    const Days last = p.last_day(end);
    if (rng.bernoulli(0.14)) {
      p.registered_from = static_cast<Days>(rng.between(std::max(start, p.birth), last));
      if (rng.bernoulli(0.5) && p.registered_from > p.birth + 365) {
        int prev = static_cast<int>(any_practice.draw(rng));
        if (prev == p.practice) prev = plist[0] == p.practice && plist.size() > 1 ? plist[1] : plist[0];
        if (prev != p.practice) p.previous_practice = static_cast<std::uint8_t>(prev);
      }
    } else {
      const double years_before = rng.exponential(12.0);
      p.registered_from = std::max(p.birth, static_cast<Days>(start - 1 - years_before * 365.25));
    }
  }
  return pop;
}

}  // namespace severn::synth
