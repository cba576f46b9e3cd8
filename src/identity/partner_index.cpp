#include "identity/partner_index.h"

namespace severn::identity {

std::string PartnerIndex::key(std::string_view partner, std::string_view local_id) {
  std::string k;
  k.reserve(partner.size() + local_id.size() + 1);
  k.append(partner);
  k += '\x1f';
  k.append(local_id);
  return k;
}

void PartnerIndex::insert(std::string_view partner, std::string_view local_id, std::uint32_t record) {
  map_.emplace(key(partner, local_id), record);
}

std::optional<std::uint32_t> PartnerIndex::find(std::string_view partner,
                                                std::string_view local_id) const {
  thread_local std::string k;
  k.clear();
  k.append(partner);
  k += '\x1f';
  k.append(local_id);
  const auto it = map_.find(std::string_view(k));
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

}  // namespace severn::identity
