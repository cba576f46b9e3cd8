// The statistic of one cell from the counts it is given: a measure's value and limits (Wilson,
// Byar/exact Poisson, Dobson DSR, ISR), funnel-plot limits against the whole measure, and the
// slope and relative index of inequality across deprivation quantiles (src/stats/stats.h cites
// the methods). Disclosure control decides which counts these see (measures/publish.h).
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "engine/measure_counts.h"
#include "lang/ast.h"
#include "stats/stats.h"

namespace severn::measures {

// What the statistics of one definition need beyond its counts.
struct StatisticsOptions {
  std::vector<double> esp2013;  // the 19 standard population weights, when a measure is a dsr
  int sii_repetitions = 100000;  // simulations behind the SII's limits
  std::uint64_t sii_seed = 1;
  unsigned threads = 1;  // for the SII's simulations
};

// Loads ESP 2013 from the reference pack when a measure of the definition is a dsr; throws
// InputError when the pack's table has other than 19 bands.
StatisticsOptions statistics_options(const lang::Definition& definition, const std::string& data_dir,
                                     int sii_repetitions, std::uint64_t sii_seed, unsigned threads);

// A measure's statistic of one cell; `note` says why there is none, or what it rests on.
struct Figure {
  stats::Estimate estimate{NAN, NAN, NAN, stats::Method::kNone};
  std::string note;
};

// `all` is the whole measure's cell on the same interval: a dsr is standardised over the age
// bands it has people in.
Figure figure(const lang::MeasureStats& st, const engine::Cell& cell, const engine::Cell& all, double confidence,
              const std::vector<double>& esp2013);

// 95% and 99.8% funnel-plot limits for a group of `denominator` persons against the whole
// measure's value `target` (proportions on the measure's scale, crude rates per its `per`).
struct FunnelLimits {
  stats::Limits l95, l998;
};
FunnelLimits funnel_limits(const lang::MeasureStats& st, double target, double denominator);

// "population-weighted ridit regression; limits from N simulations, seed S".
std::string sii_method(const StatisticsOptions& options);

}  // namespace severn::measures
