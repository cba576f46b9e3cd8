// Identifiable lists (docs/serve.md "Identifiable reads"): a PCN's worklist for its clinicians, a
// provider's PTL for its elective team. The order of checks is the access decision: role, then
// scope (the user's own PCN or provider), then existence, so a refused user learns nothing about
// what exists. Every permitted read is audited before it is returned; every refusal too.
#include <algorithm>

#include "core/json_text.h"
#include "elective/mutual_aid_list.h"
#include "elective/ptl.h"
#include "engine/worklists.h"
#include "server/api_impl.h"
#include "server/api_json.h"

namespace severn::server {
namespace {

bool holds(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The stated purpose: the X-Severn-Purpose header (which keeps it out of URLs, and so out of
// proxies' and browsers' histories), or the purpose parameter, or the role's default. Empty with
// `why` set when it is malformed or given both ways.
std::string purpose_of(const Call& c, const char* fallback, std::string& why) {
  const std::string* header = c.request.header(kPurposeHeader);
  const std::string* param = c.param("purpose");
  if (header != nullptr && param != nullptr) {
    why = "give the purpose once: the X-Severn-Purpose header or the purpose parameter";
    return "";
  }
  if (header != nullptr) {
    why = check_param("purpose", *header);
    if (!why.empty()) why = "X-Severn-Purpose: " + why;
    return why.empty() ? *header : "";
  }
  return param != nullptr ? *param : std::string(fallback);
}

}  // namespace

ApiResponse Api::Impl::worklist(Call& c) {
  const std::string& def_name = c.path_args[0];
  const std::string& list_name = c.path_args[1];
  const std::string* pcn = c.param("pcn");
  const std::string target = "worklists/" + def_name + "/" + list_name + (pcn ? "?pcn=" + *pcn : "");
  if (!role_may(c.session->role, Activity::kReadWorklist))
    return refuse(c, "read worklist", target, "the " + std::string(role_name(c.session->role)) + " role may not read worklists");
  if (pcn == nullptr) return error_response(400, "pcn is required (one of your PCNs: GET /api/session lists them)");
  if (!holds(c.session->pcns, *pcn)) return refuse(c, "read worklist", target, "PCN " + *pcn + " is not one of the user's PCNs");
  const ServedDefinition* d = data.find_definition(def_name);
  const ServedWorklist* w = d != nullptr ? d->find_worklist(list_name) : nullptr;
  if (w == nullptr) return error_response(404, "no worklist '" + list_name + "' in definition '" + def_name + "'");
  static const std::vector<engine::WorklistEntry> kNone;
  const auto found = w->by_pcn.find(*pcn);
  const auto& entries = found == w->by_pcn.end() ? kNone : found->second;
  std::string why;
  const std::string purpose = purpose_of(c, "direct care", why);
  if (!why.empty()) return error_response(400, why);
  const std::string text =
      engine::worklist_csv(identity, *w->worklist, entries, data.index_date, {c.session->user, purpose + ": " + target});
  const CsvTable table = CsvTable::parse(text, target);
  audit_allowed(c, "read worklist", target, purpose, table.rows());
  if (wants_csv(c)) return csv_response(table_csv(table, 0, table.rows()), list_name + "-" + *pcn + ".csv");
  std::string out = "{\"api_version\":1,\"definition\":" + json_quoted(def_name) + ",\"worklist\":" + json_quoted(list_name) +
                    ",\"pcn\":" + json_quoted(*pcn) + ",\"index_date\":" + json_quoted(data.index_date_text) + ",\"table\":";
  append_table_json(out, table, 0, table.rows());
  return json_response(200, out + "}");
}

ApiResponse Api::Impl::ptl(Call& c) {
  const std::string* provider = c.param("provider");
  const std::string target = "elective/ptl" + (provider ? "?provider=" + *provider : std::string());
  if (!role_may(c.session->role, Activity::kReadPtl))
    return refuse(c, "read ptl", target, "the " + std::string(role_name(c.session->role)) + " role may not read the PTL");
  if (provider == nullptr) return error_response(400, "provider is required (one of your providers: GET /api/session lists them)");
  if (!holds(c.session->providers, *provider))
    return refuse(c, "read ptl", target, "provider " + *provider + " is not one of the user's providers");
  const ServedProvider* p = data.elective.find_provider(*provider);
  if (p == nullptr) return error_response(404, "provider " + *provider + " holds no waiting list in this store");
  std::string why;
  const std::string purpose = purpose_of(c, "waiting list management", why);
  if (!why.empty()) return error_response(400, why);
  const auto identities =
      elective::read_ptl_identities(store, identity, {c.session->user, purpose + ": " + target}, p->ptl.rows);
  const CsvTable table = CsvTable::parse(elective::ptl_csv(p->ptl, &identities), target);
  audit_allowed(c, "read ptl", target, purpose, table.rows());
  if (wants_csv(c)) return csv_response(table_csv(table, 0, table.rows()), "ptl-" + *provider + ".csv");
  std::string out = "{\"api_version\":1,\"provider\":" + json_quoted(*provider) + ",\"on\":" +
                    json_quoted(format_iso_date(p->ptl.on)) + ",\"table\":";
  append_table_json(out, table, 0, table.rows());
  return json_response(200, out + "}");
}

ApiResponse Api::Impl::mutual_aid(Call& c) {
  const std::string* provider = c.param("provider");
  const std::string target = "elective/mutual-aid" + (provider ? "?provider=" + *provider : std::string());
  if (!role_may(c.session->role, Activity::kReadPtl))
    return refuse(c, "read mutual aid", target,
                  "the " + std::string(role_name(c.session->role)) + " role may not read the mutual-aid list");
  if (provider == nullptr) return error_response(400, "provider is required (one of your providers: GET /api/session lists them)");
  if (!holds(c.session->providers, *provider))
    return refuse(c, "read mutual aid", target, "provider " + *provider + " is not one of the user's providers");
  if (data.elective.find_provider(*provider) == nullptr || !data.elective.mutual_aid)
    return error_response(404, "provider " + *provider + " holds no waiting list in this store");
  std::string why;
  const std::string purpose = purpose_of(c, "waiting list management", why);
  if (!why.empty()) return error_response(400, why);
  const auto& list = *data.elective.mutual_aid;
  const CsvTable table = CsvTable::parse(
      elective::mutual_aid_list_csv(store, identity, {c.session->user, purpose + ": " + target}, list,
                                    elective::mutual_aid_entries_of(list, *provider), data.elective.list_date),
      target);
  audit_allowed(c, "read mutual aid", target, purpose, table.rows());
  if (wants_csv(c)) return csv_response(table_csv(table, 0, table.rows()), "mutual-aid-" + *provider + ".csv");
  std::string out = "{\"api_version\":1,\"provider\":" + json_quoted(*provider) + ",\"on\":" +
                    json_quoted(format_iso_date(data.elective.list_date)) +
                    ",\"radius_miles\":100,\"asks_to_move\":\"everyone eligible (an upper bound)\",\"table\":";
  append_table_json(out, table, 0, table.rows());
  return json_response(200, out + "}");
}

}  // namespace severn::server
