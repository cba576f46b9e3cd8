#include "store/format.h"

#include <array>
#include <utility>

namespace severn::store {
namespace {
constexpr std::array<std::pair<ColumnType, std::string_view>, 7> kNames{{
    {ColumnType::kDate, "date"},
    {ColumnType::kInt32, "int32"},
    {ColumnType::kFloat64, "float64"},
    {ColumnType::kCode, "code"},
    {ColumnType::kCategory, "category"},
    {ColumnType::kCodeList, "code_list"},
    {ColumnType::kBytes32, "bytes32"},
}};
}  // namespace

std::string_view type_name(ColumnType type) {
  for (const auto& [t, n] : kNames)
    if (t == type) return n;
  return "unknown";
}

std::optional<ColumnType> type_from_name(std::string_view name) {
  for (const auto& [t, n] : kNames)
    if (n == name) return t;
  return std::nullopt;
}

std::size_t element_size(ColumnType type) {
  switch (type) {
    case ColumnType::kDate:
    case ColumnType::kInt32:
    case ColumnType::kCode:
    case ColumnType::kCategory:
    case ColumnType::kCodeList:
      return 4;
    case ColumnType::kFloat64:
      return 8;
    case ColumnType::kBytes32:
      return 32;
  }
  return 0;
}

}  // namespace severn::store
