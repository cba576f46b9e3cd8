// RowSinks that encode warehouse rows for a bulk loader, into a buffer the caller drains.
//   CopyTextEncoder: PostgreSQL COPY ... FROM STDIN text format: tab-separated, null as \N, and
//     backslash, tab, newline and carriage return escaped (\\ \t \n \r), so any text survives.
//   NullMarkedCsvEncoder: CSV for DuckDB's reader with nullstr '\N' and allow_quoted_nulls false:
//     null is an unquoted \N; text is quoted whenever it could be mistaken for something else (an
//     empty string, \N itself, a comma, quote or line break, leading or trailing space).
#pragma once
#include <string>
#include <string_view>

#include "sql/warehouse_rows.h"

namespace severn::sql {

class CopyTextEncoder : public RowSink {
 public:
  void cell(std::string_view text) override;
  void null() override;
  void end_row() override;
  std::string& buffer() { return out_; }

 private:
  void separate();
  std::string out_;
  bool in_row_ = false;
};

class NullMarkedCsvEncoder : public RowSink {
 public:
  void cell(std::string_view text) override;
  void null() override;
  void end_row() override;
  std::string& buffer() { return out_; }

 private:
  void separate();
  std::string out_;
  bool in_row_ = false;
};

}  // namespace severn::sql
