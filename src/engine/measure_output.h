// The aggregate outputs of `severn run`, from the counts the evaluator gathered:
//   measures.csv    every measure, interval, breakdown and group: numerator, denominator, the
//                   measure's statistic (value, lower and upper limits, method) and a note saying
//                   why anything is withheld;
//   funnels.csv     each group of each breakdown against the measure's overall value, with 95%
//                   and 99.8% funnel-plot control limits at the group's denominator (proportions
//                   and crude rates);
//   inequality.csv  the slope and relative index of inequality across deprivation deciles or
//                   quintiles, for measures that ask for `sii by ...`.
// Disclosure control (docs/disclosure.md) is applied to all three unless it is switched off.
// Counts are persons. Dates are the interval's first and last day, both included.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "disclosure/release.h"
#include "disclosure/suppression.h"
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

struct OutputOptions {
  bool disclosure_control = true;  // false only by an explicit --no-disclosure-control
  disclosure::Policy policy;
  std::vector<double> esp2013;  // the 19 standard population weights, when a measure is a dsr
  int sii_repetitions = 100000;
  std::uint64_t sii_seed = 1;
  unsigned threads = 1;
};

// Cells withheld, by reason: run.json only. The outputs themselves carry one neutral marker
// (disclosure::kWithheldMarker) and never say why.
struct WithheldCounts {
  std::uint64_t numerator_small = 0, numerator_derivable = 0;      // cells of measures.csv
  std::uint64_t denominator_small = 0, denominator_derivable = 0;
  std::uint64_t values_withheld = 0;   // measures.csv rows whose value and limits are withheld
  std::uint64_t indices_withheld = 0;  // inequality.csv rows withheld
};

struct OutputSummary {
  std::uint64_t measure_rows = 0, funnel_rows = 0, inequality_rows = 0;
  WithheldCounts withheld;
};

// Everything one definition's measures counted, before disclosure control: what a run hands to
// the output stage. tables[m][k] is measure m on its interval k; breakdowns[m] names the
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

// Where one definition's series sit in a release: [m][k] -> numerator and denominator series.
struct SeriesRefs {
  std::size_t numerator = 0, denominator = 0;
};

// Adds a definition's tables to a release as series of one family (for identities between its
// measures); `label` names the definition in the audit's messages.
std::vector<std::vector<SeriesRefs>> add_series(disclosure::Release& release, std::size_t family,
                                                const std::string& label, const MeasureResults& results);

// Writes measures.csv, funnels.csv and inequality.csv. With disclosure control, `decision` is the
// release's decision and `refs` where this definition's series are in it; without, both are unused
// and counts are exact.
OutputSummary write_measure_outputs(const std::filesystem::path& out, const MeasureResults& results,
                                    const OutputOptions& options, const disclosure::ReleaseDecision* decision,
                                    const std::vector<std::vector<SeriesRefs>>& refs);

// JSON object of the counts withheld, for run.json.
std::string withheld_json(const WithheldCounts& w);

}  // namespace severn::engine
