// The report's elective care section (docs/report.md, "Elective care"): the provider's reported RTT
// waiting list (wl_pathways) at each month end, the share waiting over 18 weeks by IMD quintile,
// long waiters by treatment function, and the simulation's scenarios to March 2029.
//
// Where each figure comes from, and how it is controlled:
// - list size, within 18 weeks, over 52/65 weeks: `severn elective snapshot`'s own outputs
//   (elective/snapshot_output.h) written to OUT/data/elective/ under the report's disclosure
//   policy (disclosure::control: counts 1-7 withheld, others rounded, then audited). They are their
//   own release (the snapshot's provider x treatment function tables), audited on their own, and
//   the section shows exactly what snapshot.csv publishes (read back from it);
// - by IMD quintile: a small definition (elective_definition_text) run in the report's one pass
//   and published in the report's single audited release, with Wilson intervals;
// - the scenarios: shares within 18 weeks simulated from the published model (quantiles over runs;
//   model outputs, not counts of people).
// Dates are days since 1970-01-01; a month end is the month's last day.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "disclosure/suppression.h"
#include "report/outputs.h"
#include "store/store.h"

namespace severn::report {

inline constexpr const char* kElectiveDir = "elective";
inline constexpr const char* kElectiveMeasure = "waiting_over_18_weeks";

// One published count: nullopt when withheld by disclosure control (a gap, never zero).
using PublishedCount = std::optional<std::int64_t>;

struct ElectiveMonth {
  Days date = 0;
  PublishedCount incomplete, within_18_weeks, over_52_weeks, over_65_weeks;
  // within_18_weeks / incomplete from the published counts; NaN when either is withheld.
  double share_within_18_weeks() const;
};

struct LongWaiters {
  int treatment_function = 0;
  PublishedCount incomplete, over_52_weeks, over_65_weeks;
};

struct ScenarioFan {
  std::string name;
  std::vector<Days> months;             // month ends after the census, to the horizon
  std::vector<double> median, p5, p95;  // share within 18 weeks, 0..1
};

struct ElectiveSection {
  // False: the store has no waiting list (no wl_pathways table, or no rows); `reason` says which.
  bool has_list = false;
  std::string reason = "The store has no waiting list.";
  std::vector<std::string> notes;       // e.g. the store predates the WLMDS columns
  std::vector<ElectiveMonth> months;    // every month end of the history, ascending
  std::vector<LongWaiters> by_function; // at the last month end, ascending treatment function
  std::string snapshot_audit;           // the snapshot release's audit line
  std::optional<DefinitionOutputs> by_person;  // the IMD definition's published values
  std::size_t runs = 0;                 // simulation runs (0: not run)
  Days census = 0;                      // the simulation's start
  std::vector<ScenarioFan> scenarios;
  double seconds_snapshot = 0, seconds_simulation = 0;
};

// Whether the store holds a waiting list; if not, why not (for the page).
bool has_waiting_list(const store::Store& store, std::string* reason);

// The person-level definition the report runs for the IMD bars: people on the reported list at the
// month end `month_end` and the share of them waiting over 18 weeks on any open pathway, by IMD
// quintile (Wilson intervals), for that one month.
std::string elective_definition_text(Days month_end);

// The last month end on or before `day`.
Days last_month_end_on_or_before(Days day);

struct ElectiveOptions {
  std::filesystem::path dir;  // OUT/data/elective/
  Days to = 0;                // the data's end (the report's index date)
  disclosure::Policy policy;
  std::size_t runs = 200;     // simulation runs per scenario; 0 skips the simulation
  std::uint64_t seed = 20290331;
  unsigned threads = 2;
  Days horizon = 0;           // last month end simulated (default 2029-03-31 when 0)
};

// Writes snapshot.csv, weekly_snapshot.csv, clock_stops.csv, snapshot.json and (runs > 0)
// simulation.csv to options.dir, and returns the section's published figures.
ElectiveSection build_elective_section(const store::Store& store, const ElectiveOptions& options);

// Simulates the list from its fitted models under the default scenarios (options.runs runs each),
// writes options.dir/simulation.csv and fills section.scenarios; a model that cannot be fitted
// leaves a note instead.
void add_elective_simulation(const store::Store& store, const ElectiveOptions& options, ElectiveSection& section);

// The section as HTML (<section id="elective">...).
std::string render_elective_section(const ElectiveSection& section);

}  // namespace severn::report
