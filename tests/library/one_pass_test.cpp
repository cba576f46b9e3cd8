// One pass over many definitions (engine::evaluate with several, as `severn report` and `severn run
// A.sev B.sev` do) counts exactly what separate runs count: every library definition's exact
// measure tables, nestings and dataset are the same either way, worklists included.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/run.h"
#include "lang/library.h"
#include "library_fixture.h"

namespace severn::testing {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every cell of every measure table, with its bands, as text.
std::string tables_text(const engine::MeasureResults& r) {
  std::string out;
  const auto cell = [&](const engine::Cell& c) {
    out += std::to_string(c.numerator) + "/" + std::to_string(c.denominator);
    for (std::size_t b = 0; b < c.band_denominator.size(); ++b)
      out += " " + std::to_string(c.band_numerator[b]) + "/" + std::to_string(c.band_denominator[b]);
    out += "\n";
  };
  for (std::size_t m = 0; m < r.tables.size(); ++m)
    for (std::size_t k = 0; k < r.tables[m].size(); ++k) {
      out += "measure " + std::to_string(m) + " interval " + std::to_string(k) + " all ";
      cell(r.tables[m][k].all);
      for (std::size_t b = 0; b < r.tables[m][k].by.size(); ++b)
        for (const auto& [label, c] : r.tables[m][k].by[b]) {
          out += r.breakdowns[m][b] + "=" + label + " ";
          cell(c);
        }
    }
  for (const auto& n : r.nestings) {
    out += "nesting " + n.child + " in " + n.parent + ":";
    for (const auto& [c, p] : n.parent_of) out += " " + c + ">" + p;
    out += "\n";
  }
  return out;
}

TEST(OnePass, EveryLibraryDefinitionCountsWhatItCountsAlone) {
  const LibraryWorld& w = library_world();
  lang::CheckOptions check;
  check.pack_codelists_dir = std::string(SEVERN_TEST_DATA_DIR) + "/codelists";
  std::vector<lang::CheckedDefinition> checked;
  for (const auto& e : lang::library_entries()) checked.push_back(lang::check_file(std::string(lang::kLibraryPrefix) + e.name, check));
  ASSERT_GE(checked.size(), 10u);
  Scratch scratch("one-pass");
  const Days index_date = *parse_iso_date("2025-03-31");
  std::vector<const lang::CheckedDefinition*> all;
  std::vector<engine::EvaluateOptions> together;
  for (std::size_t i = 0; i < checked.size(); ++i) {
    engine::EvaluateOptions o;
    o.out = scratch.dir() / "together" / std::to_string(i);
    o.index_date = index_date;
    o.threads = 2;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    o.worklists = true;
    all.push_back(&checked[i]);
    together.push_back(o);
  }
  const auto pass = engine::evaluate(*w.store, all, together);
  ASSERT_EQ(pass.size(), checked.size());
  for (std::size_t i = 0; i < checked.size(); ++i) {
    engine::EvaluateOptions o = together[i];
    o.out = scratch.dir() / "alone" / std::to_string(i);
    const auto alone = engine::evaluate(*w.store, checked[i], o);
    const std::string name = lang::library_entries()[i].name;
    EXPECT_EQ(tables_text(pass[i].measures), tables_text(alone.measures)) << name;
    EXPECT_EQ(pass[i].summary.in_population, alone.summary.in_population) << name;
    EXPECT_EQ(read(together[i].out / "dataset.csv"), read(o.out / "dataset.csv")) << name;
    EXPECT_EQ(read(together[i].out / "worklists" / "index.csv"), read(o.out / "worklists" / "index.csv")) << name;
    EXPECT_FALSE(tables_text(alone.measures).empty()) << name;
  }
}

}  // namespace
}  // namespace severn::testing
