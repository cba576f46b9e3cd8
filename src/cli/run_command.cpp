#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include <cmath>
#include <string>

#include "cli/disclosure_options.h"
#include "cli/index_date.h"
#include "cli/link_probability.h"
#include "core/error.h"
#include "engine/run.h"
#include "lang/library.h"
#include "measures/run_definition.h"
#include "sql/sql_engine.h"
#include "lang/checker.h"
#include "refdata/data_dir.h"
#include "store/store.h"

namespace severn::cli {

namespace {

// Each definition's output directory: OUT itself for one, OUT/<file stem>/ for several.
std::vector<std::filesystem::path> output_dirs(const std::vector<std::string>& files, const std::string& out) {
  std::vector<std::filesystem::path> dirs;
  if (files.size() == 1) return {out};
  for (const auto& f : files) {
    const std::string stem = lang::is_library_path(f) ? f.substr(lang::kLibraryPrefix.size()) : std::filesystem::path(f).stem().string();
    const std::filesystem::path dir = std::filesystem::path(out) / stem;
    for (const auto& d : dirs)
      if (d == dir) throw InputError(f + ": two definitions would share " + dir.string() + "/; rename one");
    dirs.push_back(dir);
  }
  return dirs;
}

void print_summary(const measures::RunSummary& s, const lang::CheckedDefinition& checked, const measures::RunOptions& opt,
                   const std::string& date, const std::string& out) {
  std::printf("severn run: %llu persons scanned, %llu in the population on %s; %llu measure rows; "
              "%.1f s on %u threads; output in %s\n",
              static_cast<unsigned long long>(s.persons_scanned), static_cast<unsigned long long>(s.in_population), date.c_str(),
              static_cast<unsigned long long>(s.measure_rows), s.seconds_total, s.threads, out.c_str());
  if (!checked.definition.worklists.empty()) {
    if (opt.worklists) {
      for (const auto& w : s.worklists)
        std::printf("worklist %s: %llu people in %llu PCN files (identifiable: %s/worklists/%s/)\n", w.name.c_str(),
                    static_cast<unsigned long long>(w.people), static_cast<unsigned long long>(w.pcns), out.c_str(), w.name.c_str());
    } else {
      std::printf("worklists: %zu defined, not written (they are identifiable; --worklists writes them)\n",
                  checked.definition.worklists.size());
    }
  }
  if (opt.disclosure_control) {
    const auto& w = s.withheld;
    const auto& a = s.audit;
    std::printf("disclosure control: %s\n  withheld: numerators %llu small + %llu to protect others, denominators %llu small + "
                "%llu to protect others; %llu rows without a value; %llu inequality rows (counts in run.json)\n",
                opt.policy.describe().c_str(), static_cast<unsigned long long>(w.numerator_small),
                static_cast<unsigned long long>(w.numerator_derivable), static_cast<unsigned long long>(w.denominator_small),
                static_cast<unsigned long long>(w.denominator_derivable), static_cast<unsigned long long>(w.values_withheld),
                static_cast<unsigned long long>(w.indices_withheld));
    std::printf("  audit: %llu withheld counts audited by linear programming (%llu solves, %.2f s); smallest interval %s; "
                "%llu more withheld after the audit; %llu unprotected\n",
                static_cast<unsigned long long>(a.cells_audited), static_cast<unsigned long long>(a.lp_solves), a.seconds,
                a.width_text().c_str(), static_cast<unsigned long long>(a.withheld_audit), static_cast<unsigned long long>(a.unprotected));
  } else {
    std::fprintf(stderr, "severn run: disclosure control is OFF (--no-disclosure-control): the counts in %s are exact, "
                         "small ones included; not for publication. run.json records this.\n", out.c_str());
  }
}

}  // namespace

void add_run(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto store_dir = std::make_shared<std::string>();
  auto index = std::make_shared<std::string>();
  auto opt = std::make_shared<measures::RunOptions>();
  auto out = std::make_shared<std::string>();
  auto sdc = std::make_shared<DisclosureChoice>();
  auto engine_name = std::make_shared<std::string>("native");
  auto dsn = std::make_shared<std::string>();
  auto schema = std::make_shared<std::string>();
  auto min_link = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Evaluate definitions (.sev) over a store, or in PostgreSQL (--engine postgres). Writes to --out (one "
             "directory per definition when given several, all evaluated in one pass): dataset.csv (one row per person "
             "in the population, pseudonymised), measures.csv (counts, value, limits), funnels.csv (groups against the "
             "whole measure, 95% and 99.8% limits), inequality.csv (SII and RII) and run.json. Aggregates pass "
             "disclosure control (docs/disclosure.md) unless --no-disclosure-control; several definitions are one release.");
  cmd->add_option("FILE", *files, "Definition files (or library:NAME)")->required();
  cmd->add_option("--store", *store_dir, "Store directory (severn ingest); required by the native engine");
  cmd->add_option("--out", *out, "Output directory")->required();
  cmd->add_option("--index-date", *index,
                  "Date of the dataset, YYYY-MM-DD (default: the data's end, recorded in the store at ingest; required "
                  "with --engine postgres)");
  cmd->add_option("--engine", *engine_name, "native (default: the store) or postgres (a warehouse loaded by severn export "
                                            "--to-postgres; docs/sql.md)");
  cmd->add_option("--dsn", *dsn, "With --engine postgres: a libpq connection string, key=value or postgresql:// URI");
  cmd->add_option("--schema", *schema, "With --engine postgres: the schema severn export loaded (default: the search path)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", opt->data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--sii-repetitions", opt->sii_repetitions,
                  "Simulations behind the limits of the slope and relative index of inequality (default 100000)");
  cmd->add_option("--sii-seed", opt->sii_seed, "Seed of those simulations (default 1)");
  cmd->add_flag("--worklists", opt->worklists,
                "Also write the definition's worklists to OUT/worklists/ (identifiable, for direct care: NHS number, "
                "name and date of birth from the store's identity area; owner-only files)");
  CLI::Option* min_link_option = cmd->add_option("--min-link-probability", *min_link,
                  "Evaluate without the partner rows linked to their person with a probability below P (0 to 1): "
                  "rows linked by NHS number or by a reviewer count as 1.0 (docs/linkage-uncertainty.md)");
  add_disclosure_options(cmd, *sdc);
  cmd->add_option("--release-ledger", opt->release_ledger,
                  "Audit against what earlier releases in this ledger published, and append what this run publishes");
  cmd->callback([files, store_dir, index, opt, out, sdc, engine_name, dsn, schema, min_link, min_link_option] {
    opt->policy = sdc->checked();
    if (sdc->off && !opt->release_ledger.empty())
      throw InputError("--release-ledger: a run without disclosure control publishes nothing to record");
    opt->disclosure_control = !sdc->off;
    if (opt->sii_repetitions < 1000) throw InputError("--sii-repetitions: must be at least 1000");
    const bool native = *engine_name == "native";
    if (!native && *engine_name != "postgres")
      throw InputError("--engine: '" + *engine_name + "' is not an engine: native or postgres");
    if (native && store_dir->empty()) throw InputError("--store: the native engine reads a store (or give --engine postgres --dsn DSN)");
    if (!native && dsn->empty()) throw InputError("--dsn: --engine postgres needs a libpq connection string");
    if (!native && !store_dir->empty()) throw InputError("--store: --engine postgres reads the warehouse at --dsn, not a store");
    std::optional<double> min_link_probability;
    if (min_link_option->count() > 0) {
      min_link_probability = parse_probability("--min-link-probability", *min_link);
      if (!native)
        throw InputError("--min-link-probability: only the native engine reads link probabilities (from the store)");
    }
    if (!native && index->empty())
      throw InputError("--index-date: --engine postgres needs it (a warehouse records no data end; the store's is in severn info)");
    lang::CheckOptions check_options;
    check_options.pack_codelists_dir = (refdata::DataDir::resolve(opt->data_dir).root() / "codelists").string();
    std::vector<lang::CheckedDefinition> checked;
    for (const auto& f : *files) checked.push_back(lang::check_file(f, check_options));
    const auto dirs = output_dirs(*files, *out);
    std::unique_ptr<store::Store> store, without_weak_links;
    IndexDate index_date;
    if (native) {
      store = store::Store::open(*store_dir);
      index_date = choose_index_date(store->manifest(), *index);
      if (min_link_probability) {
        without_weak_links = store::Store::without_weak_links(*store, *min_link_probability);
        std::printf("%s\n", describe_link_filter(*without_weak_links->link_filter(), "--min-link-probability").c_str());
      }
    } else {
      index_date.text = *index;
      index_date.reason = index_date.source = "--index-date";
      const auto d = parse_iso_date(*index);
      if (!d) throw InputError("--index-date: '" + *index + "' is not a date in the form YYYY-MM-DD");
      index_date.date = *d;
    }
    opt->index_date = index_date.date;
    opt->index_date_source = index_date.source;
    std::printf("%s\n", index_date.describe().c_str());
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<const lang::CheckedDefinition*> defs;
    std::vector<engine::EvaluateOptions> options;
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < checked.size(); ++i) {
      defs.push_back(&checked[i]);
      engine::EvaluateOptions eo = *opt;
      eo.out = dirs[i];
      options.push_back(std::move(eo));
      labels.push_back(checked.size() == 1 ? "definition" : dirs[i].filename().string());
    }
    std::vector<engine::Evaluated> evaluated;
    if (native) {
      evaluated = engine::evaluate(without_weak_links ? *without_weak_links : *store, defs, options);
    } else {
      sql::PostgresExecutor executor(*dsn);
      evaluated = sql::evaluate_sql(executor, *schema, defs, options);
    }
    auto summaries = measures::publish_definitions(evaluated, defs, labels, *opt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t i = 0; i < summaries.size(); ++i) {
      summaries[i].seconds_total = seconds;
      print_summary(summaries[i], checked[i], *opt, index_date.text, dirs[i].string());
    }
  });
}

}  // namespace severn::cli
