// Identity v1: people are resolved deterministically on a valid NHS number. gp/patients.csv
// defines the persons (person_id = order of first appearance); every other source links to them
// by NHS number, and partner activity also through the partner's own patient index.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"

namespace severn::ingest {

// NHS number (as an integer) -> person_id, open addressing: it is probed once per row of every
// table, so it must be cheap.
class PersonIndex {
 public:
  void reserve(std::size_t persons);
  // False if the NHS number is already present.
  bool insert(std::uint64_t nhs_number, std::uint32_t person);
  std::optional<std::uint32_t> find(std::uint64_t nhs_number) const;
  std::size_t size() const { return dob_.size(); }
  Days date_of_birth(std::uint32_t person) const { return dob_[person]; }
  void set_date_of_birth(std::uint32_t person, Days dob);

 private:
  std::vector<std::uint64_t> keys_;  // NHS number + 1; 0 = empty slot
  std::vector<std::uint32_t> values_;
  std::vector<Days> dob_;
  std::size_t mask_ = 0;
};

// A partner's local patient id -> row of the partner index.
class PartnerIndex {
 public:
  void reserve(std::size_t records) { map_.reserve(records); }
  void insert(std::string_view partner, std::string_view local_id, std::uint32_t record);
  std::optional<std::uint32_t> find(std::string_view partner, std::string_view local_id) const;
  std::size_t size() const { return map_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static std::string key(std::string_view partner, std::string_view local_id);
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> map_;
};

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

}  // namespace severn::ingest
