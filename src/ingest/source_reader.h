// The reader seam: every partner format reaches ingest through SourceReader. A reader maps its
// input onto a table's fields (by name, in the table's order) and delivers records, or problems
// that make a record unreadable, to a RecordSink. The CSV reader is the first implementation;
// FHIR R4 Bulk NDJSON and other partner formats implement the same interface and need no change
// to validation or the store.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace severn::ingest {

struct SourceRecord {
  std::int64_t line = 0;      // where the record starts in its source (1 = first line)
  std::string_view text;      // the record as it appears in the source, for quarantine
  std::span<const std::string_view> fields;  // the table's fields in schema order
  // A source made of several files (a FHIR export): the file this record is in ("" = the
  // reader's name), and per field where in the resource it came from (a JSON pointer; empty span
  // for CSV). Both outlive the table's assembly, like `text`.
  std::string_view source;
  std::span<const std::string_view> pointers;
};

// A record the reader could not split into fields (broken quoting, invalid UTF-8, wrong number
// of fields, truncated line), or a whole file rejected for its header.
struct SourceProblem {
  std::int64_t line = 0;
  std::string_view text;
  std::string field;  // schema field name, or "" when the problem is the whole record
  std::string value;
  std::string reason;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void record(const SourceRecord& record) = 0;
  virtual void problem(const SourceProblem& problem) = 0;
};

enum class SourceStatus {
  kOk,
  kMissing,    // no such file: nothing read
  kEmpty,      // zero bytes, or no header: no records (blank lines still go to quarantine)
  kBadHeader,  // header lacks a required field: every record goes to quarantine
};
const char* status_name(SourceStatus status);

class SourceReader {
 public:
  virtual ~SourceReader() = default;
  virtual const std::string& name() const = 0;  // source path relative to the extract directory
  virtual SourceStatus status() const = 0;
  virtual const std::string& status_detail() const = 0;  // why not ok, or notes (ignored columns)
  virtual std::uint64_t bytes() const = 0;
  virtual std::string checksum() const = 0;  // XXH3-128 of the raw input, for provenance
  // Parts are independent and may be read concurrently; records come in source order within a
  // part, and parts are in source order.
  virtual std::size_t parts() const = 0;
  virtual void read_part(std::size_t part, RecordSink& sink) const = 0;
  // Optional fields (FieldSpec::optional_column) the source lacks: their values are empty.
  virtual std::vector<std::string> absent_fields() const { return {}; }
};

}  // namespace severn::ingest
