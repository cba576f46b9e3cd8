// Reading a store: the manifest, then every analytic file memory-mapped. Opening checks the
// manifest against its cover (manifest.sha256), verifies sizes and XXH3-128 checksums of the
// tables, dictionaries and ledger, checks that offsets and dictionary ids stay in range, and
// refuses a store that does not match its manifest. Restricted areas (identity, quarantine, unlinked) are checked by
// verify_restricted(), which only their owner can run.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mapped_file.h"
#include "store/manifest.h"

namespace severn::store {

class Dictionary {
 public:
  std::size_t size() const { return values_.size(); }
  std::string_view operator[](std::uint32_t id) const { return values_[id]; }
  // -1 when absent.
  std::int64_t find(std::string_view value) const;
  const std::vector<std::string_view>& values() const { return values_; }

 private:
  friend class Store;
  std::vector<std::string_view> values_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

class ColumnView {
 public:
  const ColumnEntry& entry() const { return *entry_; }
  std::size_t rows() const { return rows_; }
  template <class T>
  std::span<const T> values() const {
    return {reinterpret_cast<const T*>(data_.data()), data_.size() / sizeof(T)};
  }
  // A non-nullable column is valid everywhere.
  bool valid(std::size_t row) const { return validity_ == nullptr || is_valid(validity_, row); }
  // The bitmap itself (bit r set = row r has a value), or nullptr for a non-nullable column.
  const std::uint8_t* validity_bitmap() const { return validity_; }
  // kCodeList: values of row r are values<uint32_t>()[list_offsets()[r] .. list_offsets()[r+1]).
  std::span<const std::uint64_t> list_offsets() const { return list_offsets_; }

 private:
  friend class Store;
  const ColumnEntry* entry_ = nullptr;
  std::size_t rows_ = 0;
  std::span<const std::byte> data_;
  const std::uint8_t* validity_ = nullptr;
  std::span<const std::uint64_t> list_offsets_;
};

class TableView {
 public:
  const TableEntry& entry() const { return *entry_; }
  std::size_t rows() const { return entry_->rows; }
  // persons + 1 offsets; empty for the patients table (row i is person i).
  std::span<const std::uint64_t> person_offsets() const { return person_offsets_; }
  // Throws StoreError naming the table and column.
  const ColumnView& column(std::string_view name) const;
  bool has_column(std::string_view name) const;

 private:
  friend class Store;
  const TableEntry* entry_ = nullptr;
  std::span<const std::uint64_t> person_offsets_;
  std::map<std::string, ColumnView, std::less<>> columns_;
};

// The name of the column that carries each partner row's link probability: 1.0 for a row linked
// by a valid NHS number or a reviewer's decision, else the match probability of the probabilistic
// link that brought the row to its person (docs/linkage-uncertainty.md).
inline constexpr std::string_view kLinkProbabilityColumn = "link_probability";

// What a view without weak links removed, table by table.
struct LinkFilter {
  struct Table {
    std::string name;
    std::uint64_t rows_before = 0, rows_after = 0;
    std::uint64_t persons_with_rows_before = 0, persons_with_rows_after = 0;
  };
  double min_probability = 0;
  std::vector<Table> tables;  // every table with a link_probability column, in manifest order
  // No table of the store has the column: the view is the store, every row counted as linked
  // with probability 1.0.
  bool no_probabilities() const { return tables.empty(); }
  std::uint64_t rows_removed() const;
};

class Store {
 public:
  enum class Verify { kChecksums, kSizesOnly };
  // Throws StoreError: not a store, wrong schema version, a file missing, or a size or checksum
  // that does not match the manifest (the message names the file and says to rebuild).
  static std::unique_ptr<Store> open(const std::filesystem::path& dir,
                                     Verify verify = Verify::kChecksums);

  const std::filesystem::path& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }
  std::uint64_t persons() const { return manifest_.persons; }
  const TableView& table(std::string_view name) const;
  bool has_table(std::string_view name) const;
  const Dictionary& dictionary(std::string_view name) const;

  // Checks the restricted files' checksums; throws StoreError like open().
  void verify_restricted() const;

  // A view of `base` without its weak links (docs/linkage-uncertainty.md): in every table with a
  // `link_probability` column, the rows whose probability is below `min_probability` are absent
  // and the person offsets recomputed. Those tables' columns are copied, without the absent rows,
  // into buffers the view owns; every other table, every dictionary and the manifest's files are
  // base's own mapped memory, shared. Persons are never removed, only rows. `base` must outlive
  // the view. Throws InputError unless 0 <= min_probability <= 1, and StoreError for a
  // probability that is not a number in [0, 1] (a damaged store).
  static std::unique_ptr<Store> without_weak_links(const Store& base, double min_probability);
  // What without_weak_links() did, or nullptr for a store as built.
  const LinkFilter* link_filter() const { return link_filter_.get(); }

 private:
  const MappedFile& map(const std::string& rel);
  const MappedFile& map_unverified(const std::string& rel);  // size checked, checksum not
  void check_size(const std::string& rel, std::string_view bytes) const;
  void check_checksum(const std::string& rel, const std::string& actual) const;
  void check_ids(const TableEntry& table, const ColumnView& column) const;
  std::filesystem::path dir_;
  Manifest manifest_;
  Verify verify_ = Verify::kChecksums;
  std::map<std::string, MappedFile> maps_;
  std::map<std::string, TableView, std::less<>> tables_;
  // Shared with the views made of this store.
  std::map<std::string, std::shared_ptr<const Dictionary>, std::less<>> dictionaries_;
  // A view's copies of the filtered tables' columns, offsets and bitmaps (empty for a store as
  // built). Moving a vector keeps its buffer, so spans into them stay valid.
  std::vector<std::vector<std::byte>> owned_;
  std::unique_ptr<const LinkFilter> link_filter_;
};

// True for paths in the restricted areas (identity/, quarantine/, unlinked/).
bool is_restricted_path(std::string_view rel);

}  // namespace severn::store
