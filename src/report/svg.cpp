#include "report/svg.h"

#include <algorithm>
#include <cstdio>

namespace severn::report::svg {

double Scale::operator()(double v) const {
  if (d1 == d0) return (r0 + r1) / 2;
  return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
}

Axis nice_axis(double lo, double hi, int target) {
  Axis a;
  if (missing(lo) || missing(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / power;
  const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
  a.step = step;
  a.lo = std::floor(lo / step + 1e-9) * step;
  a.hi = std::ceil(hi / step - 1e-9) * step;
  for (double t = a.lo; t <= a.hi + step * 1e-6; t += step) a.ticks.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return a;
}

int decimals_for(double magnitude) {
  magnitude = std::abs(magnitude);
  if (magnitude >= 100) return 0;
  if (magnitude >= 10) return 1;
  if (magnitude >= 1) return 2;
  return 3;
}

std::string number(double v, int decimals) {
  if (missing(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s.erase(0, s[0] == '-' ? 1 : 0);
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t point = s.find('.');
  if (point == std::string::npos) point = s.size();
  for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(point) - 3; i > static_cast<std::ptrdiff_t>(start); i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string coord(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string line_path(const std::vector<double>& x, const std::vector<double>& y) {
  std::string d;
  bool in_run = false;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (missing(y[i]) || missing(x[i])) {
      in_run = false;
      continue;
    }
    const bool next_present = i + 1 < y.size() && !missing(y[i + 1]) && !missing(x[i + 1]);
    if (!in_run && !next_present) continue;  // a lone point: no segment
    if (!d.empty()) d += ' ';
    d += (in_run ? "L" : "M") + coord(x[i]) + ' ' + coord(y[i]);
    in_run = true;
  }
  return d;
}

std::string band_path(const std::vector<double>& x, const std::vector<double>& lower, const std::vector<double>& upper) {
  std::string d;
  std::size_t i = 0;
  const auto present = [&](std::size_t k) { return !missing(x[k]) && !missing(lower[k]) && !missing(upper[k]); };
  while (i < x.size()) {
    if (!present(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < x.size() && present(j + 1)) ++j;
    if (j > i) {
      if (!d.empty()) d += ' ';
      d += "M" + coord(x[i]) + ' ' + coord(upper[i]);
      for (std::size_t k = i + 1; k <= j; ++k) d += " L" + coord(x[k]) + ' ' + coord(upper[k]);
      for (std::size_t k = j + 1; k-- > i;) d += " L" + coord(x[k]) + ' ' + coord(lower[k]);
      d += " Z";
    }
    i = j + 1;
  }
  return d;
}

int equal_interval_class(double v, double lo, double hi, int classes) {
  if (missing(v)) return -1;
  if (hi <= lo) return classes / 2;
  const int c = static_cast<int>(std::floor((v - lo) / (hi - lo) * classes));
  return std::clamp(c, 0, classes - 1);
}

}  // namespace severn::report::svg
