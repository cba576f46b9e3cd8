// Slope and relative index of inequality against sii_rii.csv (testdata_SII.xlsx, sheet
// testdata_SII, the RecordNo named in each vector's `source` column and in any failure message).
// Point estimates are deterministic and held to 1e-9 relative. The limits are Monte-Carlo in
// both tools: the reference used 100,000 repetitions (10,000 for records 41-60) and the upstream
// tests allow 0.05 (mean relative difference). That is too loose to see a wrong method: the
// transformed limits were once up to 20 times the run-to-run spread out yet within 0.5%. So each
// limit is held to a fraction of the package's own interval instead (kHalfWidths below).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;
using testing::numbers;

// A simulated 2.5% quantile of a normal at 100,000 repetitions has a standard error of 0.43% of
// the interval's half-width (sqrt(p (1 - p) / R) / (phi(z) z)); 0.5% at 99%. Two independent
// runs (Severn's and the package's) differ by sqrt(2) times that, about 0.6-0.85%. A limit may lie
// up to kHalfWidths of the package's half-width (upper - lower) / 2 from the package's value:
// about 4 standard errors of the difference at 100,000 repetitions a side, widened by
// sqrt((1/R_package + 1/R_severn) / (2/100,000)) where the package used fewer. Measured: see the
// printed worst and docs/methods.md.
constexpr double kHalfWidths = 0.03;

// One row of sii_rii.csv: the quantiles, the options and what the package returned.
struct Vector {
  std::string id, source;
  std::vector<SiiQuantile> quantiles;
  SiiOptions options;
  int reference_repetitions = 0;
  double sii = 0, rii = 0, intercept = 0;  // rii and intercept NaN where the workbook has none
  // Per confidence level: sii lower, sii upper, rii lower, rii upper (NaN where not compared).
  std::vector<std::array<double, 4>> limits;
};

constexpr std::array<const char*, 4> kLimitNames{"sii lower", "sii upper", "rii lower", "rii upper"};

Vector read_vector(const CsvTable& t, std::size_t r, bool se_from_limits) {
  const auto cell = [&](const char* c) -> const std::string& { return t.cell(r, c); };
  Vector v;
  v.id = cell("vector_id");
  v.source = cell("source");
  EXPECT_EQ(cell("status"), "asserted") << v.id;
  SiiOptions& o = v.options;
  o.type = static_cast<SiiValueType>(std::stoi(cell("value_type")));
  o.transform = cell("transform") == "TRUE";
  o.multiplier = number(cell("multiplier"));
  o.confidence = numbers(cell("confidence"));
  v.reference_repetitions = std::stoi(cell("repetitions_reference_tool"));
  const auto pop = numbers(cell("population")), value = numbers(cell("value")), se = numbers(cell("se")),
             lower = numbers(cell("lowercl")), upper = numbers(cell("uppercl"));
  for (std::size_t i = 0; i < pop.size(); ++i)
    v.quantiles.push_back(
        {pop[i], value[i], se_from_limits ? sii_se_from_limits(lower[i], upper[i], o.type) : se[i]});
  v.sii = number(cell("sii"));
  v.rii = number(cell("rii_value"));
  v.intercept = number(cell("intercept"));
  for (std::size_t c = 0; c < o.confidence.size(); ++c) {
    const std::string k = "_" + std::to_string(c + 1);
    const auto expected = [&](const char* name) { return number(cell((name + k).c_str())); };
    v.limits.push_back({expected("sii_lower"), expected("sii_upper"), expected("rii_lower"), expected("rii_upper")});
  }
  return v;
}

std::array<double, 4> limits_of(const SiiResult& s, std::size_t c) {
  return {s.sii_limits[c].lower, s.sii_limits[c].upper, s.rii_limits[c].lower, s.rii_limits[c].upper};
}

// The partner of limit k (sii lower <-> sii upper, rii lower <-> rii upper).
constexpr std::size_t partner(std::size_t k) { return k ^ 1u; }

struct Worst {
  double half_widths = 0, relative = 0;
  // `scale`: how much wider the simulation error is than at 100,000 repetitions a side.
  void check(double actual, double expected, double partner_expected, double scale, const std::string& what) {
    const double half_width = std::fabs(expected - partner_expected) / 2;
    const double gap = std::fabs(actual - expected);
    EXPECT_LE(gap, kHalfWidths * scale * half_width)
        << what << ": got " << testing::full(actual) << ", expected " << testing::full(expected) << ", "
        << gap / half_width << " half-widths";
    half_widths = std::max(half_widths, gap / half_width / scale);
    relative = std::max(relative, gap / std::fabs(expected));
  }
};

void run_vectors(bool se_from_limits) {
  const CsvTable t = testing::load_vectors("sii_rii.csv");
  Checker check;
  Worst limits;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const Vector v = read_vector(t, r, se_from_limits);
    SCOPED_TRACE(v.id + " (" + v.source + ")");
    const SiiResult s = sii(v.quantiles, v.options);
    check.close(s.sii, v.sii, "sii");
    if (!std::isnan(v.rii)) check.close(s.rii, v.rii, "rii");
    if (!std::isnan(v.intercept)) check.close(s.intercept, v.intercept, "intercept");
    const double scale = std::sqrt((1.0 / v.reference_repetitions + 1.0 / v.options.repetitions) / (2 / 1e5));
    for (std::size_t c = 0; c < v.limits.size(); ++c) {
      const auto got = limits_of(s, c);
      for (std::size_t k = 0; k < 4; ++k)  // the quintile records compare SII and RII only
        if (!std::isnan(v.limits[c][k]))
          limits.check(got[k], v.limits[c][k], v.limits[c][partner(k)], scale,
                       std::string(kLimitNames[k]) + " " + std::to_string(c + 1));
    }
  }
  EXPECT_EQ(t.rows(), 44u);
  testing::report(se_from_limits ? "SII/RII point estimates (SE from 95% limits)" : "SII/RII point estimates (SE given)",
                  static_cast<int>(t.rows()), check);
  std::printf(
      "[ stats    ] SII/RII simulated limits: worst %.3g of the package's half-width at 100,000 repetitions a side "
      "(tolerance %.2g); worst relative difference %.3g\n",
      limits.half_widths, kHalfWidths, limits.relative);
}

TEST(Sii, MatchesEveryPheIndicatorMethodsVectorWithTheStandardErrorsGiven) {
  SEVERN_REQUIRE_TESTDATA();
  run_vectors(false);
}

TEST(Sii, MatchesEveryPheIndicatorMethodsVectorWithStandardErrorsFromTheLimits) {
  SEVERN_REQUIRE_TESTDATA();
  run_vectors(true);
}

// How far the simulated limits lie from the package's, against how much they move between seeds:
// the figures in docs/methods.md. Not run by default (about a minute); run it with
//   build/release/tests/test_stats --gtest_also_run_disabled_tests --gtest_filter='Sii.DISABLED_*'
// Every vector runs at the repetitions the reference used, with standard errors from the 95%
// limits (what phe_sii does when it transforms), under seeds 1 to 10. For each limit:
//   spread = standard deviation over the seeds / |package's limit|
//   gap    = |Severn's limit at seed 1 - package's limit| / |package's limit|
// The package's limit is itself one draw with about the same spread, so where the methods agree
// gap / spread behaves like |N(0, 2)|: mostly under 3, now and then 4 or 5 among ~300 limits.
struct GapSummary {
  std::vector<double> gap, spread, ratio, mean_ratio;
};

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x.empty() ? 0 : x[x.size() / 2];
}

double largest(const std::vector<double>& x) { return x.empty() ? 0 : *std::max_element(x.begin(), x.end()); }

TEST(Sii, DISABLED_MeasureLimitGapsAgainstTheSpreadOverSeeds) {
  SEVERN_REQUIRE_TESTDATA();
  constexpr int kSeeds = 10;
  const CsvTable t = testing::load_vectors("sii_rii.csv");
  GapSummary summary[2];  // untransformed, transformed
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Vector v = read_vector(t, r, true);
    v.options.repetitions = v.reference_repetitions;
    std::vector<SiiResult> runs;
    for (int seed = 1; seed <= kSeeds; ++seed) {
      v.options.seed = static_cast<std::uint64_t>(seed);
      runs.push_back(sii(v.quantiles, v.options));
    }
    double worst_ratio = 0, worst_gap = 0;
    for (std::size_t c = 0; c < v.limits.size(); ++c)
      for (std::size_t k = 0; k < 4; ++k) {
        const double expected = v.limits[c][k];
        if (std::isnan(expected)) continue;
        double sum = 0, sum2 = 0;
        for (const auto& run : runs) sum += limits_of(run, c)[k];
        const double mean = sum / kSeeds;
        for (const auto& run : runs) sum2 += std::pow(limits_of(run, c)[k] - mean, 2);
        const double sd = std::sqrt(sum2 / (kSeeds - 1));
        const double gap = std::fabs(limits_of(runs[0], c)[k] - expected);
        GapSummary& g = summary[v.options.transform ? 1 : 0];
        g.gap.push_back(gap / std::fabs(expected));
        g.spread.push_back(sd / std::fabs(expected));
        g.ratio.push_back(gap / sd);
        g.mean_ratio.push_back(std::fabs(mean - expected) / sd);
        worst_ratio = std::max(worst_ratio, gap / sd);
        worst_gap = std::max(worst_gap, gap / std::fabs(expected));
      }
    std::printf("[ sii gap  ] %s %-12s reps %6d: worst gap %.2e, worst gap/spread %5.1f\n", v.id.c_str(),
                v.options.transform ? "transformed" : "natural", v.reference_repetitions, worst_gap, worst_ratio);
  }
  for (int transformed = 0; transformed < 2; ++transformed) {
    const GapSummary& g = summary[transformed];
    std::printf(
        "[ sii gap  ] %s: %zu limits; gap median %.2e max %.2e; spread median %.2e; gap/spread median %.2f max "
        "%.2f; |mean of %d seeds - package|/spread max %.2f\n",
        transformed ? "transformed" : "untransformed", g.gap.size(), median(g.gap), largest(g.gap), median(g.spread),
        median(g.ratio), largest(g.ratio), kSeeds, largest(g.mean_ratio));
  }
}

std::vector<SiiQuantile> deciles() {
  std::vector<SiiQuantile> q;
  for (int i = 0; i < 10; ++i) q.push_back({1000.0 + 100 * i, 70.0 + i, 1.5});
  return q;
}

TEST(Sii, TheSameSeedGivesTheSameLimits) {
  SiiOptions o;
  o.repetitions = 2000;
  const auto q = deciles();
  const SiiResult a = sii(q, o), b = sii(q, o);
  EXPECT_EQ(a.sii_limits[0].lower, b.sii_limits[0].lower);
  o.seed = 2;
  EXPECT_NE(sii(q, o).sii_limits[0].lower, a.sii_limits[0].lower);
}

TEST(Sii, ALinearGradientIsRecoveredExactly) {
  // Values rising by 1 per decile of equal size span 10 over ranks 0.05 to 0.95, so 10 per unit rank.
  std::vector<SiiQuantile> q;
  for (int i = 0; i < 10; ++i) q.push_back({500, 60.0 + i, 1});
  SiiOptions o;
  o.repetitions = 1000;
  const SiiResult s = sii(q, o);
  EXPECT_NEAR(s.sii, 10, 1e-12);
  EXPECT_NEAR(s.intercept, 59.5, 1e-12);
  EXPECT_NEAR(s.rii, 69.5 / 59.5, 1e-12);
}

// The package's workbooks transform only with multipliers of 1 and -1, where |multiplier| leaves
// the intercept alone. These four vectors (records 306-345) refitted at 100 and -100: the expected
// values are from tests/stats/sii_reference.py, which applies phe_sii's transform-branch formulas
// (v2.1.0, R/SII_function.R: sii = (at1 - at0) multiplier, rii = at1 / at0 inverted when the
// multiplier is negative, intercept = at0 |multiplier|) in 40-digit decimal arithmetic.
struct TransformedReference {
  const char* vector;
  double multiplier, sii, rii, intercept;
};
constexpr TransformedReference kTransformedMultiplierReference[] = {
    {"sii-025", 100, -315.59071389545630, 0.44188484360768198, 565.45806054694725},
    {"sii-025", -100, 315.59071389545630, 2.2630330378288074, 565.45806054694725},
    {"sii-026", 100, -229.54691808474083, 0.54461447597370493, 504.07161838435213},
    {"sii-026", -100, 229.54691808474083, 1.8361612555599458, 504.07161838435213},
    {"sii-027", 100, -10.964626111259081, 0.53417757432539409, 23.538210070887132},
    {"sii-027", -100, 10.964626111259081, 1.8720366560930361, 23.538210070887132},
    {"sii-028", 100, -5.9700616439929021, 0.54720744261319801, 13.184981834612897},
    {"sii-028", -100, 5.9700616439929021, 1.8274605243387842, 13.184981834612897},
};

TEST(Sii, TransformedInterceptIsScaledByTheMultipliersSize) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable t = testing::load_vectors("sii_rii.csv");
  Checker check;
  for (const auto& want : kTransformedMultiplierReference) {
    SCOPED_TRACE(std::string(want.vector) + " x " + testing::full(want.multiplier));
    std::size_t r = 0;
    while (r < t.rows() && t.cell(r, "vector_id") != want.vector) ++r;
    ASSERT_LT(r, t.rows());
    Vector v = read_vector(t, r, true);
    ASSERT_TRUE(v.options.transform);
    v.options.multiplier = want.multiplier;
    v.options.repetitions = 1000;
    const SiiResult s = sii(v.quantiles, v.options);
    check.close(s.sii, want.sii, "sii");
    check.close(s.rii, want.rii, "rii");
    check.close(s.intercept, want.intercept, "intercept");
  }
  testing::report("SII/RII/intercept, transformed, multiplier +-100 (sii_reference.py)", 8, check);
}

// Untransformed, the package reports the intercept as fitted, whatever the multiplier.
TEST(Sii, UntransformedInterceptIsNotScaled) {
  SiiOptions o;
  o.repetitions = 1000;
  const auto q = deciles();
  const double intercept = sii(q, o).intercept;
  o.multiplier = -100;
  EXPECT_EQ(sii(q, o).intercept, intercept);
}

// Transformed, the limits come from the slope's limits on the log or logit scale, so a multiplier
// only scales the SII limits, and a negative one swaps them and inverts the RII's
// (phe_sii's transform branch: sii_lower/upper and rii_lower/upper when multiplier < 0).
TEST(Sii, TransformedLimitsScaleWithTheMultiplierAndTurnWithItsSign) {
  for (const SiiValueType type : {SiiValueType::kRate, SiiValueType::kProportion}) {
    std::vector<SiiQuantile> q;
    for (int i = 0; i < 10; ++i)
      q.push_back({1000.0 + 100 * i, type == SiiValueType::kRate ? 8.0 - 0.5 * i : 0.30 - 0.02 * i, 0.08});
    SiiOptions o;
    o.type = type;
    o.transform = true;
    o.repetitions = 2000;
    o.confidence = {0.95, 0.998};
    const SiiResult one = sii(q, o);
    o.multiplier = 100;
    const SiiResult hundred = sii(q, o);
    o.multiplier = -100;
    const SiiResult turned = sii(q, o);
    for (std::size_t c = 0; c < o.confidence.size(); ++c) {
      EXPECT_DOUBLE_EQ(hundred.sii_limits[c].lower, 100 * one.sii_limits[c].lower);
      EXPECT_DOUBLE_EQ(hundred.sii_limits[c].upper, 100 * one.sii_limits[c].upper);
      EXPECT_DOUBLE_EQ(hundred.rii_limits[c].lower, one.rii_limits[c].lower);
      EXPECT_DOUBLE_EQ(hundred.rii_limits[c].upper, one.rii_limits[c].upper);
      EXPECT_DOUBLE_EQ(turned.sii_limits[c].lower, -100 * one.sii_limits[c].upper);
      EXPECT_DOUBLE_EQ(turned.sii_limits[c].upper, -100 * one.sii_limits[c].lower);
      EXPECT_DOUBLE_EQ(turned.rii_limits[c].lower, 1 / one.rii_limits[c].upper);
      EXPECT_DOUBLE_EQ(turned.rii_limits[c].upper, 1 / one.rii_limits[c].lower);
      EXPECT_LT(turned.sii_limits[c].lower, turned.sii_limits[c].upper);
      EXPECT_LT(turned.rii_limits[c].lower, turned.rii_limits[c].upper);
    }
    EXPECT_DOUBLE_EQ(turned.intercept, 100 * one.intercept);
    EXPECT_DOUBLE_EQ(turned.rii, 1 / one.rii);
  }
}

// On the log scale a line through the fitted midpoint m with slope s has ends e^(m - s/2) and
// e^(m + s/2): its RII is e^s and its SII e^m (e^(s/2) - e^(-s/2)), with e^m = sqrt(at0 at1) from
// the point estimates. Every limit pair must be one such line: the simulated intercepts play no part.
TEST(Sii, LogTransformedLimitsAreLinesThroughTheFittedMidpoint) {
  std::vector<SiiQuantile> q;
  for (int i = 0; i < 10; ++i) q.push_back({800.0 + 150 * i, 9.0 - 0.6 * i, 0.1});
  SiiOptions o;
  o.type = SiiValueType::kRate;
  o.transform = true;
  o.repetitions = 2000;
  const SiiResult s = sii(q, o);
  const double at0 = s.intercept, at1 = s.intercept + s.sii, middle = std::sqrt(at0 * at1);
  for (const auto& [sii_limit, rii_limit] : {std::pair{s.sii_limits[0].lower, s.rii_limits[0].lower},
                                              std::pair{s.sii_limits[0].upper, s.rii_limits[0].upper}}) {
    const double half = std::sqrt(rii_limit);
    EXPECT_NEAR(sii_limit, middle * (half - 1 / half), 1e-12 * std::fabs(sii_limit));
  }
}

// The error cases testSII.R asserts: too few or too many quantiles, a zero or missing population.
TEST(Sii, RejectsImpossibleInputs) {
  auto q = deciles();
  EXPECT_THROW(sii(std::span(q).first(4), SiiOptions{}), ArgumentError);
  std::vector<SiiQuantile> many(101, {100, 5, 1});
  EXPECT_THROW(sii(many, SiiOptions{}), ArgumentError);
  q[3].population = 0;
  EXPECT_THROW(sii(q, SiiOptions{}), ArgumentError);
  q[3].population = std::nan("");
  EXPECT_THROW(sii(q, SiiOptions{}), ArgumentError);
  q = deciles();
  SiiOptions o;
  o.repetitions = 999;
  EXPECT_THROW(sii(q, o), ArgumentError);
  o = SiiOptions{};
  o.type = SiiValueType::kProportion;  // values of 70 are not proportions
  EXPECT_THROW(sii(q, o), ArgumentError);
}

}  // namespace
}  // namespace severn::stats
