#include "ingest/pathway_numbers.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/csv_writer.h"

namespace severn::ingest {

std::int32_t PathwayNumbers::number(std::string_view key) {
  const auto first = key.find('\x1f');
  const auto second = first == std::string_view::npos ? first : key.find('\x1f', first + 1);
  if (second == std::string_view::npos) throw std::logic_error("pathway key without provider and local id");
  const std::string ppi(key.substr(0, first));
  auto it = by_ppi_.find(ppi);
  if (it == by_ppi_.end()) {
    if (by_ppi_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      throw std::length_error("more patient pathways than an int32 pathway number can hold");
    it = by_ppi_.emplace(ppi, static_cast<std::int32_t>(by_ppi_.size())).first;
  }
  if (seen_keys_.emplace(key).second)
    rows_.push_back({it->second, std::string(key.substr(first + 1, second - first - 1)), ppi,
                     std::string(key.substr(second + 1))});
  return it->second;
}

std::string PathwayNumbers::identity_csv() const {
  std::vector<const Row*> order;
  order.reserve(rows_.size());
  for (const auto& r : rows_) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const Row* a, const Row* b) { return a->pathway < b->pathway; });
  std::string out;
  CsvRow(out).text("pathway").text("provider_code").text("patient_pathway_id").text("local_patient_id");
  for (const Row* r : order) CsvRow(out).integer(r->pathway).text(r->provider).text(r->ppi).text(r->local_id);
  return out;
}

}  // namespace severn::ingest
