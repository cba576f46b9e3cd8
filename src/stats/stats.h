// Indicator statistics with confidence limits, as OHID (formerly PHE) publishes them and as the
// R package PHEindicatormethods computes them (issue 5). docs/methods.md explains each method,
// its formula and its source, and says when to use it.
//
// Conventions, for every function here:
// - Missing is NaN. A missing input (R's NA) gives a missing value and missing limits, never an
//   error; a limit that a method cannot give (Byar's lower limit below zero) is NaN too.
// - confidence is a two-sided level written as a fraction: 0.95, 0.998, 0.99 ... It must lie in
//   [0.9, 1], the range PHEindicatormethods accepts. At 1 the limits are the whole range
//   (Wilson: 0 and 1; counts: 0 or NaN below, infinity above).
// - Counts are events or persons and may be non-integer (weighted counts); populations are
//   persons or person-years. A denominator of 0 gives no value (NaN), as `severn run` writes a
//   measure with nobody in its denominator; a negative one is an error.
// - multiplier scales value and limits alike: 1 gives a proportion or ratio, 100 a percentage,
//   100000 a rate per 100,000.
// - SII (below) is the one method whose limits are simulated rather than computed.
// - Invalid inputs (negative counts, a numerator above its denominator for a proportion, a
//   confidence outside [0.9, 1]) throw ArgumentError, which names the argument at fault.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace severn::stats {

class ArgumentError : public InputError {
 public:
  ArgumentError(std::string argument, const std::string& reason)
      : InputError(argument + ": " + reason), argument_(std::move(argument)), reason_(reason) {}
  const std::string& argument() const { return argument_; }  // e.g. "numerator"
  const std::string& reason() const { return reason_; }

 private:
  std::string argument_, reason_;
};

// How the limits were computed.
enum class Method {
  kNone,      // no limits: an input was missing
  kWilson,    // Wilson score interval for a proportion
  kByar,      // Byar's approximation to the Poisson limits of a count
  kExact,     // exact Poisson limits from the chi-square distribution (counts below 10)
  kStudentT,  // mean +/- t(n-1) * s / sqrt(n)
  kDobson,    // Dobson's method for a directly standardised rate
};
const char* method_name(Method m);  // as PHEindicatormethods writes it: "Wilson", "Byars", ...

struct Limits {
  double lower, upper;
};

struct Estimate {
  double value, lower, upper;
  Method method = Method::kNone;
};

// --- Building blocks -------------------------------------------------------------------------

// The standard normal quantile z with P(-z < Z < z) = confidence.
double two_sided_z(double confidence);

// Wilson score limits of the proportion x/n, as fractions 0..1 (Wilson 1927).
Limits wilson_limits(double x, double n, double confidence);
// Byar's approximate Poisson limits of a count x (Breslow & Day 1987, vol. II, p. 69). The lower
// limit is NaN where the approximation falls below zero.
Limits byar_limits(double x, double confidence);
// Exact Poisson limits of a count x from chi-square quantiles (Garwood 1936).
Limits exact_poisson_limits(double x, double confidence);
// OHID's rule: exact limits for x < 10, Byar's for x >= 10. Sets *method.
Limits poisson_limits(double x, double confidence, Method* method);

// --- Indicators -----------------------------------------------------------------------------

// x of n as a proportion times multiplier (1: proportion, 100: percentage), Wilson limits.
// x may not exceed n.
Estimate proportion(double x, double n, double confidence, double multiplier = 1);

// Crude rate x / n times multiplier; exact limits for x < 10, Byar's above. x may exceed n.
// The method follows x alone (as PHEindicatormethods reports it), even where n is missing.
Estimate crude_rate(double x, double n, double confidence, double multiplier = 100000);

// Mean of the values with Student-t limits (sample standard deviation, n - 1 degrees of freedom).
// A missing value makes the mean missing; fewer than 2 values give no limits.
struct MeanEstimate {
  Estimate estimate;
  double sum, count, sd;
};
MeanEstimate mean(std::span<const double> values, double confidence);

// Directly standardised rate with Dobson limits (Dobson et al. 1991), per multiplier persons of
// the standard population. One band per age group (or other standardising category): the band's
// events (missing = 0), population (> 0) and standard population weight (>= 0; for ESP 2013
// see refdata::load_esp2013).
struct DsrBand {
  double count, population, standard;
};
// OHID suppresses a DSR whose total count is below 10: value and limits are NaN then.
inline constexpr double kDsrMinimumCount = 10;
Estimate dsr(std::span<const DsrBand> bands, double confidence, double multiplier = 100000);

// The same when events are not independent (a person can have several): persons[k][b] is the
// number of persons with k + 1 events in band b (missing = 0). The value is that of dsr() on the
// event counts; the variance sums (k+1)^2 times the variance from the persons with k + 1 events
// (OHID technical guidance, DSR chapter).
Estimate dsr_nonindependent(std::span<const double> population, std::span<const double> standard,
                            const std::vector<std::vector<double>>& persons, double confidence,
                            double multiplier = 100000);

// Indirect standardisation against a reference population's band rates.
struct IsrBand {
  double count;                 // observed events in the band (missing = 0)
  double population;            // local population (missing = 0)
  double ref_count, ref_population;  // the reference population's events and population
};
// Expected events: sum over bands of population * ref_count / ref_population.
double expected_events(std::span<const IsrBand> bands);
double observed_events(std::span<const IsrBand> bands);  // missing counts as 0
// Reference rate: sum(ref_count) / sum(ref_population).
double reference_rate(std::span<const IsrBand> bands);

// Indirectly standardised ratio observed / expected times multiplier (1: ratio, 100: SMR-style
// percentage); exact limits of the observed count for observed < 10, Byar's above.
Estimate isr_ratio(double observed, double expected, double confidence, double multiplier = 1);
// Indirectly standardised rate: the ratio times the reference rate, per multiplier persons.
Estimate isr_rate(double observed, double expected, double reference_rate, double confidence,
                  double multiplier = 100000);

// --- Slope and relative index of inequality -------------------------------------------------

// One quantile (e.g. deprivation decile), ordered from one end of the social scale to the other
// (usually most deprived first).
struct SiiQuantile {
  double population;  // > 0
  double value;       // the indicator in this quantile (a rate or proportion on its natural scale)
  double se;          // its standard error: of log(value) for rates, logit(value) for proportions
};
enum class SiiValueType { kNormal, kRate, kProportion };
// The standard error from a quantile's 95% limits, on the scale `se` above expects:
// (T(upper) - T(lower)) / (2 z), T = identity, log or logit, z = 1.959964 (PHEindicatormethods).
double sii_se_from_limits(double lower, double upper, SiiValueType type);

struct SiiOptions {
  SiiValueType type = SiiValueType::kNormal;
  // Fit on the log (rates) or logit (proportions) scale and take the SII and RII from the fitted
  // line transformed back, instead of fitting the values as they are.
  bool transform = false;
  double multiplier = 1;  // may be negative to turn the polarity; the RII is then inverted
  std::vector<double> confidence{0.95};
  int repetitions = 100000;  // of the simulation behind the limits; at least 1000
  std::uint64_t seed = kSiiSeed;
  static constexpr std::uint64_t kSiiSeed = 1;
};

struct SiiResult {
  // intercept: the fitted value at relative rank 0; transformed, it is back on the natural scale
  // and times |multiplier| (as phe_sii reports it), untransformed it is as fitted.
  double sii, rii, intercept;
  std::vector<Limits> sii_limits, rii_limits;  // one per confidence level
};

// Population-weighted regression of the values on each quantile's relative rank (the midpoint
// of its share of the cumulative population), as Low and Low (2004) and PHEindicatormethods'
// phe_sii. The SII is the fitted difference between ranks 1 and 0 times multiplier; the RII their
// ratio. Limits come from simulation: each repetition draws every quantile's value from a normal
// distribution on the transformed scale (mean the transformed value, sd its se) and refits.
// Untransformed, the limits are the quantiles of the repetitions' SIIs and RIIs. Transformed,
// they are the quantiles of the repetitions' slopes on the log or logit scale, each laid through
// the fitted line's midpoint and its ends transformed back (phe_sii's transform branch). The
// draws are reproducible: they come from Severn's Rng keyed by `seed`.
// Needs 5 to 100 quantiles.
SiiResult sii(std::span<const SiiQuantile> quantiles, const SiiOptions& options);

// --- Funnel plots --------------------------------------------------------------------------

// Control limits that compare many units (practices, PCNs, places) with one target, as OHID
// draws funnel plots (Spiegelhalter 2005; Fingertips Public Health Technical Guidance) and as
// PHEindicatormethods' calculate_funnel_limits and assign_funnel_significance compute them.
// The limits are a function of the unit's denominator alone: a unit whose value lies outside them
// is further from the target than chance would allow at that size. At 95% about 1 unit in 20 lies
// outside by chance; at 99.8%, 1 in 500. docs/methods.md gives the formulas and their sources.
//
// A unit lies outside a funnel's limits exactly when its own confidence interval (Wilson for a
// proportion, exact Poisson for a count) at the same level excludes the target.
//
// Missing inputs give missing (NaN) limits; a denominator of 0 gives NaN limits, as it gives no
// value. Targets and denominators must not be negative; a proportion's target lies in [0, 1].

// Control limits of a funnel plot at one denominator, around a target.
// Proportion: target is a fraction 0..1, n the unit's denominator (persons); limits are fractions.
// The limits are target -/+ z sqrt(target (1 - target) / n), kept within [0, 1]: the proportions
// whose Wilson interval just reaches the target.
Limits funnel_proportion_limits(double target, double n, double confidence);

// Rate: target is a rate per `multiplier` persons, n the unit's population; limits per multiplier.
// The limits are the event counts whose exact Poisson interval just reaches the expected count
// target / multiplier * n (funnel_count_limits), divided by n, times multiplier. For a directly
// standardised rate, pass the population that gives its events at its rate:
// multiplier * events / rate (PHEindicatormethods' rate_type = "dsr").
Limits funnel_rate_limits(double target, double n, double confidence, double multiplier);

// Ratio of observed to expected events (an indirectly standardised ratio), at a unit with
// `expected` expected events; target and limits are ratios times multiplier (1: ratio, 100: the
// SMR scale, target 100). The limits are funnel_count_limits(target / multiplier * expected)
// divided by expected, times multiplier.
Limits funnel_ratio_limits(double target, double expected, double confidence, double multiplier = 1);

// The continuous control limits of a count whose expected value is `expected`: the lower limit is
// the count whose exact upper confidence limit is `expected`, the upper limit the count whose
// exact lower limit is `expected`. Counts are read as continuous through the gamma distribution
// (the exact Poisson limit of x events is a gamma quantile for any real x >= 0), so the limits
// draw a smooth funnel; at whole counts they are the points PHEindicatormethods plots. The lower
// limit is 0 where no count could lie below it. At confidence 1: 0 and infinity.
Limits funnel_count_limits(double expected, double confidence);

// Where a unit lies: -2 below the 99.8% limit, -1 below 95% only, 0 within, +1 above 95% only, +2 above 99.8%.
// Strictly below or above: a value on a limit is within. A missing (NaN) value or limit compares
// false on every side and gives 0; check for missing values before calling.
int funnel_significance(double value, Limits limits95, Limits limits998);
// "below 99.8% limit", "below 95% limit", "within limits", "above 95% limit", "above 99.8% limit".
const char* funnel_significance_text(int significance);

// The denominators at which to draw a funnel's limits for units whose denominators run from
// min_denominator to max_denominator: `points` whole numbers (at least 2), rising, spaced
// geometrically so that they crowd where the funnel bends. The axis starts at 0 (drawn from 1)
// when the largest denominator is more than twice the smallest, else at 0.95 times the smallest
// rounded down to one significant figure; it ends at 1.05 times the largest rounded up to two
// significant figures. With 100 points these are the denominators PHEindicatormethods'
// calculate_funnel_limits draws for proportions.
std::vector<double> funnel_curve_denominators(double min_denominator, double max_denominator, int points = 100);

}  // namespace severn::stats
