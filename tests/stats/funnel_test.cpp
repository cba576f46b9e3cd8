// Funnel-plot control limits against PHEindicatormethods' funnel test data (funnel_vectors.h: the
// package's testdata_funnel_*.csv) and against independent mpmath values (funnel_reference.py).
//
// How closely each set can agree:
// - Proportions: the package's limits are target -/+ z sqrt(target (1 - target) / n) written in a
//   longer algebraic form; its files print them to 6 or 8 decimals, so they are held to half a unit
//   in the last printed place.
// - Counts, rates and ratios: the package finds each point of the curve by bisection, stopping when
//   the step in v = mu / (1 + events + mu) falls below 1e-7 (R/utils.R, poisson_funnel), so its
//   points are only good to about 1e-6 relative (more where v is near 0 or 1). Severn solves the
//   same equation exactly (Boost's gamma_p_inva); the independent mpmath values check that to
//   1e-9, and the package's curves are held to kBisectionTolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "funnel_vectors.h"
#include "stats/stats.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;

// The package's bisection (see above) leaves up to about 1e-5 relative in its Poisson points.
constexpr double kBisectionTolerance = 2e-5;

CsvTable table(const char* text, const char* name) { return CsvTable::parse(text, name); }

// Checks |actual - expected| <= half a unit in the last place the vector prints, and keeps the
// worst error as a fraction of that allowance.
class DecimalChecker {
 public:
  void close(double actual, const std::string& expected, const std::string& what) {
    ++compared_;
    const std::size_t point = expected.find('.');
    const int places = point == std::string::npos ? 0 : static_cast<int>(expected.size() - point - 1);
    const double allowance = 0.5 * std::pow(10.0, -places) * (1 + 1e-9);
    const double error = std::fabs(actual - number(expected));
    if (!(error <= allowance))
      ADD_FAILURE() << what << ": got " << testing::full(actual) << ", expected " << expected << " (to " << places
                    << " decimals)";
    else
      worst_ = std::max(worst_, error / allowance);
  }
  int compared() const { return compared_; }
  double worst() const { return worst_; }

 private:
  int compared_ = 0;
  double worst_ = 0;
};

// Relative error against the package's bisected points, with the worst kept.
class RelativeChecker {
 public:
  explicit RelativeChecker(double tolerance) : tolerance_(tolerance) {}
  void close(double actual, double expected, const std::string& what) {
    ++compared_;
    const double rel = std::fabs(actual / expected - 1);
    if (!(rel <= tolerance_))
      ADD_FAILURE() << what << ": got " << testing::full(actual) << ", expected " << testing::full(expected)
                    << ", relative error " << rel;
    else
      worst_ = std::max(worst_, rel);
  }
  int compared() const { return compared_; }
  double worst() const { return worst_; }

 private:
  double tolerance_;
  int compared_ = 0;
  double worst_ = 0;
};

// assign_funnel_significance's labels.
std::string package_label(int significance) {
  switch (significance) {
    case -2: return "Low (0.001)";
    case -1: return "Low (0.025)";
    case 1: return "High (0.025)";
    case 2: return "High (0.001)";
    default: return "Not significant";
  }
}

// The pooled proportion of kPropInputs, over the rows whose denominator is below `below`.
double pooled_proportion(const CsvTable& in, double below) {
  double x = 0, n = 0;
  for (std::size_t r = 0; r < in.rows(); ++r) {
    if (!(number(in.cell(r, "denominator")) < below)) continue;
    x += number(in.cell(r, "numerator"));
    n += number(in.cell(r, "denominator"));
  }
  return x / n;
}

void check_proportion_curve(const char* outputs, const char* name, double below, int* points,
                            DecimalChecker& check) {
  const CsvTable in = table(testing::funnel::kPropInputs, "testdata_funnel_prop_inputs.csv");
  const CsvTable out = table(outputs, name);
  double min = INFINITY, max = 0;
  for (std::size_t r = 0; r < in.rows(); ++r) {
    const double n = number(in.cell(r, "denominator"));
    if (!(n < below)) continue;
    min = std::min(min, n);
    max = std::max(max, n);
  }
  const double target = pooled_proportion(in, below);
  const std::vector<double> grid = funnel_curve_denominators(min, max, 100);
  ASSERT_EQ(grid.size(), out.rows());
  for (std::size_t r = 0; r < out.rows(); ++r) {
    SCOPED_TRACE(std::string(name) + " row " + std::to_string(r + 2));
    const auto cell = [&](const char* c) -> const std::string& { return out.cell(r, c); };
    EXPECT_EQ(grid[r], number(cell("Population")));
    const Limits l95 = funnel_proportion_limits(target, grid[r], 0.95);
    const Limits l998 = funnel_proportion_limits(target, grid[r], 0.998);
    check.close(l95.lower * 100, cell("Lower2s0025limit"), "lower 95%");
    check.close(l95.upper * 100, cell("Upper2s0025limit"), "upper 95%");
    check.close(l998.lower * 100, cell("Lower3s0001limit"), "lower 99.8%");
    check.close(l998.upper * 100, cell("Upper3s0001limit"), "upper 99.8%");
    check.close(target * 100, cell("Baseline"), "baseline");
    ++*points;
  }
}

TEST(FunnelProportion, CurvesMatchPheIndicatorMethods) {
  DecimalChecker check;
  int points = 0;
  // All 303 inputs: the denominators span more than a factor of 2, so the axis starts at 0.
  check_proportion_curve(testing::funnel::kPropOutputs, "testdata_funnel_prop_outputs.csv", INFINITY, &points, check);
  // Only those below 31000: the axis starts at 10000.
  check_proportion_curve(testing::funnel::kPropOutputsAxisVariation, "testdata_funnel_prop_outputs_with_axis_variation.csv",
                         31000, &points, check);
  EXPECT_EQ(points, 200);
  std::printf("[ stats    ] funnel proportion curves: %d points (denominators exact), %d numbers to their printed "
              "decimals; worst error %.3g of half a unit in the last place\n",
              points, check.compared(), check.worst());
}

TEST(FunnelProportion, SignificanceMatchesEveryPackageLabel) {
  const CsvTable in = table(testing::funnel::kPropInputs, "testdata_funnel_prop_inputs.csv");
  const double target = pooled_proportion(in, INFINITY);
  int outside = 0;
  for (std::size_t r = 0; r < in.rows(); ++r) {
    const double x = number(in.cell(r, "numerator")), n = number(in.cell(r, "denominator"));
    const int s = funnel_significance(x / n, funnel_proportion_limits(target, n, 0.95),
                                      funnel_proportion_limits(target, n, 0.998));
    EXPECT_EQ(package_label(s), in.cell(r, "significance")) << "testdata_funnel_prop_inputs.csv row " << r + 2;
    outside += s != 0;
  }
  EXPECT_EQ(in.rows(), 303u);
  EXPECT_GT(outside, 200);  // most of these PCTs lie outside: the labels test every branch
  std::printf("[ stats    ] funnel proportion significance: %zu labels\n", in.rows());
}

// calculate_funnel_limits(statistic = "ratio"): for each whole number of observed events the
// package gives the expected events at which it lies on a limit; at those expected events the
// limit (times 100) is what it prints.
TEST(FunnelRatio, CurveMatchesPheIndicatorMethods) {
  const CsvTable out = table(testing::funnel::kRatioOutputs, "testdata_funnel_ratio_outputs.csv");
  RelativeChecker check(kBisectionTolerance);
  for (std::size_t r = 0; r < out.rows(); ++r) {
    SCOPED_TRACE("testdata_funnel_ratio_outputs.csv row " + std::to_string(r + 2));
    const auto cell = [&](const std::string& c) { return number(out.cell(r, c)); };
    for (const char* side : {"lower", "upper"})
      for (const auto& [level, confidence] : {std::pair{"2s", 0.95}, std::pair{"3s", 0.998}}) {
        const std::string prefix = std::string(side) + "_" + level + "_";
        const double expected = cell(prefix + "exp_events");
        const Limits isr = funnel_ratio_limits(100, expected, confidence, 100);
        const Limits ratio = funnel_ratio_limits(1, expected, confidence);
        check.close(side[0] == 'l' ? isr.lower : isr.upper, cell(prefix + "isr"), prefix + "isr");
        // ratio_type "count" writes the ratio less 1; compared as the ratio it comes from.
        check.close((side[0] == 'l' ? ratio.lower : ratio.upper), cell(prefix + "count") + 1, prefix + "count");
      }
  }
  EXPECT_EQ(out.rows(), 100u);
  std::printf("[ stats    ] funnel ratio curve: %zu points, %d limits; worst relative error %.3g (the package "
              "bisects to about 1e-6)\n",
              out.rows(), check.compared(), check.worst());
}

TEST(FunnelRatio, SignificanceMatchesEveryPackageLabel) {
  const CsvTable in = table(testing::funnel::kRatioInputs, "testdata_funnel_ratio_inputs.csv");
  for (std::size_t r = 0; r < in.rows(); ++r) {
    const double o = number(in.cell(r, "obs")), e = number(in.cell(r, "expected"));
    const int s = funnel_significance(o / e, funnel_ratio_limits(1, e, 0.95), funnel_ratio_limits(1, e, 0.998));
    EXPECT_EQ(package_label(s), in.cell(r, "significance")) << "testdata_funnel_ratio_inputs.csv row " << r + 2;
  }
  EXPECT_EQ(in.rows(), 300u);
  std::printf("[ stats    ] funnel ratio significance: %zu labels\n", in.rows());
}

// One of the package's rate curves: for each whole number of events, the population (per year of
// `years`) at which it lies on each limit, and the limit per 100,000 there.
void check_rate_curve(const char* outputs, const char* name, double target, RelativeChecker& check, int* points) {
  const CsvTable out = table(outputs, name);
  constexpr double kYears = 3, kMultiplier = 1e5;
  for (std::size_t r = 0; r < out.rows(); ++r) {
    SCOPED_TRACE(std::string(name) + " row " + std::to_string(r + 2));
    const auto cell = [&](const std::string& c) { return number(out.cell(r, c)); };
    Checker baseline;
    baseline.close(target, cell("baseline"), "baseline");
    for (const char* side : {"lower", "upper"})
      for (const auto& [level, confidence] : {std::pair{"2s", 0.95}, std::pair{"3s", 0.998}}) {
        const std::string prefix = std::string(side) + "_" + level + "_";
        const double n = cell(prefix + "population_1_year") * kYears;
        const Limits l = funnel_rate_limits(target, n, confidence, kMultiplier);
        check.close(side[0] == 'l' ? l.lower : l.upper, cell(prefix + "limit"), prefix + "limit");
      }
    ++*points;
  }
}

// The pooled rate per 100,000 of (events, rate) units whose population is 100000 * events / rate
// (PHEindicatormethods' derived denominator).
double pooled_rate(const std::vector<std::pair<double, double>>& units) {
  double events = 0, population = 0;
  for (const auto& [e, rate] : units) {
    events += e;
    population += 1e5 * e / rate;
  }
  return events / population * 1e5;
}

TEST(FunnelRate, CurvesMatchPheIndicatorMethods) {
  const CsvTable in = table(testing::funnel::kRateInputFunnels, "testdata_funnel_rate_input_funnels.csv");
  std::vector<std::pair<double, double>> units;
  double most = 0;
  for (std::size_t r = 0; r < in.rows(); ++r) {
    units.push_back({number(in.cell(r, "ev")), number(in.cell(r, "rate"))});
    most = std::max(most, units.back().first);
  }
  RelativeChecker check(kBisectionTolerance);
  int points = 0;
  // rate_type "dsr": every unit's population derived from its events and rate.
  check_rate_curve(testing::funnel::kRateOutputs, "testdata_funnel_rate_outputs.csv", pooled_rate(units), check, &points);
  // rate_type "crude", the unit with the most events given 5 instead.
  auto five = units;
  for (auto& u : five)
    if (u.first == most) u.first = 5;
  check_rate_curve(testing::funnel::kRateOutputs2, "testdata_funnel_rate_outputs_2.csv", pooled_rate(five), check, &points);
  // rate_type "crude" with populations given, the unit with the most events given 0 events, and
  // only the units with a population above half the largest.
  double events = 0, population = 0, largest = 0;
  for (const auto& [e, rate] : units) largest = std::max(largest, 1e5 * e / rate);
  for (const auto& [e, rate] : units) {
    const double pop = 1e5 * e / rate;
    if (!(pop > largest / 2)) continue;
    events += e == most ? 0 : e;
    population += pop;
  }
  check_rate_curve(testing::funnel::kRateOutputs3, "testdata_funnel_rate_outputs_3.csv", events / population * 1e5, check,
                   &points);
  EXPECT_EQ(points, 142);
  std::printf("[ stats    ] funnel rate curves (dsr and crude): %d points, %d limits; worst relative error %.3g "
              "(the package bisects to about 1e-6); targets to 1e-9\n",
              points, check.compared(), check.worst());
}

// assign_funnel_significance(statistic = "rate") on testdata_funnel_rate_dsr_inputs.csv: DSRs
// (population derived from events and rate; no label below 10 events) and crude rates, per
// 100,000 and per 100, with and without the unit of 0 events.
TEST(FunnelRate, SignificanceMatchesEveryPackageLabel) {
  const CsvTable in = table(testing::funnel::kRateDsrInputs, "testdata_funnel_rate_dsr_inputs.csv");
  struct Variant {
    const char* label;
    bool dsr, with_zero;
    const char* rate;
    double multiplier;
  };
  int labels = 0;
  for (const Variant& v : {Variant{"dsr_per_100000_with_0", true, true, "rate_dsr", 1e5},
                           Variant{"dsr_per_100_with_0", true, true, "rate_dsr", 100},
                           Variant{"dsr_per_100000_without_0", true, false, "rate_dsr", 1e5},
                           Variant{"dsr_per_100_without_0", true, false, "rate_dsr", 100},
                           Variant{"crude_per_100000_with_0", false, true, "rate_crude_per_100000", 1e5},
                           Variant{"crude_per_100_with_0", false, true, "rate_crude_per_100", 100},
                           Variant{"crude_per_100000_without_0", false, false, "rate_crude_per_100000", 1e5},
                           Variant{"crude_per_100_without_0", false, false, "rate_crude_per_100", 100}}) {
    SCOPED_TRACE(v.label);
    // A DSR's population is multiplier * events / rate (none for 0 events); a crude rate's is its
    // population.
    std::vector<double> population(in.rows(), NAN);
    double events = 0, total = 0;
    for (std::size_t r = 0; r < in.rows(); ++r) {
      const double e = number(in.cell(r, "count"));
      if (!v.with_zero && e == 0) continue;
      population[r] = v.dsr ? (e == 0 ? NAN : v.multiplier * e / number(in.cell(r, v.rate))) : number(in.cell(r, "pop"));
      events += e;
      if (!std::isnan(population[r])) total += population[r];
    }
    const double target = events / total * v.multiplier;
    for (std::size_t r = 0; r < in.rows(); ++r) {
      const double e = number(in.cell(r, "count"));
      if (!v.with_zero && e == 0) continue;
      std::string got;
      if (v.dsr && e < 10) {
        got = "Not applicable for events less than 10 for dsrs";
      } else {
        const double value = e / population[r] * v.multiplier;
        got = package_label(funnel_significance(value, funnel_rate_limits(target, population[r], 0.95, v.multiplier),
                                                funnel_rate_limits(target, population[r], 0.998, v.multiplier)));
      }
      EXPECT_EQ(got, in.cell(r, v.label)) << "row " << r + 2;
      ++labels;
    }
  }
  EXPECT_EQ(labels, 4 * 40 + 4 * 39);
  std::printf("[ stats    ] funnel rate significance: %d labels (8 variants)\n", labels);
}

TEST(FunnelCount, MatchesIndependentReference) {
  const CsvTable ref = table(testing::funnel::kCountLimitsReference, "funnel_reference.py");
  Checker check;
  for (std::size_t r = 0; r < ref.rows(); ++r) {
    SCOPED_TRACE("expected " + ref.cell(r, 0) + " at " + ref.cell(r, 1));
    const Limits l = funnel_count_limits(number(ref.cell(r, "expected")), number(ref.cell(r, "confidence")));
    check.close(l.lower, number(ref.cell(r, "lower")), "lower");
    check.close(l.upper, number(ref.cell(r, "upper")), "upper");
  }
  const CsvTable p = table(testing::funnel::kProportionLimitsReference, "funnel_reference.py");
  for (std::size_t r = 0; r < p.rows(); ++r) {
    SCOPED_TRACE("proportion " + p.cell(r, 0) + " of " + p.cell(r, 1) + " at " + p.cell(r, 2));
    const Limits l = funnel_proportion_limits(number(p.cell(r, "target")), number(p.cell(r, "denominator")),
                                              number(p.cell(r, "confidence")));
    check.close(l.lower, number(p.cell(r, "lower")), "lower");
    check.close(l.upper, number(p.cell(r, "upper")), "upper");
  }
  EXPECT_EQ(ref.rows() + p.rows(), 30u);
  testing::report("funnel limits against mpmath (counts, proportions)", static_cast<int>(ref.rows() + p.rows()),
                  check);
}

// A unit with a whole number of events lies exactly on the limits at the expected counts where its
// exact confidence interval reaches the target (the property the package's curves are drawn from).
TEST(FunnelCount, AWholeCountLiesOnTheLimitWhereItsExactIntervalReachesTheTarget) {
  for (const double confidence : {0.95, 0.998})
    for (int x = 1; x <= 300; x += (x < 20 ? 1 : 17)) {
      const Limits exact = exact_poisson_limits(x, confidence);
      EXPECT_NEAR(funnel_count_limits(exact.upper, confidence).lower, x, 1e-9 * x) << x << " at " << confidence;
      EXPECT_NEAR(funnel_count_limits(exact.lower, confidence).upper, x, 1e-9 * x) << x << " at " << confidence;
    }
}

// A proportion on a funnel limit has a Wilson interval that just reaches the target.
TEST(FunnelProportion, AProportionOnTheLimitHasAWilsonLimitAtTheTarget) {
  for (const double n : {20.0, 137.0, 5000.0})
    for (const double target : {0.05, 0.4, 0.93}) {
      const Limits l = funnel_proportion_limits(target, n, 0.998);
      if (l.lower > 0) {
        EXPECT_NEAR(wilson_limits(l.lower * n, n, 0.998).upper, target, 1e-12);
      }
      if (l.upper < 1) {
        EXPECT_NEAR(wilson_limits(l.upper * n, n, 0.998).lower, target, 1e-12);
      }
    }
}

TEST(FunnelLimits, NarrowWithTheDenominatorAndScaleWithTheMultiplier) {
  Limits previous{-INFINITY, INFINITY};
  for (const double n : {10.0, 100.0, 1000.0, 1e4, 1e5}) {
    const Limits l = funnel_rate_limits(250, n, 0.95, 1e5);
    EXPECT_GE(l.lower, previous.lower);
    EXPECT_LT(l.upper, previous.upper);
    EXPECT_LT(l.lower, 250);
    EXPECT_GT(l.upper, 250);
    previous = l;
    const Limits per_person = funnel_rate_limits(0.0025, n, 0.95, 1);
    EXPECT_NEAR(per_person.lower * 1e5, l.lower, 1e-9 * l.upper);
    EXPECT_NEAR(per_person.upper * 1e5, l.upper, 1e-9 * l.upper);
  }
  // An SMR-scale ratio is the plain ratio times 100.
  const Limits ratio = funnel_ratio_limits(1, 42.5, 0.998), smr = funnel_ratio_limits(100, 42.5, 0.998, 100);
  EXPECT_NEAR(smr.lower, ratio.lower * 100, 1e-12);
  EXPECT_NEAR(smr.upper, ratio.upper * 100, 1e-12);
  // A rate funnel at population n around target t is the ratio funnel at t * n expected events.
  const Limits rate = funnel_rate_limits(0.02, 400, 0.95, 1), by_ratio = funnel_ratio_limits(1, 8, 0.95);
  EXPECT_NEAR(rate.lower, by_ratio.lower * 0.02, 1e-15);
  EXPECT_NEAR(rate.upper, by_ratio.upper * 0.02, 1e-15);
}

TEST(FunnelLimits, EdgeCases) {
  // Small denominators: proportions kept within 0..1; counts have no lower limit below one event's
  // worth of expectation.
  const Limits p = funnel_proportion_limits(0.8, 1, 0.998);
  EXPECT_EQ(p.lower, 0.0);
  EXPECT_EQ(p.upper, 1.0);
  EXPECT_EQ(funnel_count_limits(0.5, 0.95).lower, 0.0);
  EXPECT_GT(funnel_count_limits(0.5, 0.95).upper, 0.5);
  // A target of 0: every event is above it.
  EXPECT_EQ(funnel_count_limits(0, 0.95).upper, 0.0);
  EXPECT_EQ(funnel_significance(0.001, funnel_rate_limits(0, 100, 0.95, 1), funnel_rate_limits(0, 100, 0.998, 1)), 2);
  // Confidence 1: the whole range.
  EXPECT_EQ(funnel_proportion_limits(0.3, 10, 1).lower, 0.0);
  EXPECT_EQ(funnel_proportion_limits(0.3, 10, 1).upper, 1.0);
  EXPECT_TRUE(std::isinf(funnel_count_limits(10, 1).upper));
  // No denominator, or a missing one: no limits.
  EXPECT_TRUE(std::isnan(funnel_proportion_limits(0.3, 0, 0.95).lower));
  EXPECT_TRUE(std::isnan(funnel_rate_limits(10, NAN, 0.95, 1000).upper));
  EXPECT_TRUE(std::isnan(funnel_ratio_limits(1, 0, 0.95).upper));
  EXPECT_TRUE(std::isnan(funnel_proportion_limits(NAN, 10, 0.95).upper));
}

TEST(FunnelLimits, RejectImpossibleInputs) {
  EXPECT_THROW(funnel_proportion_limits(1.2, 10, 0.95), ArgumentError);
  EXPECT_THROW(funnel_proportion_limits(-0.1, 10, 0.95), ArgumentError);
  EXPECT_THROW(funnel_proportion_limits(0.5, -10, 0.95), ArgumentError);
  EXPECT_THROW(funnel_proportion_limits(0.5, 10, 0.8), ArgumentError);
  EXPECT_THROW(funnel_rate_limits(-5, 10, 0.95, 1000), ArgumentError);
  EXPECT_THROW(funnel_rate_limits(5, 10, 0.95, 0), ArgumentError);
  EXPECT_THROW(funnel_ratio_limits(1, -3, 0.95), ArgumentError);
  EXPECT_THROW(funnel_count_limits(-1, 0.95), ArgumentError);
  EXPECT_THROW(funnel_curve_denominators(10, 100, 1), ArgumentError);
  EXPECT_THROW(funnel_curve_denominators(100, 10, 100), ArgumentError);
  try {
    funnel_proportion_limits(1.5, 10, 0.95);
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.argument(), "target");
    EXPECT_EQ(e.reason(), "a proportion's target must lie between 0 and 1, not 1.5");
  }
}

TEST(FunnelSignificance, StrictlyOutsideEachLimit) {
  const Limits l95{10, 20}, l998{5, 25};
  EXPECT_EQ(funnel_significance(4.9, l95, l998), -2);
  EXPECT_EQ(funnel_significance(5, l95, l998), -1);  // on the 99.8% limit: not below it
  EXPECT_EQ(funnel_significance(9.9, l95, l998), -1);
  EXPECT_EQ(funnel_significance(10, l95, l998), 0);
  EXPECT_EQ(funnel_significance(20, l95, l998), 0);
  EXPECT_EQ(funnel_significance(20.1, l95, l998), 1);
  EXPECT_EQ(funnel_significance(25, l95, l998), 1);
  EXPECT_EQ(funnel_significance(25.1, l95, l998), 2);
  EXPECT_EQ(funnel_significance(NAN, l95, l998), 0);
  EXPECT_STREQ(funnel_significance_text(-2), "below 99.8% limit");
  EXPECT_STREQ(funnel_significance_text(1), "above 95% limit");
  EXPECT_STREQ(funnel_significance_text(0), "within limits");
}

TEST(FunnelCurve, DenominatorsRiseFromANeatStartToANeatEnd) {
  // Wide spread: from 1 to 1.05 x 98765 rounded up to two figures.
  auto d = funnel_curve_denominators(120, 98765, 50);
  ASSERT_EQ(d.size(), 50u);
  EXPECT_EQ(d.front(), 1);
  EXPECT_EQ(d.back(), 110000);
  for (std::size_t i = 1; i < d.size(); ++i) {
    EXPECT_GT(d[i], d[i - 1]);
    EXPECT_EQ(d[i], std::floor(d[i]));
  }
  // Narrow spread: from 0.95 x 4321 rounded down to one figure.
  d = funnel_curve_denominators(4321, 8000, 2);
  EXPECT_EQ(d, (std::vector<double>{4000, 8400}));
  // Tiny denominators still rise by whole numbers.
  d = funnel_curve_denominators(1, 3, 10);
  EXPECT_EQ(d.front(), 1);
  EXPECT_EQ(d[1], 2);
  EXPECT_GE(d.back(), 10);
}

}  // namespace
}  // namespace severn::stats
