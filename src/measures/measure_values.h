// The measures stage's results as values: what one release publishes, after statistics and
// disclosure control, for CSV writers, the report and (later) a server to consume in process.
//
// Conventions:
//   * A count is published (exact, or rounded under the policy) or withheld; a withheld count has
//     no number, and why it was withheld is only in the definition's WithheldCounts, never beside
//     the cell (the outputs carry one neutral marker, disclosure::kWithheldMarker).
//   * Every value, limit and index is computed from the counts as published (under the rounded
//     policy) and is NaN when withheld or not computable; `withheld` says which.
//   * Rows are in output order: measure by measure in the definition's order, interval by
//     interval, the whole measure ("all") first, then each breakdown's groups (engine::GroupOrder).
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "disclosure/release.h"
#include "disclosure/suppression.h"
#include "lang/ast.h"
#include "stats/stats.h"

namespace severn::measures {

// One count as published.
struct PublishedCount {
  disclosure::Reason reason = disclosure::Reason::kPublished;
  std::int64_t shown = 0;  // when published: exact, or rounded under the policy; else 0
  bool withheld() const { return reason != disclosure::Reason::kPublished; }
};

// One row of measures.csv: a group (or the whole measure) on one interval.
struct MeasureRow {
  Days start = 0, end = 0;  // both included
  std::string breakdown, group;  // "all", "all" for the whole measure
  PublishedCount numerator, denominator;
  // Value and limits withheld because a count beside them is.
  bool withheld = false;
  double value = NAN, lower = NAN, upper = NAN;
  stats::Method method = stats::Method::kNone;  // kNone when there is no value
  std::string note;  // why there is no value, or what it rests on ("expected 12.3"); "" if withheld
};

// One row of funnels.csv: a group against the whole measure's value (proportions and crude rates).
struct FunnelRow {
  Days start = 0, end = 0;
  std::string breakdown, group;
  PublishedCount numerator, denominator;
  bool value_withheld = false;   // the group's counts are withheld
  bool limits_withheld = false;  // the group's or the whole measure's counts are: target, limits
                                 // and significance are withheld
  double value = NAN, target = NAN, lower_95 = NAN, upper_95 = NAN, lower_99_8 = NAN, upper_99_8 = NAN;
  std::string significance;  // stats::funnel_significance_text, or "" when not computable
  std::string note;
};

enum class InequalityIndex { kSii, kRii };
inline const char* index_name(InequalityIndex i) { return i == InequalityIndex::kSii ? "sii" : "rii"; }

// One row of inequality.csv: the slope or relative index of inequality of one interval.
struct InequalityRow {
  Days start = 0, end = 0;
  std::string breakdown;  // the deprivation column the index is taken across
  InequalityIndex index = InequalityIndex::kSii;
  bool withheld = false;  // a quantile's counts are withheld
  double value = NAN, lower = NAN, upper = NAN;
  std::string method;  // how it was computed, "" when it was not
  std::string note;    // why it was not computed or is withheld
};

// One measure's published results.
struct MeasureValues {
  const lang::Measure* measure = nullptr;  // in the definition the values were computed for
  std::string name;
  std::string statistic;   // lang::statistic_text: "proportion per 100", "rate per 100000", ...
  std::string confidence;  // lang::confidence_text: "95%"
  std::vector<MeasureRow> rows;
  std::vector<FunnelRow> funnels;
  std::vector<InequalityRow> inequality;
};

// Cells withheld, by reason: run.json only. The outputs themselves carry one neutral marker
// (disclosure::kWithheldMarker) and never say why.
struct WithheldCounts {
  std::uint64_t numerator_small = 0, numerator_derivable = 0;  // cells of measures.csv
  std::uint64_t denominator_small = 0, denominator_derivable = 0;
  std::uint64_t values_withheld = 0;   // measures.csv rows whose value and limits are withheld
  std::uint64_t indices_withheld = 0;  // inequality.csv rows withheld
};

// One definition's published results.
struct DefinitionValues {
  const lang::Definition* definition = nullptr;
  std::string label;  // names the definition in the audit
  std::vector<MeasureValues> measures;  // in the definition's order
  WithheldCounts withheld;
  std::uint64_t measure_rows() const;
  std::uint64_t funnel_rows() const;
  std::uint64_t inequality_rows() const;
};

// Everything one release publishes: one decision and one audit over all its definitions.
struct ReleaseValues {
  bool disclosure_control = true;  // false only by an explicit --no-disclosure-control
  disclosure::Policy policy;
  std::string release_ledger;  // the ledger audited against and appended to, "" for none
  disclosure::AuditSummary audit;  // when disclosure control is on
  std::vector<DefinitionValues> definitions;  // in the order given to publish()
};

}  // namespace severn::measures
