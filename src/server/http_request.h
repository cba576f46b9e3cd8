// A request and response as the API sees them, apart from any socket, and the parsing of what a
// client sends that the API does itself: the request target, the session cookie, the sign-in
// body. Depends on nothing but the standard library and simdjson, so the fuzz harness
// (tests/fuzz/http_request_fuzzer.cpp) drives exactly this code.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Splits a request target ("/api/measures?definition=x&from=2025-01-01") into the request's path
// and parameters, percent-decoding each part ('+' is a space in the query). False, with `why`,
// when the target is malformed: not absolute, a bad or incomplete %-escape, an encoded '/' or
// NUL or control character anywhere, a parameter without '='. Repeats are kept (the API refuses
// them), unlike parsers that fold identical pairs.
bool parse_request_target(std::string_view target, ApiRequest& request, std::string& why);

// The name of the session cookie: the __Host- prefix makes browsers refuse it unless it is
// Secure, has Path=/ and no Domain (RFC 6265bis), so no sibling host can plant one.
inline constexpr const char* kSessionCookie = "__Host-severn_session";

// The header that states why an identifiable list is read (recorded in the audit).
inline constexpr const char* kPurposeHeader = "X-Severn-Purpose";

// The session id in the request's Cookie header(s): 64 lower-case hex characters, or "".
std::string session_cookie_value(const ApiRequest& request);

// The sign-in body {"user": "...", "password": "..."}: exactly those two string fields, the user
// 1-64 bytes and the password 1-1024. False, with `why`, otherwise.
bool parse_login_body(std::string_view body, std::string& user, std::string& password, std::string& why);

bool iequals(std::string_view a, std::string_view b);

}  // namespace severn::server
