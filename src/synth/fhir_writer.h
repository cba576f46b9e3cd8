// `severn synth --format fhir`: the GP record of a synthetic ICS as a FHIR R4 (UK Core) Bulk Data
// export, the form `severn ingest` reads under EXTRACT/fhir/gp/ (docs/fhir.md, "The synthetic ICS
// as FHIR"). The CSV values are copied as text without checking them, so a value ingest would
// quarantine in the CSV is quarantined in the FHIR form too, and a structurally broken CSV row
// becomes a line that is not JSON: the reader accounts for it instead of it vanishing here.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "refdata/codelists.h"

namespace severn::synth {

struct FhirConversion {
  // Relative to the extract directory, in the order written: each NDJSON file with its lines (one
  // resource, or one broken CSV row, per line). fhir/gp/manifest.json lists them.
  std::vector<std::pair<std::string, std::int64_t>> files;
  std::vector<std::string> removed;  // the CSVs converted and deleted, relative paths
  std::int64_t patients = 0, conditions = 0, observations = 0, panels = 0, procedures = 0,
               medication_requests = 0;
  // CSV rows with the wrong number of fields, written as non-JSON lines (all files together).
  std::int64_t broken_rows = 0;
  std::int64_t csv_bytes = 0, fhir_bytes = 0;  // read and written
  double seconds = 0;
};

// Converts extract_dir/gp/{patients,events,medications}.csv into extract_dir/fhir/gp/ and then
// deletes those CSVs; a CSV that is absent is skipped (gp/patients.csv must exist). Other files
// are left alone. `data_end` dates the export (manifest transactionTime, the end of that day, UTC);
// absent, it takes end_date from extract_dir/manifest.json. Threads only share the rendering: the
// files are byte-identical for any thread count (0 = all hardware threads). Throws InputError when
// an input cannot be read, a header lacks a column, or fhir/gp/ already holds files; on failure
// nothing is deleted and no partial FHIR file is left.
FhirConversion write_gp_fhir(const std::filesystem::path& extract_dir, const refdata::CodelistLibrary& lib,
                             unsigned threads, std::optional<Days> data_end = std::nullopt);

}  // namespace severn::synth
