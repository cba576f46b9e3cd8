#include "store/cell_text.h"

#include <charconv>

#include "core/date.h"

namespace severn::store {

bool cell_text(const Store& store, const ColumnView& col, std::size_t row, std::string& out) {
  out.clear();
  if (!col.valid(row)) return false;
  const ColumnEntry& e = col.entry();
  char buf[32];
  switch (e.type) {
    case ColumnType::kDate:
      out.resize(10);
      write_iso_date(col.values<std::int32_t>()[row], out.data());
      break;
    case ColumnType::kInt32: {
      const auto res = std::to_chars(buf, buf + sizeof buf, col.values<std::int32_t>()[row]);
      out.assign(buf, res.ptr);
      break;
    }
    case ColumnType::kFloat64: {
      const auto res = std::to_chars(buf, buf + sizeof buf, col.values<double>()[row]);
      out.assign(buf, res.ptr);
      break;
    }
    case ColumnType::kCode:
    case ColumnType::kCategory:
      out.assign(store.dictionary(e.dictionary)[col.values<std::uint32_t>()[row]]);
      break;
    case ColumnType::kCodeList:
      for (std::size_t i = 0; i < list_size(col, row); ++i) {
        if (i > 0) out += ';';
        out += list_code(store, col, row, i);
      }
      break;
    case ColumnType::kBytes32: {
      static constexpr char kHex[] = "0123456789abcdef";
      for (const auto b : col.values<std::uint8_t>().subspan(row * 32, 32)) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
      }
      break;
    }
  }
  return true;
}

std::size_t list_size(const ColumnView& col, std::size_t row) {
  if (!col.valid(row)) return 0;
  return static_cast<std::size_t>(col.list_offsets()[row + 1] - col.list_offsets()[row]);
}

std::string_view list_code(const Store& store, const ColumnView& col, std::size_t row, std::size_t i) {
  const auto id = col.values<std::uint32_t>()[col.list_offsets()[row] + i];
  return store.dictionary(col.entry().dictionary)[id];
}

}  // namespace severn::store
