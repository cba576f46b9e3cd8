#include "core/date.h"

#include <gtest/gtest.h>

#include <limits>

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

TEST(Date, TheCalendarsEnds) {
  EXPECT_EQ(kFirstDay, days_from_civil(1, 1, 1));
  EXPECT_EQ(kLastDay, days_from_civil(9999, 12, 31));
  EXPECT_EQ(format_iso_date(kFirstDay), "0001-01-01");
  EXPECT_EQ(format_iso_date(kLastDay), "9999-12-31");
}

// Any Days value converts without overflow; one outside years 0..9999 is written as "????-??-??",
// never as the punctuation that digits of a negative or five-digit year would wrap into.
TEST(Date, DaysFarOffTheCalendarConvertAndPrintSafely) {
  const std::string off_calendar = std::string(4, '?') + "-" + std::string(2, '?') + "-" + std::string(2, '?');
  for (const Days d : {std::numeric_limits<Days>::max(), std::numeric_limits<Days>::min(), kLastDay + 1, kFirstDay - 367}) {
    EXPECT_EQ(format_iso_date(d), off_calendar) << d;
    const CivilDate c = civil_from_days(d);
    EXPECT_TRUE(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31) << d;
  }
  EXPECT_EQ(civil_from_days(std::numeric_limits<Days>::max()).year, 5881580);
  EXPECT_EQ(format_iso_date(kFirstDay - 1), "0000-12-31");  // year 0 is still four digits
}

TEST(Date, CheckedArithmeticIsNullOffTheCalendar) {
  const Days index = days_from_civil(2025, 3, 31);
  EXPECT_EQ(add_days_checked(index, 2147483647), std::nullopt);
  EXPECT_EQ(add_days_checked(index, -2147483647), std::nullopt);
  EXPECT_EQ(add_days_checked(index, std::numeric_limits<std::int64_t>::min()), std::nullopt);
  EXPECT_EQ(add_days_checked(kFirstDay, kLastDay - kFirstDay), kLastDay);
  EXPECT_EQ(add_days_checked(kLastDay, 1), std::nullopt);
  EXPECT_EQ(add_days_checked(kFirstDay, -1), std::nullopt);
  EXPECT_EQ(add_months_checked(index, 2147483647), std::nullopt);
  EXPECT_EQ(add_months_checked(index, std::numeric_limits<std::int64_t>::max()), std::nullopt);
  EXPECT_EQ(add_months_checked(index, -2147483647), std::nullopt);
  EXPECT_EQ(add_months_checked(days_from_civil(2024, 1, 31), 1), days_from_civil(2024, 2, 29));
  EXPECT_EQ(add_months_checked(days_from_civil(9999, 12, 31), -119987), days_from_civil(1, 1, 31));
  EXPECT_EQ(add_months_checked(days_from_civil(9999, 12, 31), -119988), std::nullopt);
  EXPECT_EQ(add_years_checked(index, 999999999), std::nullopt);
  EXPECT_EQ(add_years_checked(index, 7974), days_from_civil(9999, 3, 31));
  EXPECT_EQ(add_years_checked(index, 7975), std::nullopt);
  EXPECT_EQ(add_years_checked(index, -2024), days_from_civil(1, 3, 31));
  EXPECT_EQ(add_years_checked(index, -2025), std::nullopt);
  EXPECT_EQ(add_years_checked(kLastDay + 1, 0), std::nullopt);  // a day already off the calendar
}

}  // namespace
}  // namespace severn
