// NHS numbers: ten digits whose last is a modulus-11 check digit over the first nine
// (weights 10 down to 2; check = 11 - sum mod 11, 11 -> 0, 10 -> the number is never issued).
// Source: NHS Data Dictionary, "NHS NUMBER" data item.
// Synthetic data only ever uses the 999 test range (999 000 000x to 999 999 999x).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace severn {

// The check digit for nine leading digits, or nullopt when the remainder makes them unusable.
std::optional<int> nhs_check_digit(std::uint32_t first_nine);

// kPlaceholder: ten identical digits (0000000000, 1111111111, ...) pass the check digit but are
// filler typed when the number is unknown, never issued numbers.
enum class NhsNumberProblem { kNone, kEmpty, kWrongLength, kNotDigits, kBadCheckDigit, kPlaceholder };

// Validates a plain 10-digit NHS number (no spaces).
NhsNumberProblem check_nhs_number(std::string_view text);
inline bool is_valid_nhs_number(std::string_view text) {
  return check_nhs_number(text) == NhsNumberProblem::kNone;
}
const char* describe(NhsNumberProblem problem);

// The full ten-digit number for nine leading digits that have a valid check digit.
std::uint64_t make_nhs_number(std::uint32_t first_nine);  // appends the check digit; must be valid

}  // namespace severn
