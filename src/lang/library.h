// The built-in content library: definitions shipped inside the binary (resources/library/*.sev).
//
// A library definition is named by its file name without `.sev` and is used as `library:NAME`
// wherever a definition file is expected (`severn check library:hypertension`,
// `severn run library:hypertension ...`). Its code lists are looked up relative to
// resources/library/ among the embedded resources (so `"../codelists/dmd-saba.csv"` is Severn's
// own list), and then in the reference pack's codelists/ directory, as for a file on disk.
//
// Every library file starts with a header of comment lines naming what it implements:
//   # title:   one line, what the definitions measure
//   # source:  the published definition it follows, with its publisher
//   # version: the version of that source, and the date it was read
// Further `#` lines describe rules and deviations; the header ends at the first other line.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace severn::lang {

inline constexpr std::string_view kLibraryPrefix = "library:";

struct LibraryEntry {
  std::string name;        // file name without .sev: "hypertension"
  std::string title;       // from the header; empty if the header lacks it
  std::string source;
  std::string version;
  std::string_view text;   // the whole file
};

// Every library definition, in name order.
std::vector<LibraryEntry> library_entries();

// The entry called name, or nothing.
std::optional<LibraryEntry> find_library(std::string_view name);

// Whether a definition path names a library entry ("library:NAME").
bool is_library_path(std::string_view path);

// The embedded resource path that a code list path written in a library definition refers to
// ("../codelists/x.csv" -> "codelists/x.csv"), or "" if it leaves the resources.
std::string library_resource_path(std::string_view codelist_path);

}  // namespace severn::lang
