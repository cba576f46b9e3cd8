// A whole CSV file in memory (RFC 4180: comma separated, optional double quotes, "" escapes a
// quote, header row first). For reference data and test fixtures, not for bulk extracts.
// Every accessor that can fail throws InputError naming the file, line and column.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace severn {

class CsvTable {
 public:
  // Throws InputError when the file is missing, unreadable, empty, or malformed.
  static CsvTable read_file(const std::filesystem::path& path);
  // `source` names the text in error messages.
  static CsvTable parse(std::string_view text, std::string source);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return rows_.size(); }
  std::int64_t line(std::size_t row) const { return lines_[row]; }

  bool has_column(std::string_view name) const;
  std::size_t column(std::string_view name) const;  // throws if absent
  const std::string& cell(std::size_t row, std::size_t col) const { return rows_[row][col]; }
  const std::string& cell(std::size_t row, std::string_view name) const {
    return rows_[row][column(name)];
  }

  std::int64_t get_int(std::size_t row, std::size_t col) const;
  double get_double(std::size_t row, std::size_t col) const;
  bool is_empty(std::size_t row, std::size_t col) const { return rows_[row][col].empty(); }

  [[noreturn]] void fail(std::size_t row, std::size_t col, const std::string& reason) const;

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::int64_t> lines_;
};

}  // namespace severn
