#include "core/date.h"

#include <algorithm>
#include <cstdio>

namespace severn {

// Era-based conversion between civil dates and a day count (the standard 400-year-cycle method).
Days days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Days>(era * 146097 + static_cast<int>(doe) - 719468);
}

CivilDate civil_from_days(Days z0) {
  // In 64 bits: z0 + 719468 passes int32 near its top.
  const std::int64_t z = std::int64_t{z0} + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400);
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

bool is_valid_civil(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<Days> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (!is_valid_civil(y, m, d)) return std::nullopt;
  return days_from_civil(y, m, d);
}

void write_iso_date(Days days, char* out) {
  const CivilDate c = civil_from_days(days);
  if (c.year < 0 || c.year > 9999) {
    for (int i = 0; i < 10; ++i) out[i] = i == 4 || i == 7 ? '-' : '?';
    return;
  }
  int y = c.year;
  out[3] = static_cast<char>('0' + y % 10); y /= 10;
  out[2] = static_cast<char>('0' + y % 10); y /= 10;
  out[1] = static_cast<char>('0' + y % 10); y /= 10;
  out[0] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + c.month / 10);
  out[6] = static_cast<char>('0' + c.month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + c.day / 10);
  out[9] = static_cast<char>('0' + c.day % 10);
}

std::string format_iso_date(Days days) {
  std::string s(10, ' ');
  write_iso_date(days, s.data());
  return s;
}

namespace {

// The month `months` after the month of `days`, the day clamped to its length; the year is
// computed in 64 bits and returned for the caller to judge.
std::int64_t shifted_year(Days days, std::int64_t months, int& month, int& day) {
  const CivilDate c = civil_from_days(days);
  const std::int64_t total = std::int64_t{c.year} * 12 + (c.month - 1) + months;
  const std::int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);  // floor
  month = static_cast<int>(total - y * 12) + 1;
  day = c.day;
  return y;
}

}  // namespace

Days add_months(Days days, int months) {
  int m = 0, d = 0;
  const auto y = static_cast<int>(shifted_year(days, months, m, d));
  return days_from_civil(y, m, std::min(d, days_in_month(y, m)));
}

Days add_years(Days days, int years) { return add_months(days, 12 * years); }

std::optional<Days> add_days_checked(Days days, std::int64_t n) {
  // Both bounds first, so that the sum cannot overflow.
  if (!in_calendar(days) || n > std::int64_t{kLastDay} - kFirstDay || n < std::int64_t{kFirstDay} - kLastDay)
    return std::nullopt;
  const std::int64_t r = std::int64_t{days} + n;
  if (!in_calendar(r)) return std::nullopt;
  return static_cast<Days>(r);
}

std::optional<Days> add_months_checked(Days days, std::int64_t months) {
  constexpr std::int64_t kSpan = 10000 * 12;  // more than the calendar holds either way
  if (!in_calendar(days) || months > kSpan || months < -kSpan) return std::nullopt;
  int m = 0, d = 0;
  const std::int64_t y = shifted_year(days, months, m, d);
  if (y < 1 || y > 9999) return std::nullopt;
  const int year = static_cast<int>(y);
  return days_from_civil(year, m, std::min(d, days_in_month(year, m)));
}

std::optional<Days> add_years_checked(Days days, std::int64_t years) {
  if (years > 10000 || years < -10000) return std::nullopt;
  return add_months_checked(days, years * 12);
}

int age_in_years(Days birth, Days on) {
  const CivilDate b = civil_from_days(birth);
  const CivilDate o = civil_from_days(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

}  // namespace severn
