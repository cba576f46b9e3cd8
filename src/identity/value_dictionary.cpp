#include "identity/value_dictionary.h"

#include <xxhash.h>

namespace severn::identity {

ValueDictionary::ValueDictionary() : starts_{0, 0}, hashes_{0}, slots_(64, 0) {}

std::size_t ValueDictionary::slot_of(std::string_view value, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint32_t entry = slots_[s];
    if (entry == 0) return s;
    const std::uint32_t id = entry - 1;
    if (hashes_[id] == hash && this->value(id) == value) return s;
  }
}

std::uint32_t ValueDictionary::find(std::string_view value) const {
  if (value.empty()) return 0;
  const std::uint64_t hash = XXH3_64bits(value.data(), value.size());
  const std::uint32_t entry = slots_[slot_of(value, hash)];
  return entry == 0 ? 0 : entry - 1;
}

std::uint32_t ValueDictionary::intern(std::string_view value) {
  if (value.empty()) return 0;
  const std::uint64_t hash = XXH3_64bits(value.data(), value.size());
  std::size_t s = slot_of(value, hash);
  if (slots_[s] != 0) return slots_[s] - 1;
  const auto id = static_cast<std::uint32_t>(size());
  bytes_.append(value);
  starts_.push_back(bytes_.size());
  hashes_.push_back(hash);
  // Keep the table at most half full.
  if (2 * size() > slots_.size()) {
    grow();
    s = slot_of(value, hash);
  }
  slots_[s] = id + 1;
  return id;
}

void ValueDictionary::grow() {
  std::vector<std::uint32_t> bigger(slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t entry : slots_) {
    if (entry == 0) continue;
    std::size_t s = hashes_[entry - 1] & mask;
    while (bigger[s] != 0) s = (s + 1) & mask;
    bigger[s] = entry;
  }
  slots_.swap(bigger);
}

}  // namespace severn::identity
