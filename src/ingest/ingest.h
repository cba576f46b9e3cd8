// `severn ingest`: validates every partner extract, quarantines what is bad with a reason, links
// people on NHS number, pseudonymises, and builds a columnar store atomically.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "core/date.h"
#include "identity/partner_linking.h"
#include "ingest/fhir_ingest.h"
#include "ingest/source_reader.h"

namespace severn::ingest {

// Opens the source for one table: the extract directory, the source's path in it (as named in
// the schema, e.g. "gp/events.csv") and the table's field names in schema order. The default
// reads CSV; another format (FHIR R4 Bulk NDJSON, a partner's own layout) is a different opener.
using SourceOpener = std::function<std::unique_ptr<SourceReader>(
    const std::filesystem::path& root, const std::string& relative,
    std::span<const std::string_view> fields, std::size_t part_bytes)>;

struct IngestOptions {
  std::filesystem::path source_dir;
  std::filesystem::path store_dir;
  std::string key_file;   // empty: SEVERN_PSEUDONYM_KEY
  std::string data_dir;   // reference pack (--data), empty for the default
  Days as_of = 0;         // dates after it are rejected as in the future
  unsigned threads = 0;   // 0: all hardware threads
  std::size_t part_bytes = std::size_t{8} << 20;
  SourceOpener open_source;  // empty: CSV (open_csv_source)
  // A clerical reviewer's decisions on an earlier build's clerical_review.csv (empty: none).
  std::filesystem::path review_decisions;
  // Incremental linking (docs/linkage.md "Incremental runs"): a store built earlier with the
  // same key; its partner links are reused where the records and their persons are unchanged,
  // and the rest is scored with its model. Empty: every record is linked.
  std::filesystem::path previous_store;
  // Score with this model (partner_link_model.toml of an earlier build) instead of training one.
  std::filesystem::path partner_link_model;
};

// One line of the ledger: what happened to the rows of one source.
struct LedgerEntry {
  std::string table;
  std::string source;
  std::string status;  // ok, missing, empty, bad_header
  std::string note;
  std::uint64_t bytes = 0;
  std::uint64_t read = 0;
  std::uint64_t linked = 0;    // accepted and linked to a person
  std::uint64_t unlinked = 0;  // accepted without a person (unlinked/, or an unlinked partner record)
  std::uint64_t quarantined = 0;
  // The partner index only: its accepted rows by how they were linked (ledger.csv's last five
  // columns, empty for other tables). They add up to accepted.
  bool has_links = false;
  std::uint64_t by_nhs_number = 0, probabilistic = 0, clerical = 0, in_review = 0, no_match = 0;
  double seconds = 0;
  std::uint64_t accepted() const { return linked + unlinked; }
};

// The partner linking stage's outcome for the partner index (docs/linkage.md).
struct LinkageSummary {
  bool ran = false;
  identity::LinkingCounts counts;
  std::vector<identity::PhaseTime> phases;
  double seconds = 0;
  double lost_matches = 0, lost_standard_error = 0, blocking_recall = 1;
};

struct IngestResult {
  std::vector<LedgerEntry> ledger;
  std::vector<FhirLedgerEntry> fhir_ledger;  // a FHIR export's files by resource type (docs/fhir.md)
  LinkageSummary linkage;
  std::uint64_t persons = 0;
  double seconds = 0;
  double fhir_seconds = 0;       // reading and mapping a FHIR export, before its tables are built
  std::uint64_t fhir_bytes = 0;  // the export's files as stored
  unsigned threads = 0;
};

// Throws InputError (bad options, no key, gp/patients.csv missing) before touching any existing
// store; the previous store stays as it was.
IngestResult run_ingest(const IngestOptions& options);

std::string ledger_csv(const std::vector<LedgerEntry>& ledger, const std::vector<FhirLedgerEntry>& fhir = {});
std::string ledger_table(const std::vector<LedgerEntry>& ledger);  // for people to read
std::string fhir_ledger_table(const std::vector<FhirLedgerEntry>& ledger);
std::string timings_json(const IngestResult& result);

}  // namespace severn::ingest
