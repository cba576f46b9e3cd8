// The API's routes as data, and the checks every request passes before any handler runs (docs/
// serve.md "Requests"): a clean path (no empty or dot segments, unreserved characters only), a
// known route, the method it takes (405 with Allow otherwise), and its parameters: each known to
// the route, given once, within the size limit and of the right shape. Pure: no state, no I/O.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "server/http_request.h"

namespace severn::server {

enum class Endpoint {
  kPage, kStatic, kLogin, kLogout, kSession, kDefinitions, kMeasures, kPcns, kProviders, kLsoaMap,
  kWorklist, kElectiveSnapshot, kElectiveScenarios, kPtl, kMutualAid, kAudit, kUsers,
};

struct ApiLimits {
  std::size_t max_body_bytes = 16384;
  std::size_t max_param_bytes = 256;  // any one parameter value (purpose: 200 characters)
  std::size_t max_params = 16;
};

struct RouteMatch {
  int status = 0;            // 0: matched; else the 4xx to send, with `error`
  std::string error;
  std::string allow;         // with 405: the methods the path takes
  Endpoint endpoint = Endpoint::kPage;
  bool needs_session = true;
  std::string name;          // the route's pattern, for logs
  std::vector<std::string> args;  // the {placeholders}, in order: names of [a-z0-9_], at most 64
};

RouteMatch route_request(const ApiRequest& request, const ApiLimits& limits);

// Why a parameter's value is refused, or "" when it is acceptable.
std::string check_param(std::string_view name, std::string_view value);

}  // namespace severn::server
