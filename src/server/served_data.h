// What `severn serve` serves, prepared once at start and read-only afterwards (so request threads
// share it without locks):
//   * aggregates: a `severn report` directory over the store (one release under disclosure
//     control, the same figures as the report), built at start when the configured directory does
//     not hold one for this store, and read back into memory;
//   * the library's worklists: the engine's entries (pseudonymous person ids by PCN), joined to
//     who each person is only per request, through the identity area, under the reader's context;
//   * each provider's patient tracking list, pseudonymised likewise until a permitted read;
//   * reference lists for the pages: PCNs, providers, the LSOA map as SVG path data.
// Nothing here computes a figure of its own: the engine, the measures stage and the elective
// library do (docs/serve.md "What the server serves").
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "elective/mutual_aid_list.h"
#include "elective/ptl.h"
#include "engine/worklists.h"
#include "lang/checker.h"
#include "refdata/organisations.h"
#include "server/serve_config.h"
#include "store/store.h"

namespace severn::server {

struct MeasureInfo {
  std::string name, comment, statistic, confidence;
  std::vector<std::string> breakdowns;
  std::string from, to;   // first interval's start, last interval's end (YYYY-MM-DD)
  std::size_t intervals = 0;
  bool inequality = false;  // the measure has a slope index (stats ... sii by)
  // Rows of each published table that belong to this measure: [begin, end).
  std::size_t measures_begin = 0, measures_end = 0, funnels_begin = 0, funnels_end = 0, inequality_begin = 0,
              inequality_end = 0;
};

struct ServedWorklist {
  std::string name;
  const lang::Worklist* worklist = nullptr;            // in ServedDefinition::checked
  std::map<std::string, std::vector<engine::WorklistEntry>> by_pcn;  // PCN code -> people
};

struct ServedDefinition {
  std::string name, title, source, version;
  std::unique_ptr<lang::CheckedDefinition> checked;
  std::vector<MeasureInfo> measures;
  std::optional<CsvTable> measures_csv, funnels_csv, inequality_csv;  // as the report published them
  std::vector<ServedWorklist> worklists;
  const MeasureInfo* find_measure(std::string_view name) const;
  const ServedWorklist* find_worklist(std::string_view name) const;
};

struct ServedProvider {
  std::string code, name;
  elective::PatientTrackingList ptl;  // pseudonymised rows; identities joined per permitted read
};

struct ServedElective {
  bool present = false;  // the store holds a waiting list
  std::optional<CsvTable> monthly, weekly, clock_stops, simulation;
  std::optional<CsvTable> measures_csv, funnels_csv, inequality_csv;  // waits by deprivation
  std::vector<ServedProvider> providers;
  // PIDMAS mutual aid on the PTLs' day, within 100 miles, everyone eligible assumed to ask (the
  // upper bound, as `severn elective mutual-aid` without --opt-in); pseudonymous until a read.
  std::optional<elective::MutualAidList> mutual_aid;
  Days list_date = 0;
  const ServedProvider* find_provider(std::string_view code) const;
};

struct ServedData {
  Days index_date = 0;
  std::string index_date_text;
  std::filesystem::path report;  // the report directory served
  std::vector<ServedDefinition> definitions;  // library order
  ServedElective elective;
  std::vector<refdata::Pcn> pcns;
  std::string map_json;  // {"view_box":..., "areas":[...]} (docs: SERVE API)
  double seconds_report = 0, seconds_worklists = 0, seconds_ptl = 0;
  bool report_built = false;  // false: an existing report for this store was reused
  const ServedDefinition* find_definition(std::string_view name) const;
};

// Prepares everything; `progress` is told of each stage (text). Throws InputError or StoreError
// naming what failed.
std::unique_ptr<ServedData> prepare_served_data(const store::Store& store, const std::filesystem::path& store_dir,
                                                const ServeConfig& config,
                                                const std::function<void(const std::string&)>& progress);

}  // namespace severn::server
