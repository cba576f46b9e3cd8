#include "sql/warehouse_layout.h"

#include "lang/tables.h"

namespace severn::sql {
namespace {

SqlType type_of(const lang::ColumnDef& c) {
  switch (c.type.base) {
    case lang::Base::kDate: return SqlType::kDate;
    case lang::Base::kInt: return SqlType::kInteger;
    case lang::Base::kFloat: return SqlType::kDouble;
    default: return SqlType::kText;  // codes, categories and strings
  }
}

std::vector<WarehouseTable> build() {
  std::vector<WarehouseTable> out;
  WarehouseTable patients{"patients", TableKind::kPatients, "patients", "",
                          {{"person_id", SqlType::kInteger}, {"pseudonym", SqlType::kText}}};
  for (const auto& c : lang::patients_table().columns) patients.columns.push_back({c.store_column, type_of(c)});
  out.push_back(std::move(patients));

  for (const auto& t : lang::event_tables()) {
    WarehouseTable events{t.name, TableKind::kEvents, t.name, "",
                          {{"row_id", SqlType::kBigint}, {"person_id", SqlType::kInteger}}};
    std::vector<WarehouseTable> children;
    for (const auto& c : t.columns) {
      if (!c.type.list) {
        events.columns.push_back({c.store_column, type_of(c)});
        continue;
      }
      children.push_back({t.name + "_" + c.store_column, TableKind::kCodeListChild, t.name, c.store_column,
                          {{"row_id", SqlType::kBigint},
                           {"person_id", SqlType::kInteger},
                           {"position", SqlType::kInteger},
                           {"code", SqlType::kText}}});
    }
    out.push_back(std::move(events));
    for (auto& c : children) out.push_back(std::move(c));
  }

  const auto ref = [&](std::string name, std::vector<WarehouseColumn> columns) {
    out.push_back({std::move(name), TableKind::kReference, "", "", std::move(columns)});
  };
  ref("ref_practice", {{"practice", SqlType::kText}, {"pcn", SqlType::kText}, {"place", SqlType::kText}});
  ref("ref_lsoa", {{"lsoa", SqlType::kText}, {"imd_decile", SqlType::kInteger}, {"imd_quintile", SqlType::kInteger}});
  ref("ref_ethnicity", {{"category", SqlType::kText}, {"ethnicity_group", SqlType::kText}});
  ref("ref_age_band", {{"age_band", SqlType::kText}, {"age_lower", SqlType::kInteger}, {"age_upper", SqlType::kInteger}});
  ref("ref_esp2013", {{"age_band", SqlType::kText},
                      {"age_lower", SqlType::kInteger},
                      {"age_upper", SqlType::kInteger},
                      {"weight", SqlType::kDouble}});
  return out;
}

}  // namespace

const std::vector<WarehouseTable>& warehouse_tables() {
  static const std::vector<WarehouseTable> tables = build();
  return tables;
}

const char* type_name(SqlType type, Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  switch (type) {
    case SqlType::kBigint: return pg ? "bigint" : "BIGINT";
    case SqlType::kInteger: return pg ? "integer" : "INTEGER";
    case SqlType::kDate: return pg ? "date" : "DATE";
    case SqlType::kDouble: return pg ? "double precision" : "DOUBLE";
    case SqlType::kText: return pg ? "text" : "VARCHAR";
  }
  return "";
}

std::string create_table_sql(const WarehouseTable& table, const std::string& qualified_name,
                             Dialect dialect) {
  std::string sql = "CREATE TABLE " + qualified_name + " (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += table.columns[i].name;
    sql += ' ';
    sql += type_name(table.columns[i].type, dialect);
  }
  return sql + ")";
}

}  // namespace severn::sql
