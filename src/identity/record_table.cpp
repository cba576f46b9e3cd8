#include "identity/record_table.h"

#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "core/mapped_file.h"

namespace severn::identity {

namespace {

// A one-pass RFC 4180 reader (quotes, "" escapes, CR LF) that hands each finished record to
// the table being built.
class Parser {
 public:
  Parser(std::string_view text, const std::string& source, const CsvReadOptions& options)
      : text_(text), source_(source), options_(options) {}

  // Calls on_record(fields, line) for every non-blank record, the header included.
  template <class OnRecord>
  void run(OnRecord on_record) {
    std::vector<std::string> fields;
    std::int64_t line = 1;
    std::size_t i = 0;
    while (i < text_.size()) {
      const std::int64_t record_line = line;
      fields.clear();
      bool blank = true;
      for (;;) {
        std::string field;
        bool quoted = false;
        if (options_.trim_spaces)
          while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
        if (i < text_.size() && text_[i] == '"') {
          quoted = true;
          blank = false;
          const std::int64_t quote_line = line;
          ++i;
          for (;;) {
            if (i >= text_.size())
              fail(quote_line, fields.size(), "unterminated quoted field (the quote opened here is never closed)");
            const char c = text_[i];
            if (c == '"') {
              if (i + 1 < text_.size() && text_[i + 1] == '"') {
                field += '"';
                i += 2;
                continue;
              }
              ++i;
              break;
            }
            if (c == '\n') ++line;
            field += c;
            ++i;
            check_length(field, quote_line, fields.size());
          }
          if (options_.trim_spaces)
            while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
          if (i < text_.size() && text_[i] != ',' && text_[i] != '\n' && text_[i] != '\r')
            fail(line, fields.size(), "unexpected character after a closing quote");
        } else {
          while (i < text_.size() && text_[i] != ',' && text_[i] != '\n' && text_[i] != '\r') {
            if (text_[i] == '"') fail(line, fields.size(), "quote inside an unquoted field (quote the whole field and double the quote)");
            field += text_[i++];
            check_length(field, line, fields.size());
          }
          if (options_.trim_spaces)
            while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.pop_back();
        }
        if (!field.empty() || quoted) blank = false;
        fields.push_back(std::move(field));
        if (i < text_.size() && text_[i] == ',') {
          blank = false;
          ++i;
          continue;
        }
        // End of record: \n, \r\n, a lone \r, or the end of the text.
        if (i < text_.size() && text_[i] == '\r') ++i;
        if (i < text_.size() && text_[i] == '\n') ++i;
        ++line;
        break;
      }
      if (!blank) on_record(fields, record_line);
    }
  }

  [[noreturn]] void fail(std::int64_t line, std::size_t field_index, const std::string& reason) const {
    const std::string field = field_index < header_.size() ? header_[field_index] : "";
    throw InputError(located(source_, line, field, field.empty() ? "field " + std::to_string(field_index + 1) + ": " + reason : reason));
  }

  void set_header(const std::vector<std::string>& header) { header_ = header; }

 private:
  void check_length(const std::string& field, std::int64_t line, std::size_t field_index) const {
    if (field.size() > options_.max_field_bytes)
      fail(line, field_index, "field longer than " + std::to_string(options_.max_field_bytes) + " bytes");
  }

  std::string_view text_;
  const std::string& source_;
  const CsvReadOptions& options_;
  std::vector<std::string> header_;
};

}  // namespace

RecordTable RecordTable::read_file(const std::filesystem::path& path, const CsvReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path.string() + ": file not found");
  if (std::filesystem::is_directory(path, ec)) throw InputError(path.string() + ": is a directory, not a CSV file");
  const MappedFile file(path);
  return parse(file.text(), path.string(), options);
}

RecordTable RecordTable::parse(std::string_view text, std::string source, const CsvReadOptions& options) {
  RecordTable t;
  t.source_ = std::move(source);
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.size() >= std::numeric_limits<std::uint32_t>::max())
    throw InputError(t.source_ + ": file larger than 4 GiB; split it");
  Parser parser(text, t.source_, options);
  bool have_header = false;
  parser.run([&](std::vector<std::string>& fields, std::int64_t line) {
    if (!have_header) {
      for (std::size_t c = 0; c < fields.size(); ++c) {
        if (fields[c].empty()) throw InputError(located(t.source_, line, "", "column " + std::to_string(c + 1) + " of the header has no name"));
        for (std::size_t d = 0; d < c; ++d)
          if (fields[d] == fields[c])
            throw InputError(located(t.source_, line, fields[c], "column name appears twice in the header"));
      }
      t.header_ = fields;
      parser.set_header(t.header_);
      have_header = true;
      return;
    }
    if (fields.size() != t.header_.size())
      throw InputError(located(t.source_, line, "",
                               "expected " + std::to_string(t.header_.size()) + " fields (as in the header), found " +
                                   std::to_string(fields.size())));
    for (const std::string& f : fields) {
      t.bytes_ += f;
      t.ends_.push_back(static_cast<std::uint32_t>(t.bytes_.size()));
    }
    t.lines_.push_back(line);
  });
  if (!have_header) throw InputError(t.source_ + ": file is empty (expected a header row)");
  return t;
}

RecordTable RecordTable::with_header(std::string source, std::vector<std::string> header) {
  RecordTable t;
  t.source_ = std::move(source);
  t.header_ = std::move(header);
  return t;
}

void RecordTable::add_row(const std::vector<std::string_view>& cells, std::int64_t line) {
  if (cells.size() != header_.size())
    throw std::logic_error("RecordTable::add_row: " + std::to_string(cells.size()) + " cells for " +
                           std::to_string(header_.size()) + " columns");
  for (const std::string_view c : cells) {
    bytes_ += c;
    if (bytes_.size() >= std::numeric_limits<std::uint32_t>::max())
      throw InputError(source_ + ": more than 4 GiB of identifying text; split the input");
    ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  lines_.push_back(line);
}

std::optional<std::size_t> RecordTable::column(std::string_view name) const {
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == name) return c;
  return std::nullopt;
}

}  // namespace severn::identity
