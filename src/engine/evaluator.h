// Evaluates a bound definition one person at a time: the reference semantics of
// docs/language.md, written for clarity first. Lets are evaluated once per person and dates and
// reused by everything that names them. One Evaluator per thread.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/program.h"
#include "engine/value.h"
#include "lang/ast.h"

namespace severn::engine {

struct Frame {
  const BoundTable* table = nullptr;
  std::vector<std::uint64_t> rows;  // in frame order (date order unless sort_by)
};

struct Row {
  const BoundTable* table = nullptr;
  std::int64_t row = -1;  // -1: no row (every column null)
};

class Evaluator {
 public:
  explicit Evaluator(const Program& program);

  // A new person, or new dates for the same person, invalidate cached lets.
  void start(std::uint32_t person, Days index_date, Days interval_start);
  std::uint32_t person() const { return person_; }
  Days index_date() const { return index_date_; }

  Value value(const lang::Expr& e) { return eval(e, nullptr); }
  // Null counts as false.
  bool holds(const lang::Expr& e) {
    const Value v = eval(e, nullptr);
    return v.kind == VKind::kBool && v.i != 0;
  }

  // The practice (code) the person is registered with on `day`, or "" when none.
  std::string_view practice_on(Days day) const;
  Value patient_column(const std::string& column) const;
  int age_on(Days day) const;

 private:
  struct RowCtx {
    const BoundTable* table;
    std::uint64_t row;
  };
  struct Cached {
    std::uint64_t generation = 0;
    int kind = 0;  // 1 value, 2 frame, 3 row
    Value value;
    Frame frame;
    Row row;
  };

  Value eval(const lang::Expr& e, const RowCtx* ctx);
  Frame frame(const lang::Expr& e, const RowCtx* ctx);
  Row row(const lang::Expr& e, const RowCtx* ctx);
  Cached& let(const lang::Binding& b);
  Value column_value(const BoundTable& t, const std::string& column, std::uint64_t row) const;
  Value column_value(const BoundColumn& column, std::uint64_t row) const;
  Value binary(const lang::Expr& e, const RowCtx* ctx);
  Value in(const lang::Expr& e, const RowCtx* ctx);
  Value call(const lang::Expr& e, const RowCtx* ctx);
  Value aggregate(const lang::Expr& e, const Frame& f);
  bool registered_on(Days day) const;

  const Program& p_;
  const BoundTable* registrations_;
  const store::ColumnView* reg_start_;
  const store::ColumnView* reg_end_;
  const BoundColumn* reg_practice_;
  std::uint32_t person_ = 0;
  Days index_date_ = 0, interval_start_ = 0;
  std::uint64_t generation_ = 0;         // changes with the person or the dates
  std::uint64_t person_generation_ = 0;  // changes with the person only
  std::unordered_map<const lang::Binding*, Cached> cache_;
  // Rows of a where() that pass its date-independent conditions, per person.
  struct CachedRows {
    std::uint64_t generation = 0;
    const BoundTable* table = nullptr;
    std::vector<std::uint64_t> rows;
  };
  std::unordered_map<const lang::Expr*, CachedRows> where_cache_;
};

}  // namespace severn::engine
