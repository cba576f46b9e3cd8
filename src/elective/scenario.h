// What-if scenarios for the waiting-list simulation, and their TOML files
// (docs/elective/simulation.md, "Scenarios"). Dates are days since 1970-01-01.
//
//   name = "validation sprint"
//   referral_growth_per_year = 0.05   # fraction a year, compounding
//   capacity_uplift = 0.10            # fraction added to each specialty's fitted capacity
//   capacity_extra_per_week = 0       # treatments a week over the whole ICS, split by capacity
//   policy = "fitted"                 # fitted | longest_wait_first | wait_over_target
//   [[validation]]                    # any number of sprints
//   start = 2025-04-01                # a TOML date (or "YYYY-MM-DD")
//   end = 2025-09-30
//   min_weeks = 12                    # pathways waiting at least this long are validated
//   removal_rate_per_week = 0.01      # extra share of them removed each week
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/simulation_model.h"

namespace severn::elective {

struct ValidationSprint {
  Days start = 0, end = 0;  // inclusive
  int min_weeks = 0;
  double removal_rate_per_week = 0;
};

struct Scenario {
  std::string name = "status quo";
  double referral_growth_per_year = 0;
  double capacity_uplift = 0;
  double capacity_extra_per_week = 0;
  SelectionPolicy policy = SelectionPolicy::kFitted;
  std::vector<ValidationSprint> validation;
};

// Status quo; +5% referrals a year; +10% capacity; a validation sprint (the first six months
// from `start`, pathways over 12 weeks, 1% a week removed) -- the defaults `severn elective
// simulate` runs when no --scenario is given.
std::vector<Scenario> default_scenarios(Days start);

// Reads one scenario. Throws InputError "FILE:LINE: field 'F': reason" for a syntax error, an
// unknown key, a value of the wrong type or out of range (growth > -1, uplift > -1, extra >= 0,
// rates in [0, 1], end >= start, min_weeks >= 0).
Scenario parse_scenario(const std::string& text, const std::string& source_name);
Scenario read_scenario_file(const std::filesystem::path& file);

}  // namespace severn::elective
