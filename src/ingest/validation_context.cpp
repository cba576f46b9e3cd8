#include "ingest/validation_context.h"

#include <charconv>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"
#include "refdata/codelists.h"
#include "refdata/organisations.h"

namespace severn::ingest {
namespace {

std::string allowed_key(std::string_view table, std::string_view field) {
  return std::string(table) + "." + std::string(field);
}

std::uint64_t code_number(const std::string& code) {
  std::uint64_t v = 0;
  std::from_chars(code.data(), code.data() + code.size(), v);
  return v;
}

}  // namespace

ValidationContext ValidationContext::load(const refdata::DataDir& data, Days as_of) {
  ValidationContext c;
  c.as_of = as_of;
  c.earliest = days_from_civil(1890, 1, 1);
  for (const auto& p : refdata::load_organisations(data).practices) c.practices.insert(p.code);

  const auto codelists = refdata::CodelistLibrary::load(data);
  const auto ranges_text = embedded::find("reference/measurement-ranges.csv");
  if (!ranges_text) throw std::logic_error("reference/measurement-ranges.csv is not compiled in");
  const auto ranges = CsvTable::parse(*ranges_text, "resources/reference/measurement-ranges.csv");
  for (std::size_t r = 0; r < ranges.rows(); ++r) {
    const MeasurementRange range{ranges.cell(r, "measure"), ranges.cell(r, "unit"),
                                 ranges.get_double(r, ranges.column("min")),
                                 ranges.get_double(r, ranges.column("max"))};
    for (const auto& code : codelists.get(ranges.cell(r, "codelist")).codes)
      c.ranges[code_number(code)] = range;
  }

  for (const auto& spec : table_specs()) {
    for (const auto& f : spec.fields) {
      if (f.allowed.empty() && f.reference.empty()) continue;
      auto& set = c.allowed[allowed_key(spec.table, f.name)];
      for (const auto v : f.allowed) set.emplace(v);
      if (!f.reference.empty()) {
        const auto text = embedded::find(f.reference);
        if (!text) throw std::logic_error(std::string(f.reference) + " is not compiled in");
        const auto table = CsvTable::parse(*text, "resources/" + std::string(f.reference));
        for (std::size_t r = 0; r < table.rows(); ++r) set.insert(table.cell(r, "code"));
      }
    }
  }
  return c;
}

const std::unordered_set<std::string>& ValidationContext::allowed_for(std::string_view table,
                                                                      std::string_view field) const {
  static const std::unordered_set<std::string> kNone;
  const auto it = allowed.find(allowed_key(table, field));
  return it == allowed.end() ? kNone : it->second;
}

}  // namespace severn::ingest
