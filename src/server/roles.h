// The server's roles and what each may do (docs/serve.md "Roles"). A role is one of four; what it
// may see is decided here, once, for every endpoint:
//   analyst    disclosure-controlled aggregates only
//   clinician  aggregates, and the identifiable worklists of their own PCNs
//   elective   aggregates, and the PTL and mutual-aid lists of their own providers
//   admin      users and the audit (and aggregates); never identifiable patient lists
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace severn::server {

enum class Role { kAnalyst, kClinician, kElective, kAdmin };

// "analyst", "clinician", "elective", "admin".
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);
const std::vector<Role>& all_roles();

// What a request does, as the access decision sees it.
enum class Activity {
  kReadAggregates,       // definitions, measures, the elective snapshot and scenarios, maps
  kReadWorklist,         // identifiable: a PCN's worklist
  kReadPtl,              // identifiable: a provider's patient tracking list (and its mutual-aid list)
  kAdministerUsers,      // list users
  kReadAudit,            // read and export the audit log
};
std::string_view activity_name(Activity activity);

// Whether the role may do the activity at all; scope (which PCN or provider) is checked against
// the user's own PCNs and providers by the caller.
bool role_may(Role role, Activity activity);

}  // namespace severn::server
