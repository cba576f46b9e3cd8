// Test fixtures for linkage uncertainty (docs/linkage-uncertainty.md): `severn ingest` writes a
// link_probability column from its partner links, but tests need chosen probabilities (the small
// synthetic stores link almost every row by NHS number). add_link_probabilities() writes (or
// overwrites) the column of an existing store, lists it in the manifest with its checksum and
// re-covers the manifest, exactly as a store built with the column would be; Store::open then
// verifies it like any other column.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/checksum.h"
#include "store/manifest.h"
#include "store/manifest_cover.h"
#include "store/store.h"

namespace severn::testing {

inline void write_store_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Gives `table` of the store at `dir` a link_probability column holding `probabilities`, one per
// row in store order (rows sorted by person, then date).
inline void add_link_probabilities(const std::filesystem::path& dir, const std::string& table,
                                   const std::vector<double>& probabilities) {
  store::Manifest m = store::parse_manifest(dir / store::kManifestName);
  store::TableEntry* entry = nullptr;
  for (auto& t : m.tables)
    if (t.name == table) entry = &t;
  if (entry == nullptr) throw std::runtime_error("no table " + table);
  if (entry->rows != probabilities.size())
    throw std::runtime_error(table + " has " + std::to_string(entry->rows) + " rows, given " +
                             std::to_string(probabilities.size()) + " probabilities");
  const std::string rel = store::column_path(table, store::kLinkProbabilityColumn);
  const std::string_view bytes(reinterpret_cast<const char*>(probabilities.data()),
                               probabilities.size() * sizeof(double));
  write_store_file(dir / rel, bytes);
  m.files[rel] = {bytes.size(), store::xxh3_hex(bytes)};
  for (const auto& existing : entry->columns)
    if (existing.name == store::kLinkProbabilityColumn) {  // written by ingest: values replaced above
      const std::string json = store::to_json(m);
      write_store_file(dir / store::kManifestName, json);
      write_store_file(dir / store::kManifestCoverName, store::manifest_cover(json));
      return;
    }
  store::ColumnEntry c;
  c.name = std::string(store::kLinkProbabilityColumn);
  c.type = store::ColumnType::kFloat64;
  c.unit = "probability of the link that brought the row to its person";
  entry->columns.push_back(c);
  const std::string json = store::to_json(m);
  write_store_file(dir / store::kManifestName, json);
  write_store_file(dir / store::kManifestCoverName, store::manifest_cover(json));
}

// Makes the store at `dir` look like one built before probabilistic linkage: every
// link_probability column is deleted and unlisted, and the manifest re-covered.
inline void remove_link_probabilities(const std::filesystem::path& dir) {
  store::Manifest m = store::parse_manifest(dir / store::kManifestName);
  for (auto& t : m.tables) {
    const auto at = std::find_if(t.columns.begin(), t.columns.end(),
                                 [](const store::ColumnEntry& c) { return c.name == store::kLinkProbabilityColumn; });
    if (at == t.columns.end()) continue;
    t.columns.erase(at);
    const std::string rel = store::column_path(t.name, store::kLinkProbabilityColumn);
    m.files.erase(rel);
    std::filesystem::remove(dir / rel);
  }
  const std::string json = store::to_json(m);
  write_store_file(dir / store::kManifestName, json);
  write_store_file(dir / store::kManifestCoverName, store::manifest_cover(json));
}

// The same, the probability of each row chosen by a function of (person, row within the person).
template <class Fn>
void add_link_probabilities_by_person(const std::filesystem::path& dir, const std::string& table, Fn probability) {
  std::vector<double> p;
  {
    const auto s = store::Store::open(dir);
    const auto offsets = s->table(table).person_offsets();
    for (std::size_t person = 0; person + 1 < offsets.size(); ++person)
      for (std::uint64_t r = offsets[person]; r < offsets[person + 1]; ++r)
        p.push_back(probability(person, r - offsets[person]));
  }
  add_link_probabilities(dir, table, p);
}

}  // namespace severn::testing
