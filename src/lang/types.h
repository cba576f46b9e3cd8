// Types of the definition language. A value has a base type and a dimension: one value per person
// (patient level) or many rows per person (event level, tied to one event table). Frames are
// filtered event tables, rows are one picked event per person.
#pragma once
#include <string>

namespace severn::lang {

enum class Base {
  kNull,      // the literal null: fits any type
  kBool,
  kInt,
  kFloat,
  kDate,      // days since 1970-01-01
  kDuration,  // a number of days, months or years (only for date arithmetic)
  kCode,
  kString,
  kCodelist,
  kSet,       // { ... } on the right of `in`
  kRange,     // (a, b] on the right of `in`
  kFrame,     // rows of one event table for each person
  kRow,       // one row of an event table for each person (or none)
  kPatients,  // the patients table itself
};

// Code lists and code columns are checked against each other by family: SNOMED CT and dm+d
// codes are digits; ICD-10 and OPCS-4 codes start with a letter.
enum class CodeFamily { kNone, kSnomed, kClassification };

struct Type {
  Base base = Base::kNull;
  std::string table;  // event level, frames and rows: the event table; empty at patient level
  bool event = false; // many values per person (an event-level series)
  CodeFamily family = CodeFamily::kNone;
  bool list = false;  // a column holding several codes per row (secondary diagnoses)
  Base element = Base::kNull;  // kSet / kRange: the type of the elements

  static Type patient(Base b) { return Type{b, "", false, CodeFamily::kNone, false, Base::kNull}; }
  static Type code(CodeFamily f) { return Type{Base::kCode, "", false, f, false, Base::kNull}; }
  bool numeric() const { return base == Base::kInt || base == Base::kFloat; }
};

std::string describe(const Type& t);
const char* base_name(Base b);

}  // namespace severn::lang
