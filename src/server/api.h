// The API and pages of `severn serve` as a function from request to response, apart from any
// socket (the HTTP layer, http_server.h, only translates; the fuzz harness and the tests call
// this directly too). Every decision about who may see what is taken here, once per request:
//   1. the request is validated (method, path, parameters: names, repeats, sizes, shapes) -> 4xx;
//   2. the session is found from its cookie -> 401 without one;
//   3. the role may do the activity at all, and the PCN or provider asked for is the user's own
//      -> 403, and a "refused" audit line;
//   4. identifiable rows are joined to who each person is through the store's identity area with
//      the user's own access context, and an "allowed" audit line (who, role, purpose, what, how
//      many rows) is appended and fsynced before the response is returned; if it cannot be
//      written the response is a 500 with no data.
// Aggregates come from ServedData, which holds only what disclosure control published.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/audit_log.h"
#include "server/login_throttle.h"
#include "server/roles.h"
#include "server/served_data.h"
#include "server/sessions.h"
#include "server/users.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::server {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> params;  // the query's, decoded, in order (repeats kept)
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent (matched case-insensitively)
  std::string body;
  std::string remote_address;
  const std::string* header(std::string_view name) const;  // the first with this name, or null
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Set-Cookie, Retry-After, Allow ...
  // For the server's own log line: the route matched ("/api/worklists/{definition}/{worklist}"),
  // never the path or query as sent, and the signed-in user if any.
  std::string route, user;
};

// The name of the session cookie: the __Host- prefix makes browsers refuse it unless it is
// Secure, has Path=/ and no Domain (RFC 6265bis), so no sibling host can plant one.
inline constexpr const char* kSessionCookie = "__Host-severn_session";

struct ApiLimits {
  std::size_t max_body_bytes = 16384;
  std::size_t max_param_bytes = 256;  // any one parameter value (purpose: 200 characters)
  std::size_t max_params = 16;
};

class Api {
 public:
  using Clock = std::chrono::steady_clock;
  Api(const ServedData& data, const store::Store& store, const UserDirectory& users, SessionStore& sessions,
      LoginThrottle& throttle, AuditLog& audit, std::filesystem::path audit_log_path,
      std::filesystem::path audit_key_path, ApiLimits limits = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Never throws: an unexpected failure is a 500 whose body says only that it failed (the
  // server log has the reason).
  ApiResponse handle(const ApiRequest& request);

  struct Impl;  // api_impl.h: shared by the handler files

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace severn::server
