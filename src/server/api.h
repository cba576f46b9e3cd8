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
#include "server/http_request.h"
#include "server/roles.h"
#include "server/routing.h"
#include "server/served_data.h"
#include "server/sessions.h"
#include "server/users.h"
#include "server/users_source.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::server {

class Api {
 public:
  using Clock = std::chrono::steady_clock;
  Api(const ServedData& data, const store::Store& store, UsersSource& users, SessionStore& sessions,
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
