#include "core/csv_table.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace severn {

CsvTable CsvTable::read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw InputError(path.string() + ": file not found");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path.string());
}

CsvTable CsvTable::parse(std::string_view text, std::string source) {
  CsvTable t;
  t.source_ = std::move(source);
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.empty()) throw InputError(t.source_ + ": file is empty (expected a header row)");

  std::vector<std::string> record;
  std::string field;
  std::int64_t line = 1, record_line = 1;
  bool in_quotes = false, field_quoted = false, any = false;
  std::size_t i = 0;
  auto end_record = [&]() {
    record.push_back(std::move(field));
    field.clear();
    if (t.header_.empty()) {
      t.header_ = std::move(record);
    } else if (!(record.size() == 1 && record[0].empty() && !field_quoted)) {
      if (record.size() != t.header_.size())
        throw InputError(located(t.source_, record_line, "",
                                 "expected " + std::to_string(t.header_.size()) +
                                     " fields, found " + std::to_string(record.size())));
      t.rows_.push_back(std::move(record));
      t.lines_.push_back(record_line);
    }
    record.clear();
    field_quoted = false;
    any = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        in_quotes = false;
        ++i;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw InputError(located(t.source_, line, "", "unexpected character after closing quote"));
        continue;
      }
      if (c == '\n') ++line;
      field += c;
      ++i;
      continue;
    }
    if (!any) record_line = line;
    any = true;
    if (c == '"' && field.empty()) {
      in_quotes = true;
      field_quoted = true;
      ++i;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
    } else if (c == '\n') {
      end_record();
      ++line;
      ++i;
    } else {
      if (c == '"') throw InputError(located(t.source_, line, "", "quote inside an unquoted field"));
      field += c;
      ++i;
    }
  }
  if (in_quotes) throw InputError(located(t.source_, record_line, "", "unterminated quoted field"));
  if (any) end_record();
  if (t.header_.empty()) throw InputError(t.source_ + ": file is empty (expected a header row)");
  return t;
}

bool CsvTable::has_column(std::string_view name) const {
  for (const auto& h : header_)
    if (h == name) return true;
  return false;
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  throw InputError(located(source_, 1, std::string(name), "column is missing from the header"));
}

void CsvTable::fail(std::size_t row, std::size_t col, const std::string& reason) const {
  throw InputError(located(source_, lines_[row], header_[col], reason));
}

std::int64_t CsvTable::get_int(std::size_t row, std::size_t col) const {
  const std::string& s = rows_[row][col];
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    fail(row, col, "expected a whole number, found '" + s + "'");
  return v;
}

double CsvTable::get_double(std::size_t row, std::size_t col) const {
  const std::string& s = rows_[row][col];
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    fail(row, col, "expected a number, found '" + s + "'");
  return v;
}

}  // namespace severn
