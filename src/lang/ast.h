// The syntax tree of a definition file, as the parser builds it and before any checking.
#pragma once
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "lang/source.h"

namespace severn::lang {

// How deep an expression may nest (docs/language.md, "Limits and overflow"): brackets, '-',
// 'not', arguments and each operator of a chain such as a + b + c count one level each. The
// library's deepest, the eFI's sum of 36 deficits (frailty.sev), is 41 levels and 46 through
// its lets; the bounds keep hostile input from exhausting the stack.
inline constexpr int kMaxExpressionDepth = 200;
// The same depth counted through the lets an expression names (a let adds its own depth where
// it is named): the engine evaluates a let where it is first needed, so this bounds its stack.
inline constexpr int kMaxDepthThroughLets = 1000;

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
  // Levels of the tree from this node down (1 for a leaf), set by the parser, which bounds it by
  // kMaxExpressionDepth so that every pass over the tree may recurse.
  int height = 1;
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

struct CodelistDecl {
  Pos pos;
  std::string name;
  std::string path;  // as written: relative to the .sev file, else to the pack's codelists/
  Pos path_pos;
  // `with subcodes`: a three-character ICD-10/OPCS-4 category in the list also matches its
  // subdivisions (K02 matches K02.1), as indicator specifications written by category expect.
  bool with_subcodes = false;
  Pos subcodes_pos;
};

struct Binding {  // let NAME = expr   and   variable NAME = expr
  Pos pos;
  std::string name;
  ExprPtr value;
};

enum class IntervalKind { kMonthly, kQuarterly, kYearly, kExplicit };

// `intervals last N months|quarters|years` (last > 0): the N calendar periods up to the run's
// index date, the last one ending on it (so it is partial unless the index date ends a period).
// Months are calendar months; quarters are calendar quarters (January-March ..., the NHS
// financial quarters); years are NHS financial years, 1 April to 31 March.
struct Intervals {
  Pos pos;
  IntervalKind kind = IntervalKind::kMonthly;
  Days from = 0, to = 0;                     // kMonthly/kQuarterly/kYearly: first and last day
  int last = 0;                              // > 0: the last N periods to the index date instead
  std::vector<std::pair<Days, Days>> spans;  // kExplicit: each [start, end], inclusive
};

// What a measure's value is, with its confidence limits (docs/methods.md):
//   proportion  numerator / denominator times `per` (default 1), Wilson score limits;
//   rate        numerator per `per` (default 100,000) of the denominator, Byar's limits (exact
//               Poisson below 10);
//   dsr         directly standardised rate per `per` (default 100,000) against the European
//               Standard Population 2013 in 19 five-year age bands (age on the interval's last
//               day), Dobson limits;
//   isr         indirectly standardised ratio: the numerator over the count expected if each
//               person in the denominator had the reference rate of their age band and sex
//               (`isr "FILE"`: a table of rates by the 19 age bands and sex), times `per`
//               (default 1; 100 gives a percentage such as the dementia diagnosis rate);
//               exact Poisson limits of the observed count below 10, Byar's above.
enum class StatKind { kProportion, kRate, kDsr, kIsr };

// An isr's reference rates, loaded by the checker: rate[sex * 19 + band] for sex 0 = male,
// 1 = female and band 0 = ages 0-4 ... 18 = 90+; NaN where the table gives none.
inline constexpr std::size_t kReferenceBands = 19;

struct MeasureStats {
  bool given = false;               // the measure has a `stats` clause
  Pos pos;                          // of the `stats` word
  StatKind kind = StatKind::kProportion;
  double per = 0;                   // 0: the statistic's default (1 or 100,000)
  double confidence = 0.95;         // two-sided, as a fraction: 0.95 or 0.998
  std::string sii_by;               // "" or imd_decile / imd_quintile: slope and relative index
  Pos sii_pos;
  std::string reference;            // isr: the reference-rate file as written
  Pos reference_pos;
  std::string reference_file;       // isr: where the checker found it
  std::vector<double> reference_rates;  // isr: 2 * kReferenceBands, filled by the checker
  double multiplier() const {
    return per != 0 ? per : kind == StatKind::kProportion || kind == StatKind::kIsr ? 1 : 100000;
  }
};

// "proportion", "proportion per 100", "rate per 100000", "dsr per 100000", "isr per 100".
inline std::string statistic_text(const MeasureStats& st) {
  const char* kind = st.kind == StatKind::kProportion ? "proportion"
                     : st.kind == StatKind::kRate     ? "rate"
                     : st.kind == StatKind::kDsr      ? "dsr"
                                                      : "isr";
  const double m = st.multiplier();
  if ((st.kind == StatKind::kProportion || st.kind == StatKind::kIsr) && m == 1) return kind;
  return std::string(kind) + " per " + std::to_string(static_cast<long long>(m));
}

// "95%", "99.8%".
inline std::string confidence_text(double confidence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", confidence * 100);
  return buf;
}

struct Measure {
  Pos pos;
  std::string name;
  // `measure NAME over TABLE ...`: the measure counts rows of the event table TABLE (one RTT
  // period of wl_pathways, say), not persons: numerator and denominator are true or false once
  // per row of the table, and may read its columns by name. Empty: the measure counts persons.
  std::string over;
  Pos over_pos;
  ExprPtr numerator;
  ExprPtr denominator;
  std::vector<std::pair<std::string, Pos>> by;
  MeasureStats stats;
  std::optional<Intervals> intervals;
  // The comment lines just above the statement (each without its '#'), joined by spaces: what
  // the measure means, for readers of its outputs. The file's header is no measure's comment.
  std::string comment;
};

// `worklist NAME when COND show A, B, ...`: the people of the population for whom COND is true
// on the index date, for direct care, with the values of lets A, B, ... as the evidence that put
// them there. Identifiable: written only when asked for (severn run --worklists).
struct Worklist {
  Pos pos;
  std::string name;
  ExprPtr when;
  std::vector<std::pair<std::string, ExprPtr>> show;  // column name, the let it names
};

// The comment lines a file starts with, up to its first other line (a blank line ends it too):
// `# title: ...`, `# source: ...` and `# version: ...` fill those fields, and the other lines
// (rules and deviations) are joined by spaces into `notes`.
struct DefinitionHeader {
  std::string title, source, version, notes;
};

struct Definition {
  DefinitionHeader header;
  std::vector<CodelistDecl> codelists;
  std::vector<Binding> lets;
  std::vector<Binding> variables;
  ExprPtr population;
  Pos population_pos;
  std::vector<Measure> measures;
  std::vector<Worklist> worklists;
  // Statement order, for checking that names are defined before use: kind ('c', 'l', 'v', 'p',
  // 'm', 'w') and index into the vector of that kind.
  std::vector<std::pair<char, std::size_t>> order;
};

}  // namespace severn::lang
