// The ICS report as one self-contained HTML page (inline CSS, inline SVG, a few lines of inline
// script for the map's indicator choice; nothing fetched at view time), built from the outputs
// of `severn run` that sit beside it under data/. docs/report.md describes each section.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/elective_section.h"
#include "report/lsoa_map.h"
#include "report/outputs.h"

namespace severn::report {

struct PcnInfo {
  std::string name, place;
};

struct ReportModel {
  std::string index_date;                     // YYYY-MM-DD
  std::string note;                           // shown in a notice at the top when not empty
  std::vector<DefinitionOutputs> definitions; // the indicators, in report order
  std::optional<DefinitionOutputs> population;  // the registered population (overview), if run
  std::map<std::string, PcnInfo> pcns;        // by PCN code, for names in tables and tooltips
  // Linkage sensitivity (ReportOptions::link_sensitivity): the threshold, what it left out (for
  // people), and each definition published again from the strong links only, in the order of
  // `definitions`. Absent: the page has no such section.
  std::optional<double> min_link_probability;
  std::string link_filter_text;
  std::vector<DefinitionOutputs> strong_definitions;
  // The elective care section (always shown: without a waiting list it says so).
  ElectiveSection elective;
};

// The whole page. Deterministic: the same model and map give the same bytes.
std::string render_report(const ReportModel& model, const LsoaMap& map);

// What a `statistic` column says about units, for axis labels and value text.
struct Units {
  std::string axis;    // "Per cent (%)", "Rate per 100,000 persons", ...
  std::string suffix;  // appended to a value: "%" or " per 100,000"
  std::string gap;     // the unit of a difference, for the SII: "percentage points", ...
  int decimals = 1;    // 0 when unknown: chosen from the values' size
};
Units units_of(const std::string& statistic);

}  // namespace severn::report
