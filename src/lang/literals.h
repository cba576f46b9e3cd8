// Literal numbers and durations of the definition language, read one way by the checker (which
// refuses those out of range), the engine and the reference evaluator of the tests.
// The rules: docs/language.md, "Limits and overflow".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace severn::lang {

// A whole-number literal (digits only) as int64; nullopt when it does not fit.
std::optional<std::int64_t> int_literal(std::string_view digits);

// A decimal literal; nullopt when it is too large for a double (a tiny one reads as 0).
std::optional<double> float_literal(const std::string& text);

enum class DurationUnit { kDays, kMonths, kYears };

// "days", "months" or "years" (the parser's plural spelling).
DurationUnit duration_unit(std::string_view plural);

// The longest duration that can still lead from one date of 0001-01-01..9999-12-31 to another:
// 3,652,058 days, 119,987 months or 9,998 years. Longer literals are errors in the checker.
std::int64_t max_duration(DurationUnit unit);

}  // namespace severn::lang
