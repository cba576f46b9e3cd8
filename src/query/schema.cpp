#include "query/schema.h"

#include "lang/tables.h"

namespace severn::query {
namespace {

ValueType value_type(lang::Base b) {
  switch (b) {
    case lang::Base::kBool: return ValueType::kBool;
    case lang::Base::kInt: return ValueType::kInt;
    case lang::Base::kFloat: return ValueType::kFloat;
    case lang::Base::kDate: return ValueType::kDate;
    case lang::Base::kCode: return ValueType::kCode;
    case lang::Base::kString: return ValueType::kString;
    default: return ValueType::kNull;
  }
}

// The store keeps SNOMED CT, dm+d, ICD-10 and OPCS-4 codes in dictionaries of their own
// (docs/store.md); the language only tells digits from classifications, so the column says which.
CodeSystem system_of(const lang::ColumnDef& c) {
  if (c.type.base != lang::Base::kCode) return CodeSystem::kNone;
  if (c.type.family == lang::CodeFamily::kSnomed) return c.store_column == "dmd_code" ? CodeSystem::kDmd : CodeSystem::kSnomedCt;
  return c.store_column.find("procedure") != std::string::npos ? CodeSystem::kOpcs4 : CodeSystem::kIcd10;
}

Table table_of(const lang::TableDef& def) {
  Table t;
  t.name = def.name;
  for (const auto& c : def.columns) {
    Column col;
    col.name = c.name;
    col.store_column = c.store_column;
    col.type = value_type(c.type.base);
    col.system = system_of(c);
    col.list = c.type.list;
    t.columns.push_back(std::move(col));
  }
  if (!def.date_column.empty()) t.date_column = t.find(def.date_column);
  return t;
}

}  // namespace

std::vector<Table> schema_tables() {
  std::vector<Table> out;
  for (const auto& def : lang::event_tables()) out.push_back(table_of(def));
  out.push_back(table_of(lang::patients_table()));
  return out;
}

}  // namespace severn::query
