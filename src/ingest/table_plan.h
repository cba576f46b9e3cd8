// How a table spec maps onto store columns and dictionaries.
#pragma once
#include <cstdint>
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
  // kPathwayRef: the field (patient_pathway_id) and its stored column `pathway` (-1: none, or the
  // column is absent from an older extract).
  int pathway_field = -1, pathway_column = -1;
  // Per field: 1 when an older extract's header lacks this optional column (read as empty, not
  // stored, not checked).
  std::vector<std::uint8_t> absent;
  // TableSpec::unique_key as field indexes, and its name for reports ("a+b+c").
  std::vector<int> unique_key_fields;
  std::string unique_key_name;

  // `absent`: optional columns (FieldSpec::optional_column) the source's header lacks.
  static TablePlan make(const TableSpec& spec, const std::vector<std::string>& absent = {});
};

}  // namespace severn::ingest
