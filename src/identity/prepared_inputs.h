// The records of a run, ready to compare: each input's ids in a canonical order (sorted by id, so
// results never depend on the order of the rows in the files), and for every configured field
// the normalised value of every record as an id into one dictionary shared by both inputs
// (equal values have equal ids across files). Per-value facts (dates, nickname groups, derived
// keys for phonetic codes, postcode parts and blocking) are computed once per distinct value.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "identity/link_config.h"
#include "identity/nicknames.h"
#include "identity/record_table.h"
#include "identity/value_dictionary.h"

namespace severn::identity {

// Functions of one field's value used as keys: blocking rules join on them, and the phonetic and
// postcode levels compare them.
enum class Derivation : std::uint8_t {
  kValue,             // the normalised value
  kNysiis,
  kSoundex,
  kFirst,             // first n characters
  kYear,              // dates
  kYearMonth,         // dates
  kPostcodeSector,
  kPostcodeDistrict,
  kPostcodeArea,
};

struct DerivedKey {
  int field = 0;  // index into PreparedInputs::fields
  Derivation fn = Derivation::kValue;
  int n = 0;      // kFirst
  auto operator<=>(const DerivedKey&) const = default;
};

// The text of a derived key for one normalised value ("" when it has none, e.g. the sector of a
// postcode that does not parse).
std::string derive(Derivation fn, int n, FieldKind kind, std::string_view value);

struct FieldValues {
  const FieldSpec* spec = nullptr;
  ValueDictionary dictionary;
  std::array<std::vector<std::uint32_t>, 2> ids;  // per input, per record (canonical order)
  std::vector<std::uint32_t> counts;              // per value: records holding it, both inputs
  std::uint64_t non_null = 0;
  std::vector<Days> days;                         // per value, date fields
  std::vector<const std::vector<std::uint32_t>*> nickname_groups;  // per value, name fields
  std::uint64_t invalid = 0;                      // cells that were not blank but normalised to null
  std::int64_t first_invalid_line = 0;
  std::string first_invalid_source;
};

class PreparedInputs {
 public:
  // Throws InputError: a configured column or the id column missing from a file, an empty or
  // duplicate id (naming both lines).
  PreparedInputs(const LinkConfig& config, const RecordTable& left, const RecordTable* right,
                 const NicknameTable& nicknames, unsigned threads);

  bool linking() const { return tables_[1] != nullptr; }
  // Dedupe compares input 0 with itself.
  int right_side() const { return linking() ? 1 : 0; }
  std::size_t size(int side) const { return ids_[side].size(); }
  std::string_view id(int side, std::uint32_t record) const { return ids_[side][record]; }
  const RecordTable& table(int side) const { return *tables_[side]; }
  std::uint32_t row(int side, std::uint32_t record) const { return rows_[side][record]; }
  // Finds a record by id; -1 when absent.
  std::int64_t find(int side, std::string_view id) const;

  int field_index(const std::string& name) const;  // -1 when unknown
  const FieldValues& field(int index) const { return fields_[index]; }
  std::size_t field_count() const { return fields_.size(); }
  // Reads the record-major copy: comparing a pair touches one row per record, not one array per
  // field (the difference between 2 and 16 cache misses a pair on a million records).
  std::uint32_t value_id(int field, int side, std::uint32_t record) const {
    return rows_of_ids_[side][record * fields_.size() + static_cast<std::size_t>(field)];
  }
  std::string_view value(int field, int side, std::uint32_t record) const {
    return fields_[field].dictionary.value(value_id(field, side, record));
  }

  // Per-value 64-bit keys of a derivation (0 = no key), computed on first request. Not
  // thread-safe: request every key a run needs before starting threads (ensure_key).
  const std::vector<std::uint64_t>& key(const DerivedKey& k);
  const std::vector<std::uint64_t>* key_if_ready(const DerivedKey& k) const;
  std::uint64_t record_key(const DerivedKey& k, int side, std::uint32_t record) const {
    return (*key_if_ready(k))[fields_[k.field].ids[side][record]];
  }

 private:
  std::array<const RecordTable*, 2> tables_{};
  std::array<std::vector<std::string_view>, 2> ids_;
  std::array<std::vector<std::uint32_t>, 2> rows_;
  std::vector<FieldValues> fields_;
  std::array<std::vector<std::uint32_t>, 2> rows_of_ids_;  // per input: record * fields + field
  std::map<DerivedKey, std::vector<std::uint64_t>> keys_;
};

}  // namespace severn::identity
