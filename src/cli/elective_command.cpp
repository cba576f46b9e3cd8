// `severn elective`: the waiting list (docs/elective.md). Each subcommand lives in a file of its
// own (elective_<name>_command.cpp) and registers itself here.
#include "cli/commands.h"
#include "cli/elective_commands.h"

namespace severn::cli {

void add_elective(CLI::App& app) {
  CLI::App* elective = app.add_subcommand(
      "elective", "Referral-to-treatment waiting lists: clocks, snapshots, the patient tracking list, "
                  "prioritisation, mutual aid and capacity simulation (docs/elective.md)");
  elective->require_subcommand(1);
  add_elective_ptl(*elective);
  add_elective_prioritise(*elective);
  add_elective_mutual_aid(*elective);
  add_elective_clocks(*elective);
  add_elective_snapshot(*elective);
  add_elective_measures(*elective);
  add_elective_simulate(*elective);
}

}  // namespace severn::cli
