// The warehouse layout: the tables a store becomes in PostgreSQL and in DuckDB, the same names,
// columns and types in both, so that one SQL compiler (with dialect hooks) targets either. Both
// loaders (`severn export --to-postgres`, `--to-duckdb`) are driven by warehouse_tables(); nothing
// else lists these tables. docs/sql.md shows the layout as a reader sees it.
//
// Store tables: every table the definition language reads (lang::patients_table() and
// lang::event_tables()), with the language's columns under their store names (docs/store.md):
//   patients (person_id integer, pseudonym text, sex text, date_of_birth date, ...): one row per
//     person, person_id 0..persons-1. pseudonym (hex) is there for dataset outputs.
//   each event table (row_id bigint, person_id integer, <columns>): row_id numbers the rows 0, 1,
//     ... in store order (person, then the table's date, then load order), the order in which
//     first() and latest() break ties on a date; (person_id, row_id) is unique and row_id alone is.
//   Types: dates date, whole numbers integer, numeric_value double precision, codes and
//     categories text.
//   A code-list column (apcs.secondary_diagnoses) becomes a child table
//   <table>_<column> (row_id bigint, person_id integer, position integer, code text), one row per
//   code, position 1, 2, ... in the order stored. A child table rather than an array because
//   membership and "the first code" then read the same in both dialects (a join or EXISTS),
//   where text[] and DuckDB lists differ in indexing and functions. A row whose list is empty or
//   null has no child rows; as a value such a list is null, as in the native engine.
//
// Reference tables (from the reference-data pack, src/refdata), for the built-in group columns
// of src/engine/groups.cpp and for standardisation:
//   ref_practice (practice text, pcn text, place text): GP practice -> PCN ("U" = none) -> Place.
//   ref_lsoa (lsoa text, imd_decile integer, imd_quintile integer): IoD 2025, 1 = most deprived;
//     quintile = (decile + 1) / 2, stored so that no dialect's integer division is needed.
//   ref_ethnicity (category text, ethnicity_group text): the 16+1 categories to the ONS 5+1 groups
//     (engine::ethnicity_group); a category not listed groups as 'unknown'.
//   ref_age_band (age_band text, age_lower integer, age_upper integer): the 19 five-year bands,
//     90+ with age_upper null (engine::age_band).
//   ref_esp2013 (age_band text, age_lower integer, age_upper integer, weight double precision):
//     the European Standard Population 2013, 19 bands, per 100,000; age_upper null = open band.
#pragma once
#include <string>
#include <vector>

namespace severn::sql {

enum class SqlType { kBigint, kInteger, kDate, kDouble, kText };

enum class Dialect { kPostgres, kDuckdb };

struct WarehouseColumn {
  std::string name;
  SqlType type;
};

enum class TableKind {
  kPatients,      // one row per person
  kEvents,        // one row per store row, with row_id
  kCodeListChild, // one row per code of a code-list column
  kReference,     // from the reference-data pack
};

struct WarehouseTable {
  std::string name;
  TableKind kind;
  std::string store_table;  // kPatients, kEvents, kCodeListChild: the store table read
  std::string list_column;  // kCodeListChild: the store's code-list column
  std::vector<WarehouseColumn> columns;
};

// In load order: patients, the event tables with their child tables, then the reference tables.
const std::vector<WarehouseTable>& warehouse_tables();

const char* type_name(SqlType type, Dialect dialect);

// CREATE TABLE <qualified_name> (...) for the dialect, without a trailing ';'.
std::string create_table_sql(const WarehouseTable& table, const std::string& qualified_name,
                             Dialect dialect);

}  // namespace severn::sql
