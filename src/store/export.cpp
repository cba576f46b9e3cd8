#include "store/export.h"

#include <string>

#include "core/csv_writer.h"
#include "store/cell_text.h"

namespace severn::store {

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
  std::string cell;
  PersonCursor persons(t);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    CsvRow row(buffer);
    row.integer(static_cast<std::int64_t>(persons.person_of(r)));
    for (const ColumnView* c : cols) {
      if (cell_text(store, *c, r, cell))
        row.text(cell);
      else
        row.empty();
    }
    if (buffer.size() > (1U << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace severn::store
