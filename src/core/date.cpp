#include "core/date.h"

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
  int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
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

Days add_months(Days days, int months) {
  const CivilDate c = civil_from_days(days);
  int total = c.year * 12 + (c.month - 1) + months;
  const int y = total / 12;
  const int m = total % 12 + 1;
  const int d = c.day <= days_in_month(y, m) ? c.day : days_in_month(y, m);
  return days_from_civil(y, m, d);
}

Days add_years(Days days, int years) { return add_months(days, 12 * years); }

int age_in_years(Days birth, Days on) {
  const CivilDate b = civil_from_days(birth);
  const CivilDate o = civil_from_days(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

}  // namespace severn
