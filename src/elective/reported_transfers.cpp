#include "elective/reported_transfers.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace severn::elective {

std::vector<Days> reported_on_list_from(const store::Store& store) {
  const store::TableView& t = store.table("wl_pathways");
  const auto start = t.column("clock_start_date").values<Days>();
  std::vector<Days> from(start.begin(), start.end());
  for (const char* c : {"pathway", "rtt_period", "removal_date", "removal_reason", "provider_code"})
    if (!t.has_column(c)) return from;
  const auto pathway = t.column("pathway").values<std::int32_t>();
  const auto period = t.column("rtt_period").values<std::int32_t>();
  const store::ColumnView& removal = t.column("removal_date");
  const store::ColumnView& reason = t.column("removal_reason");
  const auto provider = t.column("provider_code").values<std::uint32_t>();
  const std::int64_t transferred = store.dictionary(reason.entry().dictionary).find("transferred");
  if (transferred < 0) return from;
  const auto key = [&](std::size_t r) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(pathway[r])) << 32) |
           static_cast<std::uint32_t>(period[r]);
  };
  struct Sent {
    std::uint32_t provider;
    Days day;
  };
  std::unordered_map<std::uint64_t, Sent> sent;
  const auto reasons = reason.values<std::uint32_t>();
  const auto removed = removal.values<Days>();
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (reason.valid(r) && reasons[r] == static_cast<std::uint32_t>(transferred) && removal.valid(r))
      sent.emplace(key(r), Sent{provider[r], removed[r]});
  if (sent.empty()) return from;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto it = sent.find(key(r));
    if (it != sent.end() && it->second.provider != provider[r]) from[r] = std::max(from[r], it->second.day);
  }
  return from;
}

}  // namespace severn::elective
