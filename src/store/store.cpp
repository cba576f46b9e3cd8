#include "store/store.h"

#include <algorithm>
#include <thread>

#include "core/parallel.h"
#include "store/checksum.h"
#include "store/manifest_cover.h"
#include "store/store_error.h"

namespace severn::store {
namespace fs = std::filesystem;

bool is_restricted_path(std::string_view rel) {
  return rel.starts_with("identity/") || rel.starts_with("quarantine/") ||
         rel.starts_with("unlinked/");
}

std::int64_t Dictionary::find(std::string_view value) const {
  const auto it = index_.find(value);
  return it == index_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

const ColumnView& TableView::column(std::string_view name) const {
  const auto it = columns_.find(name);
  if (it == columns_.end())
    throw StoreError("table " + entry_->name + " has no column '" + std::string(name) + "'");
  return it->second;
}

bool TableView::has_column(std::string_view name) const { return columns_.count(name) > 0; }

namespace {

// Offsets that start at 0, never go down and end at `last`: every range they give lies inside
// the array they index.
bool ascending_from_zero_to(std::span<const std::uint64_t> offsets, std::uint64_t last) {
  if (offsets.empty() || offsets.front() != 0 || offsets.back() != last) return false;
  for (std::size_t i = 1; i < offsets.size(); ++i)
    if (offsets[i] < offsets[i - 1]) return false;
  return true;
}

}  // namespace

// Every id of a coded column names an entry of its dictionary (a null's id 0 names none, and may
// sit in an empty dictionary), so no reader can index past a dictionary's end.
void Store::check_ids(const TableEntry& t, const ColumnView& col) const {
  const ColumnEntry& c = col.entry();
  if (c.type != ColumnType::kCode && c.type != ColumnType::kCategory && c.type != ColumnType::kCodeList) return;
  const auto it = dictionaries_.find(c.dictionary);
  const std::uint64_t size = it == dictionaries_.end() ? 0 : it->second->size();
  const auto ids = col.values<std::uint32_t>();
  std::uint32_t largest = 0;
  for (const auto id : ids) largest = std::max(largest, id);
  if (ids.empty() || largest < size) return;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // A list column has no nulls; a scalar one's nulls hold id 0 and are skipped.
    if (ids[i] < size || (c.type != ColumnType::kCodeList && !col.valid(i))) continue;
    throw StoreError(dir_.string() + ": " + t.name + "." + c.name + " holds id " + std::to_string(ids[i]) +
                     " but dictionary '" + c.dictionary + "' has " + std::to_string(size) +
                     " entries; the store is damaged, rebuild it with severn ingest");
  }
}

void Store::check_size(const std::string& rel, std::string_view bytes) const {
  const auto it = manifest_.files.find(rel);
  if (it == manifest_.files.end())
    throw StoreError(dir_.string() + ": " + rel + " is not listed in manifest.json");
  if (it->second.bytes != bytes.size())
    throw StoreError(dir_.string() + ": " + rel + " has " + std::to_string(bytes.size()) +
                     " bytes but the manifest says " + std::to_string(it->second.bytes) +
                     "; the store is damaged, rebuild it with severn ingest");
}

void Store::check_checksum(const std::string& rel, const std::string& actual) const {
  const std::string& expected = manifest_.files.at(rel).xxh3;
  if (actual != expected)
    throw StoreError(dir_.string() + ": checksum mismatch in " + rel + " (manifest " + expected + ", file " + actual +
                     "); the store is damaged, rebuild it with severn ingest");
}

const MappedFile& Store::map_unverified(const std::string& rel) {
  auto it = maps_.find(rel);
  if (it != maps_.end()) return it->second;
  const fs::path path = dir_ / rel;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw StoreError(dir_.string() + ": " + rel +
                     " is missing; the store is damaged, rebuild it with severn ingest");
  MappedFile file(path);
  check_size(rel, file.text());
  return maps_.emplace(rel, std::move(file)).first->second;
}

const MappedFile& Store::map(const std::string& rel) {
  const bool had = maps_.count(rel) > 0;
  const MappedFile& f = map_unverified(rel);
  if (!had && verify_ == Verify::kChecksums) check_checksum(rel, xxh3_hex(f.text()));
  return f;
}

std::unique_ptr<Store> Store::open(const fs::path& dir, Verify verify) {
  auto s = std::unique_ptr<Store>(new Store());
  s->dir_ = dir;
  s->verify_ = verify;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw StoreError(dir.string() + ": no store here (not a directory)");
  const fs::path manifest_path = dir / kManifestName;
  if (!fs::exists(manifest_path, ec))
    throw StoreError(dir.string() + ": not a Severn store (manifest.json missing or unreadable)");
  const MappedFile manifest_file(manifest_path);
  check_manifest_cover(dir, manifest_file.text());
  s->manifest_ = parse_manifest_text(manifest_file.text(), manifest_path);
  // Every analytic file is mapped and its size checked, then their checksums are computed on
  // every core (hashing the files one after another was a third of a small run's time); the first
  // mismatch in the manifest's order is reported.
  std::vector<std::string> analytic;
  for (const auto& [rel, entry] : s->manifest_.files)
    if (!is_restricted_path(rel)) {
      s->map_unverified(rel);
      analytic.push_back(rel);
    }
  if (verify == Verify::kChecksums) {
    std::vector<std::string> actual(analytic.size());
    parallel_for(analytic.size(), std::max(1U, std::thread::hardware_concurrency()),
                 [&](std::size_t i) { actual[i] = xxh3_hex(s->maps_.at(analytic[i]).text()); });
    for (std::size_t i = 0; i < analytic.size(); ++i) s->check_checksum(analytic[i], actual[i]);
  }

  for (const auto& d : s->manifest_.dictionaries) {
    auto dict = std::make_shared<Dictionary>();
    const std::string rel = dictionary_path(d.name);
    std::string_view text = s->map(rel).text();
    while (!text.empty()) {
      const auto nl = text.find('\n');
      if (nl == std::string_view::npos)
        throw StoreError(dir.string() + ": " + rel + " does not end with a newline");
      dict->values_.push_back(text.substr(0, nl));
      text.remove_prefix(nl + 1);
    }
    if (dict->values_.size() != d.entries)
      throw StoreError(dir.string() + ": " + rel + " has " + std::to_string(dict->values_.size()) +
                       " entries but the manifest says " + std::to_string(d.entries));
    for (std::uint32_t i = 0; i < dict->values_.size(); ++i) dict->index_.emplace(dict->values_[i], i);
    s->dictionaries_.emplace(d.name, std::move(dict));
  }

  for (const auto& t : s->manifest_.tables) {
    TableView view;
    view.entry_ = &t;
    if (t.person_keyed) {
      const auto& f = s->map(person_offsets_path(t.name));
      view.person_offsets_ = {reinterpret_cast<const std::uint64_t*>(f.bytes().data()),
                              f.size() / sizeof(std::uint64_t)};
      if (f.size() % sizeof(std::uint64_t) != 0 || view.person_offsets_.size() != s->manifest_.persons + 1 ||
          !ascending_from_zero_to(view.person_offsets_, t.rows))
        throw StoreError(dir.string() + ": table " + t.name + ": person offsets do not match " +
                         "the row and person counts; rebuild the store");
    } else if (t.rows != s->manifest_.persons) {
      throw StoreError(dir.string() + ": table " + t.name + " has " + std::to_string(t.rows) +
                       " rows, one per person, but the manifest counts " +
                       std::to_string(s->manifest_.persons) + " persons; rebuild the store");
    }
    for (const auto& c : t.columns) {
      ColumnView col;
      col.entry_ = &c;
      col.rows_ = t.rows;
      col.data_ = s->map(column_path(t.name, c.name)).bytes();
      if (c.type == ColumnType::kCodeList) {
        const auto& lf = s->map(list_offsets_path(t.name, c.name));
        col.list_offsets_ = {reinterpret_cast<const std::uint64_t*>(lf.bytes().data()),
                             lf.size() / sizeof(std::uint64_t)};
        if (lf.size() % sizeof(std::uint64_t) != 0 || col.list_offsets_.size() != t.rows + 1 ||
            col.data_.size() % 4 != 0 || !ascending_from_zero_to(col.list_offsets_, col.data_.size() / 4))
          throw StoreError(dir.string() + ": " + t.name + "." + c.name +
                           ": list offsets do not match the values; rebuild the store");
      } else if (col.data_.size() != t.rows * element_size(c.type)) {
        throw StoreError(dir.string() + ": " + t.name + "." + c.name + " holds " +
                         std::to_string(col.data_.size()) + " bytes, expected " +
                         std::to_string(t.rows * element_size(c.type)) + "; rebuild the store");
      }
      if (c.nullable) {
        const auto& vf = s->map(validity_path(t.name, c.name));
        if (vf.size() != (t.rows + 7) / 8)
          throw StoreError(dir.string() + ": " + t.name + "." + c.name +
                           ": validity bitmap has the wrong size; rebuild the store");
        col.validity_ = reinterpret_cast<const std::uint8_t*>(vf.bytes().data());
      }
      if (verify == Verify::kChecksums) s->check_ids(t, col);
      view.columns_.emplace(c.name, col);
    }
    s->tables_.emplace(t.name, std::move(view));
  }
  return s;
}

const TableView& Store::table(std::string_view name) const {
  const auto it = tables_.find(name);
  if (it == tables_.end()) throw StoreError("the store has no table '" + std::string(name) + "'");
  return it->second;
}

bool Store::has_table(std::string_view name) const { return tables_.count(name) > 0; }

const Dictionary& Store::dictionary(std::string_view name) const {
  const auto it = dictionaries_.find(name);
  if (it == dictionaries_.end())
    throw StoreError("the store has no dictionary '" + std::string(name) + "'");
  return *it->second;
}

void Store::verify_restricted() const {
  for (const auto& [rel, entry] : manifest_.files) {
    if (!is_restricted_path(rel)) continue;
    const MappedFile file(dir_ / rel);
    check_size(rel, file.text());
    if (verify_ == Verify::kChecksums) check_checksum(rel, xxh3_hex(file.text()));
  }
}

}  // namespace severn::store
