#include "ingest/table_plan.h"

#include <stdexcept>

namespace severn::ingest {
namespace {

std::string dictionary_for(const TableSpec& spec, const FieldSpec& f) {
  switch (f.kind) {
    case Kind::kSnomed: return "snomedct";
    case Kind::kDmd: return "dmd";
    case Kind::kIcd10:
    case Kind::kIcd10List: return "icd10";
    case Kind::kOpcs4: return "opcs4";
    case Kind::kCategory:
    case Kind::kPractice:
    case Kind::kLsoa:
    case Kind::kOdsCode:
    case Kind::kPartner: return std::string(spec.table) + "." + std::string(f.store_as);
    default: return "";
  }
}

store::ColumnType type_for(Kind kind) {
  switch (kind) {
    case Kind::kDate:
    case Kind::kFutureDate:
    case Kind::kWeekEnding: return store::ColumnType::kDate;
    case Kind::kIntCode:
    case Kind::kPositiveInt:
    case Kind::kPathwayRef: return store::ColumnType::kInt32;
    case Kind::kDecimal: return store::ColumnType::kFloat64;
    case Kind::kSnomed:
    case Kind::kDmd:
    case Kind::kIcd10:
    case Kind::kOpcs4: return store::ColumnType::kCode;
    case Kind::kIcd10List: return store::ColumnType::kCodeList;
    case Kind::kCategory:
    case Kind::kPractice:
    case Kind::kLsoa:
    case Kind::kOdsCode:
    case Kind::kPartner: return store::ColumnType::kCategory;
    default: throw std::logic_error("field kind cannot be stored");
  }
}

}  // namespace

TablePlan TablePlan::make(const TableSpec& spec, const std::vector<std::string>& absent) {
  TablePlan plan;
  plan.spec = &spec;
  plan.column_of_field.assign(spec.fields.size(), -1);
  plan.absent.assign(spec.fields.size(), 0);
  for (const auto& name : absent) {
    const int i = spec.field_index(name);
    if (i < 0 || !spec.fields[static_cast<std::size_t>(i)].optional_column)
      throw std::logic_error("table " + std::string(spec.table) + ": field " + name + " cannot be absent");
    plan.absent[static_cast<std::size_t>(i)] = 1;
  }
  for (const auto name : spec.unique_key) {
    const int i = spec.field_index(name);
    if (i < 0) throw std::logic_error("table " + std::string(spec.table) + ": unique key field " + std::string(name) + " unknown");
    plan.unique_key_fields.push_back(i);
    plan.unique_key_name += (plan.unique_key_name.empty() ? "" : "+") + std::string(name);
  }
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    const FieldSpec& f = spec.fields[i];
    const int fi = static_cast<int>(i);
    // An older extract's absent optional column: a nullable one is still stored, all null, so every
    // store has the language's columns (src/lang/tables.cpp binds them all); others are left out.
    if (plan.absent[i] && (!f.nullable || f.store_as.empty() || f.kind == Kind::kPathwayRef)) continue;
    if (!plan.absent[i]) {
      if (f.kind == Kind::kPathwayRef) plan.pathway_field = fi;
      if (f.kind == Kind::kNhsNumber) plan.nhs_field = fi;
      if (f.kind == Kind::kPartner) plan.partner_field = fi;
      if (f.kind == Kind::kLocalId) plan.local_field = fi;
      if (f.kind == Kind::kRecordId) plan.record_id_field = fi;
      if (f.kind == Kind::kDecimal) plan.decimal_field = fi;
      if (f.kind == Kind::kSnomed && plan.measurement_code_field < 0) plan.measurement_code_field = fi;
    }
    if (f.store_as.empty()) continue;
    StoredColumn c;
    c.field = fi;
    c.name = std::string(f.store_as);
    c.type = type_for(f.kind);
    c.nullable = f.nullable;
    c.unit = std::string(f.unit);
    const std::string dict = dictionary_for(spec, f);
    if (!dict.empty()) {
      int slot = -1;
      for (std::size_t d = 0; d < plan.dictionaries.size(); ++d)
        if (plan.dictionaries[d] == dict) slot = static_cast<int>(d);
      if (slot < 0) {
        slot = static_cast<int>(plan.dictionaries.size());
        plan.dictionaries.push_back(dict);
      }
      c.dictionary = slot;
    }
    plan.column_of_field[i] = static_cast<int>(plan.columns.size());
    if (f.kind == Kind::kPathwayRef) plan.pathway_column = static_cast<int>(plan.columns.size());
    if (c.name == spec.sort_date) plan.sort_column = static_cast<int>(plan.columns.size());
    plan.columns.push_back(std::move(c));
  }
  if (spec.role == Role::kPartnerActivity) {
    // Not from the source: how sure the link of the row's person is (partner linking).
    StoredColumn c;
    c.name = std::string(kLinkProbabilityColumn);
    c.type = store::ColumnType::kFloat64;
    c.unit = "probability that person_id is right: 1 for a link by NHS number or a reviewer, else the partner "
             "record's match probability (docs/linkage.md)";
    plan.columns.push_back(std::move(c));
  }
  if (!spec.sort_date.empty() && plan.sort_column < 0)
    throw std::logic_error("table " + std::string(spec.table) + ": sort column is not stored");
  return plan;
}

}  // namespace severn::ingest
