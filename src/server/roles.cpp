#include "server/roles.h"

namespace severn::server {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kAnalyst: return "analyst";
    case Role::kClinician: return "clinician";
    case Role::kElective: return "elective";
    case Role::kAdmin: return "admin";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role r : all_roles())
    if (role_name(r) == text) return r;
  return std::nullopt;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles{Role::kAnalyst, Role::kClinician, Role::kElective, Role::kAdmin};
  return roles;
}

std::string_view activity_name(Activity activity) {
  switch (activity) {
    case Activity::kReadAggregates: return "read aggregates";
    case Activity::kReadWorklist: return "read worklist";
    case Activity::kReadPtl: return "read ptl";
    case Activity::kAdministerUsers: return "administer users";
    case Activity::kReadAudit: return "read audit";
  }
  return "?";
}

bool role_may(Role role, Activity activity) {
  switch (activity) {
    case Activity::kReadAggregates: return true;
    case Activity::kReadWorklist: return role == Role::kClinician;
    case Activity::kReadPtl: return role == Role::kElective;
    case Activity::kAdministerUsers:
    case Activity::kReadAudit: return role == Role::kAdmin;
  }
  return false;
}

}  // namespace severn::server
