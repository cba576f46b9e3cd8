// Calibration targets of the synthetic ICS, each with its published source. Counts are for the
// full default population (510,000 registered people) and scale with --people.
#pragma once
#include <string>
#include <vector>

#include "refdata/standards.h"

namespace severn::synth {

inline constexpr double kReferencePeople = 510000.0;

struct Target {
  std::string id;       // stable key, e.g. "hypertension"
  std::string measure;  // what is counted, for people
  double value = 0;     // a count at 510,000 people, or a percentage when `percent`
  bool percent = false;
  std::string source;   // publisher / document / figure id
};

// The published STW figures (from reference/stw_published_figures.csv) plus England QOF rates.
struct Targets {
  double hypertension = 0, atrial_fibrillation = 0, diabetes = 0, diabetes_type2_pct = 0,
         circulatory = 0, rtt_open = 0, rtt_over_18w_pct = 0, aged_65_plus_pct = 0,
         cancer_early_stage_pct = 0, cvd_deaths_per_month = 0;
  std::vector<Target> all;  // everything the calibration report shows
};

Targets load_targets(const std::vector<refdata::PublishedFigure>& figures);

// QOF-like register prevalence (England), as a proportion of the register's age denominator.
struct QofRate {
  const char* condition;  // condition_name()
  int min_age;            // denominator: registered people of at least this age
  double rate;            // proportion
  const char* source;
};
const std::vector<QofRate>& qof_rates();

}  // namespace severn::synth
