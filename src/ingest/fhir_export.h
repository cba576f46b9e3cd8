// Finding and reading a FHIR R4 Bulk Data export (docs/fhir.md): NDJSON files named for their
// resource type (optionally split `.NNN` and gzip-compressed), single-resource JSON files and
// Bundles. Every resource comes with where it is: file, line (NDJSON) or entry (Bundle), and the
// JSON pointer of the resource inside the file.
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace severn::ingest {

struct FhirFile {
  std::filesystem::path path;
  std::string name;           // relative to the extract directory, '/' separated
  bool ndjson = false;        // else a .json file: one resource or a Bundle
  bool gzip = false;
  std::string resource_type;  // NDJSON: the type its name declares ("" when the name is not a type)
};

struct FhirExportFiles {
  std::filesystem::path dir;
  std::string name;  // relative to the extract directory ("fhir/gp", or "." for the directory itself)
  std::vector<FhirFile> files;       // in reading order: by resource type name, then part number
  std::vector<std::string> notes;    // manifest findings (files present but not listed)
};

// The GP export of an extract directory: EXTRACT/fhir/gp/, or EXTRACT itself when it holds FHIR
// files and no gp/patients.csv. Throws InputError when a manifest is unreadable or names a file
// that is absent.
std::optional<FhirExportFiles> find_fhir_export(const std::filesystem::path& extract_dir);

// True for the names of the FHIR R4 (4.0.1) resource types.
bool is_fhir_resource_type(std::string_view name);

// A file's bytes, read (JSON) or gunzipped into memory. A gzip stream that breaks off keeps what was
// decompressed before the break; `error` then says where and why.
struct FhirFileText {
  std::string inflated;
  // A view made on demand: a stored one would dangle once the struct is moved (a short string
  // lives inside the object).
  std::string_view text() const { return inflated; }
  std::uint64_t size = 0;  // the file's size, when its text is not loaded (plain NDJSON, read by range)
  std::string error;
};
FhirFileText load_fhir_file(const FhirFile& file);

// One resource located in its file. `line` is the NDJSON line (1 = first), or for a JSON file
// 1 + the Bundle entry index (1 for a file holding one resource). `pointer` is the resource's JSON
// pointer in its line or file ("" for the whole line, "/entry/3/resource" in a Bundle).
struct FhirLocated {
  std::int64_t line = 0;
  std::string_view pointer;
  std::string_view full_url;  // Bundle entry fullUrl, else ""
  simdjson::dom::element resource;
};

// What could not be read as a resource: broken JSON, a line that is not an object, a Bundle entry
// without a resource, a broken gzip stream.
struct FhirUnreadable {
  std::int64_t line = 0;
  std::string pointer;
  std::string value;  // the start of the offending text
  std::string reason;
};

// Calls `resource` for every resource of an NDJSON byte range (whole lines, starting at
// `first_line`), and `unreadable` for every line that is not one. Blank lines are unreadable too:
// a Bulk Data file has none. Thread-compatible: one parser per caller.
// `padded`: the text is followed by simdjson::SIMDJSON_PADDING readable bytes, so lines are parsed
// where they are instead of being copied.
void for_each_ndjson_resource(std::string_view text, std::int64_t first_line, simdjson::dom::parser& parser,
                              const std::function<void(const FhirLocated&)>& resource,
                              const std::function<void(const FhirUnreadable&)>& unreadable, bool padded = false);

// The same for a .json file: a single resource, or a Bundle whose entries are resources.
void for_each_json_file_resource(std::string_view text, simdjson::dom::parser& parser,
                                 const std::function<void(const FhirLocated&)>& resource,
                                 const std::function<void(const FhirUnreadable&)>& unreadable);

// The whole lines that start in [begin, end) of an NDJSON file or text: a line belongs to the
// range its first byte is in, so ranges cut anywhere cover every line exactly once. A file is read
// with pread into `buffer`, which then holds simdjson's padding after the text (so lines parse in
// place); `padded` says so. `text` is the file's contents when it is in memory (gunzipped).
struct NdjsonLines {
  std::string_view text;
  bool padded = false;
};
NdjsonLines ndjson_lines(const FhirFile& file, std::string_view text, std::uint64_t size, std::uint64_t begin,
                         std::uint64_t end, std::string& buffer);

}  // namespace severn::ingest
