// Hand-worked releases: the published ranges a reader infers, the audit withholding more where a
// table alone would give a count away, identities between series, and the release ledger.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "disclosure/release.h"

namespace severn::disclosure {
namespace {

Series series(const std::string& meaning, std::int64_t total, std::vector<Group> sex) {
  Series s;
  s.meaning = meaning;
  s.interval = "2025-03-01/2025-03-31";
  s.label = meaning;
  s.total = total;
  s.breakdowns.push_back({"sex", std::move(sex)});
  return s;
}

TEST(PublishedRange, RoundingToFiveAndTheRedactedRange) {
  Policy p;
  EXPECT_EQ(published_range(p, 0).lo, 0);
  EXPECT_EQ(published_range(p, 0).hi, 0);  // 1 and 2 would round to 0 but are withheld
  EXPECT_GT(published_range(p, 5).lo, published_range(p, 5).hi);  // 3-7 are withheld: 5 is never published
  EXPECT_EQ(published_range(p, 10).lo, 8);
  EXPECT_EQ(published_range(p, 10).hi, 12);
  EXPECT_EQ(published_range(p, 100).lo, 98);
  EXPECT_EQ(published_range(p, 100).hi, 102);
  p.midpoint = true;
  EXPECT_EQ(published_range(p, 12).lo, 10);
  EXPECT_EQ(published_range(p, 12).hi, 14);
  p.mode = Mode::kSuppressedExact;
  EXPECT_EQ(published_range(p, 17).lo, 17);
  EXPECT_EQ(published_range(p, 17).hi, 17);
}

TEST(ReleaseControl, RoundingAloneProtectsASmallCountBesideALargeOne) {
  // 100 = 3 + 97: published 100 and 95 leave the 3 anywhere in 1-9, which is wide enough.
  Release r;
  r.series.push_back(series("m", 100, {{"F", 3}, {"M", 97}}));
  const ReleaseDecision d = control(r, Policy{});
  EXPECT_FALSE(d.series[0].total.withheld());
  EXPECT_TRUE(d.series[0].groups[0][0].withheld());
  EXPECT_FALSE(d.series[0].groups[0][1].withheld());
  EXPECT_EQ(d.series[0].groups[0][1].shown, 95);
  EXPECT_EQ(d.audit.withheld_audit, 0U);
  const auto f = feasible_intervals(r, d, Policy{});
  EXPECT_EQ(f[0][1].lo, 1);
  EXPECT_EQ(f[0][1].hi, 9);
}

TEST(ReleaseControl, TheAuditWithholdsMoreWhereRoundingIsNotEnough) {
  // 100 = 1 + 99: published 100 and 100 pin the 1 to 1-4; the 99 must go too.
  Release r;
  r.series.push_back(series("m", 100, {{"F", 1}, {"M", 99}}));
  const ReleaseDecision d = control(r, Policy{});
  EXPECT_TRUE(d.series[0].groups[0][0].withheld());
  EXPECT_TRUE(d.series[0].groups[0][1].withheld());
  EXPECT_FALSE(d.series[0].total.withheld());
  EXPECT_EQ(d.audit.withheld_audit, 1U);
  EXPECT_EQ(d.audit.unprotected, 0U);
}

TEST(ReleaseControl, ASeriesThatIsTheSumOfTwoOthersIsAudited) {
  // CVDP007 = CVDP002 + CVDP003 by sex. Alone, each table protects its small count (the 3 of
  // CVDP003 is 1-9 from 20 - 17); with the sum, the reader also has 007's F - 002's F.
  Policy exact;
  exact.mode = Mode::kSuppressedExact;
  Release r;
  r.series.push_back(series("cvdp007", 60, {{"F", 33}, {"M", 27}}));
  r.series.push_back(series("cvdp002", 40, {{"F", 30}, {"M", 10}}));
  r.series.push_back(series("cvdp003", 20, {{"F", 3}, {"M", 17}}));
  const ReleaseDecision d = control(r, exact);
  EXPECT_EQ(d.audit.sums, 1U);
  // The 3 is withheld, and so are enough others that it is not pinned by 33 - 30.
  EXPECT_TRUE(d.series[2].groups[0][0].withheld());
  const auto f = feasible_intervals(r, d, exact);
  EXPECT_GE(f[2][1].hi - f[2][1].lo, 8);
  EXPECT_GT(f[2][1].hi, 7);
  EXPECT_EQ(d.audit.unprotected, 0U);
}

TEST(ReleaseControl, EqualSeriesAreOneCount) {
  // Two measures with the same denominator: a cell withheld in one is withheld in the other.
  Release r;
  r.series.push_back(series("a", 100, {{"F", 1}, {"M", 99}}));
  r.series.push_back(series("b", 100, {{"F", 1}, {"M", 99}}));
  const ReleaseDecision d = control(r, Policy{});
  EXPECT_EQ(d.audit.equalities, 1U);
  for (int s = 0; s < 2; ++s)
    for (int g = 0; g < 2; ++g) EXPECT_EQ(d.series[0].groups[0][g].withheld(), d.series[1].groups[0][g].withheld());
}

TEST(ReleaseLedger, EarlierReleasesAreAuditedWithThisOne) {
  // An earlier release published F = 17 of 20 rounded (15, so 13-17). Now, exactly: 20 = 17 + 3.
  // The table alone would publish 20 and withhold 17 and 3 (the 3 is then 1-19). With the earlier
  // 13-17 for F, the 3 would be 20 - (13..17) = 3..7, inside the redacted range: the total goes too.
  Policy exact;
  exact.mode = Mode::kSuppressedExact;
  Release r;
  r.series.push_back(series("m", 20, {{"F", 17}, {"M", 3}}));
  const ReleaseDecision alone = control(r, exact);
  EXPECT_FALSE(alone.series[0].total.withheld());
  EXPECT_TRUE(alone.series[0].groups[0][0].withheld());

  Policy earlier_policy;  // rounded
  std::vector<LedgerEntry> earlier{{"earlier", earlier_policy, "m", "2025-03-01/2025-03-31", "sex", "F", 15},
                                   {"earlier", earlier_policy, "m", "2025-03-01/2025-03-31", "all", "all", 20}};
  const ReleaseDecision d = control(r, exact, earlier);
  EXPECT_EQ(d.audit.ledger_constraints, 2U);
  EXPECT_TRUE(d.series[0].total.withheld());
  const auto f = feasible_intervals(r, d, exact, earlier);
  EXPECT_GE(f[0][2].hi - f[0][2].lo, 8);
  EXPECT_EQ(d.audit.unprotected, 0U);
}

TEST(ReleaseLedger, WhatEarlierReleasesPinnedIsReportedNotHidden) {
  // Earlier releases published 20 and 17 exactly: the 3 is out, and nothing withheld now can take
  // it back. The audit says so rather than claiming protection.
  Policy exact;
  exact.mode = Mode::kSuppressedExact;
  Release r;
  r.series.push_back(series("m", 20, {{"F", 17}, {"M", 3}}));
  std::vector<LedgerEntry> earlier{{"earlier", exact, "m", "2025-03-01/2025-03-31", "sex", "F", 17},
                                   {"earlier", exact, "m", "2025-03-01/2025-03-31", "all", "all", 20}};
  const ReleaseDecision d = control(r, exact, earlier);
  EXPECT_EQ(d.audit.unprotected, 1U);
}

TEST(ReleaseLedger, AppendsAndReadsBack) {
  const auto path = std::filesystem::temp_directory_path() / ("severn-ledger-" + std::to_string(::getpid()) + ".csv");
  std::filesystem::remove(path);
  Release r;
  r.series.push_back(series("m", 100, {{"F", 3}, {"M", 97}}));
  const ReleaseDecision d = control(r, Policy{});
  const auto entries = ledger_entries(r, d, Policy{}, "2026-12-07T00:00:00Z test");
  ASSERT_EQ(entries.size(), 2U);  // the total and M; F is withheld
  append_ledger(path, entries);
  append_ledger(path, entries);
  const auto back = read_ledger(path);
  ASSERT_EQ(back.size(), 4U);
  EXPECT_EQ(back[1].group, "M");
  EXPECT_EQ(back[1].shown, 95);
  EXPECT_EQ(back[1].policy.round_to, 5);
  // A damaged ledger is an input error naming the file and line, never a crash.
  {
    std::ofstream out(path, std::ios::app);
    out << "x,rounded,1,7,5,nearest,m,2025-03-01/2025-03-31,sex,F,not-a-number\n";
  }
  try {
    read_ledger(path);
    ADD_FAILURE() << "a damaged ledger was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":6"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace severn::disclosure
