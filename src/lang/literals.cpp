#include "lang/literals.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/date.h"

namespace severn::lang {

std::optional<std::int64_t> int_literal(std::string_view digits) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<double> float_literal(const std::string& text) {
  // strtod, unlike std::stod, neither throws on overflow nor on underflow.
  const double value = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

DurationUnit duration_unit(std::string_view plural) {
  return plural == "days" ? DurationUnit::kDays : plural == "months" ? DurationUnit::kMonths : DurationUnit::kYears;
}

std::int64_t max_duration(DurationUnit unit) {
  switch (unit) {
    case DurationUnit::kDays: return std::int64_t{kLastDay} - kFirstDay;
    case DurationUnit::kMonths: return (9999 - 1) * 12 + (12 - 1);
    case DurationUnit::kYears: return 9999 - 1;
  }
  return 0;
}

}  // namespace severn::lang
