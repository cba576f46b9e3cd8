// Argument checks shared by the methods (private to the stats library).
#pragma once
#include <cmath>
#include <limits>
#include <string>

#include "stats/stats.h"

namespace severn::stats::detail {

inline bool missing(double x) { return std::isnan(x); }

std::string number_text(double x);  // shortest text that reads back as x

// confidence in [0.9, 1], as PHEindicatormethods requires.
void check_confidence(double confidence);
// Not missing-checked: a NaN passes (it means "missing"); a negative or infinite number throws.
void check_non_negative(double x, const char* argument);
// multiplier: finite and greater than 0.
void check_multiplier(double multiplier);

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace severn::stats::detail
