#include "server/audit_line.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace severn::server {
namespace {

constexpr std::string_view kMacKey = ",\"mac\":\"";
constexpr std::size_t kMacHexLength = 64;

void append_u_escape(std::string& out, std::uint32_t unit) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(unit));
  out += buf;
}

// The code point of the UTF-8 sequence at s[i], advancing i; U+FFFD (advancing one byte) when the
// bytes there are not a valid, shortest-form encoding of a scalar value.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t n = 0;
  std::uint32_t cp = 0, min = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xe0) == 0xc0) {
    n = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    n = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return 0xfffd;
  }
  if (i + n > s.size()) {
    ++i;
    return 0xfffd;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return 0xfffd;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++i;
    return 0xfffd;
  }
  i += n;
  return cp;
}

bool is_lower_hex(std::string_view s) {
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string u64_text(std::uint64_t v) { return std::to_string(v); }

}  // namespace

std::string audit_hmac_hex(const AuditKey& key, std::string_view bytes) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(bytes.data()),
           bytes.size(), mac, &length) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int k = 0; k < length; ++k) {
    out += kHex[mac[k] >> 4];
    out += kHex[mac[k] & 15];
  }
  return out;
}

bool audit_macs_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string audit_json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const std::uint32_t cp = next_code_point(s, i);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp >= 0x20 && cp < 0x7f) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      append_u_escape(out, cp);
    } else {
      const std::uint32_t v = cp - 0x10000;
      append_u_escape(out, 0xd800 + (v >> 10));
      append_u_escape(out, 0xdc00 + (v & 0x3ff));
    }
  }
  return out + '"';
}

bool audit_outcome_valid(std::string_view outcome) {
  return outcome == "allowed" || outcome == "refused" || outcome == "failed";
}

std::string audit_time_now() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];  // room for any int the format could hold, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string audit_line_text(const AuditEntry& entry, std::string_view prev, const AuditKey& key) {
  const AuditEvent& e = entry.event;
  std::string body = "{\"seq\":" + u64_text(entry.seq) + ",\"time\":" + audit_json_string(entry.time) +
                     ",\"user\":" + audit_json_string(e.user) + ",\"role\":" + audit_json_string(e.role) +
                     ",\"purpose\":" + audit_json_string(e.purpose) + ",\"action\":" + audit_json_string(e.action) +
                     ",\"target\":" + audit_json_string(e.target) + ",\"rows\":" + u64_text(e.rows) +
                     ",\"outcome\":" + audit_json_string(e.outcome) + ",\"address\":" + audit_json_string(e.address) +
                     ",\"detail\":" + audit_json_string(e.detail) + ",\"prev\":" + audit_json_string(prev);
  const std::string mac = audit_hmac_hex(key, body);
  return body + std::string(kMacKey) + mac + "\"}\n";
}

std::string parse_audit_line(std::string_view line, ParsedAuditLine& out) {
  if (line.empty()) return "empty";
  if (line.size() > kAuditMaxLineBytes) return "longer than " + std::to_string(kAuditMaxLineBytes) + " bytes";
  // The mac is the last member, so the bytes it covers are exactly those before it.
  const std::size_t tail = kMacKey.size() + kMacHexLength + 2;
  if (line.size() < tail + 1 || line.substr(line.size() - 2) != "\"}" ||
      line.substr(line.size() - tail, kMacKey.size()) != kMacKey)
    return "not an audit line (it does not end with its mac)";
  out.signed_bytes = line.substr(0, line.size() - tail);

  thread_local simdjson::dom::parser parser;  // reused: one allocation per thread, not per line
  simdjson::dom::object object;
  if (const auto error = parser.parse(line.data(), line.size(), true).get(object); error != simdjson::SUCCESS)
    return std::string("not an audit line (") + simdjson::error_message(error) + ")";

  static constexpr std::string_view kFields[] = {"seq",    "time",    "user",    "role",   "purpose", "action", "target",
                                                 "rows",   "outcome", "address", "detail", "prev",    "mac"};
  constexpr std::size_t kCount = std::size(kFields);
  bool seen[kCount] = {};
  AuditEntry& entry = out.entry;
  AuditEvent& e = entry.event;
  std::string* const strings[kCount] = {nullptr,   &entry.time, &e.user,   &e.role,    &e.purpose, &e.action, &e.target,
                                        nullptr,   &e.outcome,  &e.address, &e.detail, &out.prev, &out.mac};
  for (const auto field : object) {
    std::size_t k = 0;
    while (k < kCount && kFields[k] != field.key) ++k;
    if (k == kCount) return "unknown field '" + audit_json_string(field.key) + "'";
    if (seen[k]) return "field '" + std::string(kFields[k]) + "' appears twice";
    seen[k] = true;
    if (strings[k] == nullptr) {
      std::uint64_t value = 0;
      if (field.value.get(value) != simdjson::SUCCESS)
        return "field '" + std::string(kFields[k]) + "' is not a whole number";
      (k == 0 ? entry.seq : e.rows) = value;
    } else {
      std::string_view value;
      if (field.value.get(value) != simdjson::SUCCESS) return "field '" + std::string(kFields[k]) + "' is not a string";
      *strings[k] = std::string(value);
    }
  }
  for (std::size_t k = 0; k < kCount; ++k)
    if (!seen[k]) return "field '" + std::string(kFields[k]) + "' is missing";
  if (out.prev.size() != kMacHexLength || !is_lower_hex(out.prev)) return "field 'prev' is not 64 lowercase hex digits";
  if (out.mac.size() != kMacHexLength || !is_lower_hex(out.mac)) return "field 'mac' is not 64 lowercase hex digits";
  if (!audit_outcome_valid(e.outcome)) return "field 'outcome' is not allowed, refused or failed";
  return "";
}

}  // namespace severn::server
