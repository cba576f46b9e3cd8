// The extract contract of docs/data-model.md as data: for every source file, its fields, how
// each is checked, and what reaches the store. Validation, the store layout and the docs all
// follow from these specs.
#pragma once
#include <span>
#include <string_view>
#include <vector>

namespace severn::ingest {

enum class Kind {
  kNhsNumber,    // 10 digits with a modulus-11 check digit
  kDate,         // YYYY-MM-DD, not after the as-of date, not before 1890, not before birth
  kFutureDate,   // as kDate, but may be up to 5 years after the as-of date (a booked date)
  kWeekEnding,   // as kDate, and a Sunday (the WLMDS week ends on Sunday)
  kSnomed,       // SNOMED CT concept id (Verhoeff), interned in "snomedct"
  kDmd,          // dm+d product (a SNOMED CT concept id), interned in "dmd"
  kIcd10,        // interned in "icd10", stored dotted
  kIcd10List,    // ICD-10 codes separated by ';'
  kOpcs4,        // interned in "opcs4", stored dotted
  kCategory,     // one of `allowed`, stored as a per-column dictionary id
  kIntCode,      // one of `allowed` (digits), stored as int32
  kPositiveInt,  // 1 to 9999, stored as int32 (an RTT period's number)
  kOdsCode,      // ODS organisation code shaped: 3 to 6 upper-case letters and digits
  kPathwayRef,   // a patient pathway identifier (PPI): stored as the store's dense pathway
                 // number, the same in every table for the same identifier; the identifier
                 // itself goes to identity/pathways.csv only
  kDecimal,      // a finite number, within the plausible range of the row's measurement code
  kPractice,     // ODS practice code known to the reference pack
  kLsoa,         // LSOA 2021 code
  kPartner,      // partner code (one of `allowed`); with kLocalId the key into the partner index
  kLocalId,      // a partner's local patient id
  kRecordId,     // unique within the file; checked, not stored
  kName,         // identifiable, non-empty: identity file only
  kPostcode,     // identifiable, UK postcode: identity file only
};

struct FieldSpec {
  std::string_view name;
  Kind kind;
  bool nullable = false;
  std::string_view store_as = {};  // column name in the store; empty: checked but not stored
  std::vector<std::string_view> allowed = {};
  std::string_view unit = {};
  // A code table in resources/ whose `code` column adds to `allowed`.
  std::string_view reference = {};
  // Added to the extract later than the file itself: an older extract's header may lack it.
  // Then the field is read as empty and not stored (the store lacks the column).
  bool optional_column = false;
};

// How a table's rows find their person.
enum class Role {
  kPersons,          // gp/patients.csv: defines person_id (file order) and the identity file
  kPartnerIndex,     // partners/patients.csv: identity only; links local ids to persons
  kGpChild,          // GP tables: a valid NHS number of a known person is required
  kNational,         // ONS, NCRAS: valid NHS number required; unknown person -> unlinked
  kPartnerActivity,  // trusts, councils: key into the partner index; no or unknown NHS -> unlinked
};

struct DateOrder {
  std::string_view later, earlier;  // later >= earlier when both are present
};

// `field` is set if and only if `other` is set (when `other_value` is empty) or `other` holds
// `other_value`. Checked when both columns are in the extract.
struct SetIff {
  std::string_view field, other, other_value = {};
};

struct TableSpec {
  std::string_view table;   // store table name
  std::string_view source;  // file under the extract directory
  Role role;
  std::vector<FieldSpec> fields;
  std::string_view sort_date;  // orders rows within a person (a stored date column)
  std::vector<DateOrder> orders = {};
  bool required = false;  // the ingest cannot run without it
  std::vector<SetIff> set_iff = {};
  // Fields whose values together are unique in the file, for a file without a record id
  // (the first occurrence is kept, repeats are quarantined as duplicates).
  std::vector<std::string_view> unique_key = {};

  std::vector<std::string_view> field_names() const;
  int field_index(std::string_view name) const;  // -1 when absent
};

// Every source in load order: persons, then the partner index, then the rest.
const std::vector<TableSpec>& table_specs();

}  // namespace severn::ingest
