#include "store/manifest.h"

#include <simdjson.h>

#include <cstdint>

#include "core/date.h"
#include "core/json_text.h"
#include "store/store_error.h"

namespace severn::store {

const ColumnEntry* TableEntry::find(std::string_view column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const DictionaryEntry* Manifest::find_dictionary(std::string_view name) const {
  for (const auto& d : dictionaries)
    if (d.name == name) return &d;
  return nullptr;
}

const TableEntry* Manifest::find_table(std::string_view name) const {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

std::string column_path(std::string_view table, std::string_view column) {
  return "tables/" + std::string(table) + "/" + std::string(column) + ".bin";
}
std::string validity_path(std::string_view table, std::string_view column) {
  return "tables/" + std::string(table) + "/" + std::string(column) + ".valid";
}
std::string list_offsets_path(std::string_view table, std::string_view column) {
  return "tables/" + std::string(table) + "/" + std::string(column) + ".list";
}
std::string person_offsets_path(std::string_view table) {
  return "tables/" + std::string(table) + "/person_offsets.bin";
}
std::string dictionary_path(std::string_view name) {
  return "dictionaries/" + std::string(name) + ".txt";
}

std::string to_json(const Manifest& m) {
  std::string o;
  o += "{\n  \"format\": " + json_quoted(kFormatName) + ",\n";
  o += "  \"schema_version\": " + std::to_string(m.schema_version) + ",\n";
  o += "  \"producer\": " + json_quoted(m.producer) + ",\n";
  o += "  \"as_of\": " + json_quoted(m.as_of) + ",\n";
  o += "  \"pseudonym_key_id\": " + json_quoted(m.pseudonym_key_id) + ",\n";
  o += "  \"data_end\": " + (m.data_end.empty() ? std::string("null") : json_quoted(m.data_end)) + ",\n";
  o += "  \"data_end_source\": " + json_quoted(m.data_end_source) + ",\n";
  o += "  \"persons\": " + std::to_string(m.persons) + ",\n";
  o += "  \"inputs\": [";
  for (std::size_t i = 0; i < m.inputs.size(); ++i) {
    const auto& in = m.inputs[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"path\": " + json_quoted(in.path) + ", \"bytes\": " + std::to_string(in.bytes) +
         ", \"xxh3\": " + json_quoted(in.xxh3) + "}";
  }
  o += m.inputs.empty() ? "],\n" : "\n  ],\n";
  o += "  \"dictionaries\": [";
  for (std::size_t i = 0; i < m.dictionaries.size(); ++i) {
    o += i ? ",\n    " : "\n    ";
    o += "{\"name\": " + json_quoted(m.dictionaries[i].name) +
         ", \"entries\": " + std::to_string(m.dictionaries[i].entries) + "}";
  }
  o += m.dictionaries.empty() ? "],\n" : "\n  ],\n";
  o += "  \"tables\": [";
  for (std::size_t i = 0; i < m.tables.size(); ++i) {
    const auto& t = m.tables[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"name\": " + json_quoted(t.name) + ", \"rows\": " + std::to_string(t.rows) +
         ", \"persons_with_rows\": " + std::to_string(t.persons_with_rows) +
         ", \"person_keyed\": " + (t.person_keyed ? "true" : "false") +
         ", \"sort_date\": " + json_quoted(t.sort_date) + ", \"source\": " + json_quoted(t.source);
    o += ", \"min_date\": " + (t.min_date ? json_quoted(format_iso_date(*t.min_date)) : "null");
    o += ", \"max_date\": " + (t.max_date ? json_quoted(format_iso_date(*t.max_date)) : "null");
    o += ",\n     \"columns\": [";
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      const auto& c = t.columns[j];
      o += j ? ",\n       " : "\n       ";
      o += "{\"name\": " + json_quoted(c.name) + ", \"type\": " + json_quoted(type_name(c.type)) +
           ", \"nullable\": " + (c.nullable ? "true" : "false") +
           ", \"dictionary\": " + json_quoted(c.dictionary) + ", \"unit\": " + json_quoted(c.unit) + "}";
    }
    o += "]}";
  }
  o += m.tables.empty() ? "],\n" : "\n  ],\n";
  o += "  \"files\": {";
  bool first = true;
  for (const auto& [path, f] : m.files) {
    o += first ? "\n    " : ",\n    ";
    first = false;
    o += json_quoted(path) + ": {\"bytes\": " + std::to_string(f.bytes) + ", \"xxh3\": " +
         json_quoted(f.xxh3) + "}";
  }
  o += m.files.empty() ? "}\n" : "\n  }\n";
  o += "}\n";
  return o;
}

namespace {

using simdjson::dom::element;

[[noreturn]] void bad(const std::filesystem::path& path, const std::string& what) {
  throw StoreError(path.string() + ": " + what);
}

std::string get_string(const element& e, const char* key, const std::filesystem::path& path) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) bad(path, std::string("field '") + key + "' missing or not text");
  return std::string(v);
}

std::uint64_t get_u64(const element& e, const char* key, const std::filesystem::path& path,
                      std::uint64_t max = kMaxRows) {
  std::uint64_t v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) bad(path, std::string("field '") + key + "' missing or not a count");
  if (v > max)
    bad(path, std::string("field '") + key + "' is " + std::to_string(v) + ", more than the largest allowed (" +
                  std::to_string(max) + ")");
  return v;
}

// A name that becomes part of a path in the store (table, column, dictionary): letters, digits,
// '_', '-' and '.', and not "." or "..", so that no name leads outside its directory.
std::string get_name(const element& e, const char* key, const std::filesystem::path& path) {
  std::string v = get_string(e, key, path);
  const bool ok = !v.empty() && v != "." && v != ".." &&
                  v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
                      std::string::npos;
  if (!ok) bad(path, std::string("field '") + key + "' is not a plain name: '" + v + "'");
  return v;
}

// A file's path relative to the store: plain names separated by '/'.
void check_relative(const std::string& rel, const std::filesystem::path& path) {
  std::size_t begin = 0;
  for (;;) {
    const auto slash = rel.find('/', begin);
    const std::string part = rel.substr(begin, slash == std::string::npos ? std::string::npos : slash - begin);
    if (part.empty() || part == "." || part == ".." ||
        part.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
            std::string::npos)
      bad(path, "files: '" + rel + "' is not a plain path inside the store");
    if (slash == std::string::npos) return;
    begin = slash + 1;
  }
}

std::string get_iso_date(const element& e, const char* key, const std::filesystem::path& path) {
  const auto text = get_string(e, key, path);
  if (!parse_iso_date(text)) bad(path, std::string("field '") + key + "' is not a date (YYYY-MM-DD): '" + text + "'");
  return text;
}

bool get_bool(const element& e, const char* key, const std::filesystem::path& path) {
  bool v = false;
  if (e[key].get(v) != simdjson::SUCCESS) bad(path, std::string("field '") + key + "' missing or not true/false");
  return v;
}

std::optional<std::int32_t> get_date(const element& e, const char* key,
                                     const std::filesystem::path& path) {
  if (e[key].is_null()) return std::nullopt;
  const auto text = get_string(e, key, path);
  const auto d = parse_iso_date(text);
  if (!d) bad(path, std::string("field '") + key + "' is not a date: " + text);
  return *d;
}

}  // namespace

Manifest parse_manifest(const std::filesystem::path& path) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path.string()).get(json) != simdjson::SUCCESS)
    throw StoreError(path.parent_path().string() +
                     ": not a Severn store (manifest.json missing or unreadable)");
  return parse_manifest_text(std::string_view(json.data(), json.size()), path);
}

Manifest parse_manifest_text(std::string_view text, const std::filesystem::path& path) {
  simdjson::dom::parser parser;
  const simdjson::padded_string json(text);
  element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) bad(path, "not valid JSON");
  if (!root.is_object()) bad(path, "not a Severn store manifest (not a JSON object)");
  if (get_string(root, "format", path) != kFormatName) bad(path, "not a Severn store manifest");
  Manifest m;
  const std::uint64_t version = get_u64(root, "schema_version", path);
  if (version != static_cast<std::uint64_t>(kSchemaVersion))
    bad(path, "schema version " + std::to_string(version) + " but this build reads " +
                  std::to_string(kSchemaVersion) + "; rebuild the store with this severn");
  m.schema_version = kSchemaVersion;
  m.producer = get_string(root, "producer", path);
  m.as_of = get_iso_date(root, "as_of", path);
  m.pseudonym_key_id = get_string(root, "pseudonym_key_id", path);
  if (!root["data_end"].is_null()) m.data_end = get_iso_date(root, "data_end", path);
  m.data_end_source = get_string(root, "data_end_source", path);
  m.persons = get_u64(root, "persons", path, kMaxPersons);
  simdjson::dom::array arr;
  if (root["inputs"].get(arr) != simdjson::SUCCESS) bad(path, "field 'inputs' missing");
  for (element in : arr)
    m.inputs.push_back({get_string(in, "path", path), get_u64(in, "bytes", path, UINT64_MAX),
                        get_string(in, "xxh3", path)});
  if (root["dictionaries"].get(arr) != simdjson::SUCCESS) bad(path, "field 'dictionaries' missing");
  for (element d : arr) m.dictionaries.push_back({get_name(d, "name", path), get_u64(d, "entries", path, kMaxPersons)});
  if (root["tables"].get(arr) != simdjson::SUCCESS) bad(path, "field 'tables' missing");
  for (element t : arr) {
    TableEntry te;
    te.name = get_name(t, "name", path);
    te.rows = get_u64(t, "rows", path);
    te.persons_with_rows = get_u64(t, "persons_with_rows", path);
    te.person_keyed = get_bool(t, "person_keyed", path);
    te.sort_date = get_string(t, "sort_date", path);
    te.source = get_string(t, "source", path);
    te.min_date = get_date(t, "min_date", path);
    te.max_date = get_date(t, "max_date", path);
    simdjson::dom::array cols;
    if (t["columns"].get(cols) != simdjson::SUCCESS) bad(path, "table " + te.name + ": no columns");
    for (element c : cols) {
      ColumnEntry ce;
      ce.name = get_name(c, "name", path);
      const auto type = type_from_name(get_string(c, "type", path));
      if (!type) bad(path, "table " + te.name + " column " + ce.name + ": unknown type");
      ce.type = *type;
      ce.nullable = get_bool(c, "nullable", path);
      ce.dictionary = get_string(c, "dictionary", path);
      ce.unit = get_string(c, "unit", path);
      te.columns.push_back(std::move(ce));
    }
    m.tables.push_back(std::move(te));
  }
  simdjson::dom::object files;
  if (root["files"].get(files) != simdjson::SUCCESS) bad(path, "field 'files' missing");
  for (auto [key, value] : files) {
    const std::string rel(key);
    check_relative(rel, path);
    m.files[rel] = {get_u64(value, "bytes", path, UINT64_MAX), get_string(value, "xxh3", path)};
  }
  return m;
}

}  // namespace severn::store
