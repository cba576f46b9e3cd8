// One stored value as text, in the one form every export of a store shares (`severn export` CSV,
// the PostgreSQL and DuckDB loaders of src/sql): dates YYYY-MM-DD, numbers in their shortest
// exact form, codes and categories decoded through their dictionary, 32-byte values as lowercase
// hex, a code list as its codes joined with ';'. Loaders that keep a list's codes apart read them
// one at a time with list_code().
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "store/store.h"

namespace severn::store {

// Writes row `row` of `col` into `out` (replacing its contents). False, with `out` empty, when the
// value is null.
bool cell_text(const Store& store, const ColumnView& col, std::size_t row, std::string& out);

// kCodeList only: how many codes row `row` holds (0 when null or empty), and the i-th of them.
std::size_t list_size(const ColumnView& col, std::size_t row);
std::string_view list_code(const Store& store, const ColumnView& col, std::size_t row, std::size_t i);

// The person each row of a table belongs to, walked in store order without a search per row.
class PersonCursor {
 public:
  explicit PersonCursor(const TableView& table) : offsets_(table.person_offsets()) {}
  // Rows must be asked for in increasing order.
  std::size_t person_of(std::size_t row) {
    if (offsets_.empty()) return row;  // the patients table: row i is person i
    while (offsets_[person_ + 1] <= row) ++person_;
    return person_;
  }

 private:
  std::span<const std::uint64_t> offsets_;
  std::size_t person_ = 0;
};

}  // namespace severn::store
