// `severn synth`: the whole synthetic ICS, from reference data to partner extracts on disk.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/fhir_writer.h"

namespace severn::synth {

struct CalibrationRow {
  std::string measure, unit, source;
  double target = 0, generated = 0;
  bool checked = true;  // false: shown for information, no tolerance applies
};

struct SynthReport {
  std::int64_t people_alive = 0, people_deceased = 0;
  // Data rows of each CSV; with --format fhir, the GP tables' CSVs are replaced by the NDJSON
  // files with their lines (one resource each), after the CSVs that stay.
  std::vector<std::pair<std::string, std::int64_t>> rows_per_file;
  std::optional<FhirConversion> fhir;  // with --format fhir
  std::vector<CalibrationRow> calibration;
  std::array<PartnerTally, kPartnerCount> partners{};  // perturbations of partner records
  double seconds = 0;
};

// Writes the extracts to config.out atomically: into a sibling temporary directory, renamed into
// place only when complete, so a failed or interrupted run leaves no partial output.
SynthReport synthesize(const SynthConfig& config);

std::string calibration_markdown(const SynthReport& report, const SynthConfig& config);

}  // namespace severn::synth
