#include "core/nhs_number.h"

#include <gtest/gtest.h>

namespace severn {
namespace {

// 943 476 5919 is the worked example of the modulus-11 check in the NHS Data Dictionary.
TEST(NhsNumber, PublishedExampleIsValid) { EXPECT_TRUE(is_valid_nhs_number("9434765919")); }

TEST(NhsNumber, SingleDigitChangesAreDetected) {
  EXPECT_EQ(check_nhs_number("9434765918"), NhsNumberProblem::kBadCheckDigit);
  EXPECT_EQ(check_nhs_number("9434765991"), NhsNumberProblem::kBadCheckDigit);
}

TEST(NhsNumber, ShapeProblemsAreNamed) {
  EXPECT_EQ(check_nhs_number(""), NhsNumberProblem::kEmpty);
  EXPECT_EQ(check_nhs_number("943476591"), NhsNumberProblem::kWrongLength);
  EXPECT_EQ(check_nhs_number("943 476 59"), NhsNumberProblem::kNotDigits);
  // Ten identical digits pass modulus 11 but are placeholders, never issued.
  EXPECT_EQ(check_nhs_number("0000000000"), NhsNumberProblem::kPlaceholder);
  EXPECT_EQ(check_nhs_number("1111111111"), NhsNumberProblem::kPlaceholder);
  EXPECT_EQ(check_nhs_number("0123456789"), NhsNumberProblem::kNone);
  EXPECT_STREQ(describe(NhsNumberProblem::kBadCheckDigit), "NHS number fails the modulus-11 check");
}

TEST(NhsNumber, RemainderTenIsNeverIssued) {
  int unusable = 0;
  for (std::uint32_t b = 999000000; b < 999010000; ++b) {
    const auto check = nhs_check_digit(b);
    if (!check) {
      ++unusable;
      continue;
    }
    EXPECT_TRUE(is_valid_nhs_number(std::to_string(make_nhs_number(b))));
  }
  // One remainder in eleven gives check digit 10.
  EXPECT_NEAR(unusable, 10000 / 11, 60);
}

}  // namespace
}  // namespace severn
