// Signing in and out (docs/serve.md "Sessions"): argon2id verification, throttling and lockout,
// a fresh session id at every sign-in (no fixation), the cookie's attributes, CSRF on sign-out.
#include "core/json_text.h"
#include "server/api_impl.h"
#include "server/password_hash.h"

namespace severn::server {
namespace {

std::string cookie_header(const std::string& id, bool clear) {
  // Secure + HttpOnly + SameSite=Strict: never sent over plain HTTP, never read by script, never
  // sent with a request another site starts. No Max-Age: it ends with the browser session (and
  // the server expires it after the idle or absolute limit anyway).
  return std::string(kSessionCookie) + "=" + (clear ? "" : id) + "; Path=/; Secure; HttpOnly; SameSite=Strict" +
         (clear ? "; Max-Age=0" : "");
}

// A browser sends Origin on a POST; when present it must be this server's own (login CSRF).
bool same_origin(const ApiRequest& req) {
  const std::string* origin = req.header("Origin");
  if (origin == nullptr) return true;
  const std::string* host = req.header("Host");
  return host != nullptr && *origin == "https://" + *host;
}

ApiResponse with_retry_after(ApiResponse r, std::chrono::seconds s) {
  r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, s.count())));
  return r;
}

}  // namespace

ApiResponse Api::Impl::login(Call& c) {
  const ApiRequest& req = c.request;
  const std::string* type = req.header("Content-Type");
  if (type == nullptr || type->rfind("application/json", 0) != 0)
    return error_response(415, "send the credentials as application/json");
  if (!same_origin(req)) return error_response(403, "sign-in from another site's page is refused");
  std::string name, password, why;
  if (!parse_login_body(req.body, name, password, why)) return error_response(400, why);
  const auto now = Clock::now();
  AuditEvent e;
  e.user = name;
  e.action = "sign in";
  e.address = req.remote_address;
  switch (throttle.check(name, req.remote_address, now)) {
    case ThrottleDecision::kAllowed: break;
    case ThrottleDecision::kUserLocked:
      e.outcome = "refused";
      e.detail = "locked after repeated failures";
      audit.append(e);
      return with_retry_after(error_response(429, "too many failed sign-ins: try again later"),
                              throttle.retry_after(name, req.remote_address, now));
    case ThrottleDecision::kAddressThrottled:
      return with_retry_after(error_response(429, "too many sign-in attempts from this address: try again later"),
                              throttle.retry_after(name, req.remote_address, now));
  }
  const auto directory = users.current();
  const User* user = directory->find(name);
  // An unknown or disabled user costs one argon2id verification too, so timing tells nothing.
  const bool ok = user != nullptr && !user->disabled ? verify_password(password, user->password_hash)
                                                     : (verify_password(password, decoy_password_hash()), false);
  if (!ok) {
    throttle.failed(name, now);
    e.outcome = "failed";
    audit.append(e);
    return error_response(401, "wrong user name or password");
  }
  throttle.succeeded(name);
  const Session s = sessions.create(*user, now);
  e.role = std::string(role_name(user->role));
  e.outcome = "allowed";
  audit.append(e);
  ApiResponse r = json_response(200, "{\"api_version\":1," + session_fields(s) + "}");
  r.headers.emplace_back("Set-Cookie", cookie_header(s.id, false));
  r.user = s.user;
  return r;
}

ApiResponse Api::Impl::logout(Call& c) {
  const std::string* token = c.request.header("X-CSRF-Token");
  if (token == nullptr || !SessionStore::csrf_matches(*c.session, *token))
    return error_response(403, "missing or wrong X-CSRF-Token");
  sessions.remove(c.session_id);
  ApiResponse r = json_response(200, "{\"api_version\":1,\"logged_out\":true}");
  r.headers.emplace_back("Set-Cookie", cookie_header("", true));
  return r;
}

ApiResponse Api::Impl::session_info(Call& c) {
  return json_response(200, "{\"api_version\":1," + session_fields(*c.session) + "}");
}

}  // namespace severn::server
