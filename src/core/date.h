// Calendar dates as days since 1970-01-01 (proleptic Gregorian), stored in int32.
// Every date in Severn, in memory and in the store, uses this convention.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace severn {

using Days = std::int32_t;  // days since 1970-01-01

// The calendar Severn reads, computes and writes in: four-digit years, 0001-01-01 to 9999-12-31.
inline constexpr Days kFirstDay = -719162;  // 0001-01-01
inline constexpr Days kLastDay = 2932896;   // 9999-12-31
inline constexpr bool in_calendar(std::int64_t days) { return days >= kFirstDay && days <= kLastDay; }

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

Days days_from_civil(int year, int month, int day);
// Any Days value, in or out of the calendar (no overflow).
CivilDate civil_from_days(Days days);
bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_civil(int year, int month, int day);

// Strict ISO 8601 calendar date "YYYY-MM-DD"; nullopt for anything else (including 2023-02-29).
std::optional<Days> parse_iso_date(std::string_view text);
std::string format_iso_date(Days days);
// Writes exactly 10 characters "YYYY-MM-DD" to out (years 0..9999); a day outside those years,
// which no computation of Severn's produces, as "????-??-??" rather than as digits that wrap.
void write_iso_date(Days days, char* out);

// Adds calendar months; a day past the end of the target month is clamped to its last day
// (2024-01-31 + 1 month = 2024-02-29).
// For days and results in the calendar (synthetic data, interval bounds): see the checked forms.
Days add_months(Days days, int months);
Days add_years(Days days, int years);

// Date arithmetic of the definition language: nullopt when `days` or the result is outside
// kFirstDay..kLastDay, whatever the amount (docs/language.md, "Limits and overflow").
std::optional<Days> add_days_checked(Days days, std::int64_t n);
std::optional<Days> add_months_checked(Days days, std::int64_t months);
std::optional<Days> add_years_checked(Days days, std::int64_t years);

// Completed years of age on `on` for someone born on `birth` (a 29 February birthday is reached
// on 1 March in non-leap years).
int age_in_years(Days birth, Days on);

}  // namespace severn
