#include "sql/sql_text.h"

#include <cstdio>

namespace severn::sql {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string identifier(const std::string& s) { return "\"" + s + "\""; }

std::string date_literal(Days d) { return "DATE '" + format_iso_date(d) + "'"; }

std::string literal(const query::Literal& l) {
  using query::ValueType;
  switch (l.type) {
    case ValueType::kNull: return "NULL";
    case ValueType::kBool: return l.i ? "TRUE" : "FALSE";
    case ValueType::kInt: return "CAST(" + std::to_string(l.i) + " AS BIGINT)";
    case ValueType::kFloat: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", l.f);
      return "CAST('" + std::string(buf) + "' AS DOUBLE PRECISION)";
    }
    case ValueType::kDate: return date_literal(static_cast<Days>(l.i));
    case ValueType::kCode:
    case ValueType::kString: return "CAST(" + quoted(l.s) + " AS TEXT)";
  }
  return "NULL";
}

}  // namespace severn::sql
