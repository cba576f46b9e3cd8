// The `severn` command: a thin layer over the libraries. Exit codes: 0 ok, 1 input or usage
// error (with a message saying what to fix), 2 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Severn: population health management for an Integrated Care System"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "severn 0.1.0");
  severn::cli::add_synth(app);
  severn::cli::add_ingest(app);
  severn::cli::add_info(app);
  severn::cli::add_export(app);
  severn::cli::add_check(app);
  severn::cli::add_run(app);
  severn::cli::add_stats(app);
  severn::cli::add_library(app);
  severn::cli::add_report(app);
  severn::cli::add_sql(app);
  severn::cli::add_link(app);
  severn::cli::add_identity(app);
  severn::cli::add_elective(app);
  severn::cli::add_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  } catch (const severn::InputError& e) {
    std::fprintf(stderr, "severn: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "severn: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
