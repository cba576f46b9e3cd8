// The syntax tree of a definition file, as the parser builds it and before any checking.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "lang/source.h"

namespace severn::lang {

enum class ExprKind {
  kName,      // name
  kInt,       // literal
  kFloat,     // literal
  kDate,      // literal (date)
  kString,    // literal
  kBool,      // literal "true" / "false"
  kNull,
  kDuration,  // literal = count, name = "days" | "months" | "years"
  kUnary,     // name = "-" | "not"; args = [operand]
  kBinary,    // name = operator ("and", "or", "==", "<", "+", ...); args = [left, right]
  kIn,        // args = [value, set]; negated for "not in"
  kIsNull,    // args = [value]; negated for "is not null"
  kCase,      // args = [when1, then1, when2, then2, ..., else?]; has_else
  kMember,    // args = [object]; name = member
  kCall,      // args = [object or nothing, arguments...]; name = function; has_object
  kSet,       // { a, b, c }: args = elements
  kRange,     // (a, b] etc.: args = [low, high]; low_open / high_open
};

struct Expr {
  ExprKind kind = ExprKind::kNull;
  Pos pos;
  std::string name;
  std::string literal;
  Days date = 0;
  bool negated = false;
  bool has_else = false;
  bool has_object = false;
  bool low_open = false, high_open = false;
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

struct CodelistDecl {
  Pos pos;
  std::string name;
  std::string path;  // as written: relative to the .sev file, else to the pack's codelists/
  Pos path_pos;
};

struct Binding {  // let NAME = expr   and   variable NAME = expr
  Pos pos;
  std::string name;
  ExprPtr value;
};

enum class IntervalKind { kMonthly, kQuarterly, kYearly, kExplicit };

struct Intervals {
  Pos pos;
  IntervalKind kind = IntervalKind::kMonthly;
  Days from = 0, to = 0;                     // kMonthly/kQuarterly/kYearly: first and last day
  std::vector<std::pair<Days, Days>> spans;  // kExplicit: each [start, end], inclusive
};

struct Measure {
  Pos pos;
  std::string name;
  ExprPtr numerator;
  ExprPtr denominator;
  std::vector<std::pair<std::string, Pos>> by;
  std::optional<Intervals> intervals;
};

struct Definition {
  std::vector<CodelistDecl> codelists;
  std::vector<Binding> lets;
  std::vector<Binding> variables;
  ExprPtr population;
  Pos population_pos;
  std::vector<Measure> measures;
  // Statement order, for checking that names are defined before use: kind ('c', 'l', 'v', 'p',
  // 'm') and index into the vector of that kind.
  std::vector<std::pair<char, std::size_t>> order;
};

}  // namespace severn::lang
