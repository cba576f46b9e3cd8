#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "refdata/codelists.h"
#include "refdata/geography.h"
#include "refdata/organisations.h"
#include "refdata/standards.h"
#include "pack.h"

namespace severn::refdata {
namespace {

DataDir pack() { return DataDir(SEVERN_TEST_DATA_DIR); }

TEST(Geography, HasAllStwLsoasWithDeprivationAndPopulation) {
  SEVERN_REQUIRE_PACK();
  const auto g = load_geography(pack());
  ASSERT_EQ(g.lsoas.size(), 313u);
  double total = 0;
  for (const auto& l : g.lsoas) {
    EXPECT_GE(l.imd_decile, 1);
    EXPECT_LE(l.imd_decile, 10);
    total += l.population();
  }
  // Every 2011 LSOA's mid-2020 population is carried to 2021 LSOAs: the STW total (PACK01).
  EXPECT_NEAR(total, 506737, 0.5);
  ASSERT_NE(g.find("E01014105"), nullptr);
  EXPECT_EQ(g.find("E01014105")->imd_quintile(), 1);
}

TEST(Organisations, FiftyPracticesInNinePcnsAndTwoPlaces) {
  SEVERN_REQUIRE_PACK();
  const auto o = load_organisations(pack());
  EXPECT_EQ(o.practices.size(), 50u);
  int pcns = 0;
  for (const auto& p : o.pcns) pcns += p.code != "U";
  EXPECT_EQ(pcns, 9);
  long list = 0;
  for (const auto& p : o.practices) list += p.list_size;
  EXPECT_EQ(list, 537638);  // PACK10
}

TEST(Codelists, PackAndBuiltInListsLoad) {
  SEVERN_REQUIRE_PACK();
  const auto lib = CodelistLibrary::load(pack());
  EXPECT_TRUE(lib.get("nhsd-primary-care-domain-refsets-hyp_cod").contains("59621000"));
  EXPECT_TRUE(lib.has("dmd-saba"));
  EXPECT_TRUE(lib.has("icd10-copd-exacerbation"));
  try {
    lib.get("no-such-list");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-list"), std::string::npos);
  }
}

TEST(Codelists, MalformedListsAreRejectedWithLocation) {
  EXPECT_THROW(parse_codelist("id,name\n1,a\n", "x", "x.csv"), InputError);
  try {
    parse_codelist("code,term\n1,a\n1,b\n", "x", "x.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.csv:3: field 'code': duplicate code 1");
  }
}

TEST(Standards, CfasRatesByAgeAndSex) {
  SEVERN_REQUIRE_PACK();
  const auto rates = load_cfas2(pack());
  EXPECT_DOUBLE_EQ(cfas2_rate(rates, 92, 'F'), 0.350);
  EXPECT_DOUBLE_EQ(cfas2_rate(rates, 67, 'M'), 0.012);
  EXPECT_DOUBLE_EQ(cfas2_rate(rates, 50, 'M'), 0.0);
}

TEST(DataDir, MissingFileIsNamed) {
  const auto tmp = std::filesystem::temp_directory_path() / "severn-empty-pack";
  std::filesystem::create_directories(tmp);
  try {
    load_geography(DataDir(tmp));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("geography/lsoa21_stw.csv"), std::string::npos);
  }
  EXPECT_THROW(DataDir::resolve("/nonexistent/severn/data"), InputError);
}

}  // namespace
}  // namespace severn::refdata
