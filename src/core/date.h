// Calendar dates as days since 1970-01-01 (proleptic Gregorian), stored in int32.
// Every date in Severn, in memory and in the store, uses this convention.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace severn {

using Days = std::int32_t;  // days since 1970-01-01

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

Days days_from_civil(int year, int month, int day);
CivilDate civil_from_days(Days days);
bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_civil(int year, int month, int day);

// Strict ISO 8601 calendar date "YYYY-MM-DD"; nullopt for anything else (including 2023-02-29).
std::optional<Days> parse_iso_date(std::string_view text);
std::string format_iso_date(Days days);
// Writes exactly 10 characters "YYYY-MM-DD" to out (years 0..9999).
void write_iso_date(Days days, char* out);

// Adds calendar months; a day past the end of the target month is clamped to its last day
// (2024-01-31 + 1 month = 2024-02-29).
Days add_months(Days days, int months);
Days add_years(Days days, int years);

// Completed years of age on `on` for someone born on `birth` (a 29 February birthday is reached
// on 1 March in non-leap years).
int age_in_years(Days birth, Days on);

}  // namespace severn
