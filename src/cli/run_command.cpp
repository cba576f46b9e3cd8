#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include <cmath>
#include <string>

#include "cli/disclosure_options.h"
#include "cli/index_date.h"
#include "core/error.h"
#include "measures/run_definition.h"
#include "lang/checker.h"
#include "refdata/data_dir.h"
#include "store/store.h"

namespace severn::cli {

void add_run(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto store_dir = std::make_shared<std::string>();
  auto index = std::make_shared<std::string>();
  auto opt = std::make_shared<measures::RunOptions>();
  auto out = std::make_shared<std::string>();
  auto sdc = std::make_shared<DisclosureChoice>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Evaluate a definition (.sev) over a store. Writes to --out: dataset.csv (one row per person in the "
             "population, pseudonymised), measures.csv (counts, value, limits), funnels.csv (groups against the "
             "whole measure, 95% and 99.8% limits), inequality.csv (SII and RII) and run.json. Aggregates pass "
             "disclosure control (docs/disclosure.md) unless --no-disclosure-control.");
  cmd->add_option("FILE", *file, "Definition file")->required();
  cmd->add_option("--store", *store_dir, "Store directory (severn ingest)")->required();
  cmd->add_option("--out", *out, "Output directory")->required();
  cmd->add_option("--index-date", *index, "Date of the dataset, YYYY-MM-DD (default: the data's end, recorded in the store at ingest)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", opt->data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--sii-repetitions", opt->sii_repetitions,
                  "Simulations behind the limits of the slope and relative index of inequality (default 100000)");
  cmd->add_option("--sii-seed", opt->sii_seed, "Seed of those simulations (default 1)");
  cmd->add_flag("--worklists", opt->worklists,
                "Also write the definition's worklists to OUT/worklists/ (identifiable, for direct care: NHS number, "
                "name and date of birth from the store's identity area; owner-only files)");
  add_disclosure_options(cmd, *sdc);
  cmd->add_option("--release-ledger", opt->release_ledger,
                  "Audit against what earlier releases in this ledger published, and append what this run publishes");
  cmd->callback([file, store_dir, index, opt, out, sdc] {
    opt->policy = sdc->checked();
    if (sdc->off && !opt->release_ledger.empty())
      throw InputError("--release-ledger: a run without disclosure control publishes nothing to record");
    opt->disclosure_control = !sdc->off;
    if (opt->sii_repetitions < 1000) throw InputError("--sii-repetitions: must be at least 1000");
    lang::CheckOptions check_options;
    check_options.pack_codelists_dir = (refdata::DataDir::resolve(opt->data_dir).root() / "codelists").string();
    const auto checked = lang::check_file(*file, check_options);
    const auto store = store::Store::open(*store_dir);
    const IndexDate index_date = choose_index_date(store->manifest(), *index);
    const std::string& date = index_date.text;
    opt->index_date = index_date.date;
    opt->index_date_source = index_date.source;
    std::printf("%s\n", index_date.describe().c_str());
    opt->out = *out;
    const auto s = measures::run_definition(*store, checked, *opt);
    std::printf("severn run: %llu persons scanned, %llu in the population on %s; %llu measure rows; "
                "%.1f s on %u threads; output in %s\n",
                static_cast<unsigned long long>(s.persons_scanned),
                static_cast<unsigned long long>(s.in_population), date.c_str(),
                static_cast<unsigned long long>(s.measure_rows), s.seconds_total, s.threads, out->c_str());
    if (!checked.definition.worklists.empty()) {
      if (opt->worklists) {
        for (const auto& w : s.worklists)
          std::printf("worklist %s: %llu people in %llu PCN files (identifiable: %s/worklists/%s/)\n", w.name.c_str(),
                      static_cast<unsigned long long>(w.people), static_cast<unsigned long long>(w.pcns), out->c_str(),
                      w.name.c_str());
      } else {
        std::printf("worklists: %zu defined, not written (they are identifiable; --worklists writes them)\n",
                    checked.definition.worklists.size());
      }
    }
    if (opt->disclosure_control) {
      const auto& w = s.withheld;
      const auto& a = s.audit;
      std::printf("disclosure control: %s\n  withheld: numerators %llu small + %llu to protect others, denominators %llu small + "
                  "%llu to protect others; %llu rows without a value; %llu inequality rows (counts in run.json)\n",
                  opt->policy.describe().c_str(), static_cast<unsigned long long>(w.numerator_small),
                  static_cast<unsigned long long>(w.numerator_derivable),
                  static_cast<unsigned long long>(w.denominator_small),
                  static_cast<unsigned long long>(w.denominator_derivable),
                  static_cast<unsigned long long>(w.values_withheld), static_cast<unsigned long long>(w.indices_withheld));
      std::printf("  audit: %llu withheld counts audited by linear programming (%llu solves, %.2f s); smallest interval %s; "
                  "%llu more withheld after the audit; %llu unprotected\n",
                  static_cast<unsigned long long>(a.cells_audited), static_cast<unsigned long long>(a.lp_solves), a.seconds,
                  a.width_text().c_str(),
                  static_cast<unsigned long long>(a.withheld_audit), static_cast<unsigned long long>(a.unprotected));
    } else {
      std::fprintf(stderr, "severn run: disclosure control is OFF (--no-disclosure-control): the counts in %s are exact, "
                           "small ones included; not for publication. run.json records this.\n", out->c_str());
    }
  });
}

}  // namespace severn::cli
