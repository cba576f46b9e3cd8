// Password hashing for the users file: argon2id (libargon2), stored as PHC strings such as
//   $argon2id$v=19$m=19456,t=2,p=1$<salt, base64 without padding>$<tag, base64 without padding>
// Passwords are bytes (UTF-8 as typed); nothing is normalised.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace severn::server {

// The parameters new hashes are made with: the OWASP Password Storage Cheat Sheet's argon2id
// minimum configuration, "m=19456 (19 MiB), t=2, p=1"
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
struct Argon2idParameters {
  std::uint32_t memory_kib = 19456;  // m, in KiB
  std::uint32_t iterations = 2;      // t
  std::uint32_t lanes = 1;           // p
  std::uint32_t salt_bytes = 16;
  std::uint32_t tag_bytes = 32;
};
const Argon2idParameters& password_hash_parameters();

// A fresh PHC string for the password, with a 16-byte salt from OpenSSL's RAND_bytes. Takes
// tens of milliseconds and 19 MiB by design. Throws std::runtime_error if hashing fails.
std::string hash_password(std::string_view password);

// Whether the password matches the PHC string. False, never an exception, on a mismatch or on an
// encoded string that is not a well-formed argon2id hash (including one whose cost parameters are
// beyond what this server would ever make, so a hostile users file cannot make a login take
// gigabytes).
bool verify_password(std::string_view password, std::string_view encoded);

// Whether the text is a well-formed argon2id PHC string (version 19, parameters within bounds,
// salt and tag of plausible lengths). Checks the shape only: no hashing.
bool is_argon2id_hash(std::string_view encoded);

// 20 characters from kPasswordAlphabet (no 0/O, 1/l/I, o), drawn with RAND_bytes by rejection
// sampling so every character is equally likely: 20 * log2(56) = 116 bits.
inline constexpr std::string_view kPasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
inline constexpr std::size_t kRandomPasswordLength = 20;
std::string random_password();

// A hash of a random password made once per process: verified against when the user does not
// exist, so that an unknown user costs the same time as a wrong password.
const std::string& decoy_password_hash();

}  // namespace severn::server
