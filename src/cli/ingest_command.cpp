#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "core/date.h"
#include "core/error.h"
#include "ingest/ingest.h"

namespace severn::cli {
namespace {

Days today_utc() {
  const auto now = std::chrono::system_clock::now();
  return static_cast<Days>(std::chrono::duration_cast<std::chrono::days>(now.time_since_epoch()).count());
}

}  // namespace

void add_ingest(CLI::App& app) {
  auto opt = std::make_shared<ingest::IngestOptions>();
  auto source = std::make_shared<std::string>();
  auto store = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto timings = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Validate partner extracts (docs/data-model.md), quarantine bad rows with a reason, link "
      "partner records to people (NHS number, corroborated, else probabilistically), pseudonymise, and build a columnar store atomically.");
  cmd->add_option("SRC_DIR", *source, "Extract directory (as written by severn synth)")->required();
  cmd->add_option("--store", *store, "Store directory to build or replace")->required();
  cmd->add_option("--key-file", opt->key_file,
                  "Pseudonymisation key file, at least 32 bytes (else $SEVERN_PSEUDONYM_KEY as hex)");
  cmd->add_option("--as-of", *as_of, "Extract date, YYYY-MM-DD: later dates are rejected (default today)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", opt->data_dir,
                  "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--timings", *timings, "Write per-source timings as JSON to this file");
  cmd->add_option("--review-decisions", opt->review_decisions,
                  "A reviewer's decisions on STORE/identity/clerical_review.csv (CSV partner_code,"
                  "local_patient_id,person_id,decision with decision match or non_match; docs/linkage.md)");
  cmd->add_option("--previous-store", opt->previous_store,
                  "Link incrementally against a store built earlier with the same key: unchanged partner "
                  "records keep their links, the rest is scored with its model (docs/linkage.md)");
  cmd->add_option("--partner-link-model", opt->partner_link_model,
                  "Score partner records with this model (an earlier STORE/identity/partner_link_model.toml) "
                  "instead of training one");
  cmd->add_flag("--quiet", *quiet, "Print only warnings and errors");
  cmd->callback([opt, source, store, as_of, timings, quiet] {
    opt->source_dir = *source;
    opt->store_dir = *store;
    if (as_of->empty()) {
      opt->as_of = today_utc();
    } else {
      const auto d = parse_iso_date(*as_of);
      if (!d) throw InputError("--as-of: '" + *as_of + "' is not a date in the form YYYY-MM-DD");
      opt->as_of = *d;
    }
    const ingest::IngestResult r = ingest::run_ingest(*opt);
    if (!*quiet) {
      std::printf("severn ingest: %llu persons; store %s built in %.1f s on %u threads\n\n",
                  static_cast<unsigned long long>(r.persons), store->c_str(), r.seconds, r.threads);
      std::fputs(ingest::ledger_table(r.ledger).c_str(), stdout);
      if (!r.fhir_ledger.empty()) std::fputs(ingest::fhir_ledger_table(r.fhir_ledger).c_str(), stdout);
      if (r.linkage.ran) {
        const auto& c = r.linkage.counts;
        std::printf("\npartner linking (%.1f s): %llu records: %llu by NHS number, %llu probabilistic, %llu "
                    "clerical, %llu in review, %llu unlinked; %llu NHS numbers refuted by demographics; "
                    "review list %s/identity/clerical_review.csv\n",
                    r.linkage.seconds, static_cast<unsigned long long>(c.records),
                    static_cast<unsigned long long>(c.nhs_number), static_cast<unsigned long long>(c.probabilistic),
                    static_cast<unsigned long long>(c.clerical), static_cast<unsigned long long>(c.review),
                    static_cast<unsigned long long>(c.unlinked), static_cast<unsigned long long>(c.nhs_refuted),
                    store->c_str());
        if (!opt->previous_store.empty())
          std::printf("incremental: %llu links reused from %s, %llu records linked anew\n",
                      static_cast<unsigned long long>(c.reused), opt->previous_store.string().c_str(),
                      static_cast<unsigned long long>(c.linked_anew));
      }
      std::printf("\nquarantined rows: %s/quarantine/<table>.csv; rows awaiting identity: "
                  "%s/unlinked/<table>.csv\n",
                  store->c_str(), store->c_str());
    }
    if (!timings->empty()) {
      std::ofstream out(*timings);
      out << ingest::timings_json(r);
      if (!out) throw InputError(*timings + ": cannot write timings");
    }
  });
}

}  // namespace severn::cli
