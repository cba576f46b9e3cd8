// The admin's endpoints: the users (never their hashes) and the audit log, verified as it is read.
#include "core/json_text.h"
#include "server/api_impl.h"
#include "server/api_json.h"

namespace severn::server {

ApiResponse Api::Impl::audit_read(Call& c) {
  if (!role_may(c.session->role, Activity::kReadAudit))
    return refuse(c, "read audit", "audit", "the " + std::string(role_name(c.session->role)) + " role may not read the audit");
  // The admin's own read is on the record before the log is read, so the export includes it.
  AuditEvent e;
  e.user = c.session->user;
  e.role = std::string(role_name(c.session->role));
  e.purpose = "audit review";
  e.action = "read audit";
  e.target = "audit";
  e.outcome = "allowed";
  e.address = c.request.remote_address;
  audit.append(e);
  // Under the log's append lock: a line another request is appending is never seen half written.
  const AuditVerification v = audit.verify();
  const CsvTable table = CsvTable::parse(audit_csv(audit.entries()), "audit");
  if (wants_csv(c)) return csv_response(table_csv(table, 0, table.rows()), "audit.csv");
  std::string out = "{\"api_version\":1,\"verified\":" + std::string(v.ok ? "true" : "false") +
                    ",\"lines\":" + std::to_string(v.lines) + ",\"problem\":" + json_quoted(v.problem) + ",\"table\":";
  append_table_json(out, table, 0, table.rows());
  return json_response(200, out + "}");
}

ApiResponse Api::Impl::users_list(Call& c) {
  if (!role_may(c.session->role, Activity::kAdministerUsers))
    return refuse(c, "list users", "users", "the " + std::string(role_name(c.session->role)) + " role may not list users");
  std::string out = "{\"api_version\":1,\"users\":[";
  const auto directory = users.current();
  const auto& all = directory->users();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const User& u = all[i];
    out += (i ? "," : "") + ("{\"name\":" + json_quoted(u.name) + ",\"role\":" + json_quoted(role_name(u.role)) +
                             ",\"pcns\":" + json_string_array(u.pcns) + ",\"providers\":" + json_string_array(u.providers) +
                             ",\"disabled\":" + (u.disabled ? "true" : "false") + "}");
  }
  return json_response(200, out + "]}");
}

}  // namespace severn::server
