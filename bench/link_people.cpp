// Synthetic person records for the linkage benchmark (bench/run_link_bench.sh): two files of
// NHS-style identity records, left.csv (N people) and right.csv (N records: `overlap` of them the
// same people re-recorded with realistic errors, the rest other people), and truth.csv (id,
// person) for both. Deterministic per seed: each person draws from its own random stream.
//
//   link_people --people 1000000 --seed 1 --overlap 0.8 --out DIR
//
// Names: given names from resources/names (ONS rankings, weights summed over decades); surnames:
// the ONS head list of resources/names followed by a long Zipf tail of made-up surnames, so
// that, as in England, a few names are very common and most are rare. Postcodes are UK-shaped
// (area, district, sector, unit) with about 25 people each. NHS numbers have valid check digits
// and come from the 999 test range (see make_person for who has none). The error
// rates (in rerecord) are set to be harsh, so that linkage is tested where it is hard: 20% of
// right-hand records lack an NHS number.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "core/embedded.h"
#include "core/nhs_number.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace {

using severn::AliasTable;
using severn::CsvTable;
using severn::Rng;

struct Pool {
  std::vector<std::string> names;
  AliasTable table;
  void build(const std::vector<double>& weights) { table = AliasTable(weights); }
  const std::string& draw(Rng& rng) const { return names[table.draw(rng)]; }
};

CsvTable embedded_csv(const char* path) {
  const auto bytes = severn::embedded::find(path);
  if (!bytes) throw std::runtime_error(std::string("not embedded: ") + path);
  return CsvTable::parse(*bytes, path);
}

std::string upper_first(std::string s) {
  for (std::size_t i = 1; i < s.size(); ++i) s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

struct Pools {
  Pool given[2];  // F, M
  Pool surnames;
  std::unordered_map<std::string, std::vector<std::string>> nicknames;  // upper-case name -> nicknames
  std::vector<std::string> areas = {"SY", "TF", "WR", "HR", "ST", "WV", "B", "DY", "CW", "LL", "LD", "CH", "M", "WS", "SK"};
};

Pools load_pools() {
  Pools p;
  std::map<std::string, double> given[2];
  const CsvTable g = embedded_csv("names/given_names.csv");
  for (std::size_t r = 0; r < g.rows(); ++r) given[g.cell(r, "sex") == "M" ? 1 : 0][g.cell(r, "name")] += g.get_double(r, g.column("weight"));
  for (int s = 0; s < 2; ++s) {
    std::vector<double> w;
    for (const auto& [name, weight] : given[s]) p.given[s].names.push_back(name), w.push_back(weight);
    p.given[s].build(w);
  }
  // Surnames: the real head (ONS order; Smith about 0.9% of people) takes about a quarter of
  // people; a Zipf-like tail of 60,000 made-up names (weight 1 / (rank + 100)) takes the rest, so
  // no made-up name is commoner than about 0.1%.
  std::vector<double> w;
  const CsvTable f = embedded_csv("names/family_names.csv");
  const CsvTable h = embedded_csv("names/heritage_family_names.csv");
  for (std::size_t r = 0; r < f.rows(); ++r) p.surnames.names.push_back(f.cell(r, "name")), w.push_back(f.get_double(r, 1) * 3.0);
  for (std::size_t r = 0; r < h.rows(); ++r) p.surnames.names.push_back(h.cell(r, "name")), w.push_back(h.get_double(r, 2) * 0.5);
  const char* onsets[] = {"B", "Br", "C", "Ch", "D", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Sh", "St", "T", "Th", "W", "Wh"};
  const char* vowels[] = {"a", "e", "i", "o", "u", "ea", "ou", "ai"};
  const char* codas[] = {"ton", "ley", "ford", "wood", "by", "well", "ham", "more", "field", "land", "er", "son", "ridge", "ling"};
  Rng rng(7, 0, "surname tail");
  for (int k = 1; k <= 60000; ++k) {
    std::string s = std::string(onsets[rng.below(22)]) + vowels[rng.below(8)];
    if (rng.bernoulli(0.5)) s += std::string(1, "lmnrst"[rng.below(6)]) + vowels[rng.below(8)];
    s += codas[rng.below(14)];
    p.surnames.names.push_back(s);
    w.push_back(2000.0 / (k + 100));
  }
  p.surnames.build(w);
  const CsvTable n = embedded_csv("identity/nicknames.csv");
  for (std::size_t r = 0; r < n.rows(); ++r) {
    std::string a = n.cell(r, "name1"), b = n.cell(r, "name2");
    for (char& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    p.nicknames[a].push_back(upper_first(b));
  }
  return p;
}

struct Person {
  std::string nhs, first, surname, dob, sex, postcode;
};

std::string postcode(Rng& rng, const Pools& p, std::uint64_t postcodes) {
  // A person's postcode is one of `postcodes` fixed units, drawn uniformly.
  const std::uint64_t k = rng.below(postcodes);
  Rng unit(99, k, "postcode unit");
  const std::string& area = p.areas[unit.below(p.areas.size())];
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%d %d%c%c", area.c_str(), 1 + static_cast<int>(unit.below(20)), static_cast<int>(unit.below(10)),
                "ABDEFGHJLNPQRSTUWXYZ"[unit.below(20)], "ABDEFGHJLNPQRSTUWXYZ"[unit.below(20)]);
  return buf;
}

Person make_person(std::uint64_t index, std::uint64_t seed, const Pools& p, std::uint64_t postcodes) {
  Rng rng(seed, index, "person");
  Person x;
  // NHS numbers come from the 999 test range only (999 000 000 0 to 999 999 999 9), which holds
  // one million nine-digit stems: index * 7919 mod 1e6 spreads the people over them (7919 is
  // prime, so this is a bijection on indexes below a million). A stem whose check digit would be
  // 10 is never issued, so 1 in 11 people have no NHS number, like unregistered people; so do
  // people whose index is a million or more (only the right-hand newcomers of the largest runs).
  if (index < 1000000u) {
    const auto stem = static_cast<std::uint32_t>(999000000u + index * 7919u % 1000000u);
    if (severn::nhs_check_digit(stem)) x.nhs = std::to_string(severn::make_nhs_number(stem));
  }
  const int sex = rng.bernoulli(0.5) ? 1 : 0;
  x.sex = sex ? "M" : "F";
  x.first = p.given[sex].draw(rng);
  x.surname = p.surnames.draw(rng);
  const severn::Days born = severn::days_from_civil(1925, 1, 1) + static_cast<severn::Days>(rng.below(36500));
  x.dob = severn::format_iso_date(born);
  x.postcode = postcode(rng, p, postcodes);
  return x;
}

std::string typo(std::string s, Rng& rng) {
  if (s.size() < 3) return s;
  const std::size_t i = 1 + rng.below(s.size() - 2);
  switch (rng.below(4)) {
    case 0: s[i] = static_cast<char>('a' + rng.below(26)); break;           // substitution
    case 1: s.erase(i, 1); break;                                             // deletion
    case 2: s.insert(i, 1, static_cast<char>('a' + rng.below(26))); break;  // insertion
    default: std::swap(s[i], s[i + 1 < s.size() ? i + 1 : i - 1]); break;   // transposition
  }
  return s;
}

std::string nhs_typo(std::string s, Rng& rng) {
  const std::size_t i = 3 + rng.below(6);  // keep the 999 prefix: a typo stays in the test range
  if (rng.bernoulli(0.5)) std::swap(s[i], s[i + 1]);
  else s[i] = static_cast<char>('0' + (s[i] - '0' + 1 + rng.below(9)) % 10);
  return s;
}

struct Row {
  std::string id;
  Person x;
  std::string previous_surname, previous_postcode;
};

// The person re-recorded by another organisation, with errors. Rates per record.
Row rerecord(const Person& original, std::uint64_t index, std::uint64_t seed, const Pools& p, std::uint64_t postcodes) {
  Rng rng(seed, index, "rerecord");
  Row r;
  r.x = original;
  Person& x = r.x;
  const double u = rng.uniform();
  if (u < 0.20) x.nhs.clear();                                        // no NHS number (20%)
  else if (u < 0.22 && !x.nhs.empty()) x.nhs = nhs_typo(x.nhs, rng);   // mistyped (2%)
  double v = rng.uniform();
  if (v < 0.05) {                                        // a nickname (5% where the table has one)
    std::string key = x.first;
    for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto it = p.nicknames.find(key);
    if (it != p.nicknames.end()) x.first = it->second[rng.below(it->second.size())];
  } else if (v < 0.09) {
    x.first = typo(x.first, rng);                        // typo (4%)
  } else if (v < 0.10) {
    x.first.clear();                                     // missing (1%)
  }
  v = rng.uniform();
  if (v < 0.04) {
    x.surname = typo(x.surname, rng);                    // typo (4%)
  } else if (v < 0.07 && x.sex == "F") {
    r.previous_surname = x.surname;                      // married: new surname, old one kept (3% of women)
    x.surname = p.surnames.draw(rng);
  } else if (v < 0.08) {
    x.surname = x.surname + "-" + p.surnames.draw(rng);  // double-barrelled (1%)
  }
  if (rng.bernoulli(0.01)) std::swap(x.first, x.surname);  // given and family name swapped (1%)
  v = rng.uniform();
  const auto d = *severn::parse_iso_date(x.dob);
  const severn::CivilDate c = severn::civil_from_days(d);
  if (v < 0.01 && c.day <= 12 && c.day != c.month) x.dob = severn::format_iso_date(severn::days_from_civil(c.year, c.day, c.month));
  else if (v < 0.02) x.dob = severn::format_iso_date(d + (rng.bernoulli(0.5) ? 1 : -1));
  else if (v < 0.03) x.dob = severn::format_iso_date(severn::add_years(d, rng.bernoulli(0.5) ? 1 : -1));
  else if (v < 0.04) x.dob.clear();
  v = rng.uniform();
  if (v < 0.10) {
    r.previous_postcode = x.postcode;                    // moved house (10%), previous address known
    x.postcode = postcode(rng, p, postcodes);
  } else if (v < 0.12) {
    x.postcode.clear();                                  // missing (2%)
  }
  if (rng.bernoulli(0.01)) x.sex.clear();
  return r;
}

void write_rows(const std::filesystem::path& path, const std::vector<Row>& rows) {
  std::string out = "id,nhs_number,first_name,surname,previous_surname,dob,sex,postcode,previous_postcode\n";
  out.reserve(rows.size() * 90);
  for (const Row& r : rows)
    out += r.id + "," + r.x.nhs + "," + r.x.first + "," + r.x.surname + "," + r.previous_surname + "," + r.x.dob + "," + r.x.sex +
           "," + r.x.postcode + "," + r.previous_postcode + "\n";
  std::ofstream(path, std::ios::binary) << out;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t people = 10000, seed = 1;
  double overlap = 0.8;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--people")) people = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--overlap")) overlap = std::stod(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  if (out.empty() || people == 0 || people > 1000000 || overlap < 0 || overlap > 1) {
    std::fprintf(stderr, "usage: link_people --people N (1..1000000) [--seed S] [--overlap 0.8] --out DIR\n");
    return 1;
  }
  std::filesystem::create_directories(out);
  const Pools pools = load_pools();
  const std::uint64_t postcodes = std::max<std::uint64_t>(1, people / 12);  // about 25 people a unit across both files
  std::vector<Row> left(people), right(people);
  std::vector<std::uint64_t> right_person(people);
  severn::parallel_for(people, 2, [&](std::size_t i) {
    left[i].id = "L" + std::to_string(i);
    left[i].x = make_person(i, seed, pools, postcodes);
    // Right record i: the same person as left i with probability `overlap`, else someone new.
    Rng pick(seed, i, "overlap");
    if (pick.bernoulli(overlap)) {
      right[i] = rerecord(left[i].x, i, seed, pools, postcodes);
      right_person[i] = i;
    } else {
      right[i].x = make_person(people + i, seed, pools, postcodes);
      right_person[i] = people + i;
    }
    right[i].id = "R" + std::to_string(i);
  });
  // Shuffle the right file so that record order carries no information.
  Rng shuffle(seed, 0, "shuffle right");
  std::vector<std::size_t> order(people);
  for (std::size_t i = 0; i < people; ++i) order[i] = i;
  for (std::size_t i = people - 1; i > 0; --i) std::swap(order[i], order[shuffle.below(i + 1)]);
  std::vector<Row> shuffled(people);
  for (std::size_t i = 0; i < people; ++i) shuffled[i] = right[order[i]];
  write_rows(std::filesystem::path(out) / "left.csv", left);
  write_rows(std::filesystem::path(out) / "right.csv", shuffled);
  std::string truth = "id,cluster\n";
  for (std::size_t i = 0; i < people; ++i) truth += "L" + std::to_string(i) + "," + std::to_string(i) + "\n";
  for (std::size_t i = 0; i < people; ++i) truth += "R" + std::to_string(i) + "," + std::to_string(right_person[i]) + "\n";
  std::ofstream(std::filesystem::path(out) / "truth.csv", std::ios::binary) << truth;
  std::printf("link_people: %llu left, %llu right records (%.0f%% overlap) in %s\n", static_cast<unsigned long long>(people),
              static_cast<unsigned long long>(people), overlap * 100, out.c_str());
  return 0;
}
