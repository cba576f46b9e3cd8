// What validating one part of a source produces: accepted rows as column buffers, plus the rows
// that were quarantined or could not be linked yet, each with its reason.
#pragma once
#include <xxhash.h>

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "identity/partner_record.h"
#include "store/format.h"

namespace severn::ingest {

// First-occurrence interning: ids follow the order values first appear, so merging parts in
// source order gives the same ids however the file was split.
class LocalDictionary {
 public:
  std::uint32_t id(std::string_view value) {
    const auto it = ids_.find(value);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(values_.size());
    values_.emplace_back(value);
    ids_.emplace(values_.back(), id);
    return id;
  }
  const std::vector<std::string>& values() const { return values_; }
  std::size_t size() const { return values_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> ids_;
};

struct ColumnBuffer {
  store::ColumnType type = store::ColumnType::kInt32;
  bool nullable = false;
  int dictionary = -1;                 // slot in the part's dictionaries
  std::vector<std::int32_t> i32;       // kDate, kInt32
  std::vector<double> f64;             // kFloat64
  std::vector<std::uint32_t> ids;      // kCode, kCategory, kCodeList values
  std::vector<std::uint32_t> list_len; // kCodeList: values per row
  std::vector<std::array<std::uint8_t, 32>> bytes32;
  std::vector<std::uint8_t> valid;     // nullable: 1 = value present
};

struct QuarantineRow {
  std::int64_t line = 0;
  std::string field;
  std::string value;
  std::string reason;
  std::string text;
  std::string_view source;  // "" = the table's source (SourceRecord::source)
};

struct UnlinkedRow {
  std::int64_t line = 0;
  std::string reason;
  std::string text;
  std::string_view source;
};

// A key that must be unique in its source (record id, NHS number of a person, local id).
struct KeyRow {
  XXH128_hash_t hash{};
  std::int64_t line = 0;
  std::uint32_t row = 0;   // index among the part's accepted rows, or among its unlinked rows
  bool unlinked = false;
  std::string_view text;   // points into the source, which outlives the table's assembly
  std::string_view field;  // a schema field name (static)
  std::string_view value;  // into the source, or into PartOutput::key_storage
  std::string_view source;  // SourceRecord::source
};

struct PartOutput {
  std::uint64_t read = 0;
  std::vector<std::uint32_t> person;  // per accepted row (kPersons: unused)
  std::vector<ColumnBuffer> columns;  // per stored field, in schema order
  std::vector<LocalDictionary> dictionaries;
  std::vector<QuarantineRow> quarantine;
  std::vector<UnlinkedRow> unlinked;
  std::vector<KeyRow> keys;
  std::deque<std::string> key_storage;  // key values that were unescaped, so not in the source
  std::vector<identity::GpPerson> persons;               // kPersons: per accepted row
  std::vector<identity::PartnerRecord> partner_records;  // kPartnerIndex: per accepted row
  // kPartnerIndex: partner + '\x1f' + local id of quarantined records, with their line.
  std::vector<std::pair<std::string, std::int64_t>> quarantined_partner_keys;
  // Tables with a pathway column: patient_pathway_id + '\x1f' + provider + '\x1f' + local id of
  // accepted rows, by first appearance; the pathway column holds ids into it until assembly.
  LocalDictionary pathway_keys;
  std::uint64_t accepted_rows() const;
};

}  // namespace severn::ingest
