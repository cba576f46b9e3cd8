#include "server/api.h"

#include <cstdio>
#include <mutex>
#include <shared_mutex>

#include "core/json_text.h"
#include "server/api_impl.h"
#include "server/api_json.h"

namespace severn::server {
namespace {

thread_local IdentityReads t_reads;

}  // namespace

IdentityReads& current_identity_reads() { return t_reads; }

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

Api::Impl::Impl(const ServedData& d, const store::Store& s, UsersSource& u, SessionStore& ss, LoginThrottle& t,
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

ApiResponse Api::Impl::cached(const std::string& key, const std::function<ApiResponse()>& build) {
  {
    std::shared_lock lock(cache_mutex);
    const auto it = cache.find(key);
    if (it != cache.end()) return *it->second;
  }
  auto made = std::make_shared<const ApiResponse>(build());
  if (made->status == 200) {
    std::unique_lock lock(cache_mutex);
    if (cache.size() >= kMaxCached) cache.clear();
    cache.emplace(key, made);
  }
  return *made;
}

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
  const RouteMatch m = route_request(req, limits);
  if (m.status != 0) {
    ApiResponse r = error_response(m.status, m.error);
    if (!m.allow.empty()) r.headers.emplace_back("Allow", m.allow);
    return r;
  }
  Call call{req, std::nullopt, m.args, ""};
  const std::string id = session_cookie_value(req);
  if (!id.empty()) {
    call.session = sessions.find(id, Clock::now());
    if (call.session) {
      call.session_id = id;
      // The user as the users file has them now: disabled, removed, or given another role or
      // scope since signing in, the session ends here.
      const auto directory = users.current();
      const User* u = directory->find(call.session->user);
      if (u == nullptr || u->disabled || u->role != call.session->role || u->pcns != call.session->pcns ||
          u->providers != call.session->providers) {
        sessions.remove(id);
        call.session.reset();
        call.session_id.clear();
      }
    }
  }
  ApiResponse r;
  if (m.needs_session && !call.session) {
    r = error_response(401, "sign in first (POST /api/login)");
  } else {
    switch (m.endpoint) {
      case Endpoint::kPage: r = page(call); break;
      case Endpoint::kStatic: r = static_asset(call); break;
      case Endpoint::kLogin: r = login(call); break;
      case Endpoint::kLogout: r = logout(call); break;
      case Endpoint::kSession: r = session_info(call); break;
      case Endpoint::kDefinitions: r = definitions(call); break;
      case Endpoint::kMeasures: r = measures(call); break;
      case Endpoint::kPcns: r = pcns(call); break;
      case Endpoint::kProviders: r = providers(call); break;
      case Endpoint::kLsoaMap: r = lsoa_map(call); break;
      case Endpoint::kWorklist: r = worklist(call); break;
      case Endpoint::kElectiveSnapshot: r = elective_snapshot(call); break;
      case Endpoint::kElectiveScenarios: r = elective_scenarios(call); break;
      case Endpoint::kPtl: r = ptl(call); break;
      case Endpoint::kMutualAid: r = mutual_aid(call); break;
      case Endpoint::kAudit: r = audit_read(call); break;
      case Endpoint::kUsers: r = users_list(call); break;
    }
  }
  r.route = m.name;
  if (call.session && r.user.empty()) r.user = call.session->user;
  return r;
}

Api::Api(const ServedData& data, const store::Store& store, UsersSource& users, SessionStore& sessions,
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
