#include "core/nhs_number.h"

#include <stdexcept>

namespace severn {

std::optional<int> nhs_check_digit(std::uint32_t first_nine) {
  int sum = 0;
  for (int weight = 2; weight <= 10; ++weight) {
    sum += static_cast<int>(first_nine % 10) * weight;
    first_nine /= 10;
  }
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return std::nullopt;
  return check;
}

NhsNumberProblem check_nhs_number(std::string_view s) {
  if (s.empty()) return NhsNumberProblem::kEmpty;
  if (s.size() != 10) return NhsNumberProblem::kWrongLength;
  std::uint32_t first_nine = 0;
  for (std::size_t i = 0; i < 10; ++i)
    if (s[i] < '0' || s[i] > '9') return NhsNumberProblem::kNotDigits;
  for (std::size_t i = 0; i < 9; ++i) first_nine = first_nine * 10 + static_cast<std::uint32_t>(s[i] - '0');
  const auto check = nhs_check_digit(first_nine);
  if (!check || *check != s[9] - '0') return NhsNumberProblem::kBadCheckDigit;
  if (s.find_first_not_of(s[0]) == std::string_view::npos) return NhsNumberProblem::kPlaceholder;
  return NhsNumberProblem::kNone;
}

const char* describe(NhsNumberProblem p) {
  switch (p) {
    case NhsNumberProblem::kNone: return "valid";
    case NhsNumberProblem::kEmpty: return "missing NHS number";
    case NhsNumberProblem::kWrongLength: return "NHS number is not 10 characters";
    case NhsNumberProblem::kNotDigits: return "NHS number has a character that is not a digit";
    case NhsNumberProblem::kBadCheckDigit: return "NHS number fails the modulus-11 check";
    case NhsNumberProblem::kPlaceholder: return "NHS number is a placeholder (ten identical digits)";
  }
  return "unknown";
}

std::uint64_t make_nhs_number(std::uint32_t first_nine) {
  const auto check = nhs_check_digit(first_nine);
  if (!check) throw std::logic_error("make_nhs_number: nine digits with no valid check digit");
  return static_cast<std::uint64_t>(first_nine) * 10 + static_cast<std::uint64_t>(*check);
}

}  // namespace severn
