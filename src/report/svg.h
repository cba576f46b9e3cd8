// Small SVG drawing helpers for the ICS report: linear scales with readable ticks, number text,
// paths that leave gaps where a value is missing, and the accessible palettes the charts use.
// Everything is plain text in, SVG text out: no state, so each helper is tested on its own
// (tests/report/svg_test.cpp). A missing value is NaN throughout and is never drawn as zero.
#pragma once
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace severn::report::svg {

inline bool missing(double v) { return !std::isfinite(v); }

// Maps the domain [d0, d1] onto the range [r0, r1] linearly (r1 < r0 for a y axis, whose pixels
// grow downwards). A zero-width domain maps every value to the range's middle.
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const;
};

// A domain that holds [lo, hi] with round ends, and the round ticks inside it (about `target`
// of them, steps of 1, 2 or 5 times a power of ten). lo == hi widens to a visible span.
struct Axis {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> ticks;
};
Axis nice_axis(double lo, double hi, int target = 5);

// Decimal places that tell values of this size apart: 0 from 100, 1 from 10, 2 from 1, else 3.
int decimals_for(double magnitude);
// v with `decimals` places, thousands separated by commas ("12,345.6"); "" for NaN.
std::string number(double v, int decimals);
// v in SVG coordinates: at most 1 decimal, no trailing zeros ("12.5", "-3", "0").
std::string coord(double v);

// Text escaped for SVG/HTML element content and attribute values.
std::string escape(std::string_view text);

// A polyline through (x[i], y[i]) as path data ("M x y L x y ..."), broken wherever y is missing:
// each run of present points is its own subpath, so a withheld month is a gap. A run of one point
// gives no segment (draw_points marks it). x and y must have the same length.
std::string line_path(const std::vector<double>& x, const std::vector<double>& y);

// A band between lower and upper as closed polygons, one per run of points where both limits are
// present (a run of one point gives nothing).
std::string band_path(const std::vector<double>& x, const std::vector<double>& lower, const std::vector<double>& upper);

// Colour-blind-safe colours. Categorical: Okabe & Ito (2008). Sequential: viridis (van der Walt
// and Smith, matplotlib), legible in greyscale and to the common colour-vision deficiencies.
namespace colour {
inline constexpr std::string_view kNhsBlue = "#005EB8";
inline constexpr std::string_view kNhsDarkBlue = "#003087";
inline constexpr std::string_view kText = "#212B32";
inline constexpr std::string_view kGrid = "#D8DDE0";
inline constexpr std::string_view kAxis = "#4C6272";
inline constexpr std::string_view kBand = "#A6C8EC";
inline constexpr std::string_view kAbove = "#D55E00";    // Okabe-Ito vermilion
inline constexpr std::string_view kBelow = "#0072B2";    // Okabe-Ito blue
inline constexpr std::string_view kWithin = "#7A8A94";
inline constexpr std::string_view kReference = "#E69F00"; // Okabe-Ito orange
inline constexpr std::string_view kMissing = "#FFFFFF";
// viridis at 10 evenly spaced points, dark (first) to light (last).
inline constexpr std::array<std::string_view, 10> kViridis10 = {
    "#440154", "#482878", "#3E4989", "#31688E", "#26828E", "#1F9E89", "#35B779", "#6ECE58", "#B5DE2B", "#FDE725"};
}  // namespace colour

// The class (0 .. classes - 1) of v among `classes` equal intervals of [lo, hi]; -1 when v is
// missing. hi == lo puts every present value in the middle class.
int equal_interval_class(double v, double lo, double hi, int classes);

}  // namespace severn::report::svg
