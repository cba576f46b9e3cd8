// The FHIR stage of `severn ingest` (docs/fhir.md): reads a GP export once, in parallel, maps
// every resource (ingest/fhir_mapping.h), resolves who each record is about, and offers each GP
// table it fed as a SourceReader, so validation, quarantine and the store treat its rows exactly
// as CSV rows. It keeps the per-file, per-resource-type ledger: read = accepted + quarantined +
// not_used.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/fhir_export.h"
#include "ingest/fhir_mapping.h"
#include "ingest/source_reader.h"
#include "ingest/validation_context.h"

namespace severn::ingest {

struct FhirLedgerEntry {
  std::string source;         // the file, relative to the extract directory
  std::string resource_type;  // "" for lines that are not resources
  std::string tables;         // the store tables its resources fed ("clinical_events")
  std::uint64_t read = 0, accepted = 0, quarantined = 0, not_used = 0;
  std::string note;           // why resources were not used, with counts
};

struct FhirInput {
  std::string source;
  std::uint64_t bytes = 0;
  std::string checksum;  // XXH3-128 of the file as stored (compressed when gzipped)
};

class FhirIngest {
 public:
  // nullopt when the extract holds no FHIR export (find_fhir_export).
  static std::optional<FhirIngest> read(const std::filesystem::path& extract_dir, const ValidationContext& ctx,
                                        unsigned threads, std::size_t part_bytes);
  FhirIngest(FhirIngest&&) noexcept;
  FhirIngest& operator=(FhirIngest&&) noexcept;
  ~FhirIngest();

  const std::string& name() const;  // the export directory, relative ("fhir/gp")
  // The table's source, when the export fed it: its rows in order (docs/fhir.md "Order of rows").
  std::unique_ptr<SourceReader> source(std::string_view table, std::span<const std::string_view> fields,
                                       std::size_t rows_per_part) const;
  bool feeds(std::string_view table) const;
  // The table stage quarantined a row: its resource is counted quarantined.
  void row_quarantined(std::string_view source_file, std::int64_t line);
  std::vector<FhirLedgerEntry> ledger() const;
  std::string quarantine_csv() const;  // quarantine/fhir.csv: whole resources and unreadable lines
  const std::vector<FhirInput>& inputs() const;
  const std::vector<std::string>& notes() const;

 private:
  struct State;
  explicit FhirIngest(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace severn::ingest
