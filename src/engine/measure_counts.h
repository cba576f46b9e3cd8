// What the engine hands up for a definition's measures: exact counts of persons per measure,
// interval, breakdown and group, before any statistic or disclosure control (those are the
// measures stage's, src/measures/). Dates are the interval's first and last day, both included.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "disclosure/release.h"
#include "lang/ast.h"

namespace severn::engine {

// ESP 2013 in 19 bands (0-4, 5-9, ..., 85-89, 90+): the same bands as the age_band group column.
inline constexpr std::size_t kDsrBands = 19;

// The counts behind one row of measures.csv. A dsr measure also keeps them per ESP 2013 age band
// of the age on the interval's last day, and an isr measure per age band and sex (males' bands,
// then females'); persons of unknown age (or, for an isr, sex) are counted in numerator and
// denominator but in no band, so they take no part in the standardised figure.
struct Cell {
  std::uint64_t numerator = 0, denominator = 0;
  std::vector<std::uint64_t> band_numerator, band_denominator;  // standardising_bands(kind) each
  void add(const Cell& other);
};

// How many standardising bands a measure's cells keep: 19 for a dsr, 2 x 19 for an isr, else 0.
inline std::size_t standardising_bands(lang::StatKind kind) {
  return kind == lang::StatKind::kDsr ? kDsrBands : kind == lang::StatKind::kIsr ? 2 * kDsrBands : 0;
}

// The order of a breakdown's groups in the outputs: runs of digits compare as numbers, so
// deciles read 1, 2, ..., 10 and age bands 0-4, 5-9, ..., 85-89, 90+, and other text compares
// byte by byte ("unknown" after the digits). Labels equal as numbers ("01", "1") fall back to
// byte order, so the order is total and every run writes the same rows in the same order.
struct GroupOrder {
  bool operator()(const std::string& a, const std::string& b) const;
};

// One measure on one interval: the whole measure and each breakdown's groups, by label.
struct MeasureTable {
  Cell all;
  std::vector<std::map<std::string, Cell, GroupOrder>> by;  // one per breakdown, in the measure's order
};

// Everything one definition's measures counted, before disclosure control: what a run hands to
// the measures stage. tables[m][k] is measure m on its interval k; breakdowns[m] names the
// breakdowns of tables[m][*].by (the measure's `by` list, plus its `sii by` group when the list
// lacks it).
struct MeasureResults {
  const lang::Definition* definition = nullptr;  // outlives the results
  std::vector<std::vector<std::pair<Days, Days>>> intervals;
  std::vector<std::vector<std::string>> breakdowns;
  std::vector<std::vector<MeasureTable>> tables;
  std::vector<std::string> numerator_meaning, denominator_meaning;  // per measure (engine/measure_meaning.h)
  // Group columns that nest in others among this run's people (PCN in Place, decile in quintile).
  std::vector<disclosure::Nesting> nestings;
};

}  // namespace severn::engine
