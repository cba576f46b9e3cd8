// The disclosure-control options shared by every command that writes aggregate outputs
// (`severn run`, `severn stats`): the policy's thresholds and rounding, and the one explicit way
// to switch it off, which the output's metadata then records.
#pragma once
#include <CLI/CLI.hpp>

#include "disclosure/suppression.h"

namespace severn::cli {

struct DisclosureChoice {
  disclosure::Policy policy;
  bool off = false;  // --no-disclosure-control
};

inline void add_disclosure_options(CLI::App* cmd, DisclosureChoice& c) {
  cmd->add_option("--redact-min", c.policy.redact_min, "Disclosure control: smallest count redacted (default 1)");
  cmd->add_option("--redact-max", c.policy.redact_max, "Disclosure control: largest count redacted (default 7)");
  cmd->add_option("--round-to", c.policy.round_to,
                  "Disclosure control: published counts rounded to a multiple of this (default 5; 1: no rounding)");
  cmd->add_flag("--midpoint-rounding", c.policy.midpoint,
                "Disclosure control: publish each count as the midpoint of its band of --round-to (10-14 -> 12)");
  cmd->add_flag("--no-disclosure-control", c.off,
                "Write exact counts, small ones included, for direct analysis only; the output's metadata records "
                "that disclosure control was off");
}

}  // namespace severn::cli
