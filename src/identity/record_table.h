// The records of one linkage input: a CSV file read whole, cells kept as bytes in one buffer
// (a million-row extract is tens of bytes a cell, and one std::string per cell would double the
// memory). Input is treated as hostile: every structural problem (unterminated quote, wrong
// number of fields, an over-long field, a missing or repeated header name) is an InputError
// naming file, line and column; nothing is silently dropped except wholly blank lines.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace severn::identity {

struct CsvReadOptions {
  // Drop spaces around unquoted fields and between a separator and an opening quote. FEBRL's
  // files separate fields with ", ".
  bool trim_spaces = false;
  // A cell longer than this is an error, not a value: no name, date or postcode is 64 KiB long,
  // and a runaway quoted field should be reported where it starts.
  std::size_t max_field_bytes = 64 * 1024;
};

class RecordTable {
 public:
  static RecordTable read_file(const std::filesystem::path& path, const CsvReadOptions& options);
  // `source` names the text in messages.
  static RecordTable parse(std::string_view text, std::string source, const CsvReadOptions& options);
  // An empty table to fill in memory (the ingest's validated records), without a CSV round trip.
  static RecordTable with_header(std::string source, std::vector<std::string> header);
  // Appends a record; `cells` has one value per header column. `line` is where it came from.
  void add_row(const std::vector<std::string_view>& cells, std::int64_t line);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return lines_.size(); }
  std::size_t columns() const { return header_.size(); }
  // The file line on which a record starts (1 is the header).
  std::int64_t line(std::size_t row) const { return lines_[row]; }
  std::optional<std::size_t> column(std::string_view name) const;
  std::string_view cell(std::size_t row, std::size_t col) const {
    const std::size_t k = row * header_.size() + col;
    const std::uint32_t begin = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(bytes_).substr(begin, ends_[k] - begin);
  }

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::string bytes_;                // every data cell, unescaped, back to back
  std::vector<std::uint32_t> ends_;  // end of each cell in bytes_, row-major
  std::vector<std::int64_t> lines_;
};

}  // namespace severn::identity
