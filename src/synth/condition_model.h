// Phase 2 of the synthetic ICS: long-term conditions, smoking, frailty and the hidden (undiagnosed)
// disease that case-finding should find. Each condition's probability is a logistic model of age,
// sex, deprivation, ethnicity, smoking, shared latent risk (so conditions co-occur realistically)
// and earlier conditions; its intercept is then calibrated so that the expected number of living
// people on the register equals the published target scaled to the population size.
#pragma once
#include <string>
#include <vector>

#include "refdata/geography.h"
#include "refdata/standards.h"
#include "synth/config.h"
#include "synth/population.h"
#include "synth/targets.h"

namespace severn::synth {

struct ConditionCalibration {
  std::string condition;
  double target = 0;    // expected count among living people (already scaled)
  double expected = 0;  // sum of calibrated probabilities
  int drawn = 0;        // people drawn with the condition and alive at the end
  std::string source;
};

struct ConditionOutcome {
  std::vector<ConditionCalibration> calibration;
};

ConditionOutcome assign_conditions(const SynthConfig& config, const Targets& targets,
                                   const std::vector<refdata::DementiaRate>& cfas,
                                   Population& population);

}  // namespace severn::synth
