// The disclosure-control options shared by every command that writes aggregate outputs
// (`severn run`, `severn stats`): the policy's thresholds and rounding, and the one explicit way
// to switch it off, which the output's metadata then records.
#pragma once
#include <CLI/CLI.hpp>

#include "disclosure/suppression.h"

namespace severn::cli {

struct DisclosureChoice {
  disclosure::Policy policy;
  std::string mode = "rounded";  // --disclosure-policy
  bool off = false;  // --no-disclosure-control
  // The policy as chosen, checked; throws InputError naming the option at fault.
  disclosure::Policy checked() {
    policy.mode = disclosure::parse_mode(mode);
    policy.validate();
    return policy;
  }
};

inline void add_disclosure_options(CLI::App* cmd, DisclosureChoice& c) {
  cmd->add_option("--disclosure-policy", c.mode,
                  "Disclosure control: 'rounded' (default: counts 1-7 withheld, others rounded, every figure derived "
                  "from the published counts) or 'suppressed-exact' (exact counts with small-count and complementary "
                  "suppression, figures from exact counts)");
  cmd->add_option("--redact-min", c.policy.redact_min, "Disclosure control: smallest count redacted (default 1)");
  cmd->add_option("--redact-max", c.policy.redact_max, "Disclosure control: largest count redacted (default 7)");
  cmd->add_option("--round-to", c.policy.round_to,
                  "Disclosure control: published counts rounded to a multiple of this (default 5; 1: no rounding)");
  cmd->add_flag("--midpoint-rounding", c.policy.midpoint,
                "Disclosure control: publish each count as the midpoint of its band of --round-to (10-14 -> 12)");
  cmd->add_option("--protection-width", c.policy.protection_width,
                  "Disclosure audit: each withheld count's feasible interval must be at least this wide (default 8) "
                  "and not inside the redacted range");
  cmd->add_flag("--no-disclosure-control", c.off,
                "Write exact counts, small ones included, for direct analysis only; the output's metadata records "
                "that disclosure control was off");
}

}  // namespace severn::cli
