#include "synth/names.h"

#include <algorithm>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::synth {
namespace {

CsvTable resource(const char* path) {
  const auto bytes = embedded::find(path);
  if (!bytes) throw InputError(std::string("built-in resource ") + path + " is missing from this build");
  return CsvTable::parse(*bytes, std::string("built-in:") + path);
}

const char* heritage(char ethnicity) {
  switch (ethnicity) {
    case 'H': case 'J': case 'K': case 'L': return "south_asian";
    case 'R': return "chinese";
    default: return "";
  }
}

// Common surnames of British South Asian families (Patel, Khan, Singh, Ahmed, Ali and Hussain are
// among the commonest surnames in England and Wales); weights are rank-based.
constexpr const char* kSouthAsianSurnames[] = {"Patel", "Khan", "Singh", "Ahmed", "Ali", "Hussain",
                                               "Begum", "Kaur", "Shah", "Mahmood", "Iqbal", "Akhtar",
                                               "Sharma", "Mistry", "Rahman", "Islam"};

}  // namespace

NameTables::Table NameTables::make(std::vector<std::pair<std::string, double>> rows) {
  Table t;
  std::vector<double> w;
  for (auto& [n, wt] : rows) {
    t.names.push_back(n);
    w.push_back(wt);
  }
  t.weights = AliasTable(w);
  return t;
}

NameTables NameTables::load() {
  NameTables nt;
  std::map<std::string, std::vector<std::pair<std::string, double>>> g, f;
  const auto given = resource("names/given_names.csv");
  for (std::size_t r = 0; r < given.rows(); ++r)
    g[given.cell(r, "decade") + given.cell(r, "sex")].emplace_back(
        given.cell(r, "name"), given.get_double(r, given.column("weight")));
  const auto hg = resource("names/heritage_given_names.csv");
  for (std::size_t r = 0; r < hg.rows(); ++r)
    g[hg.cell(r, "heritage") + hg.cell(r, "sex")].emplace_back(
        hg.cell(r, "name"), hg.get_double(r, hg.column("weight")));
  const auto fam = resource("names/family_names.csv");
  for (std::size_t r = 0; r < fam.rows(); ++r)
    f[""].emplace_back(fam.cell(r, "name"), fam.get_double(r, fam.column("weight")));
  const auto hf = resource("names/heritage_family_names.csv");
  for (std::size_t r = 0; r < hf.rows(); ++r)
    f[hf.cell(r, "heritage")].emplace_back(hf.cell(r, "name"), hf.get_double(r, hf.column("weight")));
  double w = 16;
  for (const char* n : kSouthAsianSurnames) f["south_asian"].emplace_back(n, w--);
  for (auto& [k, rows] : g) nt.given_.emplace(k, make(std::move(rows)));
  for (auto& [k, rows] : f) nt.family_.emplace(k, make(std::move(rows)));
  if (nt.family_.count("") == 0 || nt.given_.empty())
    throw InputError("built-in name tables are empty");
  return nt;
}

std::string NameTables::given_name(Rng& rng, int birth_year, char sex, char ethnicity) const {
  std::string h = heritage(ethnicity);
  if (ethnicity == 'C' && rng.bernoulli(0.4)) h = "eastern_european";
  if (!h.empty()) {
    auto it = given_.find(h + sex);
    if (it != given_.end()) return it->second.names[it->second.weights.draw(rng)];
  }
  int decade = std::clamp(birth_year / 10 * 10, 1920, 2020);
  auto it = given_.find(std::to_string(decade) + sex);
  while (it == given_.end() && decade > 1920) it = given_.find(std::to_string(decade -= 10) + sex);
  if (it == given_.end()) throw InputError("no given names for sex " + std::string(1, sex));
  return it->second.names[it->second.weights.draw(rng)];
}

std::string NameTables::family_name(Rng& rng, char sex, char ethnicity) const {
  std::string h = heritage(ethnicity);
  if (ethnicity == 'C' && rng.bernoulli(0.4)) h = "eastern_european";
  auto it = family_.find(h);
  if (it == family_.end()) it = family_.find("");
  std::string name = it->second.names[it->second.weights.draw(rng)];
  // Polish surnames ending -ski/-cki/-dzki take -ska/-cka/-dzka for women.
  if (h == "eastern_european" && sex == 'F' && name.size() > 3 &&
      name.compare(name.size() - 2, 2, "ki") == 0)
    name.back() = 'a';
  return name;
}

// The letters used in the last two places of a postcode's inward code.
constexpr char kInwardLetters[] = "ABDEFGHJLNPQRSTUWXYZ";

std::string synthetic_postcode(Rng& rng, const std::string& practice_postcode) {
  const auto space = practice_postcode.find(' ');
  std::string out = practice_postcode.substr(0, space == std::string::npos ? 4 : space);
  out += ' ';
  out += static_cast<char>('1' + rng.below(9));
  out += kInwardLetters[rng.below(20)];
  out += kInwardLetters[rng.below(20)];
  return out;
}

std::string postcode_typo(Rng& rng, const std::string& postcode) {
  std::string out = postcode;
  const auto space = out.find(' ');
  if (space == std::string::npos || space + 4 != out.size()) return out;
  const std::size_t at = space + 1 + rng.below(3);
  const char was = out[at];
  if (at == space + 1) out[at] = static_cast<char>('1' + (was - '1' + 1 + static_cast<int>(rng.below(8))) % 9);
  else
    while (out[at] == was) out[at] = kInwardLetters[rng.below(20)];
  return out;
}

std::string typo(Rng& rng, const std::string& s) {
  if (s.size() < 3) return s + s.back();
  std::string t = s;
  const std::size_t i = 1 + rng.below(t.size() - 2);
  switch (rng.below(4)) {
    case 0: std::swap(t[i], t[i + 1]); break;
    case 1: t.erase(i, 1); break;
    case 2: t.insert(i, 1, t[i]); break;
    default: {
      static constexpr char kLetters[] = "aeioulnrst";
      t[i] = kLetters[rng.below(10)];
    }
  }
  return t == s ? s + "e" : t;
}

std::string mistype_digits(Rng& rng, const std::string& s) {
  std::string t = s;
  if (t.size() < 2) return t;
  if (rng.bernoulli(0.5)) {
    const std::size_t i = 3 + rng.below(t.size() - 4);  // keep the 999 prefix
    std::swap(t[i], t[i + 1]);
  }
  if (t == s) {
    const std::size_t i = 3 + rng.below(t.size() - 3);
    t[i] = static_cast<char>('0' + (t[i] - '0' + 1 + static_cast<int>(rng.below(9))) % 10);
  }
  return t;
}

}  // namespace severn::synth
