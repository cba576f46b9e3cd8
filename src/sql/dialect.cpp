#include "sql/dialect.h"

#include "core/error.h"

namespace severn::sql {
namespace {

// A NUMERIC as a 64-bit integer, null outside 64 bits rather than an error. The value is named
// once: clamped to one past either bound, then those two values made null (LEAST and GREATEST
// skip a null, which NULLIF then keeps). A test against the bounds would name it twice, and
// arithmetic over arithmetic would double the SQL at each level.
std::string narrowed(const std::string& wide) {
  constexpr const char* kAbove = "9223372036854775808";
  constexpr const char* kBelow = "-9223372036854775809";
  return "CAST(NULLIF(NULLIF(GREATEST(LEAST(" + wide + ", " + kAbove + "), " + kBelow + "), " + kAbove + "), " + kBelow +
         ") AS BIGINT)";
}

class Postgres final : public DialectHooks {
 public:
  Dialect dialect() const override { return Dialect::kPostgres; }
  const char* name() const override { return "postgres"; }
  std::string binary_collation(const std::string& e) const override { return "(" + e + ") COLLATE \"C\""; }
  std::string add_months(const std::string& d, long long months) const override {
    return "CAST(" + d + " + make_interval(months => " + std::to_string(months) + ") AS DATE)";
  }
  std::string add_days(const std::string& d, long long days) const override {
    return "(" + d + " + " + std::to_string(days) + ")";
  }
  std::string days_between(const std::string& a, const std::string& b) const override {
    return "CAST((" + a + ") - (" + b + ") AS BIGINT)";
  }
  std::string checked_integer_sum(const std::string& e, const std::string& order_by) const override {
    return narrowed("SUM(CAST(" + e + " AS NUMERIC) ORDER BY " + order_by + ")");
  }
  std::string ordered_float_sum(const std::string& e, const std::string& order_by) const override {
    return "SUM(CAST(" + e + " AS DOUBLE PRECISION) ORDER BY " + order_by + ")";
  }
  std::string iso_date_text(const std::string& d) const override { return "to_char(" + d + ", 'YYYY-MM-DD')"; }
  std::string checked_integer_arith(char op, const std::string& a, const std::string& b) const override {
    return narrowed("(CAST(" + a + " AS NUMERIC) " + op + " CAST(" + b + " AS NUMERIC))");
  }
};

class Duckdb final : public DialectHooks {
 public:
  Dialect dialect() const override { return Dialect::kDuckdb; }
  const char* name() const override { return "duckdb"; }
  std::string binary_collation(const std::string& e) const override { return "(" + e + ")"; }
  std::string add_months(const std::string& d, long long months) const override {
    return "CAST(" + d + " + to_months(" + std::to_string(months) + ") AS DATE)";
  }
  std::string add_days(const std::string& d, long long days) const override {
    return "CAST(" + d + " + to_days(" + std::to_string(days) + ") AS DATE)";
  }
  std::string days_between(const std::string& a, const std::string& b) const override {
    return "date_diff('day', " + b + ", " + a + ")";
  }
  std::string checked_integer_sum(const std::string& e, const std::string& order_by) const override {
    return "TRY_CAST(SUM(CAST(" + e + " AS HUGEINT) ORDER BY " + order_by + ") AS BIGINT)";
  }
  std::string ordered_float_sum(const std::string& e, const std::string& order_by) const override {
    // DuckDB's sum() of doubles may reorder; a list sorted by row and folded left to right keeps
    // the native engine's order.
    return "list_reduce(list(CAST(" + e + " AS DOUBLE) ORDER BY " + order_by + ") FILTER (WHERE (" + e +
           ") IS NOT NULL), (x, y) -> x + y)";
  }
  std::string iso_date_text(const std::string& d) const override { return "strftime(" + d + ", '%Y-%m-%d')"; }
  std::string checked_integer_arith(char op, const std::string& a, const std::string& b) const override {
    // TRY_CAST names the value once (DuckDB's binder rewrites NULLIF as a CASE that names it
    // twice, so PostgreSQL's form would double at each level here).
    return "TRY_CAST((CAST(" + a + " AS HUGEINT) " + op + " CAST(" + b + " AS HUGEINT)) AS BIGINT)";
  }
};

}  // namespace

std::unique_ptr<DialectHooks> dialect_hooks(const std::string& name) {
  if (name == "postgres" || name == "postgresql") return std::make_unique<Postgres>();
  if (name == "duckdb") return std::make_unique<Duckdb>();
  throw InputError("unknown SQL dialect '" + name + "': Severn compiles to postgres and duckdb (docs/sql.md)");
}

}  // namespace severn::sql
