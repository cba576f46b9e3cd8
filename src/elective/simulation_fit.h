// Fitting the simulation's weekly models to the reported list (wl_pathways), one per treatment
// function, pooled over providers. Flows are observed at week ends W_0 < W_1 < ... < W_K = the
// census day (the fit window's last day), as the model steps: an arrival is a period that started
// in (W_k, W_k+1] and was still open at W_k+1; a treatment or removal is a period open at W_k that
// left in (W_k, W_k+1], from the band it waited in at W_k. A period that starts and stops within
// one week never appears on a week-end list and does not enter the model. Transfers between the
// two trusts are not removals at this level: the transferred-out row is left out and the
// receiving provider's row (the same clock start) carries the pathway on.
#pragma once
#include <cstdint>
#include <vector>

#include "core/date.h"
#include "elective/capacity_flows.h"
#include "elective/simulation_model.h"

namespace severn::elective {

struct FitOptions {
  Days fit_from = 0;  // first day of the window
  Days census = 0;    // last day of the window; the simulation starts from the list on this day
  std::size_t bands = 105;
  std::size_t hazard_block_weeks = 4;  // hazards are pooled over blocks of this many weeks
  double min_block_exposure = 30;      // fewer pathway-weeks: use the block's all-class hazard
  // Specialties with a smaller list on the census day or fewer arrivals a week are pooled as
  // treatment function 0 ("other").
  std::int64_t min_list = 100;
  double min_arrivals_per_week = 1;
};

struct FittedModels {
  std::vector<QueueModel> models;           // ascending treatment function; 0 (other) first if any
  std::vector<std::vector<int>> pooled_tfs; // per model, the treatment functions it covers
  std::size_t weeks = 0;                    // K
};

// Throws InputError when the window holds less than 4 weeks or ends after the data.
FittedModels fit_models(const ReportedList& list, const FitOptions& options);

}  // namespace severn::elective
