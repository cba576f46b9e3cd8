// The Core20PLUS5 uplifts of the prioritisation score (docs/elective/ptl-and-prioritisation.md), the
// same options on `severn elective ptl` and `severn elective prioritise`.
#pragma once
#include <CLI/CLI.hpp>

#include "elective/priority_score.h"

namespace severn::cli {

inline void add_uplift_options(CLI::App* cmd, elective::PriorityWeights& weights) {
  cmd->add_option("--core20-uplift", weights.core20,
                  "Score points for IMD deciles 1-2, the most deprived 20% nationally (default 10)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--ld-uplift", weights.learning_disability,
                  "Score points for a person on the GP learning disability register (default 5)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--ethnic-minority-uplift", weights.ethnic_minority,
                  "Score points for an ethnic minority group, a PLUS group a system may choose (default 0)")->check(CLI::NonNegativeNumber);
}

}  // namespace severn::cli
