#include "sql/row_encoders.h"

namespace severn::sql {

void CopyTextEncoder::separate() {
  if (in_row_) out_ += '\t';
  in_row_ = true;
}

void CopyTextEncoder::cell(std::string_view text) {
  separate();
  for (const char c : text) {
    switch (c) {
      case '\\': out_ += "\\\\"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      default: out_ += c;
    }
  }
}

void CopyTextEncoder::null() {
  separate();
  out_ += "\\N";
}

void CopyTextEncoder::end_row() {
  out_ += '\n';
  in_row_ = false;
}

void NullMarkedCsvEncoder::separate() {
  if (in_row_) out_ += ',';
  in_row_ = true;
}

void NullMarkedCsvEncoder::cell(std::string_view text) {
  separate();
  const bool quote = text.empty() || text == "\\N" || text.find_first_of(",\"\n\r") != std::string_view::npos ||
                     text.front() == ' ' || text.back() == ' ' || text.front() == '\t' || text.back() == '\t';
  if (!quote) {
    out_.append(text);
    return;
  }
  out_ += '"';
  for (const char c : text) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  out_ += '"';
}

void NullMarkedCsvEncoder::null() {
  separate();
  out_ += "\\N";
}

void NullMarkedCsvEncoder::end_row() {
  out_ += '\n';
  in_row_ = false;
}

}  // namespace severn::sql
