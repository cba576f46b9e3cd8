#include "server/api.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "core/date.h"
#include "core/error.h"
#include "core/json_text.h"
#include "server/api_impl.h"
#include "server/api_json.h"

namespace severn::server {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

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

// Why a parameter's value is refused, or "" when it is acceptable.
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

using Handler = ApiResponse (Api::Impl::*)(Call&);

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{}" matches one name segment
  std::vector<std::string> params;    // the query parameters allowed
  Handler handler;
  bool session = true;                // 401 without a session
  std::string name;                   // for logs: the pattern
};

const std::vector<Route>& routes() {
  using I = Api::Impl;
  static const std::vector<Route> r = [] {
    std::vector<Route> v{
        {"GET", {}, {}, &I::page, false, "/"},
        {"GET", {"static", "{}"}, {}, &I::static_asset, false, "/static/{name}"},
        {"POST", {"api", "login"}, {}, &I::login, false, "/api/login"},
        {"POST", {"api", "logout"}, {}, &I::logout, true, "/api/logout"},
        {"GET", {"api", "session"}, {}, &I::session_info, true, "/api/session"},
        {"GET", {"api", "definitions"}, {}, &I::definitions, true, "/api/definitions"},
        {"GET", {"api", "measures"}, {"definition", "measure", "breakdown", "from", "to", "format"}, &I::measures, true, "/api/measures"},
        {"GET", {"api", "pcns"}, {}, &I::pcns, true, "/api/pcns"},
        {"GET", {"api", "providers"}, {}, &I::providers, true, "/api/providers"},
        {"GET", {"api", "map", "lsoa"}, {}, &I::lsoa_map, true, "/api/map/lsoa"},
        {"GET", {"api", "worklists", "{}", "{}"}, {"pcn", "purpose", "format"}, &I::worklist, true, "/api/worklists/{definition}/{worklist}"},
        {"GET", {"api", "elective", "snapshot"}, {}, &I::elective_snapshot, true, "/api/elective/snapshot"},
        {"GET", {"api", "elective", "scenarios"}, {}, &I::elective_scenarios, true, "/api/elective/scenarios"},
        {"GET", {"api", "elective", "ptl"}, {"provider", "purpose", "format"}, &I::ptl, true, "/api/elective/ptl"},
        {"GET", {"api", "audit"}, {"format"}, &I::audit_read, true, "/api/audit"},
        {"GET", {"api", "users"}, {}, &I::users_list, true, "/api/users"},
    };
    return v;
  }();
  return r;
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

// The session id in the Cookie header(s): 64 lower-case hex characters, or "".
std::string session_cookie(const ApiRequest& req) {
  const std::string prefix = std::string(kSessionCookie) + "=";
  for (const auto& [name, value] : req.headers) {
    if (!iequals(name, "cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.substr(0, prefix.size()) == prefix) {
        const std::string_view id = part.substr(prefix.size());
        if (id.size() == 64 && all_of(id, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
          return std::string(id);
        return "";
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return "";
}

thread_local IdentityReads t_reads;

}  // namespace

IdentityReads& current_identity_reads() { return t_reads; }

const std::string* ApiRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

const std::string* Call::param(std::string_view name) const {
  for (const auto& [n, v] : request.params)
    if (n == name) return &v;
  return nullptr;
}

ApiResponse json_response(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

ApiResponse error_response(int status, std::string_view message) { return json_response(status, error_json(message)); }

ApiResponse csv_response(std::string body, std::string_view file_name) {
  ApiResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + std::string(file_name) + "\"");
  return r;
}

std::string json_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_quoted(items[i]);
  return out + "]";
}

std::string session_fields(const Session& s) {
  return "\"user\":" + json_quoted(s.user) + ",\"role\":" + json_quoted(role_name(s.role)) +
         ",\"pcns\":" + json_string_array(s.pcns) + ",\"providers\":" + json_string_array(s.providers) +
         ",\"csrf_token\":" + json_quoted(s.csrf_token);
}

bool wants_csv(const Call& c) {
  const std::string* f = c.param("format");
  return f != nullptr && *f == "csv";
}

Api::Impl::Impl(const ServedData& d, const store::Store& s, const UserDirectory& u, SessionStore& ss, LoginThrottle& t,
                AuditLog& a, std::filesystem::path log, std::filesystem::path key, ApiLimits l)
    : data(d),
      store(s),
      users(u),
      sessions(ss),
      throttle(t),
      audit(a),
      audit_log_path(std::move(log)),
      audit_key_path(std::move(key)),
      limits(l),
      identity(store::IdentityArea::open(s, [](const store::IdentityAccess& x) {
        IdentityReads& r = current_identity_reads();
        ++r.reads;
        if (x.person_ids != nullptr) r.persons += x.person_ids->size();
        if (!x.file.empty()) r.files.emplace_back(x.file);
      })) {}

ApiResponse Api::Impl::refuse(const Call& c, std::string action, std::string target, std::string why) {
  AuditEvent e;
  e.user = c.session ? c.session->user : "";
  e.role = c.session ? std::string(role_name(c.session->role)) : "";
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = "refused";
  e.address = c.request.remote_address;
  e.detail = why;
  audit.append(e);
  return error_response(403, "not allowed: " + why);
}

void Api::Impl::audit_allowed(const Call& c, std::string action, std::string target, std::string purpose,
                              std::uint64_t rows) {
  AuditEvent e;
  e.user = c.session->user;
  e.role = std::string(role_name(c.session->role));
  e.purpose = std::move(purpose);
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = "allowed";
  e.address = c.request.remote_address;
  e.rows = rows;
  const IdentityReads& r = current_identity_reads();
  e.detail = "identity reads " + std::to_string(r.reads) + ", persons " + std::to_string(r.persons);
  for (const auto& f : r.files) e.detail += ", file " + f;
  audit.append(e);
  current_identity_reads().audited = true;
}

ApiResponse Api::Impl::dispatch(const ApiRequest& req) {
  if (req.body.size() > limits.max_body_bytes) return error_response(413, "request body too large");
  const auto segs = split_path(req.path);
  if (!segs) return error_response(404, "no such page");
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
    if (allow.empty()) return error_response(404, "no such page");
    ApiResponse r = error_response(405, "method not allowed here (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  for (const auto& a : args)
    if (a.size() > 64) return error_response(404, "no such page");
  // Parameters: each known to the route, given once, of the right shape.
  if (req.params.size() > limits.max_params) return error_response(400, "too many parameters");
  for (std::size_t i = 0; i < req.params.size(); ++i) {
    const auto& [name, value] = req.params[i];
    if (std::find(route->params.begin(), route->params.end(), name) == route->params.end())
      return error_response(400, "unknown parameter '" + (valid_name(name) ? name : std::string("?")) + "' for " + route->name);
    for (std::size_t j = 0; j < i; ++j)
      if (req.params[j].first == name) return error_response(400, "parameter '" + name + "' given twice");
    if (value.size() > limits.max_param_bytes) return error_response(400, "parameter '" + name + "' too long");
    const std::string why = check_param(name, value);
    if (!why.empty()) return error_response(400, "parameter '" + name + "': " + why);
  }
  Call call{req, std::nullopt, std::move(args), ""};
  const std::string id = session_cookie(req);
  if (!id.empty()) {
    call.session = sessions.find(id, Clock::now());
    if (call.session) call.session_id = id;
  }
  if (route->session && !call.session) {
    ApiResponse r = error_response(401, "sign in first (POST /api/login)");
    r.route = route->name;
    return r;
  }
  ApiResponse r = (this->*(route->handler))(call);
  r.route = route->name;
  if (call.session) r.user = call.session->user;
  return r;
}

Api::Api(const ServedData& data, const store::Store& store, const UserDirectory& users, SessionStore& sessions,
         LoginThrottle& throttle, AuditLog& audit, std::filesystem::path audit_log_path,
         std::filesystem::path audit_key_path, ApiLimits limits)
    : impl_(std::make_unique<Impl>(data, store, users, sessions, throttle, audit, std::move(audit_log_path),
                                   std::move(audit_key_path), limits)) {}

Api::~Api() = default;

ApiResponse Api::handle(const ApiRequest& request) {
  IdentityReads& reads = current_identity_reads();
  reads = IdentityReads{};
  ApiResponse response;
  try {
    response = impl_->dispatch(request);
    // Defence in depth: an identity read that no handler audited is never returned.
    if (reads.reads > 0 && !reads.audited) {
      std::fprintf(stderr, "severn serve: an identity read without an audit line on %s; nothing sent\n",
                   response.route.c_str());
      response = error_response(500, "internal error: nothing was sent");
    }
  } catch (const std::exception& e) {
    // The reason goes to the server's log only: it can name files or internal state.
    std::fprintf(stderr, "severn serve: %s %s failed: %s\n", request.method.c_str(), response.route.c_str(), e.what());
    response = error_response(500, "internal error: nothing was sent");
  }
  return response;
}

}  // namespace severn::server
