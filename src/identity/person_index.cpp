#include "identity/person_index.h"

#include <algorithm>
#include <utility>

namespace severn::identity {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

void PersonIndex::reserve(std::size_t persons) {
  std::size_t slots = 1024;
  while (slots < persons * 2) slots <<= 1;
  keys_.assign(slots, 0);
  values_.assign(slots, 0);
  mask_ = slots - 1;
  dob_.reserve(persons);
}

bool PersonIndex::insert(std::uint64_t nhs, std::uint32_t person) {
  if ((dob_.size() + 1) * 2 > keys_.size()) {
    // Grow: rehash everything into a table twice the size.
    std::vector<std::uint64_t> old_keys = std::move(keys_);
    std::vector<std::uint32_t> old_values = std::move(values_);
    const std::size_t slots = std::max<std::size_t>(1024, old_keys.size() * 2);
    keys_.assign(slots, 0);
    values_.assign(slots, 0);
    mask_ = slots - 1;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == 0) continue;
      std::size_t s = mix(old_keys[i]) & mask_;
      while (keys_[s] != 0) s = (s + 1) & mask_;
      keys_[s] = old_keys[i];
      values_[s] = old_values[i];
    }
  }
  const std::uint64_t key = nhs + 1;  // 0000000000 passes the check digit: 0 cannot be "empty"
  std::size_t s = mix(key) & mask_;
  while (keys_[s] != 0) {
    if (keys_[s] == key) return false;
    s = (s + 1) & mask_;
  }
  keys_[s] = key;
  values_[s] = person;
  if (dob_.size() <= person) dob_.resize(person + 1, 0);
  return true;
}

std::optional<std::uint32_t> PersonIndex::find(std::uint64_t nhs) const {
  if (keys_.empty()) return std::nullopt;
  const std::uint64_t key = nhs + 1;
  std::size_t s = mix(key) & mask_;
  while (keys_[s] != 0) {
    if (keys_[s] == key) return values_[s];
    s = (s + 1) & mask_;
  }
  return std::nullopt;
}

void PersonIndex::set_date_of_birth(std::uint32_t person, Days dob) { dob_.at(person) = dob; }

}  // namespace severn::identity
