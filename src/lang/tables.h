// The tables and columns a definition can name: the store's tables (docs/store.md) under the
// names an analyst expects. Each event table has a date column that orders its rows for
// first()/latest(). Units: dates in days, numeric_value in the unit of its code (mmHg, mmol/mol).
#pragma once
#include <string>
#include <vector>

#include "lang/types.h"

namespace severn::lang {

struct ColumnDef {
  std::string name;          // as written in definitions
  std::string store_column;  // column in the store table
  Type type;
};

struct TableDef {
  std::string name;  // store table
  std::string date_column;  // language name of the ordering date
  std::vector<ColumnDef> columns;
  const ColumnDef* find(const std::string& column) const;
  std::vector<std::string> column_names() const;
};

const std::vector<TableDef>& event_tables();
const TableDef* find_event_table(const std::string& name);
const TableDef& patients_table();

// Built-in group columns for `by`.
const std::vector<std::string>& group_columns();

}  // namespace severn::lang
