// Standard populations and reference rates.
#pragma once
#include <string>
#include <vector>

#include "refdata/data_dir.h"

namespace severn::refdata {

struct AgeBandWeight {
  std::string band;
  int age_lower = 0;
  int age_upper = -1;  // inclusive; -1 = open-ended band
  double weight = 0;   // persons per 100,000 (ESP 2013)
};

// Dementia prevalence in the community by age band and sex (CFAS II; Matthews et al., Lancet 2013).
struct DementiaRate {
  int age_lower = 0;
  int age_upper = -1;  // -1 = open-ended
  char sex = 'M';      // 'M' or 'F'
  double prevalence = 0;  // proportion 0..1
};

std::vector<AgeBandWeight> load_esp2013(const DataDir& dir);  // 19 bands
std::vector<AgeBandWeight> load_esp2013_21band(const DataDir& dir);  // 0, 1-4, ..., 90-94, 95+
std::vector<DementiaRate> load_cfas2(const DataDir& dir);
double cfas2_rate(const std::vector<DementiaRate>& rates, int age, char sex);  // 0 below 65

// One row of reference/stw_published_figures.csv.
struct PublishedFigure {
  std::string id, measure, unit, period, source, source_text;
  double value = 0;
};
std::vector<PublishedFigure> load_published_figures(const DataDir& dir);
const PublishedFigure& find_figure(const std::vector<PublishedFigure>& figures, const std::string& id);

}  // namespace severn::refdata
