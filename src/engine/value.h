// One value of the definition language at run time. Codes and strings point into the store's
// dictionaries or the definition's literals, which outlive every evaluation.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/date.h"

namespace severn::engine {

enum class VKind : std::uint8_t { kNull, kBool, kInt, kFloat, kDate, kCode, kString };

// 32 bytes: the evaluator keeps one per node and lane and copies them on every row, so the size
// is the engine's memory traffic (it was 56 bytes with a string_view and separate int and float).
struct Value {
  VKind kind = VKind::kNull;
  std::uint32_t len = 0;       // kCode, kString: the text's length
  union {
    std::int64_t i = 0;        // kBool (0/1), kInt, kDate (days), kCode (the id in `dict`)
    double f;                  // kFloat
  };
  const char* text = nullptr;  // kCode, kString: the text
  const void* dict = nullptr;  // kCode: the dictionary the id belongs to

  bool null() const { return kind == VKind::kNull; }
  bool is_true() const { return kind == VKind::kBool && i != 0; }
  std::string_view s() const { return {text, len}; }
  std::uint32_t id() const { return static_cast<std::uint32_t>(i); }
  static Value of_bool(bool b) { return of(VKind::kBool, b ? 1 : 0); }
  static Value of_int(std::int64_t v) { return of(VKind::kInt, v); }
  static Value of_float(double v) {
    Value x;
    x.kind = VKind::kFloat;
    x.f = v;
    return x;
  }
  static Value of_date(Days d) { return of(VKind::kDate, d); }
  // Text longer than 4 GiB is not a value any table or literal holds; it is cut there.
  static Value of_string(std::string_view s) {
    Value x;
    x.kind = VKind::kString;
    x.text = s.data();
    x.len = static_cast<std::uint32_t>(s.size());
    return x;
  }
  static Value of_code(std::uint32_t id, std::string_view s, const void* dict) {
    Value x = of_string(s);
    x.kind = VKind::kCode;
    x.i = id;
    x.dict = dict;
    return x;
  }
  double number() const { return kind == VKind::kFloat ? f : static_cast<double>(i); }

 private:
  static Value of(VKind k, std::int64_t v) {
    Value x;
    x.kind = k;
    x.i = v;
    return x;
  }
};
static_assert(sizeof(Value) == 32);

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
  const int c = a.s().compare(b.s());
  return (c > 0) - (c < 0);
}

}  // namespace severn::engine
