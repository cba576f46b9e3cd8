// The on-disk layout of a Severn store (DESIGN.md section 3).
//
//   STORE/manifest.json                  schema version, persons, every file with size and XXH3-128
//   STORE/tables/<table>/<column>.bin    one little-endian array per column, rows sorted by
//                                        (person_id, sort date), stable on input order
//   STORE/tables/<table>/<column>.valid  validity bitmap of a nullable column (bit i set = row i
//                                        has a value; LSB first)
//   STORE/tables/<table>/<column>.list   uint64 offsets (rows + 1) of a list column's values
//   STORE/tables/<table>/person_offsets.bin  uint64, persons + 1: rows of person p are
//                                        [offsets[p], offsets[p+1])
//   STORE/dictionaries/<name>.txt        one value per line; a code or category id is its line index
//   STORE/ledger.csv                     rows read, accepted, quarantined per table and source
//   STORE/quarantine/, unlinked/, identity/  restricted (0700): they hold identifiable values
//
// Dates are int32 days since 1970-01-01. Codes are uint32 ids into a dictionary per code system
// (snomedct, dmd, icd10, opcs4); other text is a uint32 id into a dictionary per column.
// A null's slot in the value array holds zero (0, +0.0, id 0), so sums and counts over a column
// are right without reading its validity bitmap; the bitmap says which zeros are nulls.
// The patients table has one row per person, row i being person_id i, so it has no offsets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace severn::store {

inline constexpr int kSchemaVersion = 1;
inline constexpr std::string_view kFormatName = "severn-store";

enum class ColumnType {
  kDate,      // int32 days since 1970-01-01
  kInt32,     // int32
  kFloat64,   // IEEE double
  kCode,      // uint32 id into a code-system dictionary
  kCategory,  // uint32 id into the column's dictionary
  kCodeList,  // uint64 offsets (.list) + uint32 code ids (.bin)
  kBytes32,   // 32 bytes per row (the HMAC-SHA256 pseudonym)
};

std::string_view type_name(ColumnType type);
std::optional<ColumnType> type_from_name(std::string_view name);
std::size_t element_size(ColumnType type);

inline bool is_valid(const std::uint8_t* bitmap, std::size_t row) {
  return (bitmap[row >> 3] >> (row & 7)) & 1U;
}

}  // namespace severn::store
