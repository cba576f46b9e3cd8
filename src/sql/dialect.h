// Dialect hooks of the SQL compiler (query_compiler.h): the few constructs in which SQL engines
// disagree, each one function. The base compiler writes everything else in the SQL both
// PostgreSQL 15 and DuckDB 1.x accept. A new engine (Trino, Spark SQL, T-SQL) is one more
// implementation of this interface; docs/sql.md lists what each hook covers.
#pragma once
#include <memory>
#include <string>

#include "sql/warehouse_layout.h"

namespace severn::sql {

class DialectHooks {
 public:
  virtual ~DialectHooks() = default;
  virtual Dialect dialect() const = 0;
  virtual const char* name() const = 0;
  // Text compared byte by byte, as the native engine compares codes and strings (PostgreSQL's
  // default collation is the database's locale; DuckDB's is binary already).
  virtual std::string binary_collation(const std::string& text_expr) const = 0;
  // date + whole months (negative: earlier), the day clipped to the end of a shorter month:
  // 2024-01-31 + 1 month = 2024-02-29.
  virtual std::string add_months(const std::string& date_expr, long long months) const = 0;
  // date + whole days.
  virtual std::string add_days(const std::string& date_expr, long long days) const = 0;
  // Whole days from b to a, as a 64-bit integer.
  virtual std::string days_between(const std::string& a, const std::string& b) const = 0;
  // A 64-bit integer sum of 64-bit integers that is null, not an error, past 64 bits.
  virtual std::string checked_integer_sum(const std::string& expr, const std::string& order_by) const = 0;
  // A double-precision sum in the given row order (the native engine sums floats in row order,
  // and floating-point addition is not associative).
  virtual std::string ordered_float_sum(const std::string& expr, const std::string& order_by) const = 0;
  // An ISO 8601 (YYYY-MM-DD) text of a date.
  virtual std::string iso_date_text(const std::string& date_expr) const = 0;
  // 64-bit integer arithmetic that is null on overflow instead of an error ('+', '-', '*').
  virtual std::string checked_integer_arith(char op, const std::string& a, const std::string& b) const = 0;
};

// Throws InputError naming the dialects Severn has for anything but "postgres" and "duckdb".
std::unique_ptr<DialectHooks> dialect_hooks(const std::string& name);

}  // namespace severn::sql
