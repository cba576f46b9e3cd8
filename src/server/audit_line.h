// One line of the audit log (audit_log.h has the format): writing it as ASCII JSON with its
// HMAC, and reading it back strictly. Hostile bytes give a problem message, never a crash.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/audit_log.h"

namespace severn::server {

using AuditKey = std::array<unsigned char, 32>;
inline constexpr std::size_t kAuditMaxLineBytes = 64 * 1024;
inline constexpr std::string_view kAuditZeroMac = "0000000000000000000000000000000000000000000000000000000000000000";

// HMAC-SHA256 of the bytes under the key, as 64 lowercase hex characters.
std::string audit_hmac_hex(const AuditKey& key, std::string_view bytes);
// Constant-time comparison of two macs in hex.
bool audit_macs_equal(std::string_view a, std::string_view b);

// s as a JSON string of printable ASCII only: `"`, `\`, control characters and every non-ASCII
// character are \u escapes (UTF-16 surrogate pairs above U+FFFF); bytes that are not valid
// UTF-8 become U+FFFD.
std::string audit_json_string(std::string_view s);

bool audit_outcome_valid(std::string_view outcome);

// The current UTC time as 2026-12-07T20:15:43.123Z.
std::string audit_time_now();

// The complete line, newline included, for the entry following a line whose mac is prev.
std::string audit_line_text(const AuditEntry& entry, std::string_view prev, const AuditKey& key);

struct ParsedAuditLine {
  AuditEntry entry;
  std::string prev, mac;
  std::string_view signed_bytes;  // the part of the line the mac covers (a view into the line)
};
// Parses one line (without its newline). Returns "" and fills `out`, or says what is wrong.
std::string parse_audit_line(std::string_view line, ParsedAuditLine& out);

}  // namespace severn::server
