// How a table spec maps onto store columns and dictionaries.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ingest/schema.h"
#include "store/format.h"

namespace severn::ingest {

// Every partner activity table (Role::kPartnerActivity) stores it, non-nullable float64; other
// work (linkage uncertainty in indicators) reads it by this name.
inline constexpr std::string_view kLinkProbabilityColumn = "link_probability";

struct StoredColumn {
  int field = -1;  // index in the spec's fields; -1: computed by ingest (link_probability)
  std::string name;
  store::ColumnType type = store::ColumnType::kInt32;
  bool nullable = false;
  int dictionary = -1;  // slot in TablePlan::dictionaries
  std::string unit;
};

struct TablePlan {
  const TableSpec* spec = nullptr;
  std::vector<StoredColumn> columns;
  std::vector<std::string> dictionaries;  // slot -> dictionary name ("snomedct", "apcs.provider_code")
  std::vector<int> column_of_field;       // -1 when the field is not stored
  int nhs_field = -1, partner_field = -1, local_field = -1, record_id_field = -1;
  int decimal_field = -1, measurement_code_field = -1, sort_column = -1;

  static TablePlan make(const TableSpec& spec);
};

}  // namespace severn::ingest
