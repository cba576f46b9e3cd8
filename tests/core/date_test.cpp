#include "core/date.h"

#include <gtest/gtest.h>

namespace severn {
namespace {

TEST(Date, EpochAndKnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(format_iso_date(days_from_civil(2025, 3, 31)), "2025-03-31");
}

TEST(Date, RoundTripsEveryDayFrom1900To2100) {
  for (Days d = days_from_civil(1900, 1, 1); d <= days_from_civil(2100, 12, 31); ++d) {
    const CivilDate c = civil_from_days(d);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
    ASSERT_EQ(parse_iso_date(format_iso_date(d)), d);
  }
}

TEST(Date, ParseIsStrict) {
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  EXPECT_FALSE(parse_iso_date("2024-13-01"));
  EXPECT_FALSE(parse_iso_date("2024-1-01"));
  EXPECT_FALSE(parse_iso_date("24-01-01"));
  EXPECT_FALSE(parse_iso_date("2024/01/01"));
  EXPECT_FALSE(parse_iso_date(""));
}

TEST(Date, MonthArithmeticClampsToMonthEnd) {
  EXPECT_EQ(format_iso_date(add_months(days_from_civil(2024, 1, 31), 1)), "2024-02-29");
  EXPECT_EQ(format_iso_date(add_months(days_from_civil(2023, 1, 31), 1)), "2023-02-28");
  EXPECT_EQ(format_iso_date(add_months(days_from_civil(2024, 3, 31), -1)), "2024-02-29");
  EXPECT_EQ(format_iso_date(add_years(days_from_civil(2024, 2, 29), 1)), "2025-02-28");
}

TEST(Date, AgeInCompletedYears) {
  const Days birth = days_from_civil(1960, 6, 15);
  EXPECT_EQ(age_in_years(birth, days_from_civil(2025, 6, 14)), 64);
  EXPECT_EQ(age_in_years(birth, days_from_civil(2025, 6, 15)), 65);
  const Days leap = days_from_civil(2000, 2, 29);
  EXPECT_EQ(age_in_years(leap, days_from_civil(2001, 2, 28)), 0);
  EXPECT_EQ(age_in_years(leap, days_from_civil(2001, 3, 1)), 1);
}

}  // namespace
}  // namespace severn
