// Interned strings: each distinct value gets a dense id (0 is reserved for null), so equality
// is an integer comparison and per-value work (phonetic codes, dates, frequencies) is done once
// per distinct value rather than once per record. Values live back to back in one buffer.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace severn::identity {

class ValueDictionary {
 public:
  ValueDictionary();
  // The id of `value`, adding it if new. "" is always id 0 (null).
  std::uint32_t intern(std::string_view value);
  // 0 when absent (or empty).
  std::uint32_t find(std::string_view value) const;
  std::string_view value(std::uint32_t id) const {
    return std::string_view(bytes_).substr(starts_[id], starts_[id + 1] - starts_[id]);
  }
  std::size_t size() const { return starts_.size() - 1; }  // including the null id

 private:
  std::size_t slot_of(std::string_view value, std::uint64_t hash) const;
  void grow();
  std::string bytes_;
  std::vector<std::uint64_t> starts_;  // value id -> start in bytes_; one extra end entry
  std::vector<std::uint64_t> hashes_;  // value id -> hash
  std::vector<std::uint32_t> slots_;   // open addressing: id + 1, 0 = empty
};

}  // namespace severn::identity
