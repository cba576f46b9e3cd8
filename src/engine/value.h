// One value of the definition language at run time. Codes and strings point into the store's
// dictionaries or the definition's literals, which outlive every evaluation.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/date.h"

namespace severn::engine {

enum class VKind : std::uint8_t { kNull, kBool, kInt, kFloat, kDate, kCode, kString };

struct Value {
  VKind kind = VKind::kNull;
  std::int64_t i = 0;   // kBool (0/1), kInt, kDate (days)
  double f = 0;         // kFloat
  std::string_view s;   // kCode, kString: the text
  const void* dict = nullptr;  // kCode: the dictionary the id belongs to
  std::uint32_t id = 0;        // kCode: id in that dictionary

  bool null() const { return kind == VKind::kNull; }
  bool is_true() const { return kind == VKind::kBool && i != 0; }
  static Value of_bool(bool b) { return {VKind::kBool, b ? 1 : 0, 0, {}, nullptr, 0}; }
  static Value of_int(std::int64_t v) { return {VKind::kInt, v, 0, {}, nullptr, 0}; }
  static Value of_float(double v) { return {VKind::kFloat, 0, v, {}, nullptr, 0}; }
  static Value of_date(Days d) { return {VKind::kDate, d, 0, {}, nullptr, 0}; }
  static Value of_string(std::string_view s) { return {VKind::kString, 0, 0, s, nullptr, 0}; }
  double number() const { return kind == VKind::kFloat ? f : static_cast<double>(i); }
};

// Three-way comparison of two non-null values of comparable kinds: numbers by value (an int and
// a float compare as numbers), dates by day, codes and strings by their text.
inline int compare(const Value& a, const Value& b) {
  const bool an = a.kind == VKind::kInt || a.kind == VKind::kFloat || a.kind == VKind::kBool;
  const bool bn = b.kind == VKind::kInt || b.kind == VKind::kFloat || b.kind == VKind::kBool;
  if (an && bn) {
    if (a.kind != VKind::kFloat && b.kind != VKind::kFloat) return (a.i > b.i) - (a.i < b.i);
    const double x = a.number(), y = b.number();
    return (x > y) - (x < y);
  }
  if (a.kind == VKind::kDate && b.kind == VKind::kDate) return (a.i > b.i) - (a.i < b.i);
  const int c = a.s.compare(b.s);
  return (c > 0) - (c < 0);
}

}  // namespace severn::engine
