#include "server/routing.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "core/date.h"

namespace severn::server {
namespace {

bool all_of(std::string_view s, const std::function<bool(char)>& ok) {
  return std::all_of(s.begin(), s.end(), ok);
}
bool lower_name(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool upper_code(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// A definition, measure, worklist or breakdown name as the language allows them.
bool valid_name(std::string_view s) { return !s.empty() && s.size() <= 64 && s[0] >= 'a' && s[0] <= 'z' && all_of(s, lower_name); }

// Free text a user states (a purpose): printable, no control characters, at most 200 bytes.
bool valid_text(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  return all_of(s, [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{}" matches one segment
  std::vector<std::string> params;    // the query parameters allowed
  Endpoint endpoint;
  bool session = true;                // 401 without a session
  std::string name;                   // for logs: the pattern
};

const std::vector<Route>& routes() {
  using E = Endpoint;
  static const std::vector<Route> v{
      {"GET", {}, {}, E::kPage, false, "/"},
      {"GET", {"static", "{}"}, {}, E::kStatic, false, "/static/{name}"},
      {"POST", {"api", "login"}, {}, E::kLogin, false, "/api/login"},
      {"POST", {"api", "logout"}, {}, E::kLogout, true, "/api/logout"},
      {"GET", {"api", "session"}, {}, E::kSession, true, "/api/session"},
      {"GET", {"api", "definitions"}, {}, E::kDefinitions, true, "/api/definitions"},
      {"GET", {"api", "measures"}, {"definition", "measure", "breakdown", "from", "to", "format"}, E::kMeasures, true, "/api/measures"},
      {"GET", {"api", "pcns"}, {}, E::kPcns, true, "/api/pcns"},
      {"GET", {"api", "providers"}, {}, E::kProviders, true, "/api/providers"},
      {"GET", {"api", "map", "lsoa"}, {}, E::kLsoaMap, true, "/api/map/lsoa"},
      {"GET", {"api", "worklists", "{}", "{}"}, {"pcn", "purpose", "format"}, E::kWorklist, true, "/api/worklists/{definition}/{worklist}"},
      {"GET", {"api", "elective", "snapshot"}, {}, E::kElectiveSnapshot, true, "/api/elective/snapshot"},
      {"GET", {"api", "elective", "scenarios"}, {}, E::kElectiveScenarios, true, "/api/elective/scenarios"},
      {"GET", {"api", "elective", "ptl"}, {"provider", "purpose", "format"}, E::kPtl, true, "/api/elective/ptl"},
      {"GET", {"api", "elective", "mutual-aid"}, {"provider", "purpose", "format"}, E::kMutualAid, true, "/api/elective/mutual-aid"},
      {"GET", {"api", "audit"}, {"format"}, E::kAudit, true, "/api/audit"},
      {"GET", {"api", "users"}, {}, E::kUsers, true, "/api/users"},
  };
  return v;
}

// The path's segments; nullopt when it is not a clean absolute path (empty segments, dot
// segments, characters outside the unreserved set): such paths are 404 without further ado.
std::optional<std::vector<std::string>> split_path(std::string_view path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<std::string> out;
  std::size_t at = 1;
  while (at <= path.size()) {
    const std::size_t slash = path.find('/', at);
    const std::string_view seg = path.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);
    if (seg.empty()) {
      if (slash == std::string_view::npos && at == path.size()) break;  // "/" or a trailing slash
      return std::nullopt;
    }
    if (seg == "." || seg == "..") return std::nullopt;
    for (const char c : seg)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
        return std::nullopt;
    out.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    at = slash + 1;
  }
  return out;
}

bool matches(const Route& r, const std::vector<std::string>& segs, std::vector<std::string>& args) {
  if (r.segments.size() != segs.size()) return false;
  args.clear();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (r.segments[i] == "{}") args.push_back(segs[i]);
    else if (r.segments[i] != segs[i]) return false;
  }
  return true;
}

RouteMatch fail(int status, std::string error) {
  RouteMatch m;
  m.status = status;
  m.error = std::move(error);
  return m;
}

}  // namespace

std::string check_param(std::string_view name, std::string_view value) {
  if (name == "definition" || name == "measure" || name == "breakdown" || name == "worklist")
    return valid_name(value) ? "" : "must be a name of lower-case letters, digits and _ (at most 64)";
  if (name == "from" || name == "to") return parse_iso_date(value) ? "" : "must be a date YYYY-MM-DD";
  if (name == "pcn")
    return !value.empty() && value.size() <= 10 && all_of(value, upper_code) ? "" : "must be a PCN code (upper-case letters and digits)";
  if (name == "provider")
    return value.size() >= 3 && value.size() <= 5 && all_of(value, upper_code) ? "" : "must be an ODS provider code such as RXW";
  if (name == "format") return value == "json" || value == "csv" ? "" : "must be json or csv";
  if (name == "purpose") return valid_text(value) ? "" : "must be 1-200 printable characters";
  return "unknown parameter";
}


RouteMatch route_request(const ApiRequest& req, const ApiLimits& limits) {
  if (req.body.size() > limits.max_body_bytes) return fail(413, "request body too large");
  const auto segs = split_path(req.path);
  if (!segs) return fail(404, "no such page");
  const Route* route = nullptr;
  std::vector<std::string> args;
  std::string allow;
  for (const Route& r : routes()) {
    std::vector<std::string> a;
    if (!matches(r, *segs, a)) continue;
    // HEAD is GET without the body (RFC 9110 9.3.2); the HTTP layer drops the body.
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      route = &r;
      args = std::move(a);
      break;
    }
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (route == nullptr) {
    if (allow.empty()) return fail(404, "no such page");
    RouteMatch m = fail(405, "method not allowed here (allowed: " + allow + ")");
    m.allow = allow;
    return m;
  }
  for (const auto& a : args)
    if (a.size() > 64) return fail(404, "no such page");
  // Parameters: each known to the route, given once, of the right shape.
  if (req.params.size() > limits.max_params) return fail(400, "too many parameters");
  for (std::size_t i = 0; i < req.params.size(); ++i) {
    const auto& [name, value] = req.params[i];
    if (std::find(route->params.begin(), route->params.end(), name) == route->params.end())
      return fail(400, "unknown parameter '" + (valid_name(name) ? name : std::string("?")) + "' for " + route->name);
    for (std::size_t j = 0; j < i; ++j)
      if (req.params[j].first == name) return fail(400, "parameter '" + name + "' given twice");
    if (value.size() > limits.max_param_bytes) return fail(400, "parameter '" + name + "' too long");
    const std::string why = check_param(name, value);
    if (!why.empty()) return fail(400, "parameter '" + name + "': " + why);
  }
  RouteMatch m;
  m.endpoint = route->endpoint;
  m.needs_session = route->session;
  m.name = route->name;
  m.args = std::move(args);
  return m;
}

}  // namespace severn::server
