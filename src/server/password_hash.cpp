#include "server/password_hash.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace severn::server {
namespace {

// Bounds on what verify_password will compute: generous enough for any parameters this server or
// a stronger future configuration makes, small enough that a hostile hash cannot exhaust memory.
constexpr std::uint32_t kMaxMemoryKib = 1u << 20;  // 1 GiB
constexpr std::uint32_t kMaxIterations = 64;
constexpr std::uint32_t kMaxLanes = 16;
constexpr std::size_t kMinSaltBytes = 8, kMaxSaltBytes = 64, kMinTagBytes = 16, kMaxTagBytes = 64;

void random_bytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("the system random generator failed");
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// A PHC decimal: digits, no leading zero, fits in 32 bits.
bool consume_decimal(std::string_view& s, std::uint32_t& value) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 10 || (n > 1 && s[0] == '0')) return false;
  const auto r = std::from_chars(s.data(), s.data() + n, value);
  if (r.ec != std::errc{}) return false;
  s.remove_prefix(n);
  return true;
}

// The byte length of an unpadded base64 field, or 0 if it is not one.
std::size_t base64_bytes(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) return 0;
  }
  if (s.size() % 4 == 1) return 0;
  return s.size() * 3 / 4;
}

}  // namespace

const Argon2idParameters& password_hash_parameters() {
  static const Argon2idParameters p;
  return p;
}

std::string hash_password(std::string_view password) {
  const Argon2idParameters& p = password_hash_parameters();
  if (password.size() > ARGON2_MAX_PWD_LENGTH) throw std::runtime_error("password too long to hash");
  std::vector<unsigned char> salt(p.salt_bytes);
  random_bytes(salt.data(), salt.size());
  std::string encoded(argon2_encodedlen(p.iterations, p.memory_kib, p.lanes, p.salt_bytes, p.tag_bytes, Argon2_id), '\0');
  const int rc = argon2id_hash_encoded(p.iterations, p.memory_kib, p.lanes, password.data(), password.size(),
                                       salt.data(), salt.size(), p.tag_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id hashing failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool is_argon2id_hash(std::string_view s) {
  std::uint32_t version = 0, m = 0, t = 0, p = 0;
  if (!consume(s, "$argon2id$v=") || !consume_decimal(s, version) || version != ARGON2_VERSION_13) return false;
  if (!consume(s, "$m=") || !consume_decimal(s, m) || !consume(s, ",t=") || !consume_decimal(s, t) ||
      !consume(s, ",p=") || !consume_decimal(s, p) || !consume(s, "$"))
    return false;
  if (p < 1 || p > kMaxLanes || t < 1 || t > kMaxIterations || m < 8 * p || m > kMaxMemoryKib) return false;
  const std::size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return false;
  const std::size_t salt = base64_bytes(s.substr(0, dollar)), tag = base64_bytes(s.substr(dollar + 1));
  return salt >= kMinSaltBytes && salt <= kMaxSaltBytes && tag >= kMinTagBytes && tag <= kMaxTagBytes;
}

bool verify_password(std::string_view password, std::string_view encoded) {
  if (!is_argon2id_hash(encoded) || password.size() > ARGON2_MAX_PWD_LENGTH) return false;
  try {
    const std::string text(encoded);  // argon2 wants a NUL-terminated string; the shape check excluded NULs
    return argon2id_verify(text.c_str(), password.data(), password.size()) == ARGON2_OK;
  } catch (...) {
    return false;
  }
}

std::string random_password() {
  // Bytes at or above the largest multiple of the alphabet size are redrawn: taking them modulo
  // 56 would make the first 32 characters more likely than the rest.
  constexpr std::size_t kSize = kPasswordAlphabet.size();
  constexpr unsigned kLimit = 256 / kSize * kSize;
  std::string out;
  std::array<unsigned char, 64> buf{};
  while (out.size() < kRandomPasswordLength) {
    random_bytes(buf.data(), buf.size());
    for (const unsigned char b : buf) {
      if (b >= kLimit) continue;
      out += kPasswordAlphabet[b % kSize];
      if (out.size() == kRandomPasswordLength) break;
    }
  }
  return out;
}

const std::string& decoy_password_hash() {
  static const std::string hash = hash_password(random_password());
  return hash;
}

}  // namespace severn::server
