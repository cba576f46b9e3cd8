#include "ingest/csv_source.h"

#include <algorithm>
#include <cstring>
#include <system_error>
#include <vector>

#include "core/mapped_file.h"
#include "ingest/field_checks.h"
#include "store/checksum.h"

namespace severn::ingest {
namespace fs = std::filesystem;

const char* status_name(SourceStatus status) {
  switch (status) {
    case SourceStatus::kOk: return "ok";
    case SourceStatus::kMissing: return "missing";
    case SourceStatus::kEmpty: return "empty";
    case SourceStatus::kBadHeader: return "bad_header";
  }
  return "unknown";
}

namespace {

// A quoted field may hold line breaks, but a quote left open for this many lines is taken to be
// a broken quote rather than a long field, so one stray quote cannot swallow the rest of a file.
constexpr std::int64_t kMaxLinesInQuotedField = 64;

enum class RecordError { kNone, kQuoteInField, kTextAfterQuote, kUnterminatedQuote };

struct Parsed {
  const char* end = nullptr;   // end of the record text (terminator excluded)
  const char* next = nullptr;  // where the next record starts
  std::int64_t lines = 0;      // physical lines the record occupies
  std::size_t fields = 0;
  bool terminated = true;      // ended with a line break (false: last line of a truncated file)
  bool high_bytes = false;     // holds bytes >= 0x80 (needs a UTF-8 check)
  RecordError error = RecordError::kNone;
  std::size_t error_field = 0;
};

// Splits one record starting at p. Up to `cap` fields are stored in out (quoted fields with ""
// escapes are unescaped into buffers[i]).
Parsed parse_record(const char* p, const char* file_end, std::string_view* out, std::size_t cap,
                    std::string* buffers) {
  Parsed r;
  const char* const start = p;
  unsigned char high = 0;
  auto finish_line_after_error = [&](const char* from, RecordError e, std::size_t field) {
    r.error = e;
    r.error_field = field;
    const void* nl = std::memchr(from, '\n', static_cast<std::size_t>(file_end - from));
    const char* stop = nl ? static_cast<const char*>(nl) : file_end;
    r.lines = std::count(start, stop, '\n') + (nl ? 1 : 0);
    r.end = stop;
    r.next = nl ? stop + 1 : file_end;
    r.terminated = nl != nullptr;
    return r;
  };
  std::size_t field = 0;
  for (;;) {
    std::string_view value;
    const char* q = p;
    if (q < file_end && *q == '"') {
      const char* s = q + 1;
      bool escaped = false;
      std::int64_t newlines = 0;
      const char* close = nullptr;
      for (;;) {
        const void* found = std::memchr(s, '"', static_cast<std::size_t>(file_end - s));
        const char* c = found ? static_cast<const char*>(found) : file_end;
        newlines += std::count(s, c, '\n');
        if (!found || newlines > kMaxLinesInQuotedField) {
          // Resume at the line after the one the record started on.
          const void* nl = std::memchr(start, '\n', static_cast<std::size_t>(file_end - start));
          r.error = RecordError::kUnterminatedQuote;
          r.error_field = field;
          r.end = nl ? static_cast<const char*>(nl) : file_end;
          r.next = nl ? r.end + 1 : file_end;
          r.lines = 1;
          r.terminated = nl != nullptr;
          return r;
        }
        if (c + 1 < file_end && c[1] == '"') {
          escaped = true;
          s = c + 2;
          continue;
        }
        close = c;
        break;
      }
      for (const char* b = q + 1; b < close; ++b) high |= static_cast<unsigned char>(*b);
      if (escaped && field < cap) {  // fields past cap are not kept: leave buffers alone
        std::string& buf = buffers[field];
        buf.clear();
        for (const char* b = q + 1; b < close; ++b) {
          buf += *b;
          if (*b == '"') ++b;
        }
        value = buf;
      } else {
        value = std::string_view(q + 1, static_cast<std::size_t>(close - q - 1));
      }
      q = close + 1;
      if (q < file_end && *q != ',' && *q != '\n' && !(*q == '\r' && q + 1 < file_end && q[1] == '\n'))
        return finish_line_after_error(q, RecordError::kTextAfterQuote, field);
      if (q < file_end && *q == '\r') ++q;
    } else {
      while (q < file_end) {
        const char c = *q;
        if (c == ',' || c == '\n') break;
        if (c == '"') return finish_line_after_error(q, RecordError::kQuoteInField, field);
        high |= static_cast<unsigned char>(c);
        ++q;
      }
      const char* vend = q;
      if (q < file_end && *q == '\n' && vend > p && vend[-1] == '\r') --vend;
      value = std::string_view(p, static_cast<std::size_t>(vend - p));
    }
    if (field < cap) out[field] = value;
    ++field;
    if (q < file_end && *q == ',') {
      p = q + 1;
      continue;
    }
    r.fields = field;
    r.high_bytes = high >= 0x80;
    if (q < file_end) {  // at '\n'
      const char* e = q;
      if (e > start && e[-1] == '\r') --e;
      r.end = e;
      r.next = q + 1;
      r.lines = std::count(start, q, '\n') + 1;
    } else {
      r.end = file_end;
      r.next = file_end;
      r.lines = std::count(start, file_end, '\n') + 1;
      r.terminated = false;
    }
    return r;
  }
}

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

class CsvSource final : public SourceReader {
 public:
  CsvSource(const fs::path& root, const std::string& rel, std::span<const std::string_view> fields,
            std::size_t part_bytes, std::span<const std::string_view> optional_fields)
      : name_(rel), schema_(fields.begin(), fields.end()), optional_(optional_fields.begin(), optional_fields.end()) {
    const fs::path path = root / rel;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      status_ = SourceStatus::kMissing;
      detail_ = "file not found: " + path.string();
      return;
    }
    file_ = MappedFile(path);
    std::string_view text = file_.text();
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.empty()) {
      status_ = SourceStatus::kEmpty;
      detail_ = file_.size() == 0 ? "file is empty (0 bytes)" : "file holds only a byte-order mark";
      return;
    }
    text = with_lf_line_ends(text);
    skip_blank_lines_before_header(text);
    if (text.empty()) {
      // Only blank lines: no header, nothing to read, but every line is still counted.
      status_ = SourceStatus::kEmpty;
      detail_ = "file has no header line (" + std::to_string(preamble_.size()) + " blank line" +
                (preamble_.size() == 1 ? "" : "s") + ", quarantined)";
      for (auto& blank : preamble_) blank.reason = "blank line: the file has no header line";
      parts_.push_back({0, 0, header_line_});
      return;
    }
    const auto nl = text.find('\n');
    std::string_view header = text.substr(0, nl);
    if (header.ends_with('\r')) header.remove_suffix(1);
    body_ = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    read_header(header);
    header_reason_ = detail_;
    if (!preamble_.empty())
      add_note(std::to_string(preamble_.size()) + " blank line" + (preamble_.size() == 1 ? "" : "s") +
               " before the header on line " + std::to_string(header_line_) + " (quarantined)");
    if (!normalised_.empty()) add_note("line ends are CR only (classic Mac OS): each CR read as a line end");
    plan_parts(part_bytes);
  }

  const std::string& name() const override { return name_; }
  SourceStatus status() const override { return status_; }
  const std::string& status_detail() const override { return detail_; }
  std::uint64_t bytes() const override { return file_.size(); }
  std::string checksum() const override { return store::xxh3_hex(file_.text()); }
  std::size_t parts() const override { return parts_.size(); }
  std::vector<std::string> absent_fields() const override { return absent_; }

  void read_part(std::size_t index, RecordSink& sink) const override {
    const Part& part = parts_[index];
    const std::size_t cap = columns_ + 1;
    std::vector<std::string_view> raw(cap);
    std::vector<std::string> buffers(cap);
    std::vector<std::string_view> ordered(schema_.size());
    const char* const file_end = body_.data() + body_.size();
    const char* p = body_.data() + part.begin;
    const char* const stop = body_.data() + part.end;
    std::int64_t line = part.first_line;
    if (index == 0)
      for (const Blank& blank : preamble_) sink.problem({blank.line, blank.text, "", "", blank.reason});
    while (p < stop) {
      Parsed r = parse_record(p, file_end, raw.data(), cap, buffers.data());
      if (r.lines > 1 && status_ == SourceStatus::kOk &&
          (r.error != RecordError::kNone || r.fields != columns_)) {
        // A quote that runs on over line breaks into a record that does not fit the header is a
        // stray quote: only its own line is rejected, and reading resumes on the next line.
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(file_end - p));
        r.end = static_cast<const char*>(nl);
        r.next = r.end + 1;
        r.lines = 1;
        r.terminated = true;
        r.error = RecordError::kUnterminatedQuote;
        r.error_field = 0;
        for (const char* c = p; c < r.end && *c != '"'; ++c) r.error_field += *c == ',';
        if (r.end > p && r.end[-1] == '\r') --r.end;
      }
      const std::string_view text(p, static_cast<std::size_t>(r.end - p));
      const std::int64_t this_line = line;
      line += r.lines;
      p = r.next;
      if (status_ == SourceStatus::kBadHeader) {
        sink.problem({this_line, text, missing_field_, "", header_reason_});
        continue;
      }
      if (!r.terminated) {
        sink.problem({this_line, text, "", "",
                      "last line has no line break: the file looks truncated"});
        continue;
      }
      if (r.error != RecordError::kNone) {
        sink.problem({this_line, text, column_label(r.error_field), "", describe(r.error)});
        continue;
      }
      if (r.high_bytes) {
        const std::size_t bad = first_invalid_utf8(text);
        if (bad != std::string_view::npos) {
          // The field holding the bad byte. Not found by counting commas: a quoted field may hold
          // commas. Fields past cap are not kept; then the record is named without a field.
          const std::size_t kept = std::min(r.fields, cap);
          std::size_t column = 0;
          while (column < kept && first_invalid_utf8(raw[column]) == std::string_view::npos) ++column;
          sink.problem({this_line, text, column < kept ? column_label(column) : std::string(),
                        column < kept ? printable(raw[column]) : std::string(),
                        "invalid UTF-8: byte " + printable(text.substr(bad, 1)) + " at position " +
                            std::to_string(bad + 1) + " of the line (counting bytes)"});
          continue;
        }
      }
      if (text.empty()) {
        sink.problem({this_line, text, "", "", "empty line"});
        continue;
      }
      if (r.fields != columns_) {
        sink.problem({this_line, text, "", "",
                      "expected " + std::to_string(columns_) + " fields (as in the header), found " +
                          std::to_string(r.fields)});
        continue;
      }
      for (std::size_t i = 0; i < schema_.size(); ++i)
        ordered[i] = map_[i] < 0 ? std::string_view() : raw[static_cast<std::size_t>(map_[i])];
      sink.record({this_line, text, ordered, {}, {}});
    }
  }

 private:
  struct Part {
    std::size_t begin, end;
    std::int64_t first_line;
  };

  // A blank line before the header: counted and quarantined, never silently dropped.
  struct Blank {
    std::int64_t line;
    std::string_view text;
    std::string reason;
  };

  static bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
  }

  void add_note(const std::string& note) { detail_ += (detail_.empty() ? "" : "; ") + note; }

  // Classic Mac OS files end lines with a lone CR. When the file's first line break is a lone CR,
  // every lone CR is read as a line end (a CRLF stays one line end), so each of its lines is a
  // record with its own line number; otherwise the whole file would be one header line and its
  // rows would vanish. Files whose first line break is LF or CRLF are read as they are.
  std::string_view with_lf_line_ends(std::string_view text) {
    const auto brk = text.find_first_of("\r\n");
    if (brk == std::string_view::npos || text[brk] != '\r') return text;
    if (brk + 1 < text.size() && text[brk + 1] == '\n') return text;
    normalised_.assign(text);
    for (std::size_t i = 0; i < normalised_.size(); ++i)
      if (normalised_[i] == '\r' && (i + 1 == normalised_.size() || normalised_[i + 1] != '\n'))
        normalised_[i] = '\n';
    return normalised_;
  }

  // Blank lines (spaces, tabs) before the header are quarantined one by one; the first line with
  // text is the header.
  void skip_blank_lines_before_header(std::string_view& text) {
    while (!text.empty()) {
      const auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      if (!is_blank(line)) return;
      if (line.ends_with('\r')) line.remove_suffix(1);
      preamble_.push_back({header_line_, line, "blank line before the header"});
      ++header_line_;
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
  }

  static const char* describe(RecordError e) {
    switch (e) {
      case RecordError::kQuoteInField: return "broken quoting: a quote inside an unquoted field";
      case RecordError::kTextAfterQuote: return "broken quoting: text after a closing quote";
      case RecordError::kUnterminatedQuote: return "broken quoting: a quote that is never closed";
      case RecordError::kNone: break;
    }
    return "";
  }

  std::string column_label(std::size_t column) const {
    if (column < header_names_.size()) return header_names_[column];
    return "column " + std::to_string(column + 1);
  }

  void read_header(std::string_view header) {
    std::vector<std::string_view> raw(256);
    std::vector<std::string> buffers(256);
    const Parsed r = parse_record(header.data(), header.data() + header.size(), raw.data(), raw.size(),
                                  buffers.data());
    if (r.error != RecordError::kNone || r.fields > raw.size()) {
      status_ = SourceStatus::kBadHeader;
      detail_ = "header line is not valid CSV";
      return;
    }
    columns_ = r.fields;
    for (std::size_t i = 0; i < columns_; ++i) header_names_.emplace_back(raw[i]);
    for (std::size_t i = 0; i < columns_; ++i) {
      if (!lower_trimmed(header_names_[i]).empty()) continue;
      // A nameless column (often a trailing comma) would make every row look one field short.
      status_ = SourceStatus::kBadHeader;
      detail_ = "header column " + std::to_string(i + 1) + " has no name";
      return;
    }
    map_.assign(schema_.size(), -1);
    std::vector<bool> used(columns_, false);
    for (std::size_t f = 0; f < schema_.size(); ++f) {
      const std::string want = lower_trimmed(schema_[f]);
      for (std::size_t c = 0; c < columns_; ++c) {
        if (lower_trimmed(header_names_[c]) != want) continue;
        if (map_[f] >= 0) {
          status_ = SourceStatus::kBadHeader;
          missing_field_ = std::string(schema_[f]);
          detail_ = "header names column '" + missing_field_ + "' twice";
          return;
        }
        map_[f] = static_cast<int>(c);
        used[c] = true;
      }
      if (map_[f] < 0 && std::find(optional_.begin(), optional_.end(), schema_[f]) != optional_.end()) {
        absent_.emplace_back(schema_[f]);
        continue;
      }
      if (map_[f] < 0) {
        status_ = SourceStatus::kBadHeader;
        missing_field_ = std::string(schema_[f]);
        detail_ = "header lacks column '" + missing_field_ + "'";
        return;
      }
    }
    for (std::size_t c = 0; c < columns_; ++c)
      if (!used[c]) detail_ += (detail_.empty() ? "ignored columns: " : ", ") + header_names_[c];
    if (!absent_.empty()) {
      std::string names;
      for (const auto& a : absent_) names += (names.empty() ? "" : ", ") + a;
      add_note("an older extract: header lacks optional column" + std::string(absent_.size() == 1 ? " " : "s ") +
               names + " (read as empty: stored as null where the column may be empty, else not stored)");
    }
    // Names as the schema spells them, for problem reports.
    for (std::size_t f = 0; f < schema_.size(); ++f)
      if (map_[f] >= 0) header_names_[static_cast<std::size_t>(map_[f])] = std::string(schema_[f]);
  }

  void plan_parts(std::size_t part_bytes) {
    const std::size_t n = body_.size();
    if (n == 0) {
      if (!preamble_.empty()) parts_.push_back({0, 0, header_line_ + 1});  // to deliver the blank lines
      return;
    }
    const bool has_quotes = std::memchr(body_.data(), '"', n) != nullptr;
    std::size_t begin = 0;
    std::int64_t line = header_line_ + 1;
    while (begin < n) {
      std::size_t end = n;
      if (!has_quotes && n - begin > part_bytes) {
        const void* nl = std::memchr(body_.data() + begin + part_bytes, '\n', n - begin - part_bytes);
        end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - body_.data()) + 1 : n;
      }
      parts_.push_back({begin, end, line});
      line += std::count(body_.data() + begin, body_.data() + end, '\n');
      begin = end;
    }
  }

  std::string name_;
  std::vector<std::string_view> schema_;
  std::vector<std::string_view> optional_;  // fields the header may lack
  std::vector<std::string> absent_;         // optional fields it lacks
  SourceStatus status_ = SourceStatus::kOk;
  std::string detail_;
  std::string missing_field_;
  std::string header_reason_;  // a bad header's reason, given for each of its rows
  MappedFile file_;
  std::string normalised_;        // the file with CR line ends made LF; empty when not needed
  std::vector<Blank> preamble_;   // blank lines before the header
  std::int64_t header_line_ = 1;  // physical line of the header
  std::string_view body_;
  std::size_t columns_ = 0;
  std::vector<std::string> header_names_;
  std::vector<int> map_;
  std::vector<Part> parts_;
};

}  // namespace

std::unique_ptr<SourceReader> open_csv_source(const fs::path& root, const std::string& relative,
                                              std::span<const std::string_view> fields,
                                              std::size_t part_bytes,
                                              std::span<const std::string_view> optional_fields) {
  return std::make_unique<CsvSource>(root, relative, fields, part_bytes, optional_fields);
}

}  // namespace severn::ingest
