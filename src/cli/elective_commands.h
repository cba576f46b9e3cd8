// The subcommands of `severn elective`, one file each.
#pragma once
#include <CLI/CLI.hpp>

namespace severn::cli {
void add_elective_ptl(CLI::App& elective);
void add_elective_prioritise(CLI::App& elective);

void add_elective_mutual_aid(CLI::App& elective);

void add_elective_clocks(CLI::App& elective);
void add_elective_snapshot(CLI::App& elective);
void add_elective_measures(CLI::App& elective);
void add_elective_simulate(CLI::App& elective);
}
