// Reads a synthetic extract's wlmds/rtt_activity.csv and rtt_pathways.csv (docs/data-model.md)
// straight into the clock engine's columns, numbering pathways by patient_pathway_id as the
// store does, and its truth/rtt_reporting_errors.csv: so the engine can be checked against the
// synthetic ground truth with or without a store.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "clock_columns_support.h"
#include "core/csv_table.h"

namespace severn::elective::testing {

struct ExtractClocks {
  ActivityTable activity;
  ReportedTable reported;
  std::vector<std::string> ppi;  // patient_pathway_id by pathway number
};

inline Days date_or_open(const std::string& text) {
  if (text.empty()) return kStillOpen;
  const auto d = parse_iso_date(text);
  if (!d) throw std::runtime_error("not a date: " + text);
  return *d;
}

// Every row belongs to person 0: the engine groups by pathway, not by person.
inline void read_extract(const std::filesystem::path& dir, ExtractClocks& x) {
  std::map<std::string, std::int32_t> number;
  auto pathway = [&](const std::string& id) {
    const auto [it, added] = number.emplace(id, static_cast<std::int32_t>(x.ppi.size()));
    if (added) x.ppi.push_back(id);
    return it->second;
  };
  const CsvTable a = CsvTable::read_file(dir / "wlmds/rtt_activity.csv");
  const std::size_t ap = a.column("patient_pathway_id"), apr = a.column("provider_code"), ad = a.column("activity_date"),
                    at = a.column("activity_type"), as = a.column("rtt_status"), atf = a.column("treatment_function_code"),
                    av = a.column("validation_outcome"), ar = a.column("removal_reason"),
                    ax = a.column("transfer_provider_code");
  for (std::size_t r = 0; r < a.rows(); ++r)
    x.activity.add(0, pathway(a.cell(r, ap)), date_or_open(a.cell(r, ad)), a.cell(r, at), a.cell(r, as), a.cell(r, apr),
                   a.cell(r, av), a.cell(r, ar), a.cell(r, ax), std::stoi(a.cell(r, atf)));
  const CsvTable p = CsvTable::read_file(dir / "wlmds/rtt_pathways.csv");
  const std::size_t pp = p.column("patient_pathway_id"), ppr = p.column("provider_code"), pper = p.column("rtt_period"),
                    ps = p.column("clock_start_date"), pst = p.column("clock_stop_date"), pss = p.column("rtt_status"),
                    prd = p.column("removal_date"), prr = p.column("removal_reason"), ppri = p.column("priority");
  for (std::size_t r = 0; r < p.rows(); ++r)
    x.reported.add(0, pathway(p.cell(r, pp)), std::stoi(p.cell(r, pper)), date_or_open(p.cell(r, ps)),
                   date_or_open(p.cell(r, pst)), p.cell(r, pss), date_or_open(p.cell(r, prd)), p.cell(r, prr),
                   p.cell(r, ppr), p.cell(r, ppri));
}

}  // namespace severn::elective::testing
