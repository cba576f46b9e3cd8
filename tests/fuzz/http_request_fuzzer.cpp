// Fuzzes what `severn serve` does itself with what a client sends (src/server/http_request.h,
// routing.h): the request target's parsing, routing with its method and parameter checks, the
// session cookie and the sign-in body. The input is a request in a simple framing: the method on
// the first line, the target on the second, then header lines up to an empty line, then the body.
//
// Properties besides not crashing:
// * a parsed path holds no control character, and a routed path no dot or empty segment;
// * a routed request's parameters are each allowed (check_param accepts them), none repeated;
// * a session cookie found is 64 lower-case hex characters;
// * an accepted sign-in body has a user of 1-64 bytes and a password of 1-1024.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/http_request.h"
#include "server/routing.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "http request fuzzer: %s\n", what);
  std::abort();
}

std::string_view next_line(std::string_view& rest) {
  const std::size_t nl = rest.find('\n');
  const std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn::server;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  ApiRequest req;
  req.method = std::string(next_line(rest));
  const std::string target(next_line(rest));
  for (std::string_view line = next_line(rest); !line.empty(); line = next_line(rest)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  req.body = std::string(rest);

  std::string why;
  if (parse_request_target(target, req, why)) {
    for (const char c : req.path)
      if (static_cast<unsigned char>(c) < 0x20) broken("a control character in a parsed path");
    const RouteMatch m = route_request(req, ApiLimits{});
    if (m.status == 0) {
      if (req.path.find("/./") != std::string::npos || req.path.find("/../") != std::string::npos ||
          req.path.find("//") != std::string::npos)
        broken("a path with a dot or empty segment was routed");
      for (std::size_t i = 0; i < req.params.size(); ++i) {
        if (!check_param(req.params[i].first, req.params[i].second).empty()) broken("a refused parameter was routed");
        for (std::size_t j = 0; j < i; ++j)
          if (req.params[j].first == req.params[i].first) broken("a repeated parameter was routed");
      }
      for (const auto& a : m.args)
        if (a.empty() || a.size() > 64) broken("a route argument out of bounds");
    } else if (m.status < 400 || m.status > 499) {
      broken("a refusal that is not a 4xx");
    }
  } else if (why.empty()) {
    broken("a malformed target without a reason");
  }
  const std::string id = session_cookie_value(req);
  if (!id.empty()) {
    if (id.size() != 64) broken("a session cookie of the wrong length");
    for (const char c : id)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) broken("a session cookie that is not lower-case hex");
  }
  std::string user, password;
  if (parse_login_body(req.body, user, password, why)) {
    if (user.empty() || user.size() > 64 || password.empty() || password.size() > 1024) broken("a sign-in body out of bounds");
  }
  return 0;
}
