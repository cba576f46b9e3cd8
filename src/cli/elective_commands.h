// The subcommands of `severn elective`, one file each.
#pragma once
#include <CLI/CLI.hpp>

namespace severn::cli {
void add_elective_simulate(CLI::App& elective);
}
