#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "lang/checker.h"
#include "refdata/data_dir.h"

namespace severn::cli {
namespace {

std::string intervals_text(const lang::Intervals& iv) {
  if (iv.last > 0) {
    const char* unit = iv.kind == lang::IntervalKind::kMonthly ? " calendar month" : iv.kind == lang::IntervalKind::kQuarterly ? " calendar quarter" : " financial year";
    return "the last " + std::to_string(iv.last) + unit + (iv.last == 1 ? "" : "s") + " to the index date";
  }
  switch (iv.kind) {
    case lang::IntervalKind::kMonthly: return "monthly from " + format_iso_date(iv.from) + " to " + format_iso_date(iv.to);
    case lang::IntervalKind::kQuarterly: return "quarterly from " + format_iso_date(iv.from) + " to " + format_iso_date(iv.to);
    case lang::IntervalKind::kYearly: return "yearly from " + format_iso_date(iv.from) + " to " + format_iso_date(iv.to);
    case lang::IntervalKind::kExplicit: return std::to_string(iv.spans.size()) + " explicit interval(s)";
  }
  return "";
}

}  // namespace

void add_check(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Type-check a definition file (.sev) without data: names, types, dimensions, code "
               "lists. Errors show file:line:column with a caret. Reference: docs/language.md.");
  cmd->add_option("FILE", *file, "Definition file")->required();
  cmd->add_option("--data", *data,
                  "Reference-data directory whose codelists/ is searched after the file's own "
                  "directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->callback([file, data] {
    lang::CheckOptions options;
    try {
      options.pack_codelists_dir = (refdata::DataDir::resolve(*data).root() / "codelists").string();
    } catch (const InputError&) {
      if (!data->empty()) throw;  // an explicit --data that does not exist is an error
    }
    const auto checked = lang::check_file(*file, options);
    const auto& d = checked.definition;
    std::printf("%s: ok\n", file->c_str());
    std::printf("  code lists: %zu", checked.codelists.size());
    for (const auto& c : d.codelists)  // in the order written
      std::printf("%s %s (%zu codes%s)", &c == &d.codelists.front() ? "" : ",", c.name.c_str(),
                  checked.codelists.at(c.name).codes.codes.size(), c.with_subcodes ? ", with subcodes" : "");
    std::printf("\n  lets: %zu, dataset variables: %zu, measures: %zu\n", d.lets.size(),
                d.variables.size(), d.measures.size());
    for (const auto& v : d.variables)
      std::printf("  variable %s: %s\n", v.name.c_str(), lang::describe(checked.variables.at(v.name)).c_str());
    for (const auto& m : d.measures) {
      std::string by;
      for (const auto& [g, pos] : m.by) by += (by.empty() ? "" : ", ") + g;
      std::string stats;
      if (m.stats.given)
        stats = "; stats " + lang::statistic_text(m.stats) + (m.stats.sii_by.empty() ? "" : ", sii by " + m.stats.sii_by) +
                ", confidence " + lang::confidence_text(m.stats.confidence);
      std::printf("  measure %s: by %s%s; intervals %s\n", m.name.c_str(), by.empty() ? "(none)" : by.c_str(),
                  stats.c_str(), intervals_text(*m.intervals).c_str());
    }
  });
}

}  // namespace severn::cli
