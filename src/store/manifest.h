// The store's manifest.json: what the store holds and the checksum of every file in it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/format.h"

namespace severn::store {

struct FileEntry {
  std::uint64_t bytes = 0;
  std::string xxh3;  // XXH3-128 of the contents, 32 lowercase hex digits
};

struct ColumnEntry {
  std::string name;
  ColumnType type = ColumnType::kInt32;
  bool nullable = false;
  std::string dictionary;  // kCode / kCategory / kCodeList: dictionary name
  std::string unit;        // e.g. "days since 1970-01-01", "mmHg or per code"; documentation only
};

struct TableEntry {
  std::string name;
  std::uint64_t rows = 0;
  std::uint64_t persons_with_rows = 0;
  bool person_keyed = true;  // false only for patients (row i = person i)
  std::string sort_date;     // column that orders rows within a person
  std::optional<std::int32_t> min_date, max_date;  // of sort_date, when rows > 0
  std::vector<ColumnEntry> columns;
  std::string source;  // source file(s) the rows came from

  const ColumnEntry* find(std::string_view column) const;
};

struct DictionaryEntry {
  std::string name;
  std::uint64_t entries = 0;
};

struct InputFile {
  std::string path;  // relative to the source directory
  std::uint64_t bytes = 0;
  std::string xxh3;
};

struct Manifest {
  int schema_version = kSchemaVersion;
  std::string producer;
  std::string as_of;          // ISO date: dates after it were rejected as in the future
  // ISO date: the last day the extracts cover (docs/store.md, "The data's end"), the default
  // index date; empty when no extract says and no table holds a dated row.
  std::string data_end;
  std::string data_end_source;  // how data_end was found, for people to read
  std::string pseudonym_key_id;  // SHA-256 fingerprint prefix of the key; never the key itself
  std::uint64_t persons = 0;
  std::vector<InputFile> inputs;
  std::vector<DictionaryEntry> dictionaries;
  std::vector<TableEntry> tables;
  std::map<std::string, FileEntry> files;  // every file except manifest.json, by relative path

  const TableEntry* find_table(std::string_view name) const;
  const DictionaryEntry* find_dictionary(std::string_view name) const;
};

std::string to_json(const Manifest& manifest);
// Throws StoreError naming the file and what is wrong. The manifest is read as hostile input:
// wrong types, missing fields, out-of-range numbers and names that would lead outside the store
// are refused, never trusted.
Manifest parse_manifest(const std::filesystem::path& path);
// The same for manifest text already read; `path` names it in errors.
Manifest parse_manifest_text(std::string_view json, const std::filesystem::path& path);

// Limits a manifest must respect: person ids are uint32, and row counts far beyond any real store
// keep every size computed from them free of overflow.
inline constexpr std::uint64_t kMaxPersons = std::uint64_t{1} << 32;
inline constexpr std::uint64_t kMaxRows = std::uint64_t{1} << 48;

// Relative paths inside a store.
std::string column_path(std::string_view table, std::string_view column);
std::string validity_path(std::string_view table, std::string_view column);
std::string list_offsets_path(std::string_view table, std::string_view column);
std::string person_offsets_path(std::string_view table);
std::string dictionary_path(std::string_view name);

}  // namespace severn::store
