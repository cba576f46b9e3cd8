#include "ingest/data_end.h"

#include <simdjson.h>

#include <optional>

namespace severn::ingest {
namespace {

struct Latest {
  std::optional<Days> date;
  std::string where;  // table.column
};

Latest latest_in_tables(const store::Manifest& manifest) {
  Latest latest;
  for (const auto& t : manifest.tables) {
    if (!t.max_date || (latest.date && *t.max_date <= *latest.date)) continue;
    latest.date = *t.max_date;
    latest.where = t.name + "." + t.sort_date;
  }
  return latest;
}

// SRC/manifest.json's end_date, when the file exists and holds one; an empty optional otherwise.
// A malformed file or value is reported through *problem.
std::optional<std::string> declared_end(const std::filesystem::path& file, std::string* problem) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::padded_string json;
  simdjson::dom::element root;
  if (simdjson::padded_string::load(file.string()).get(json) != simdjson::SUCCESS ||
      parser.parse(json).get(root) != simdjson::SUCCESS) {
    *problem = file.string() + " is not valid JSON; its end_date is not used";
    return std::nullopt;
  }
  simdjson::dom::element value;
  if (root.is_object() == false || root["end_date"].get(value) != simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    *problem = file.string() + ": end_date is not text; it is not used";
    return std::nullopt;
  }
  return std::string(text);
}

}  // namespace

DataEnd find_data_end(const std::filesystem::path& source_dir, Days as_of, const store::Manifest& manifest) {
  const Latest latest = latest_in_tables(manifest);
  DataEnd out;
  const auto file = source_dir / "manifest.json";
  if (const auto declared = declared_end(file, &out.warning)) {
    const auto d = parse_iso_date(*declared);
    if (!d) {
      out.warning = file.string() + ": end_date '" + *declared + "' is not a date (YYYY-MM-DD); it is not used";
    } else if (*d > as_of) {
      out.warning = file.string() + ": end_date " + *declared + " is after the as-of date " +
                    format_iso_date(as_of) + "; it is not used";
    } else if (latest.date && *d < *latest.date) {
      out.warning = file.string() + ": end_date " + *declared + " is before the latest date in the tables (" +
                    format_iso_date(*latest.date) + " in " + latest.where + "); it is not used";
    } else {
      out.date = format_iso_date(*d);
      out.source = "declared by the extract (end_date in SRC/manifest.json)";
      return out;
    }
  }
  if (latest.date) {
    out.date = format_iso_date(*latest.date);
    out.source = "the latest date in the tables (" + latest.where + ")";
  } else {
    out.source = "none: no extract declares an end date and no table holds a dated row";
  }
  return out;
}

}  // namespace severn::ingest
