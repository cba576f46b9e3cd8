// Great-circle distances between points given in WGS84 latitude and longitude (decimal degrees),
// for mutual aid: how far a patient's home area (an LSOA centroid) is from a provider's site.
// The haversine formula on a sphere of the Earth's mean radius; the spherical model is within
// about 0.5% of the ellipsoidal distance, which is far below what a 50- or 100-mile PIDMAS
// travel radius can resolve. Straight-line distance, not road distance or travel time.
#pragma once

namespace severn::elective {

struct LatLon {
  double latitude = 0;   // degrees north, -90..90
  double longitude = 0;  // degrees east, -180..180
};

// IUGG mean Earth radius R1 = (2a + b) / 3 of WGS84, in kilometres.
inline constexpr double kEarthMeanRadiusKm = 6371.0088;
// The international mile (1959): exactly 1.609344 km.
inline constexpr double kKmPerMile = 1.609344;

// Haversine great-circle distance in kilometres on a sphere of `radius_km`.
double great_circle_km(LatLon a, LatLon b, double radius_km = kEarthMeanRadiusKm);
// The same in international miles, on the mean radius.
double great_circle_miles(LatLon a, LatLon b);
// A point a Great Britain reference table may hold: latitude 49..61 N, longitude 9 W..2 E. Used to
// catch swapped or mistyped coordinates when a table is read.
bool plausible_in_great_britain(LatLon p);

}  // namespace severn::elective
