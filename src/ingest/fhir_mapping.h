// How one FHIR R4 resource (UK Core) becomes rows of Severn's GP tables: the rules of
// docs/fhir.md, one function per resource type. A resource gives rows, or is not used (a type or
// status Severn does not map), or is quarantined with the JSON pointer, value and reason. Rows
// are raw text, as a CSV extract would carry them: the table's own checks (ingest/field_checks)
// judge the values, exactly as for CSV.
#pragma once
#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/validation_context.h"

namespace severn::ingest {

enum class FhirTable : std::uint8_t { kPatients, kEvents, kMedications, kCount };
inline constexpr std::size_t kFhirTableCount = static_cast<std::size_t>(FhirTable::kCount);
const char* fhir_table_name(FhirTable t);  // the store's table name ("clinical_events")
const char* fhir_table_source(FhirTable t);  // the CSV it stands in for ("gp/events.csv")
// The table's fields this mapping fills, in the order of MappedRow::values.
const std::vector<std::string_view>& fhir_table_fields(FhirTable t);
// The table a resource type feeds (kCount: none).
FhirTable fhir_table_of_type(std::string_view resource_type);

struct MappedRow {
  FhirTable table = FhirTable::kEvents;
  std::uint16_t component = 0;       // which row of the resource (a panel's components: 0, 1, ...)
  std::vector<std::string> values;   // per fhir_table_fields (nhs_number: "" until the subject is resolved)
  std::vector<std::string> pointers; // JSON pointer each value came from ("" when it has none)
};

struct FhirOutcome {
  enum class Kind : std::uint8_t { kRows, kNotUsed, kQuarantined };
  Kind kind = Kind::kQuarantined;
  std::string resource_type;
  std::string id;
  // Who the rows are about (kEvents, kMedications): "Patient/<id>", a Bundle fullUrl, or
  // "nhs:<number>" for a logical reference by NHS number. Pointer of the reference.
  std::string subject, subject_pointer;
  // The rows are rows[0, row_count): the vector keeps earlier resources' rows, so their strings
  // keep their capacity and mapping a resource allocates nothing once warm.
  std::vector<MappedRow> rows;
  std::size_t row_count = 0;
  // kNotUsed and kQuarantined: where, what and why.
  std::string pointer, value, reason;
};

class FhirMapper {
 public:
  explicit FhirMapper(const ValidationContext& ctx) : ctx_(ctx) {}
  // `expected_type`: the type an NDJSON file's name declares ("" for JSON files and Bundles).
  void map(simdjson::dom::element resource, std::string_view expected_type, FhirOutcome& out) const;

 private:
  void patient(simdjson::dom::element r, FhirOutcome& out) const;
  void event(simdjson::dom::element r, FhirOutcome& out) const;
  void medication(simdjson::dom::element r, FhirOutcome& out) const;
  bool subject(simdjson::dom::element r, std::string_view field, FhirOutcome& out) const;
  // A measurement value in the stored unit, or a quarantine reason.
  bool value(simdjson::dom::element quantity, const std::string& pointer, const std::string& code,
             std::string& text, FhirOutcome& out) const;
  const ValidationContext& ctx_;
};

// Severn's map of the LOINC codes of the measurements it stores to their SNOMED CT codes
// (docs/fhir.md); "" when the code is not mapped.
std::string_view snomed_for_loinc(std::string_view loinc);

}  // namespace severn::ingest
