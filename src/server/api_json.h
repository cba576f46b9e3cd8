// The API's JSON and CSV bodies (docs/serve.md "Tables"): a table is
// {"columns":[...],"rows":[[...],...]}; a cell is a JSON number when the published CSV cell is a
// number, null when disclosure control withheld it ("[c]"), and a string otherwise. Columns that
// hold codes or identifiers ("group", "nhs_number", "pcn" ...) stay strings even when they look
// like numbers, so a client never reads an NHS number or an IMD quintile label as a quantity.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_table.h"

namespace severn::server {

// Whether `cell` is a JSON number as written (RFC 8259 grammar: no leading zeros, no '+', no
// bare '.').
bool is_json_number(std::string_view cell);

// Appends one cell of column `column` as JSON.
void append_cell_json(std::string& out, std::string_view column, std::string_view cell);

// Appends rows [begin, end) of `table` that `keep` accepts (all when empty) as a table object.
void append_table_json(std::string& out, const CsvTable& table, std::size_t begin, std::size_t end,
                       const std::function<bool(std::size_t row)>& keep = {});

// The same rows as CSV text with the table's header (withheld cells stay "[c]"; a text cell that
// would start a spreadsheet formula gets a leading quote).
std::string table_csv(const CsvTable& table, std::size_t begin, std::size_t end,
                      const std::function<bool(std::size_t row)>& keep = {});

// {"api_version":1,"error":"..."}
std::string error_json(std::string_view message);

}  // namespace severn::server
