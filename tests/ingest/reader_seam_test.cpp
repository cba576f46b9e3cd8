// The reader seam: a source in another format, read through its own SourceReader, builds the same
// store as the CSV. The format here is newline-delimited JSON (one object per record, as in FHIR
// Bulk Data NDJSON), read with simdjson; nothing in validation or the store changes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/csv_table.h"
#include "core/mapped_file.h"
#include "ingest/source_reader.h"
#include "ingest_fixture.h"
#include "store/manifest.h"

namespace severn::testing {
namespace {

// One JSON object per line; a field that is absent or null is empty.
class NdjsonSource final : public ingest::SourceReader {
 public:
  NdjsonSource(const std::filesystem::path& path, std::string name,
               std::span<const std::string_view> fields)
      : name_(std::move(name)), fields_(fields.begin(), fields.end()) {
    if (!std::filesystem::exists(path)) {
      status_ = ingest::SourceStatus::kMissing;
      return;
    }
    text_ = read_text(path);
  }
  const std::string& name() const override { return name_; }
  ingest::SourceStatus status() const override { return status_; }
  const std::string& status_detail() const override { return detail_; }
  std::uint64_t bytes() const override { return text_.size(); }
  std::string checksum() const override { return "ndjson"; }
  std::size_t parts() const override { return text_.empty() ? 0 : 1; }
  void read_part(std::size_t, ingest::RecordSink& sink) const override {
    simdjson::dom::parser parser;
    std::vector<std::string_view> values(fields_.size());
    std::int64_t line = 0;
    std::string_view rest = text_;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      const std::string_view record = rest.substr(0, nl);
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      ++line;
      simdjson::dom::element object;
      if (parser.parse(record.data(), record.size()).get(object) != simdjson::SUCCESS) {
        sink.problem({line, record, "", "", "not a JSON object"});
        continue;
      }
      for (std::size_t i = 0; i < fields_.size(); ++i) {
        std::string_view v;
        values[i] = object[fields_[i]].get(v) == simdjson::SUCCESS ? v : std::string_view();
      }
      sink.record({line, record, values, {}, {}});
    }
  }

 private:
  std::string name_;
  std::vector<std::string_view> fields_;
  ingest::SourceStatus status_ = ingest::SourceStatus::kOk;
  std::string detail_;
  std::string text_;
};

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The valid extract rewritten as NDJSON files beside the CSV ones (empty values become null).
void write_ndjson(const std::filesystem::path& dir) {
  for (const auto& [rel, text] : valid_extract()) {
    const CsvTable t = CsvTable::parse(text, rel);
    std::string out;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      out += "{";
      for (std::size_t c = 0; c < t.header().size(); ++c) {
        out += (c ? "," : "") + json_string(t.header()[c]) + ":" +
               (t.cell(r, c).empty() ? "null" : json_string(t.cell(r, c)));
      }
      out += "}\n";
    }
    write_text(dir / (rel.substr(0, rel.size() - 4) + ".ndjson"), out);
  }
}

TEST(ReaderSeam, NdjsonSourcesBuildTheSameStoreAsCsv) {
  SEVERN_REQUIRE_PACK();
  Scratch s("seam");
  write_extract(s.dir() / "csv", valid_extract());
  write_ndjson(s.dir() / "json");
  const auto key = write_key(s.dir());
  ingest::run_ingest(options_for(s.dir() / "csv", s.dir() / "from-csv", key));
  auto o = options_for(s.dir() / "json", s.dir() / "from-json", key);
  o.open_source = [](const std::filesystem::path& root, const std::string& rel,
                     std::span<const std::string_view> fields, std::size_t) {
    const std::string json = rel.substr(0, rel.size() - 4) + ".ndjson";
    return std::make_unique<NdjsonSource>(root / json, rel, fields);
  };
  const auto r = ingest::run_ingest(o);
  for (const auto& e : r.ledger) EXPECT_EQ(e.quarantined, 0U) << e.source;

  const auto a = store::parse_manifest(s.dir() / "from-csv/manifest.json");
  const auto b = store::parse_manifest(s.dir() / "from-json/manifest.json");
  std::size_t compared = 0;
  for (const auto& [path, file] : a.files) {
    if (path.rfind("tables/", 0) != 0 && path.rfind("dictionaries/", 0) != 0) continue;
    ASSERT_TRUE(b.files.count(path)) << path;
    EXPECT_EQ(b.files.at(path).xxh3, file.xxh3) << path;
    ++compared;
  }
  EXPECT_GT(compared, 50U);
}

}  // namespace
}  // namespace severn::testing
