#include "elective/geo_distance.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace severn::elective {
namespace {
double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }
}  // namespace

double great_circle_km(LatLon a, LatLon b, double radius_km) {
  const double phi1 = radians(a.latitude), phi2 = radians(b.latitude);
  const double dphi = phi2 - phi1, dlambda = radians(b.longitude - a.longitude);
  const double s1 = std::sin(dphi / 2), s2 = std::sin(dlambda / 2);
  // Clamped: rounding can push h a hair past 1 for antipodal points, and asin would be NaN.
  const double h = std::clamp(s1 * s1 + std::cos(phi1) * std::cos(phi2) * s2 * s2, 0.0, 1.0);
  return 2.0 * radius_km * std::asin(std::sqrt(h));
}

double great_circle_miles(LatLon a, LatLon b) { return great_circle_km(a, b) / kKmPerMile; }

bool plausible_in_great_britain(LatLon p) {
  return p.latitude >= 49.0 && p.latitude <= 61.0 && p.longitude >= -9.0 && p.longitude <= 2.0;
}

}  // namespace severn::elective
