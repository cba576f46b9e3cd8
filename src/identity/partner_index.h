// A partner's local patient id -> row of the partner index (partners/patients.csv), the key by
// which partner activity finds its partner record and, through the record's link, its person.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace severn::identity {

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

}  // namespace severn::identity
