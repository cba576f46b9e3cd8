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
  std::uint64_t unlinked = 0;  // accepted, kept for the identity stage
  std::uint64_t quarantined = 0;
  double seconds = 0;
  std::uint64_t accepted() const { return linked + unlinked; }
};

struct IngestResult {
  std::vector<LedgerEntry> ledger;
  std::uint64_t persons = 0;
  double seconds = 0;
  unsigned threads = 0;
};

// Throws InputError (bad options, no key, gp/patients.csv missing) before touching any existing
// store; the previous store stays as it was.
IngestResult run_ingest(const IngestOptions& options);

std::string ledger_csv(const std::vector<LedgerEntry>& ledger);
std::string ledger_table(const std::vector<LedgerEntry>& ledger);  // for people to read
std::string timings_json(const IngestResult& result);

}  // namespace severn::ingest
