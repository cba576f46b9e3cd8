// `severn sql FILE --dialect postgres|duckdb`: prints the SQL the SQL engine runs for a definition
// (docs/sql.md), for reading, for a warehouse team's review, or to run by hand.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/date.h"
#include "core/error.h"
#include "lang/checker.h"
#include "refdata/data_dir.h"
#include "sql/dialect.h"
#include "sql/sql_engine.h"

namespace severn::cli {

void add_sql(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto dialect = std::make_shared<std::string>("postgres");
  auto index = std::make_shared<std::string>();
  auto schema = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "sql", "Print the SQL a definition (.sev) compiles to: the dataset query and the measures' counts query over "
             "the warehouse layout that `severn export --to-postgres` loads (docs/sql.md).");
  cmd->add_option("FILE", *file, "Definition file")->required();
  cmd->add_option("--dialect", *dialect, "postgres or duckdb (default postgres)");
  cmd->add_option("--index-date", *index, "The run's index date, YYYY-MM-DD (required: no store is read to find the data's end)")
      ->required();
  cmd->add_option("--schema", *schema, "Schema of the warehouse tables (default: the search path)");
  cmd->add_option("--data", *data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->callback([file, dialect, index, schema, data] {
    const auto hooks = sql::dialect_hooks(*dialect);
    const auto date = parse_iso_date(*index);
    if (!date) throw InputError("--index-date: '" + *index + "' is not a date (YYYY-MM-DD)");
    lang::CheckOptions check_options;
    check_options.pack_codelists_dir = (refdata::DataDir::resolve(*data).root() / "codelists").string();
    const auto checked = lang::check_file(*file, check_options);
    std::fputs(sql::definition_sql(checked, *date, *data, *hooks, *schema).c_str(), stdout);
  });
}

}  // namespace severn::cli
