#include "lang/library.h"

#include <algorithm>
#include <filesystem>

#include "core/embedded.h"

namespace severn::lang {
namespace {

constexpr std::string_view kDir = "library/";
constexpr std::string_view kExtension = ".sev";

// The value of a `# key: value` header line, or nothing.
std::optional<std::string> header_value(std::string_view line, std::string_view key) {
  if (line.substr(0, 1) != "#") return std::nullopt;
  line.remove_prefix(1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.substr(0, key.size()) != key || line.substr(key.size(), 1) != ":") return std::nullopt;
  line.remove_prefix(key.size() + 1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  return std::string(line);
}

LibraryEntry entry_of(std::string_view name, std::string_view text) {
  LibraryEntry e;
  e.name = std::string(name);
  e.text = text;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.substr(0, 1) != "#") break;
    if (auto v = header_value(line, "title")) e.title = *v;
    if (auto v = header_value(line, "source")) e.source = *v;
    if (auto v = header_value(line, "version")) e.version = *v;
    at = end + 1;
  }
  return e;
}

}  // namespace

std::vector<LibraryEntry> library_entries() {
  std::vector<LibraryEntry> out;
  for (const auto& r : embedded::all()) {
    if (r.path.substr(0, kDir.size()) != kDir || r.path.size() <= kDir.size() + kExtension.size() ||
        r.path.substr(r.path.size() - kExtension.size()) != kExtension)
      continue;
    const std::string_view name = r.path.substr(kDir.size(), r.path.size() - kDir.size() - kExtension.size());
    if (name.find('/') != std::string_view::npos) continue;  // only the top level is the library
    out.push_back(entry_of(name, r.bytes));
  }
  std::sort(out.begin(), out.end(), [](const LibraryEntry& a, const LibraryEntry& b) { return a.name < b.name; });
  return out;
}

std::optional<LibraryEntry> find_library(std::string_view name) {
  const auto text = embedded::find(std::string(kDir) + std::string(name) + std::string(kExtension));
  if (!text) return std::nullopt;
  return entry_of(name, *text);
}

bool is_library_path(std::string_view path) { return path.substr(0, kLibraryPrefix.size()) == kLibraryPrefix; }

std::string library_resource_path(std::string_view codelist_path) {
  const std::filesystem::path p = (std::filesystem::path(kDir) / std::string(codelist_path)).lexically_normal();
  const std::string s = p.generic_string();
  if (p.is_absolute() || s.empty() || s.substr(0, 2) == "..") return "";
  return s;
}

}  // namespace severn::lang
