// `severn report`: the ICS report. Evaluates each definition (by default the whole built-in
// library) over a store, puts all their measures through disclosure control as one release (one
// audit over everything the report publishes), writing each definition's aggregate outputs to
// OUT/data/NAME/ (definition.sev, measures.csv, funnels.csv, inequality.csv, run.json; the
// record-level dataset.csv is removed: the report is for sharing), the registered population for
// the overview to OUT/data/report_population/, and then OUT/index.html (report/html.h), built
// from the published values in memory (the files are for the page's readers, not read back).
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "disclosure/release.h"
#include "report/html.h"
#include "store/store.h"

namespace severn::report {

struct ReportOptions {
  std::filesystem::path out;
  Days index_date = 0;
  std::string index_date_source;  // why that date, for each run.json
  // "library:NAME" or .sev paths; empty: every library definition, in name order.
  std::vector<std::string> definitions;
  unsigned threads = 0;   // 0: all cores
  std::string data_dir;   // reference pack ("" : $SEVERN_DATA, else ../shared/data)
  std::string note;       // shown at the top of the page when not empty
  int sii_repetitions = 100000;
  // Disclosure control (always on in a report): the policy, and a release ledger to audit against
  // and append to ("": none).
  disclosure::Policy policy;
  std::filesystem::path release_ledger;
  // Linkage sensitivity (docs/linkage-uncertainty.md): evaluate every definition a second time
  // without the partner records linked below this probability, publish both in the one release,
  // write OUT/data/NAME/linkage_sensitivity.csv and a section of the page. nullopt: not asked for.
  std::optional<double> link_sensitivity;
  // The elective section (report/elective_section.h): simulation runs per scenario for its fan
  // charts (0: no simulation). The section is there whenever the store holds a waiting list.
  std::size_t elective_runs = 200;
  // Called after each definition has run: its name and seconds (for the command's progress).
  std::function<void(const std::string&, double)> progress;
};

struct ReportSummary {
  std::filesystem::path html;
  std::size_t definitions = 0, measures = 0;
  std::uint64_t html_bytes = 0;
  double seconds_runs = 0, seconds_html = 0;
  double seconds_publish = 0;          // disclosure control, audit and writing the aggregates
  disclosure::AuditSummary audit;      // of the whole report, one release
  // With ReportOptions::link_sensitivity: what the view without weak links left out, and the
  // second pass's time (included in seconds_runs).
  std::optional<store::LinkFilter> link_filter;
  double seconds_link_sensitivity = 0;
  bool elective = false;                        // the store had a waiting list: the section has charts
  double seconds_elective_snapshot = 0, seconds_elective_simulation = 0;
  std::string elective_audit;                   // the snapshot release's audit line
};

ReportSummary build_report(const store::Store& store, const ReportOptions& options);

// The directory name under data/ of a definition: the library name, or the file's stem.
std::string definition_dir_name(const std::string& definition);

// The STW LSOA map from the reference pack.
LsoaMap load_pack_map(const std::string& data_dir);

}  // namespace severn::report
