#include "store/export.h"

#include <charconv>
#include <string>

#include "core/csv_writer.h"
#include "core/date.h"

namespace severn::store {
namespace {

void append_cell(CsvRow& row, const Store& store, const ColumnView& col, std::size_t r,
                 std::string& scratch) {
  if (!col.valid(r)) {
    row.empty();
    return;
  }
  const ColumnEntry& e = col.entry();
  switch (e.type) {
    case ColumnType::kDate:
      row.date(col.values<std::int32_t>()[r]);
      break;
    case ColumnType::kInt32:
      row.integer(col.values<std::int32_t>()[r]);
      break;
    case ColumnType::kFloat64: {
      char buf[32];
      const auto res = std::to_chars(buf, buf + sizeof buf, col.values<double>()[r]);
      row.text(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
      break;
    }
    case ColumnType::kCode:
    case ColumnType::kCategory:
      row.text(store.dictionary(e.dictionary)[col.values<std::uint32_t>()[r]]);
      break;
    case ColumnType::kCodeList: {
      const auto& dict = store.dictionary(e.dictionary);
      const auto values = col.values<std::uint32_t>();
      scratch.clear();
      for (auto i = col.list_offsets()[r]; i < col.list_offsets()[r + 1]; ++i) {
        if (!scratch.empty()) scratch += ';';
        scratch += dict[values[i]];
      }
      row.text(scratch);
      break;
    }
    case ColumnType::kBytes32: {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto bytes = col.values<std::uint8_t>().subspan(r * 32, 32);
      scratch.clear();
      for (const auto b : bytes) {
        scratch += kHex[b >> 4];
        scratch += kHex[b & 15];
      }
      row.text(scratch);
      break;
    }
  }
}

}  // namespace

void export_table_csv(const Store& store, std::string_view table, std::ostream& out) {
  const TableView& t = store.table(table);
  std::string buffer;
  {
    CsvRow header(buffer);
    header.text("person_id");
    for (const auto& c : t.entry().columns) header.text(c.name);
  }
  std::vector<const ColumnView*> cols;
  for (const auto& c : t.entry().columns) cols.push_back(&t.column(c.name));
  std::string scratch;
  const auto offsets = t.person_offsets();
  std::size_t person = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!offsets.empty())
      while (offsets[person + 1] <= r) ++person;
    else
      person = r;
    CsvRow row(buffer);
    row.integer(static_cast<std::int64_t>(person));
    for (const ColumnView* c : cols) append_cell(row, store, *c, r, scratch);
    if (buffer.size() > (1U << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace severn::store
