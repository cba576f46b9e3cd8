#include "lang/types.h"

namespace severn::lang {

const char* base_name(Base b) {
  switch (b) {
    case Base::kNull: return "null";
    case Base::kBool: return "bool";
    case Base::kInt: return "int";
    case Base::kFloat: return "float";
    case Base::kDate: return "date";
    case Base::kDuration: return "duration";
    case Base::kCode: return "code";
    case Base::kString: return "string";
    case Base::kCodelist: return "code list";
    case Base::kSet: return "set";
    case Base::kRange: return "range";
    case Base::kFrame: return "frame";
    case Base::kRow: return "row";
    case Base::kPatients: return "table";
  }
  return "?";
}

std::string describe(const Type& t) {
  std::string s = base_name(t.base);
  if (t.base == Base::kCode || t.base == Base::kCodelist) {
    if (t.family == CodeFamily::kSnomed) s += " (SNOMED CT / dm+d)";
    if (t.family == CodeFamily::kClassification) s += " (ICD-10 / OPCS-4)";
    if (t.list) s = "list of " + s;
  }
  if (t.base == Base::kFrame) return "frame of " + t.table;
  if (t.base == Base::kRow) return "row of " + t.table;
  if (t.event) s += " per row of " + t.table;
  return s;
}

}  // namespace severn::lang
