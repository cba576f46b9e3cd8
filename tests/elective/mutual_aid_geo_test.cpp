// Distances and the reference tables behind mutual aid: the haversine formula against a published
// pair, and the provider-sites and LSOA-centroid tables (parse, cover every STW LSOA, refuse bad rows).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/csv_table.h"
#include "core/error.h"
#include "elective/geo_distance.h"
#include "elective/geo_lsoa_centroids.h"
#include "elective/sites.h"

namespace severn::elective {
namespace {

// Rosetta Code, "Haversine formula": Nashville International (BNA, 36.12 N, 86.67 W) to Los Angeles
// International (LAX, 33.94 N, 118.40 W) on a sphere of radius 6372.8 km is 2887.2599506071106 km.
TEST(MutualAidGeo, HaversineMatchesThePublishedNashvilleToLosAngelesDistance) {
  EXPECT_NEAR(great_circle_km({36.12, -86.67}, {33.94, -118.40}, 6372.8), 2887.2599506071106, 1e-6);
}

TEST(MutualAidGeo, DistanceIsZeroToItselfSymmetricAndInMiles) {
  const LatLon rsh{52.708889, -2.793056}, prh{52.711944, -2.511944};
  EXPECT_DOUBLE_EQ(great_circle_km(rsh, rsh), 0.0);
  EXPECT_DOUBLE_EQ(great_circle_km(rsh, prh), great_circle_km(prh, rsh));
  EXPECT_NEAR(great_circle_miles(rsh, prh) * kKmPerMile, great_circle_km(rsh, prh), 1e-9);
  // One degree of latitude on the mean sphere is 2 pi R / 360 = 111.195 km.
  EXPECT_NEAR(great_circle_km({52, -2}, {53, -2}), 111.1951, 1e-3);
  // Antipodes: half the circumference, and no NaN from rounding past 1.
  EXPECT_NEAR(great_circle_km({0, 0}, {0, 180}), 3.14159265358979 * kEarthMeanRadiusKm, 1e-6);
}

TEST(MutualAidGeo, ProviderSitesHoldBothStwTrustsAndOnlyEnglishNeighbours) {
  const auto& sites = provider_sites();
  int rxw = 0, rl1 = 0, neighbours = 0;
  for (const auto& s : sites) {
    EXPECT_TRUE(plausible_in_great_britain(s.location)) << s.site_name;
    EXPECT_FALSE(s.source.empty()) << s.site_name;
    rxw += s.org_code == "RXW";
    rl1 += s.org_code == "RL1";
    neighbours += !s.stw;
    EXPECT_EQ(s.stw, s.org_code == "RXW" || s.org_code == "RL1") << s.org_code;
    // English NHS trust codes start with R; Welsh health boards (7A...) are out of PIDMAS's scope.
    EXPECT_EQ(s.org_code[0], 'R') << s.org_code;
  }
  EXPECT_EQ(rxw, 2);  // Royal Shrewsbury and Princess Royal
  EXPECT_EQ(rl1, 1);
  EXPECT_GE(neighbours, 6);
  // The two SaTH sites are about 12 miles apart (Shrewsbury to Telford).
  EXPECT_NEAR(great_circle_miles(sites[0].location, sites[1].location), 11.8, 0.5);
}

TEST(MutualAidGeo, EveryStwLsoaHasACentroidInsideStw) {
  const std::filesystem::path file = std::filesystem::path(SEVERN_TEST_DATA_DIR) / "geography/lsoa21_stw.csv";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "reference-data pack absent: " << file;
  const CsvTable t = CsvTable::read_file(file);
  const auto& centroids = stw_lsoa_centroids();
  ASSERT_EQ(t.rows(), 313u);
  EXPECT_EQ(centroids.by_code.size(), t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const LatLon* c = centroids.find(t.cell(r, "lsoa21_code"));
    ASSERT_NE(c, nullptr) << t.cell(r, "lsoa21_code");
    // STW lies within about 52.3-53.0 N, 3.3-2.2 W.
    EXPECT_GT(c->latitude, 52.2);
    EXPECT_LT(c->latitude, 53.1);
    EXPECT_GT(c->longitude, -3.4);
    EXPECT_LT(c->longitude, -2.1);
  }
}

TEST(MutualAidGeo, BadReferenceRowsAreRefusedWithLineAndField) {
  const std::string header = "org_code,org_name,site_name,postcode,latitude,longitude,stw,source\n";
  try {
    parse_provider_sites(header + "RXW,T,Site,,-2.79,52.70,1,x\n", "sites.csv");
    FAIL() << "swapped coordinates accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sites.csv line 2, latitude/longitude"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_provider_sites(header + "RXW,T,Site,,52.7,-2.7,yes,x\n", "s"), InputError);
  EXPECT_THROW(parse_provider_sites(header + "RXW,T,Site,,52.7,-2.7,1,x\nRXW,T,Site,,52.7,-2.7,1,x\n", "s"), InputError);
  EXPECT_THROW(parse_provider_sites(header + "RXW,T,Site,,north,-2.7,1,x\n", "s"), InputError);
  EXPECT_THROW(parse_lsoa_centroids("lsoa21_code,latitude,longitude\nE0101410,52.7,-2.5\n", "c"), InputError);
  EXPECT_THROW(parse_lsoa_centroids("lsoa21_code,latitude,longitude\nE01014102,52.7,-2.5\nE01014102,52.7,-2.5\n", "c"),
               InputError);
  EXPECT_THROW(parse_lsoa_centroids("lsoa21_code,latitude\nE01014102,52.7\n", "c"), InputError);
}

}  // namespace
}  // namespace severn::elective
