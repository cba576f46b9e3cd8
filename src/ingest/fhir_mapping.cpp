#include "ingest/fhir_mapping.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace severn::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kNhsSystem = "https://fhir.nhs.uk/Id/nhs-number";
constexpr std::string_view kOdsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kDmd = "https://dmd.nhs.uk";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kEthnicExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";
constexpr std::string_view kEthnicSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";
constexpr std::string_view kVerificationExtension =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
constexpr std::string_view kVerificationSystem =
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
// Severn's own: UK Core has no LSOA (docs/fhir.md).
constexpr std::string_view kLsoaExtension = "https://fhir.severn.invalid/StructureDefinition/address-lsoa21";

std::string_view text_of(element e, const char* key) {
  std::string_view s;
  if (e[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

bool has(element e, const char* key) {
  element v;
  return e[key].get(v) == simdjson::SUCCESS;
}

// The date part of a FHIR date or dateTime; partial dates stay as they are, for the table's date
// check to reject.
std::string date_part(std::string_view s) {
  if (s.size() > 10 && s[10] == 'T') return std::string(s.substr(0, 10));
  return std::string(s);
}

// The coding of `coded` in `system`: its code and its index, or index -1.
struct Found {
  std::string_view code;
  int index = -1;
};
Found coding_in(element coded, std::string_view system) {
  simdjson::dom::array codings;
  if (coded["coding"].get_array().get(codings) != simdjson::SUCCESS) return {};
  int i = 0;
  for (const auto c : codings) {
    if (text_of(c, "system") == system) {
      std::string_view code;
      if (c["code"].get_string().get(code) == simdjson::SUCCESS) return {code, i};
    }
    ++i;
  }
  return {};
}

// "http://loinc.org, urn:oid:..." for messages.
std::string systems_of(element coded) {
  std::string out;
  simdjson::dom::array codings;
  if (coded["coding"].get_array().get(codings) != simdjson::SUCCESS) return "no coding";
  for (const auto c : codings) {
    const auto s = text_of(c, "system");
    if (!out.empty()) out += ", ";
    out += s.empty() ? std::string("(no system)") : std::string(s);
  }
  return out.empty() ? "no coding" : out;
}

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A JSON number as the text a CSV extract would hold; strings pass through unchanged (the table's
// number check rejects them).
bool json_value_text(element v, std::string& out) {
  switch (v.type()) {
    case simdjson::dom::element_type::INT64: out = std::to_string(int64_t(v)); return true;
    case simdjson::dom::element_type::UINT64: out = std::to_string(uint64_t(v)); return true;
    case simdjson::dom::element_type::DOUBLE: out = number_text(double(v)); return true;
    case simdjson::dom::element_type::STRING: out = std::string(std::string_view(v)); return true;
    default: return false;
  }
}

struct Conversion {
  std::string_view measure_unit;  // as in measurement-ranges.csv
  std::string_view from;          // UCUM
  double scale, offset;           // stored = (value + offset) * scale
};
// docs/fhir.md "Units": the IFCC-NGSP master equation for HbA1c; molar masses for the rest.
constexpr std::array<Conversion, 4> kConversions{{
    {"mmol/mol", "%", 10.929, -2.15},
    {"umol/L", "mg/dL", 88.42, 0},
    {"mg/mmol", "mg/g", 1.0 / 8.84, 0},
    {"mmol/L", "mg/dL", 1.0 / 38.67, 0},
}};

// UCUM spellings of the units measurement-ranges.csv names.
bool same_unit(std::string_view stored, std::string_view ucum) {
  if (stored == ucum) return true;
  if (stored == "mmHg") return ucum == "mm[Hg]";
  if (stored == "mL/min/1.73m2") return ucum == "mL/min/{1.73_m2}";
  return false;
}

int decimals_for(std::string_view stored) {
  if (stored == "mmol/L" || stored == "kg/m2" || stored == "mg/mmol" || stored == "%") return 1;
  return 0;
}

std::uint64_t code_number(std::string_view code) {
  std::uint64_t v = 0;
  const auto r = std::from_chars(code.data(), code.data() + code.size(), v);
  return r.ec == std::errc() && r.ptr == code.data() + code.size() ? v : 0;
}

void quarantine(FhirOutcome& out, std::string pointer, std::string_view value, std::string reason) {
  out.kind = FhirOutcome::Kind::kQuarantined;
  out.pointer = std::move(pointer);
  out.value = std::string(value.substr(0, 200));
  out.reason = std::move(reason);
}

void not_used(FhirOutcome& out, std::string pointer, std::string_view value, std::string reason) {
  out.kind = FhirOutcome::Kind::kNotUsed;
  out.pointer = std::move(pointer);
  out.value = std::string(value);
  out.reason = std::move(reason);
}

MappedRow& new_row(FhirOutcome& out, FhirTable t) {
  if (out.row_count == out.rows.size()) out.rows.emplace_back();
  MappedRow& r = out.rows[out.row_count];
  r.table = t;
  r.component = static_cast<std::uint16_t>(out.row_count++);
  const auto n = fhir_table_fields(t).size();
  r.values.resize(n);
  r.pointers.resize(n);
  for (std::size_t k = 0; k < n; ++k) r.values[k].clear(), r.pointers[k].clear();
  return r;
}

// The first of `keys` present as a string in `r` (a dateTime choice), with its pointer.
bool first_date(element r, std::initializer_list<std::pair<const char*, const char*>> keys, std::string& value,
                std::string& pointer) {
  for (const auto& [key, sub] : keys) {
    element v;
    if (r[key].get(v) != simdjson::SUCCESS) continue;
    std::string_view s;
    if (sub != nullptr) {
      if (v[sub].get_string().get(s) != simdjson::SUCCESS) continue;
      pointer = std::string("/") + key + "/" + sub;
    } else {
      if (v.get_string().get(s) != simdjson::SUCCESS) continue;
      pointer = std::string("/") + key;
    }
    value = date_part(s);
    return true;
  }
  return false;
}

struct LoincMap {
  std::string_view loinc, snomed;
};
// LOINC codes of the measurements Severn stores, to the SNOMED CT codes of its code lists. Sources:
// LOINC 2.77 (loinc.org) for the LOINC codes; the SNOMED CT UK edition for the concepts, each a
// member of the code list named in resources/reference/measurement-ranges.csv.
constexpr std::array<LoincMap, 13> kLoincToSnomed{{
    {"14647-2", "1005671000000105"},   // cholesterol, moles/volume -> serum cholesterol level
    {"14682-9", "1000731000000107"},   // creatinine, moles/volume -> serum creatinine level
    {"14959-1", "1023491000000104"},   // microalbumin/creatinine, urine -> urine ACR
    {"2093-3", "1005671000000105"},    // cholesterol, mass/volume
    {"2160-0", "1000731000000107"},    // creatinine, mass/volume
    {"33914-3", "1011481000000105"},   // eGFR (MDRD)
    {"39156-5", "60621009"},           // body mass index
    {"4548-4", "999791000000106"},     // HbA1c (NGSP %) -> IFCC level (converted)
    {"59261-8", "999791000000106"},    // HbA1c IFCC
    {"62238-1", "1011481000000105"},   // eGFR (CKD-EPI)
    {"8462-4", "1091811000000102"},    // diastolic blood pressure
    {"8480-6", "72313002"},            // systolic blood pressure
    {"9318-7", "1023491000000104"},    // albumin/creatinine, urine
}};

}  // namespace

std::string_view snomed_for_loinc(std::string_view loinc) {
  for (const auto& m : kLoincToSnomed)
    if (m.loinc == loinc) return m.snomed;
  return {};
}

const char* fhir_table_name(FhirTable t) {
  switch (t) {
    case FhirTable::kPatients: return "patients";
    case FhirTable::kEvents: return "clinical_events";
    case FhirTable::kMedications: return "medications";
    default: return "";
  }
}

const char* fhir_table_source(FhirTable t) {
  switch (t) {
    case FhirTable::kPatients: return "gp/patients.csv";
    case FhirTable::kEvents: return "gp/events.csv";
    case FhirTable::kMedications: return "gp/medications.csv";
    default: return "";
  }
}

const std::vector<std::string_view>& fhir_table_fields(FhirTable t) {
  static const std::vector<std::string_view> patients{"nhs_number", "family_name",   "given_name",
                                                      "sex",        "date_of_birth", "date_of_death",
                                                      "postcode",   "lsoa21_code",   "ethnic_category",
                                                      "practice_code"};
  static const std::vector<std::string_view> events{"nhs_number", "event_date", "snomedct_code", "numeric_value"};
  static const std::vector<std::string_view> medications{"nhs_number", "issue_date", "dmd_code"};
  switch (t) {
    case FhirTable::kPatients: return patients;
    case FhirTable::kEvents: return events;
    default: return medications;
  }
}

FhirTable fhir_table_of_type(std::string_view type) {
  if (type == "Patient") return FhirTable::kPatients;
  if (type == "Condition" || type == "Observation" || type == "Procedure" || type == "Immunization") return FhirTable::kEvents;
  if (type == "MedicationRequest" || type == "MedicationStatement" || type == "MedicationDispense") return FhirTable::kMedications;
  return FhirTable::kCount;
}

void FhirMapper::map(element r, std::string_view expected_type, FhirOutcome& out) const {
  out.row_count = 0;
  out.subject.clear();
  out.subject_pointer.clear();
  out.pointer.clear();
  out.value.clear();
  out.reason.clear();
  out.kind = FhirOutcome::Kind::kRows;
  std::string_view type;
  if (r["resourceType"].get_string().get(type) != simdjson::SUCCESS) {
    out.resource_type.clear();
    out.id.clear();
    if (!expected_type.empty()) quarantine(out, "/resourceType", "", "no resourceType: not a FHIR resource");
    else not_used(out, "/resourceType", "", "no resourceType: not a FHIR resource");
    return;
  }
  out.resource_type = std::string(type);
  out.id = std::string(text_of(r, "id"));
  if (!expected_type.empty() && type != expected_type) {
    quarantine(out, "/resourceType", type,
               "a " + std::string(type) + " in a file of " + std::string(expected_type) + " resources");
    return;
  }
  switch (fhir_table_of_type(type)) {
    case FhirTable::kPatients: return patient(r, out);
    case FhirTable::kEvents: return event(r, out);
    case FhirTable::kMedications: return medication(r, out);
    default: break;
  }
  not_used(out, "/resourceType", type, "Severn does not map " + std::string(type) + " resources from a GP export");
}

void FhirMapper::patient(element r, FhirOutcome& out) const {
  MappedRow& row = new_row(out, FhirTable::kPatients);
  auto set = [&](std::size_t field, std::string value, std::string pointer) {
    row.values[field] = std::move(value);
    row.pointers[field] = std::move(pointer);
  };
  // NHS number: exactly one value among the identifiers (repeats of the same number are fine).
  simdjson::dom::array ids;
  if (r["identifier"].get_array().get(ids) == simdjson::SUCCESS) {
    int i = 0;
    for (const auto id : ids) {
      if (text_of(id, "system") == kNhsSystem) {
        const std::string pointer = "/identifier/" + std::to_string(i) + "/value";
        const auto v = text_of(id, "value");
        if (!row.values[0].empty() && row.values[0] != v) {
          quarantine(out, pointer, v, "a second, different NHS number (" + row.values[0] + " first)");
          return;
        }
        set(0, std::string(v), pointer);
        simdjson::dom::array exts;
        if (id["extension"].get_array().get(exts) == simdjson::SUCCESS) {
          int k = 0;
          for (const auto e : exts) {
            if (text_of(e, "url") == kVerificationExtension) {
              element cc;
              const auto code = e["valueCodeableConcept"].get(cc) == simdjson::SUCCESS ? coding_in(cc, kVerificationSystem)
                                                                                       : Found{};
              const bool known = code.code.size() == 2 && code.code[0] == '0' && code.code[1] >= '1' && code.code[1] <= '8';
              if (!known) {
                quarantine(out, "/identifier/" + std::to_string(i) + "/extension/" + std::to_string(k), code.code,
                           "NHS number verification status is not a code of UKCore-NHSNumberVerificationStatusEngland (01-08)");
                return;
              }
            }
            ++k;
          }
        }
      }
      ++i;
    }
  }
  if (row.values[0].empty()) {
    quarantine(out, "/identifier", "", "no NHS number (identifier system " + std::string(kNhsSystem) +
                                           "): a person in the GP record needs one");
    return;
  }
  simdjson::dom::array names;
  if (r["name"].get_array().get(names) == simdjson::SUCCESS) {
    int chosen = -1, i = 0;
    element pick;
    for (const auto n : names) {
      if (chosen < 0 || text_of(n, "use") == "official") {
        if (chosen < 0 || text_of(pick, "use") != "official") chosen = i, pick = n;
      }
      ++i;
    }
    if (chosen >= 0) {
      const std::string base = "/name/" + std::to_string(chosen);
      set(1, std::string(text_of(pick, "family")), base + "/family");
      simdjson::dom::array given;
      if (pick["given"].get_array().get(given) == simdjson::SUCCESS && given.size() > 0) {
        std::string_view g;
        if (given.at(0).get_string().get(g) == simdjson::SUCCESS) set(2, std::string(g), base + "/given/0");
      }
    }
  }
  const auto gender = text_of(r, "gender");
  set(3, gender == "male" ? "M" : gender == "female" ? "F" : std::string(gender), "/gender");
  set(4, std::string(text_of(r, "birthDate")), "/birthDate");
  if (const auto d = text_of(r, "deceasedDateTime"); !d.empty()) set(5, date_part(d), "/deceasedDateTime");
  simdjson::dom::array addresses;
  if (r["address"].get_array().get(addresses) == simdjson::SUCCESS) {
    int chosen = -1, i = 0;
    element pick;
    for (const auto a : addresses) {
      if (chosen < 0 || (text_of(a, "use") == "home" && text_of(pick, "use") != "home")) chosen = i, pick = a;
      ++i;
    }
    if (chosen >= 0) {
      const std::string base = "/address/" + std::to_string(chosen);
      set(6, std::string(text_of(pick, "postalCode")), base + "/postalCode");
      simdjson::dom::array exts;
      if (pick["extension"].get_array().get(exts) == simdjson::SUCCESS) {
        int k = 0;
        for (const auto e : exts) {
          if (text_of(e, "url") == kLsoaExtension)
            set(7, std::string(text_of(e, "valueString")), base + "/extension/" + std::to_string(k) + "/valueString");
          ++k;
        }
      }
    }
  }
  set(8, "Z", "");
  simdjson::dom::array exts;
  if (r["extension"].get_array().get(exts) == simdjson::SUCCESS) {
    int k = 0;
    for (const auto e : exts) {
      if (text_of(e, "url") == kEthnicExtension) {
        element cc;
        const std::string pointer = "/extension/" + std::to_string(k) + "/valueCodeableConcept";
        const auto code = e["valueCodeableConcept"].get(cc) == simdjson::SUCCESS ? coding_in(cc, kEthnicSystem) : Found{};
        if (code.index < 0) {
          quarantine(out, pointer, "", "ethnic category without a coding in " + std::string(kEthnicSystem));
          return;
        }
        set(8, std::string(code.code), pointer + "/coding/" + std::to_string(code.index) + "/code");
      }
      ++k;
    }
  }
  simdjson::dom::array gps;
  if (r["generalPractitioner"].get_array().get(gps) == simdjson::SUCCESS) {
    int i = 0;
    for (const auto g : gps) {
      element id;
      if (g["identifier"].get(id) == simdjson::SUCCESS && text_of(id, "system") == kOdsSystem) {
        set(9, std::string(text_of(id, "value")), "/generalPractitioner/" + std::to_string(i) + "/identifier/value");
        break;
      }
      ++i;
    }
  }
}

bool FhirMapper::subject(element r, std::string_view field, FhirOutcome& out) const {
  element ref;
  const std::string pointer = "/" + std::string(field);
  if (r[std::string(field)].get(ref) != simdjson::SUCCESS) {
    quarantine(out, pointer, "", "no " + std::string(field) + ": whose record is this?");
    return false;
  }
  const auto reference = text_of(ref, "reference");
  if (!reference.empty()) {
    if (reference.rfind("urn:uuid:", 0) == 0 || reference.rfind("urn:oid:", 0) == 0) {
      out.subject = std::string(reference);
    } else {
      // Relative "Patient/<id>", or absolute ".../Patient/<id>[/_history/<v>]".
      std::string_view ref_text = reference;
      const auto history = ref_text.find("/_history/");
      if (history != std::string_view::npos) ref_text = ref_text.substr(0, history);
      const auto slash = ref_text.rfind('/');
      const auto type_start = slash == std::string_view::npos ? std::string_view::npos : ref_text.rfind('/', slash - 1);
      const auto type = slash == std::string_view::npos
                            ? std::string_view()
                            : ref_text.substr(type_start == std::string_view::npos ? 0 : type_start + 1,
                                              slash - (type_start == std::string_view::npos ? 0 : type_start + 1));
      if (type != "Patient") {
        quarantine(out, pointer + "/reference", reference, "the " + std::string(field) + " is not a Patient");
        return false;
      }
      out.subject = "Patient/" + std::string(ref_text.substr(slash + 1));
    }
    out.subject_pointer = pointer + "/reference";
    return true;
  }
  element id;
  if (ref["identifier"].get(id) == simdjson::SUCCESS && text_of(id, "system") == kNhsSystem) {
    out.subject = "nhs:" + std::string(text_of(id, "value"));
    out.subject_pointer = pointer + "/identifier/value";
    return true;
  }
  quarantine(out, pointer, "", "the " + std::string(field) + " has neither a reference nor an NHS number identifier");
  return false;
}

bool FhirMapper::value(element q, const std::string& pointer, const std::string& code, std::string& text,
                       FhirOutcome& out) const {
  element v;
  if (q["value"].get(v) != simdjson::SUCCESS) return true;  // a quantity without a value: no value
  if (!json_value_text(v, text)) {
    quarantine(out, pointer + "/value", "", "valueQuantity.value is neither a number nor text");
    return false;
  }
  const auto range = ctx_.ranges.find(code_number(code));
  if (range == ctx_.ranges.end()) return true;  // not a measurement with a unit: kept as given
  const std::string_view stored = range->second.unit;
  const auto system = text_of(q, "system");
  std::string_view unit = text_of(q, "code");
  std::string unit_pointer = pointer + "/code";
  if (!system.empty() && system != kUcum) {
    quarantine(out, pointer + "/system", system, "unit system is not UCUM (" + std::string(kUcum) + ")");
    return false;
  }
  if (unit.empty() && system.empty()) unit = text_of(q, "unit"), unit_pointer = pointer + "/unit";
  if (unit.empty()) {
    quarantine(out, pointer, "", "no unit for a measurement stored in " + std::string(stored));
    return false;
  }
  if (same_unit(stored, unit)) return true;
  for (const auto& c : kConversions) {
    if (c.measure_unit != stored || c.from != unit) continue;
    if (v.type() == simdjson::dom::element_type::STRING) return true;  // the table rejects text anyway
    const double x = (double(v) + c.offset) * c.scale;
    const double p = std::pow(10.0, decimals_for(stored));
    text = number_text(std::round(x * p) / p);
    return true;
  }
  quarantine(out, unit_pointer, unit, "unit " + std::string(unit) + " cannot be converted to " + std::string(stored));
  return false;
}

void FhirMapper::event(element r, FhirOutcome& out) const {
  const std::string& type = out.resource_type;
  const auto status = text_of(r, "status");
  if (status == "entered-in-error") return not_used(out, "/status", status, "status entered-in-error");
  if (type == "Observation" && status == "cancelled") return not_used(out, "/status", status, "observation cancelled");
  if ((type == "Procedure" || type == "Immunization") && status == "not-done")
    return not_used(out, "/status", status, "status not-done");
  if (type == "Procedure" && status == "preparation") return not_used(out, "/status", status, "procedure not yet done");
  if (type == "Condition") {
    element vs;
    if (r["verificationStatus"].get(vs) == simdjson::SUCCESS) {
      const auto v = coding_in(vs, "http://terminology.hl7.org/CodeSystem/condition-ver-status");
      if (v.code == "entered-in-error" || v.code == "refuted")
        return not_used(out, "/verificationStatus", v.code, "condition " + std::string(v.code));
    }
  }
  if (!subject(r, type == "Immunization" ? "patient" : "subject", out)) return;

  std::string date, date_pointer;
  bool dated = false;
  if (type == "Condition") dated = first_date(r, {{"onsetDateTime", nullptr}, {"onsetPeriod", "start"}, {"recordedDate", nullptr}}, date, date_pointer);
  else if (type == "Observation") dated = first_date(r, {{"effectiveDateTime", nullptr}, {"effectivePeriod", "start"}, {"effectiveInstant", nullptr}, {"issued", nullptr}}, date, date_pointer);
  else if (type == "Procedure") dated = first_date(r, {{"performedDateTime", nullptr}, {"performedPeriod", "start"}}, date, date_pointer);
  else dated = first_date(r, {{"occurrenceDateTime", nullptr}}, date, date_pointer);
  if (!dated) return quarantine(out, "", "", "no date for the " + type + " (docs/fhir.md lists the fields read)");

  // One coded value: its SNOMED CT code, from a coded at `coded_pointer`.
  auto code_of = [&](element coded, const std::string& coded_pointer, std::string& code, std::string& pointer) {
    if (const auto s = coding_in(coded, kSnomed); s.index >= 0) {
      code = std::string(s.code);
      pointer = coded_pointer + "/coding/" + std::to_string(s.index) + "/code";
      return true;
    }
    if (type == "Observation") {
      if (const auto l = coding_in(coded, kLoinc); l.index >= 0) {
        const auto mapped = snomed_for_loinc(l.code);
        if (!mapped.empty()) {
          code = std::string(mapped);
          pointer = coded_pointer + "/coding/" + std::to_string(l.index) + "/code";
          return true;
        }
        quarantine(out, coded_pointer + "/coding/" + std::to_string(l.index) + "/code", l.code,
                   "LOINC code with no SNOMED CT equivalent in Severn's map (docs/fhir.md)");
        return false;
      }
    }
    quarantine(out, coded_pointer, systems_of(coded), "no SNOMED CT coding");
    return false;
  };

  const char* coded_key = type == "Immunization" ? "vaccineCode" : "code";
  element coded;
  if (r[coded_key].get(coded) != simdjson::SUCCESS)
    return quarantine(out, std::string("/") + coded_key, "", std::string("no ") + coded_key);

  simdjson::dom::array components;
  if (type == "Observation" && r["component"].get_array().get(components) == simdjson::SUCCESS && components.size() > 0) {
    int i = 0;
    for (const auto c : components) {
      const std::string base = "/component/" + std::to_string(i++);
      element cc;
      if (c["code"].get(cc) != simdjson::SUCCESS) return quarantine(out, base + "/code", "", "component without a code");
      std::string code, code_pointer, number;
      if (!code_of(cc, base + "/code", code, code_pointer)) return;
      element q;
      if (c["valueQuantity"].get(q) == simdjson::SUCCESS && !value(q, base + "/valueQuantity", code, number, out)) return;
      MappedRow& row = new_row(out, FhirTable::kEvents);
      row.values[1] = date, row.pointers[1] = date_pointer;
      row.values[2] = std::move(code), row.pointers[2] = std::move(code_pointer);
      row.values[3] = std::move(number), row.pointers[3] = base + "/valueQuantity/value";
    }
    return;
  }
  std::string code, code_pointer, number;
  if (!code_of(coded, std::string("/") + coded_key, code, code_pointer)) return;
  element q;
  if (type == "Observation" && r["valueQuantity"].get(q) == simdjson::SUCCESS &&
      !value(q, "/valueQuantity", code, number, out))
    return;
  MappedRow& row = new_row(out, FhirTable::kEvents);
  row.values[1] = std::move(date), row.pointers[1] = std::move(date_pointer);
  row.values[2] = std::move(code), row.pointers[2] = std::move(code_pointer);
  row.values[3] = std::move(number), row.pointers[3] = "/valueQuantity/value";
}

void FhirMapper::medication(element r, FhirOutcome& out) const {
  const std::string& type = out.resource_type;
  const auto status = text_of(r, "status");
  if (status == "entered-in-error") return not_used(out, "/status", status, "status entered-in-error");
  if (type == "MedicationRequest") {
    if (status == "cancelled" || status == "draft") return not_used(out, "/status", status, "request " + std::string(status));
    const auto intent = text_of(r, "intent");
    if (intent == "proposal" || intent == "plan") return not_used(out, "/intent", intent, "a " + std::string(intent) + ", not an issue");
  }
  if ((type == "MedicationStatement" && status == "not-taken") || (type == "MedicationDispense" && status == "declined"))
    return not_used(out, "/status", status, "status " + std::string(status));
  if (!subject(r, "subject", out)) return;
  std::string date, date_pointer;
  bool dated = false;
  if (type == "MedicationRequest") dated = first_date(r, {{"authoredOn", nullptr}}, date, date_pointer);
  else if (type == "MedicationStatement") dated = first_date(r, {{"effectiveDateTime", nullptr}, {"effectivePeriod", "start"}, {"dateAsserted", nullptr}}, date, date_pointer);
  else dated = first_date(r, {{"whenHandedOver", nullptr}, {"whenPrepared", nullptr}}, date, date_pointer);
  if (!dated) return quarantine(out, "", "", "no date for the " + type + " (docs/fhir.md lists the fields read)");
  element coded;
  if (r["medicationCodeableConcept"].get(coded) != simdjson::SUCCESS) {
    if (has(r, "medicationReference"))
      return quarantine(out, "/medicationReference", text_of(r["medicationReference"], "reference"),
                        "medicationReference: Severn reads the medicine from medicationCodeableConcept");
    return quarantine(out, "/medicationCodeableConcept", "", "no medicine");
  }
  const auto dmd = coding_in(coded, kDmd);
  if (dmd.index < 0) return quarantine(out, "/medicationCodeableConcept", systems_of(coded), "no dm+d coding");
  MappedRow& row = new_row(out, FhirTable::kMedications);
  row.values[1] = std::move(date), row.pointers[1] = std::move(date_pointer);
  row.values[2] = std::string(dmd.code);
  row.pointers[2] = "/medicationCodeableConcept/coding/" + std::to_string(dmd.index) + "/code";
}

}  // namespace severn::ingest
