#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/index_date.h"
#include "cli/link_probability.h"
#include "core/error.h"
#include "lang/library.h"
#include "disclosure/suppression.h"
#include "report/report.h"
#include "store/store.h"

namespace severn::cli {

void add_report(CLI::App& app) {
  auto store_dir = std::make_shared<std::string>();
  auto index = std::make_shared<std::string>();
  auto opt = std::make_shared<report::ReportOptions>();
  auto out = std::make_shared<std::string>();
  auto definitions = std::make_shared<std::vector<std::string>>();
  auto mode = std::make_shared<std::string>("rounded");
  auto sensitivity = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write the ICS report: run every built-in library definition (or --definitions) over a store with "
                "disclosure control, write each run's aggregates to OUT/data/NAME/ and one self-contained page, "
                "OUT/index.html (overview, trends, deprivation gradients, PCN funnel plots, LSOA maps; docs/report.md).");
  cmd->add_option("--store", *store_dir, "Store directory (severn ingest)")->required();
  cmd->add_option("--out", *out, "Output directory")->required();
  cmd->add_option("--index-date", *index, "Date of the report, YYYY-MM-DD (default: the data's end, recorded in the store at ingest)");
  cmd->add_option("--definitions", *definitions,
                  "Definitions to report, in order: 'library' (every library definition), library:NAME or FILE.sev "
                  "(default: library)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", opt->data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--note", opt->note, "A notice shown at the top of the page (for example that the data are synthetic)");
  cmd->add_option("--disclosure-policy", *mode,
                  "Disclosure control: 'rounded' (default) or 'suppressed-exact' (docs/disclosure.md)");
  cmd->add_option("--protection-width", opt->policy.protection_width,
                  "Disclosure audit: each withheld count's feasible interval must be at least this wide (default 8)");
  cmd->add_option("--release-ledger", opt->release_ledger,
                  "Audit against what earlier releases in this ledger published, and append what this report publishes");
  cmd->add_option("--elective-runs", opt->elective_runs,
                  "Simulation runs per scenario for the elective section's fan charts (default 200; 0 skips the "
                  "simulation; `severn elective simulate` runs more)");
  CLI::Option* sensitivity_option = cmd->add_option("--link-sensitivity", *sensitivity,
                  "Also evaluate every measure without the partner records linked with a probability below P (0 to 1), "
                  "publish both in the one release and write OUT/data/NAME/linkage_sensitivity.csv and a section of the "
                  "page on how much each headline depends on probabilistic links (docs/linkage-uncertainty.md)");
  cmd->callback([store_dir, index, opt, out, definitions, mode, sensitivity, sensitivity_option] {
    opt->policy.mode = disclosure::parse_mode(*mode);
    opt->policy.validate();
    if (sensitivity_option->count() > 0) opt->link_sensitivity = parse_probability("--link-sensitivity", *sensitivity);
    const auto store = store::Store::open(*store_dir);
    const IndexDate index_date = choose_index_date(store->manifest(), *index);
    const std::string& date = index_date.text;
    opt->index_date = index_date.date;
    opt->index_date_source = index_date.source;
    std::printf("%s\n", index_date.describe().c_str());
    opt->out = *out;
    for (const auto& def : *definitions) {
      if (def == "library") {
        for (const auto& e : lang::library_entries()) opt->definitions.push_back(std::string(lang::kLibraryPrefix) + e.name);
      } else {
        opt->definitions.push_back(def);
      }
    }
    opt->progress = [](const std::string& name, double seconds) {
      std::printf("  %-32s %6.1f s\n", name.c_str(), seconds);
      std::fflush(stdout);
    };
    std::printf("severn report: running definitions over %s on %s (disclosure control on)\n", store_dir->c_str(), date.c_str());
    const auto s = report::build_report(*store, *opt);
    std::printf("severn report: %zu definitions, %zu indicators; runs %.1f s, page %.1f s (%.1f MB); report in %s\n",
                s.definitions, s.measures, s.seconds_runs, s.seconds_html, static_cast<double>(s.html_bytes) / 1e6,
                s.html.string().c_str());
    if (s.elective)
      std::printf("elective section: snapshot %.1f s, simulation %.1f s (OUT/data/elective/)\n", s.seconds_elective_snapshot,
                  s.seconds_elective_simulation);
    else
      std::printf("elective section: the store has no waiting list\n");
    if (s.link_filter) {
      std::printf("%s\n", describe_link_filter(*s.link_filter, "--link-sensitivity").c_str());
      std::printf("linkage sensitivity: the second pass over the view without weak links took %.1f s (of the runs' %.1f s); "
                  "OUT/data/NAME/linkage_sensitivity.csv\n", s.seconds_link_sensitivity, s.seconds_runs);
    }
    const auto& a = s.audit;
    std::printf("disclosure control: %s\n  audit of the whole report: %llu cells, %llu withheld (%llu small, %llu by tables' "
                "equations, %llu more after the audit), %llu linear programs, smallest interval %s, %llu unprotected; %.1f s\n",
                opt->policy.describe().c_str(), static_cast<unsigned long long>(a.cells),
                static_cast<unsigned long long>(a.cells_audited), static_cast<unsigned long long>(a.withheld_small),
                static_cast<unsigned long long>(a.withheld_table), static_cast<unsigned long long>(a.withheld_audit),
                static_cast<unsigned long long>(a.lp_solves),
                a.width_text().c_str(),
                static_cast<unsigned long long>(a.unprotected), s.seconds_publish);
  });
}

}  // namespace severn::cli
