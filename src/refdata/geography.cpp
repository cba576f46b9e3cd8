#include "refdata/geography.h"

#include <algorithm>
#include <map>

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::refdata {

double Lsoa::population() const {
  double s = 0;
  for (double v : population_by_age) s += v;
  return s;
}

const Lsoa* Geography::find(const std::string& code) const {
  const int i = index_of(code);
  return i < 0 ? nullptr : &lsoas[static_cast<std::size_t>(i)];
}

int Geography::index_of(const std::string& code) const {
  auto it = std::lower_bound(lsoas.begin(), lsoas.end(), code,
                             [](const Lsoa& l, const std::string& c) { return l.code < c; });
  if (it == lsoas.end() || it->code != code) return -1;
  return static_cast<int>(it - lsoas.begin());
}

Geography load_geography(const DataDir& dir) {
  Geography g;
  const auto l21 = CsvTable::read_file(dir.require("geography/lsoa21_stw.csv"));
  const auto c_code = l21.column("lsoa21_code"), c_name = l21.column("lsoa21_name"),
             c_la = l21.column("lad24_code"), c_la_name = l21.column("lad24_name"),
             c_ward = l21.column("ward24_name"), c_score = l21.column("imd2025_score"),
             c_rank = l21.column("imd2025_rank"), c_decile = l21.column("imd2025_decile");
  for (std::size_t r = 0; r < l21.rows(); ++r) {
    Lsoa l;
    l.code = l21.cell(r, c_code);
    l.name = l21.cell(r, c_name);
    l.la_code = l21.cell(r, c_la);
    l.la_name = l21.cell(r, c_la_name);
    l.ward_name = l21.cell(r, c_ward);
    l.imd_score = l21.get_double(r, c_score);
    l.imd_rank = static_cast<int>(l21.get_int(r, c_rank));
    l.imd_decile = static_cast<int>(l21.get_int(r, c_decile));
    if (l.imd_decile < 1 || l.imd_decile > 10) l21.fail(r, c_decile, "IMD decile outside 1..10");
    g.lsoas.push_back(std::move(l));
  }
  std::sort(g.lsoas.begin(), g.lsoas.end(), [](auto& a, auto& b) { return a.code < b.code; });
  for (std::size_t i = 1; i < g.lsoas.size(); ++i)
    if (g.lsoas[i].code == g.lsoas[i - 1].code)
      throw InputError(l21.source() + ": duplicate LSOA code " + g.lsoas[i].code);

  const auto l11 = CsvTable::read_file(dir.require("geography/lsoa11_stw.csv"));
  std::map<std::string, std::array<double, kAgeColumns>> ages11;
  std::vector<std::size_t> age_cols;
  for (int a = 0; a < 90; ++a) age_cols.push_back(l11.column("age_" + std::to_string(a)));
  age_cols.push_back(l11.column("age_90_plus"));
  const auto c11 = l11.column("lsoa11_code");
  for (std::size_t r = 0; r < l11.rows(); ++r) {
    std::array<double, kAgeColumns> a{};
    for (int i = 0; i < kAgeColumns; ++i) {
      const auto v = l11.get_int(r, age_cols[static_cast<std::size_t>(i)]);
      if (v < 0) l11.fail(r, age_cols[static_cast<std::size_t>(i)], "negative population");
      a[static_cast<std::size_t>(i)] = static_cast<double>(v);
    }
    ages11[l11.cell(r, c11)] = a;
  }

  const auto lk = CsvTable::read_file(dir.require("geography/lsoa11_to_lsoa21_stw.csv"));
  const auto k11 = lk.column("lsoa11_code"), k21 = lk.column("lsoa21_code");
  std::map<std::string, int> children;  // 2011 code -> number of 2021 codes it maps to
  for (std::size_t r = 0; r < lk.rows(); ++r) children[lk.cell(r, k11)]++;
  for (std::size_t r = 0; r < lk.rows(); ++r) {
    const auto& from = lk.cell(r, k11);
    auto it = ages11.find(from);
    if (it == ages11.end()) lk.fail(r, k11, "LSOA 2011 code not in geography/lsoa11_stw.csv");
    const int idx = g.index_of(lk.cell(r, k21));
    if (idx < 0) lk.fail(r, k21, "LSOA 2021 code not in geography/lsoa21_stw.csv");
    const double share = 1.0 / children[from];
    auto& dest = g.lsoas[static_cast<std::size_t>(idx)].population_by_age;
    for (int i = 0; i < kAgeColumns; ++i)
      dest[static_cast<std::size_t>(i)] += it->second[static_cast<std::size_t>(i)] * share;
  }
  for (const auto& l : g.lsoas)
    if (l.population() <= 0)
      throw InputError(lk.source() + ": LSOA 2021 " + l.code + " receives no population");
  return g;
}

}  // namespace severn::refdata
