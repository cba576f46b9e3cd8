#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace severn::identity {

// Keyed pseudonyms: HMAC-SHA256(key, ten-digit NHS number). The key comes from a file
// (--key-file) or the environment (SEVERN_PSEUDONYM_KEY, hex); it is held in memory only and
// never written anywhere. The same key gives the same pseudonyms in every build, so linked
// analyses across builds stay possible without re-identification.
class Pseudonymiser {
 public:
  static constexpr std::size_t kMinKeyBytes = 32;
  // Throws InputError: no key given, unreadable file, too short, or bad hex.
  static Pseudonymiser from_file_or_environment(const std::string& key_file);
  explicit Pseudonymiser(std::string key);
  ~Pseudonymiser();
  Pseudonymiser(Pseudonymiser&&) noexcept;
  Pseudonymiser(const Pseudonymiser&) = delete;
  Pseudonymiser& operator=(const Pseudonymiser&) = delete;

  // Thread-safe. Computed from SHA-256 states with the padded key already absorbed (RFC 2104),
  // which is several times faster than keying a new HMAC for every person.
  std::array<std::uint8_t, 32> pseudonym(std::uint64_t nhs_number) const;
  // The same value through OpenSSL's one-shot HMAC(), as the reference the fast path is tested
  // against.
  std::array<std::uint8_t, 32> pseudonym_reference(std::uint64_t nhs_number) const;
  // First 16 hex digits of SHA-256("severn pseudonym key id" + key): tells whether two stores
  // used the same key without revealing it.
  std::string key_id() const;

 private:
  std::string key_;
  struct KeyedStates;
  KeyedStates* states_ = nullptr;
};

std::string to_hex(const std::uint8_t* bytes, std::size_t n);

}  // namespace severn::identity
