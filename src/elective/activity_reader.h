// The clock engine over whole tables: wl_activity (and wl_pathways, to reconcile) as columns,
// grouped by pathway number, derived and reconciled pathway by pathway on several threads.
// The columns come from a store (activity_columns(), reported_columns()) or, in tests and
// benchmarks, from vectors. Dates are days since 1970-01-01.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "elective/clock_finding.h"
#include "elective/clock_period.h"

namespace severn::store {
class Store;
}

namespace severn::elective {

// A category (or nullable date/int) column: values, an optional validity bitmap (bit r set = row
// r has a value; nullptr = every row has one), and for categories the id -> text dictionary.
struct CategoryColumn {
  std::span<const std::uint32_t> ids;
  const std::uint8_t* validity = nullptr;
  std::vector<std::string_view> dictionary;
  bool has(std::size_t row) const { return validity == nullptr || ((validity[row >> 3] >> (row & 7)) & 1U) != 0; }
  std::string_view text(std::size_t row) const { return has(row) ? dictionary[ids[row]] : std::string_view{}; }
};
struct NullableInt32Column {
  std::span<const std::int32_t> values;
  const std::uint8_t* validity = nullptr;
  bool has(std::size_t row) const { return validity == nullptr || ((validity[row >> 3] >> (row & 7)) & 1U) != 0; }
};

// wl_activity's columns (docs/data-model.md, wlmds/rtt_activity.csv). `person_offsets` (persons
// + 1) says whose each row is; the rows of one person are in activity_date order.
struct ActivityColumns {
  std::span<const std::uint64_t> person_offsets;
  std::span<const std::int32_t> pathway, activity_date, treatment_function;
  CategoryColumn provider, activity_type, rtt_status, validation_outcome, removal_reason, transfer_provider;
  std::size_t rows() const { return pathway.size(); }
};

// wl_pathways' columns (wlmds/rtt_pathways.csv): one row per reported period at a provider.
struct ReportedColumns {
  std::span<const std::uint64_t> person_offsets;
  std::span<const std::int32_t> pathway, rtt_period, treatment_function, clock_start;
  NullableInt32Column clock_stop, removal_date;
  CategoryColumn provider, rtt_status, removal_reason, priority, waiting_list_type;
  std::size_t rows() const { return pathway.size(); }
};

struct ClockRun {
  std::vector<ClockPeriod> periods;  // by pathway number, then in derivation order
  std::vector<Finding> findings;     // by pathway number: activity anomalies, then reconciliation
  std::uint64_t pathways = 0;        // pathway numbers with activity or a reported period
  std::uint64_t activity_rows = 0, reported_rows = 0;
  std::uint64_t rows_without_pathway = 0;  // a negative pathway number: not derivable (counted, skipped)
  unsigned threads = 1;
};

// Derives every pathway's periods from `activity` and, when `reported` is given, reconciles
// them with it. Rows are grouped by pathway number across persons (a pathway whose two
// providers' records link to different persons stays one pathway); a period's person is the
// person of its pathway's first activity row (of its first reported row when it has no
// activity). threads = 0: all cores.
ClockRun derive_clocks(const ActivityColumns& activity, const ReportedColumns* reported, unsigned threads);

// The store's wl_activity / wl_pathways as columns (views into the store, which must outlive
// them). Throws InputError with a clear message when the store has no wl_activity table or its
// wl_pathways predates the pathway-level columns (pathway, rtt_period, removal_date, ...).
ActivityColumns activity_columns(const store::Store& store);
ReportedColumns reported_columns(const store::Store& store);

// The store's clock periods as Severn derives them from the activity (for the snapshot labelled
// "derived"), each with the reported priority of the period it matched. threads = 0: all cores.
std::vector<ClockPeriod> derive_clock_periods(const store::Store& store, unsigned threads = 0);
// Derivation and reconciliation of a whole store.
ClockRun run_clocks(const store::Store& store, unsigned threads = 0);

}  // namespace severn::elective
