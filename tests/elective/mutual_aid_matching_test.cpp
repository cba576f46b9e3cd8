// Matching on a crafted set: only providers within the radius with a shorter wait for the same
// treatment function; ranked by wait then distance; places go to the longest waiters first.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "elective/mutual_aid_matching.h"
#include "elective/mutual_aid_waits.h"

namespace severn::elective {
namespace {

// Home is at 52.0 N 2.0 W; one degree of latitude is about 69.1 miles.
const LatLon kHome{52.0, -2.0};

std::vector<ProviderSite> crafted_sites() {
  auto site = [](std::string code, std::string name, double lat) {
    ProviderSite s;
    s.org_code = std::move(code);
    s.site_name = std::move(name);
    s.location = {lat, -2.0};
    return s;
  };
  return {site("OWN", "Own", 52.0),        site("NEAR", "Near A", 52.3),  // ~20.7 mi
          site("NEAR", "Near B", 52.1),    // ~6.9 mi: the nearer NEAR site
          site("MID", "Mid", 52.9),        // ~62 mi
          site("FAR", "Far", 53.6),        // ~111 mi
          site("TIE", "Tie", 52.05)};      // ~3.5 mi
}

WaitTable crafted_waits() {
  WaitTable w;
  w.set("OWN", 110, {30, std::nullopt, "store", true});
  w.set("NEAR", 110, {20, std::nullopt, "store", true});
  w.set("MID", 110, {10, std::nullopt, "store", true});
  w.set("FAR", 110, {5, std::nullopt, "store", true});
  w.set("TIE", 110, {20, std::nullopt, "store", true});
  w.set("TIE", 120, {1, std::nullopt, "store", true});  // another treatment function: irrelevant
  return w;
}

Candidate candidate(std::uint32_t pathway, int waited, double radius) {
  return {pathway, kHome, "OWN", 110, waited, radius};
}

TEST(MutualAidMatching, OptionsAreShorterWaitsWithinTheRadiusRankedByWaitThenDistance) {
  const auto sites = crafted_sites();
  const auto waits = crafted_waits();
  const auto fifty = options_for(candidate(1, 300, 50), sites, waits);
  ASSERT_EQ(fifty.size(), 2u);
  EXPECT_EQ(fifty[0].provider_code, "TIE");  // 20 weeks, 3.5 miles
  EXPECT_EQ(fifty[1].provider_code, "NEAR");  // 20 weeks, 6.9 miles
  EXPECT_EQ(fifty[1].site_name, "Near B");
  EXPECT_NEAR(fifty[1].distance_miles, 6.91, 0.05);
  const auto hundred = options_for(candidate(1, 300, 100), sites, waits);
  ASSERT_EQ(hundred.size(), 3u);
  EXPECT_EQ(hundred[0].provider_code, "MID");
  const auto national = options_for(candidate(1, 300, kNationalRadius), sites, waits);
  ASSERT_EQ(national.size(), 4u);
  EXPECT_EQ(national[0].provider_code, "FAR");
  // Equal waits are not shorter.
  WaitTable equal = waits;
  equal.set("OWN", 110, {20, std::nullopt, "store", true});
  const auto eq = options_for(candidate(1, 300, 100), sites, equal);
  ASSERT_EQ(eq.size(), 1u);
  EXPECT_EQ(eq[0].provider_code, "MID");
}

TEST(MutualAidMatching, AMinimumGainDropsNearlyEqualWaits) {
  const auto sites = crafted_sites();
  const auto waits = crafted_waits();  // own 30 weeks; TIE and NEAR 20, MID 10
  Candidate c = candidate(1, 300, 100);
  c.min_shorter_weeks = 10;  // must be shorter by more than 10 weeks: 20 is not, 10 is
  const auto o = options_for(c, sites, waits);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].provider_code, "MID");
}

TEST(MutualAidMatching, CapacityGoesToTheLongestWaitersFirst) {
  const auto sites = crafted_sites();
  WaitTable waits = crafted_waits();
  waits.set("MID", 110, {10, 1, "offer", true});    // one place
  waits.set("NEAR", 110, {20, 1, "offer", true});   // one place
  waits.set("TIE", 110, {20, 0, "offer", true});    // none
  const std::vector<Candidate> cs = {candidate(7, 290, 100), candidate(8, 500, 100), candidate(9, 400, 100)};
  const auto r = allocate(cs, sites, waits);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].outcome, MatchOutcome::kMatched);  // 500 days: the best option, MID
  EXPECT_EQ(r[1].option.provider_code, "MID");
  EXPECT_EQ(r[2].outcome, MatchOutcome::kMatched);  // 400 days: MID full, so NEAR
  EXPECT_EQ(r[2].option.provider_code, "NEAR");
  EXPECT_EQ(r[0].outcome, MatchOutcome::kCapacityExhausted);  // 290 days: nothing left
  EXPECT_EQ(r[0].options, 3u);
  EXPECT_DOUBLE_EQ(r[0].own_expected_weeks, 30);
}

TEST(MutualAidMatching, UnknownOwnWaitAndNonReceivingProviders) {
  const auto sites = crafted_sites();
  WaitTable waits = crafted_waits();
  Candidate c = candidate(1, 300, kNationalRadius);
  c.treatment_function = 130;
  EXPECT_EQ(allocate({c}, sites, waits)[0].outcome, MatchOutcome::kOwnWaitUnknown);
  for (const char* p : {"NEAR", "MID", "FAR", "TIE"}) waits.set(p, 110, {1, std::nullopt, "store", false});
  EXPECT_EQ(allocate({candidate(1, 300, kNationalRadius)}, sites, waits)[0].outcome, MatchOutcome::kNoShorterWait);
}

TEST(MutualAidMatching, RadiusChoicesParse) {
  EXPECT_EQ(parse_radius_miles("50"), 50);
  EXPECT_EQ(parse_radius_miles("100"), 100);
  EXPECT_TRUE(std::isinf(parse_radius_miles("national")));
  EXPECT_THROW(parse_radius_miles("75"), InputError);
}

TEST(MutualAidWaits, MedianAndP92OfTheOpenListInterpolateLikeRType7) {
  // R: quantile(1:10, 0.92) = 9.28 (type 7), median 5.5.
  std::vector<Days> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_NEAR(quantile_type7(v, 0.92), 9.28, 1e-12);
  EXPECT_NEAR(quantile_type7(v, 0.5), 5.5, 1e-12);
  std::vector<WaitingPeriod> periods;
  const Days d = 20000;
  for (int w : {7, 14, 21, 70}) {
    WaitingPeriod p;
    p.provider_code = "RXW";
    p.treatment_function = 110;
    p.clock_start = d - w;
    periods.push_back(p);
  }
  WaitingPeriod closed = periods[0];
  closed.end = d;  // not open on d
  periods.push_back(closed);
  const auto lw = list_waits(periods, d);
  ASSERT_EQ(lw.size(), 1u);
  const auto& w = lw.at({"RXW", 110});
  EXPECT_EQ(w.open, 4);
  EXPECT_NEAR(w.median_weeks, 2.5, 1e-12);
}

TEST(MutualAidWaits, OffersOverrideAndLimitWhoReceives) {
  const auto sites = crafted_sites();
  const std::string header = "provider_code,treatment_function_code,expected_wait_weeks,capacity,note\n";
  const auto offers = parse_offers(header + "MID,110,12.5,40,illustrative\nOWN,110,,5,\n", "offers.csv", sites);
  ListWaits store;
  store[{"OWN", 110}] = {100, 30, 50};
  store[{"NEAR", 110}] = {100, 20, 40};
  const WaitTable t = build_wait_table(store, offers);
  ASSERT_NE(t.find("MID", 110), nullptr);
  EXPECT_DOUBLE_EQ(t.find("MID", 110)->expected_weeks, 12.5);
  EXPECT_EQ(*t.find("MID", 110)->capacity, 40);
  EXPECT_TRUE(t.find("OWN", 110)->receives);
  EXPECT_DOUBLE_EQ(t.find("OWN", 110)->expected_weeks, 30);  // the store's median
  EXPECT_FALSE(t.find("NEAR", 110)->receives);                // not offered: stands only for its own list
  EXPECT_TRUE(build_wait_table(store, std::nullopt).find("NEAR", 110)->receives);
  // Errors name the file, line and field.
  try {
    parse_offers(header + "XYZ,110,10,1,illustrative\n", "offers.csv", sites);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("offers.csv line 2, provider_code"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_offers(header + "MID,11,10,1,x\n", "o", sites), InputError);
  EXPECT_THROW(parse_offers(header + "MID,110,-1,1,x\n", "o", sites), InputError);
  EXPECT_THROW(parse_offers(header + "MID,110,10,1.5,x\n", "o", sites), InputError);
  EXPECT_THROW(parse_offers(header + "MID,110,10,1,\n", "o", sites), InputError);  // a wait needs its source
  EXPECT_THROW(parse_offers(header + "MID,110,10,1,x\nMID,110,9,1,x\n", "o", sites), InputError);
  EXPECT_THROW(build_wait_table(store, parse_offers(header + "FAR,110,,3,\n", "o", sites)), InputError);
}

TEST(MutualAidWaits, OptInSharesAreReproducibleAndRespected) {
  const auto shares = parse_opt_in("imd_quintile,share\n1,0.2\n2,0.3\n3,0.4\n4,0.5\n5,0.6\n", "opt.csv");
  EXPECT_DOUBLE_EQ(shares[1], 0.2);
  EXPECT_DOUBLE_EQ(shares[5], 0.6);
  EXPECT_THROW(parse_opt_in("imd_quintile,share\n1,0.2\n2,0.3\n3,0.4\n4,0.5\n", "o"), InputError);  // 5 missing
  EXPECT_THROW(parse_opt_in("imd_quintile,share\n1,1.2\n2,0.3\n3,0.4\n4,0.5\n5,0.6\n", "o"), InputError);
  int yes = 0;
  for (std::uint32_t p = 0; p < 20000; ++p) {
    const bool a = opts_in(p, 0.3, 17);
    EXPECT_EQ(a, opts_in(p, 0.3, 17));
    yes += a;
  }
  EXPECT_NEAR(yes / 20000.0, 0.3, 0.015);
  EXPECT_TRUE(opts_in(5, 1.0, 1));
  EXPECT_FALSE(opts_in(5, 0.0, 1));
}

}  // namespace
}  // namespace severn::elective
