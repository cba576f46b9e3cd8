#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "engine/run.h"
#include "lang/checker.h"
#include "refdata/data_dir.h"
#include "store/store.h"

namespace severn::cli {

void add_run(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto store_dir = std::make_shared<std::string>();
  auto index = std::make_shared<std::string>();
  auto opt = std::make_shared<engine::RunOptions>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Evaluate a definition (.sev) over a store: dataset.csv (one row per person in the "
             "population, pseudonymised), measures.csv and run.json in --out.");
  cmd->add_option("FILE", *file, "Definition file")->required();
  cmd->add_option("--store", *store_dir, "Store directory (severn ingest)")->required();
  cmd->add_option("--out", *out, "Output directory")->required();
  cmd->add_option("--index-date", *index, "Date of the dataset, YYYY-MM-DD (default: the store's as-of date)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", opt->data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->callback([file, store_dir, index, opt, out] {
    lang::CheckOptions check_options;
    check_options.pack_codelists_dir = (refdata::DataDir::resolve(opt->data_dir).root() / "codelists").string();
    const auto checked = lang::check_file(*file, check_options);
    const auto store = store::Store::open(*store_dir);
    const std::string date = index->empty() ? store->manifest().as_of : *index;
    const auto d = parse_iso_date(date);
    if (!d) throw InputError("--index-date: '" + date + "' is not a date in the form YYYY-MM-DD");
    opt->index_date = *d;
    opt->out = *out;
    const auto s = engine::run(*store, checked, *opt);
    std::printf("severn run: %llu persons scanned, %llu in the population on %s; %llu measure rows; "
                "%.1f s on %u threads; output in %s\n",
                static_cast<unsigned long long>(s.persons_scanned),
                static_cast<unsigned long long>(s.in_population), date.c_str(),
                static_cast<unsigned long long>(s.measure_rows), s.seconds_total, s.threads, out->c_str());
  });
}

}  // namespace severn::cli
