// The rows of each warehouse table (warehouse_layout.h), as text cells handed to a RowSink that
// encodes them for one loader (PostgreSQL COPY text, DuckDB CSV). Store tables come out in store
// order with the store's own value text (store/cell_text.h); reference tables in the order of
// the reference pack.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "refdata/data_dir.h"
#include "sql/warehouse_layout.h"
#include "store/store.h"

namespace severn::sql {

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void cell(std::string_view text) = 0;
  virtual void null() = 0;
  virtual void end_row() = 0;
};

class WarehouseSource {
 public:
  // Reads the reference pack's practices, LSOAs and ESP 2013 (InputError if the pack lacks them).
  WarehouseSource(const store::Store& store, const refdata::DataDir& data);

  // Whether the store holds the table's data; a store without an event table loads it empty.
  bool in_store(const WarehouseTable& table) const;
  // Hands every row of `table` to `sink`; returns the number of rows.
  std::uint64_t write(const WarehouseTable& table, RowSink& sink) const;

 private:
  std::uint64_t write_store_rows(const WarehouseTable& table, RowSink& sink) const;
  std::uint64_t write_list_rows(const WarehouseTable& table, RowSink& sink) const;
  const store::Store& store_;
  // Reference tables, read once, already as text cells (nullopt = null).
  using Cells = std::vector<std::optional<std::string>>;
  std::vector<std::pair<std::string, std::vector<Cells>>> reference_;
};

}  // namespace severn::sql
