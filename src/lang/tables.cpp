#include "lang/tables.h"

namespace severn::lang {
namespace {

ColumnDef col(std::string name, std::string store, Base base) {
  return {std::move(name), std::move(store), Type::patient(base)};
}
ColumnDef code(std::string name, std::string store, CodeFamily family, bool list = false) {
  Type t = Type::code(family);
  t.list = list;
  return {std::move(name), std::move(store), t};
}

std::vector<TableDef> build() {
  const auto S = CodeFamily::kSnomed;
  const auto C = CodeFamily::kClassification;
  return {
      {"clinical_events", "date",
       {col("date", "date", Base::kDate), code("code", "snomedct_code", S),
        col("value", "numeric_value", Base::kFloat)}},
      {"medications", "date", {col("date", "date", Base::kDate), code("code", "dmd_code", S)}},
      {"practice_registrations", "start_date",
       {col("start_date", "start_date", Base::kDate), col("end_date", "end_date", Base::kDate),
        col("practice", "practice_code", Base::kString)}},
      {"apcs", "admission_date",
       {col("admission_date", "admission_date", Base::kDate),
        col("discharge_date", "discharge_date", Base::kDate),
        col("admission_method", "admission_method", Base::kString),
        code("primary_diagnosis", "primary_diagnosis", C),
        code("secondary_diagnoses", "secondary_diagnoses", C, true),
        code("primary_procedure", "primary_procedure", C),
        col("provider", "provider_code", Base::kString)}},
      {"ec", "arrival_date",
       {col("arrival_date", "arrival_date", Base::kDate), code("acuity", "acuity_code", S),
        code("diagnosis", "diagnosis_code", S), col("admitted", "admitted", Base::kInt),
        col("provider", "provider_code", Base::kString)}},
      {"opa", "appointment_date",
       {col("appointment_date", "appointment_date", Base::kDate),
        col("treatment_function", "treatment_function_code", Base::kInt),
        col("first_attendance", "first_attendance", Base::kInt),
        col("attendance_status", "attendance_status", Base::kInt),
        col("provider", "provider_code", Base::kString)}},
      {"wl_pathways", "clock_start_date",
       {col("clock_start_date", "clock_start_date", Base::kDate),
        col("clock_stop_date", "clock_stop_date", Base::kDate),
        col("rtt_status", "rtt_status", Base::kString),
        col("treatment_function", "treatment_function_code", Base::kInt),
        col("priority", "priority", Base::kString), col("provider", "provider_code", Base::kString),
        // Left the list other than by a clock stop (validation removal or transfer): docs/data-model.md.
        col("removal_date", "removal_date", Base::kDate)}},
      {"community_contacts", "contact_date",
       {col("contact_date", "contact_date", Base::kDate), col("service", "service", Base::kString),
        col("provider", "provider_code", Base::kString)}},
      {"social_care", "start_date",
       {col("start_date", "start_date", Base::kDate), col("end_date", "end_date", Base::kDate),
        col("service_type", "service_type", Base::kString),
        col("council", "council_code", Base::kString)}},
      {"ons_deaths", "date_of_death",
       {col("date_of_death", "date_of_death", Base::kDate),
        code("underlying_cause", "underlying_cause", C)}},
      {"cancer_registrations", "diagnosis_date",
       {col("diagnosis_date", "diagnosis_date", Base::kDate), code("site", "site_icd10", C),
        col("stage", "stage", Base::kInt)}},
  };
}

}  // namespace

const ColumnDef* TableDef::find(const std::string& column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

std::vector<std::string> TableDef::column_names() const {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

const std::vector<TableDef>& event_tables() {
  static const std::vector<TableDef> tables = build();
  return tables;
}

const TableDef* find_event_table(const std::string& name) {
  for (const auto& t : event_tables())
    if (t.name == name) return &t;
  return nullptr;
}

const TableDef& patients_table() {
  static const TableDef t{"patients", "",
                          {col("sex", "sex", Base::kString),
                           col("date_of_birth", "date_of_birth", Base::kDate),
                           col("date_of_death", "date_of_death", Base::kDate),
                           col("lsoa", "lsoa21_code", Base::kString),
                           col("ethnic_category", "ethnic_category", Base::kString),
                           col("practice", "practice_code", Base::kString)}};
  return t;
}

const std::vector<std::string>& group_columns() {
  static const std::vector<std::string> g{"place",        "pcn",  "practice", "imd_decile",
                                          "imd_quintile", "ethnicity_group", "age_band", "sex"};
  return g;
}

}  // namespace severn::lang
