#include "server/http_request.h"

#include <simdjson.h>

#include <algorithm>

namespace severn::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `s`; false on a bad escape or a decoded control character or '/' (in a path
// segment or parameter an encoded slash only ever serves to smuggle one past a check).
bool percent_decode(std::string_view s, bool plus_is_space, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/') return false;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    out += c;
  }
  return true;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

const std::string* ApiRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

bool parse_request_target(std::string_view target, ApiRequest& request, std::string& why) {
  request.params.clear();
  if (target.empty() || target[0] != '/') {
    why = "the request target must be an absolute path";
    return false;
  }
  const std::size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  std::string path;
  std::size_t at = 0;
  // Decoded segment by segment, so an encoded '/' can never join two.
  while (at <= raw_path.size()) {
    const std::size_t slash = raw_path.find('/', at);
    std::string seg;
    if (!percent_decode(raw_path.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at), false, seg)) {
      why = "malformed path";
      return false;
    }
    path += seg;
    if (slash == std::string_view::npos) break;
    path += '/';
    at = slash + 1;
  }
  request.path = std::move(path);
  if (q == std::string_view::npos) return true;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    std::string name, value;
    if (eq == std::string_view::npos || !percent_decode(pair.substr(0, eq), true, name) ||
        !percent_decode(pair.substr(eq + 1), true, value) || name.empty()) {
      why = "malformed query string";
      return false;
    }
    request.params.emplace_back(std::move(name), std::move(value));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return true;
}

std::string session_cookie_value(const ApiRequest& req) {
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
        if (id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
          return std::string(id);
        return "";
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return "";
}


bool parse_login_body(std::string_view body, std::string& user, std::string& password, std::string& why) {
  user.clear();
  password.clear();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    why = "body: expected a JSON object {\"user\":..., \"password\":...}";
    return false;
  }
  std::size_t fields = 0;
  bool seen_user = false, seen_password = false;
  for (const auto field : doc.get_object()) {
    ++fields;
    std::string_view v;
    if (field.value.get_string().get(v) != simdjson::SUCCESS) {
      why = "body: every field must be a string";
      return false;
    }
    if (field.key == "user" && !seen_user) {
      user = std::string(v);
      seen_user = true;
    } else if (field.key == "password" && !seen_password) {
      password = std::string(v);
      seen_password = true;
    } else {
      why = "body: unknown or repeated field (expected user and password)";
      return false;
    }
  }
  if (fields != 2 || user.empty() || password.empty()) {
    why = "body: user and password are required";
    return false;
  }
  if (user.size() > 64 || password.size() > 1024) {
    why = "body: user or password too long";
    return false;
  }
  return true;
}

}  // namespace severn::server
