// Fast CSV row building into a memory buffer (RFC 4180 minimal quoting, LF line ends).
// Generators fill one buffer per chunk of people and hand it to a file in order.
#pragma once
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"

namespace severn {

class CsvRow {
 public:
  explicit CsvRow(std::string& out) : out_(out) {}
  ~CsvRow() { out_ += '\n'; }
  CsvRow(const CsvRow&) = delete;
  CsvRow& operator=(const CsvRow&) = delete;

  CsvRow& text(std::string_view s) {
    sep();
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
      out_.append(s);
    } else {
      out_ += '"';
      for (char c : s) {
        if (c == '"') out_ += '"';
        out_ += c;
      }
      out_ += '"';
    }
    return *this;
  }
  CsvRow& integer(std::int64_t v) {
    sep();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  // Fixed decimals without locale or exponent: 1 decimal for mmHg-style values, etc.
  CsvRow& decimal(double v, int places) {
    sep();
    char buf[48];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, places);
    out_.append(buf, r.ptr);
    return *this;
  }
  CsvRow& date(Days d) {
    sep();
    const std::size_t at = out_.size();
    out_.resize(at + 10);
    write_iso_date(d, out_.data() + at);
    return *this;
  }
  CsvRow& empty() {
    sep();
    return *this;
  }

 private:
  void sep() {
    if (started_) out_ += ',';
    started_ = true;
  }
  std::string& out_;
  bool started_ = false;
};

}  // namespace severn
