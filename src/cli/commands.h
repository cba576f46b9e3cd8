// Subcommands of `severn`; each registers itself with CLI11 and runs in the parse callback.
#pragma once
#include <CLI/CLI.hpp>

namespace severn::cli {
void add_synth(CLI::App& app);
void add_ingest(CLI::App& app);
void add_info(CLI::App& app);
void add_export(CLI::App& app);
void add_check(CLI::App& app);
void add_run(CLI::App& app);
void add_stats(CLI::App& app);
void add_library(CLI::App& app);
void add_report(CLI::App& app);
void add_sql(CLI::App& app);
void add_link(CLI::App& app);
void add_identity(CLI::App& app);
void add_elective(CLI::App& app);
void add_serve(CLI::App& app);
}
