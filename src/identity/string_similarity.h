// String comparators for names and identifiers. All work on bytes (callers normalise case and
// accents first); all are symmetric.
#pragma once
#include <string_view>

namespace severn::identity {

// Jaro similarity (Jaro 1989, J. Am. Stat. Assoc. 84:414-420): with m characters matching within
// a window of floor(max(|a|,|b|)/2) - 1 and t half-transpositions / 2,
//   jaro = (m/|a| + m/|b| + (m - t)/m) / 3, and 0 when m = 0.
// Two empty strings are identical (1); an empty against a non-empty string scores 0.
double jaro(std::string_view a, std::string_view b);

// Jaro-Winkler (Winkler 1990, "String Comparator Metrics and Enhanced Decision Rules in the
// Fellegi-Sunter Model of Record Linkage", Proc. Section on Survey Research Methods, ASA,
// 354-359): jaro + l * p * (1 - jaro), with l the common prefix length (at most 4) and p = 0.1.
// This is the basic form that Splink and most libraries use, without strcmp95's extra
// adjustments for similar characters and long strings.
double jaro_winkler(std::string_view a, std::string_view b, double prefix_scale = 0.1);

// Optimal string alignment distance (Damerau 1964 restricted form): insertions, deletions,
// substitutions and transpositions of adjacent characters, each costing 1, with no substring
// edited twice. Returns max_distance + 1 as soon as the distance must exceed max_distance, so
// a bound of 1 or 2 costs O(|a| * band) rather than O(|a| * |b|).
int bounded_osa_distance(std::string_view a, std::string_view b, int max_distance);

// True when b is a with exactly one pair of adjacent characters swapped ("1234" / "1324").
bool is_adjacent_transposition(std::string_view a, std::string_view b);

// True when a and b have the same length and differ in exactly one position.
bool differs_in_one_position(std::string_view a, std::string_view b);

}  // namespace severn::identity
