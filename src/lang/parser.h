// Definition files (.sev): the statements
//
//   codelist NAME = "file.csv"
//   let NAME = EXPR
//   population EXPR
//   variable NAME = EXPR
//   measure NAME numerator EXPR denominator EXPR [by GROUP, ...] [intervals SPEC]
//
// with SPEC one of `monthly|quarterly|yearly from DATE to DATE` or `DATE to DATE, ...`.
// Expression grammar and semantics: docs/language.md.
#pragma once
#include "lang/ast.h"
#include "lang/source.h"

namespace severn::lang {

// The most intervals a measure may have (docs/language.md, "Limits and overflow"): a century of
// months. Every lane is evaluated for every person, so the bound keeps a run's time in reason.
inline constexpr int kMaxIntervals = 1200;

// Throws DefinitionError at the first syntax error, with what was expected.
Definition parse(const SourceFile& file);

}  // namespace severn::lang
