// `severn elective ptl`: the patient tracking list of one provider on one day (src/elective/ptl.h,
// docs/elective/ptl-and-prioritisation.md). Pseudonymised by default; --identifiable reads NHS
// number, name, date of birth and the pathway's identifiers through the store's identity area,
// refused without --who and --purpose, and every read is reported on stderr as an audit line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/elective_commands.h"
#include "cli/elective_score_options.h"
#include "core/error.h"
#include "elective/ptl.h"
#include "elective/ptl_output.h"
#include "refdata/codelists.h"
#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct PtlArgs {
  std::string store, provider, out, date, data, who, purpose;
  bool identifiable = false;
  elective::PriorityWeights weights;
};

void run_ptl(const PtlArgs& a) {
  const auto started = std::chrono::steady_clock::now();
  if (a.identifiable) elective::require_access_context({a.who, a.purpose});
  else if (!a.who.empty() || !a.purpose.empty())
    throw InputError("--who and --purpose are for the identifiable PTL: add --identifiable, or leave them out");
  const auto store = store::Store::open(a.store);
  const auto opened = std::chrono::steady_clock::now();
  const auto providers = elective::reported_providers(*store);
  if (std::find(providers.begin(), providers.end(), a.provider) == providers.end()) {
    std::string names;
    for (const auto& p : providers) names += (names.empty() ? "" : ", ") + p;
    throw InputError("--provider: '" + a.provider + "' holds no list in " + a.store + "/wl_pathways (providers: " +
                     (names.empty() ? "none" : names) + ")");
  }
  Days on = elective::default_list_date(*store);
  if (!a.date.empty()) {
    const auto d = parse_iso_date(a.date);
    if (!d) throw InputError("--date: '" + a.date + "' is not a date in the form YYYY-MM-DD");
    on = *d;
  }
  const auto data = refdata::DataDir::resolve(a.data);
  const auto codelists = refdata::CodelistLibrary::load(data);
  const auto geography = refdata::load_geography(data);
  const elective::LinkedRecord record(*store, codelists, geography);
  const elective::PriorityWeights& weights = a.weights;
  const auto prepared = std::chrono::steady_clock::now();
  const elective::PatientTrackingList ptl = elective::build_ptl(*store, record, a.provider, on, weights);
  const auto built = std::chrono::steady_clock::now();
  if (!ptl.info.has_wlmds_columns) {
    std::string missing;
    for (const auto& c : ptl.info.missing_columns) missing += (missing.empty() ? "" : ", ") + c;
    std::fprintf(stderr,
                 "severn elective ptl: this store predates the WLMDS columns of wl_pathways (%s): the PTL has no "
                 "pathway number, list type, planned procedure, TCI or validation dates, and validation_due is "
                 "'unknown' past 12 weeks\n",
                 missing.c_str());
  }
  std::string text;
  if (a.identifiable) {
    const auto area = store::IdentityArea::open(*store, [](const store::IdentityAccess& x) {
      std::fprintf(stderr, "severn elective ptl: identity area read by %s for %s: %s\n", x.context->who.c_str(),
                   x.context->purpose.c_str(),
                   x.file.empty() ? (std::to_string(x.person_ids->size()) + " persons").c_str() : std::string(x.file).c_str());
    });
    const store::AccessContext context{a.who, a.purpose};
    const auto identities = elective::read_ptl_identities(*store, area, context, ptl.rows);
    text = elective::ptl_csv(ptl, &identities);
  } else {
    text = elective::ptl_csv(ptl, nullptr);
  }
  elective::write_files(a.out, {{"ptl.csv", text}});
  const auto secs = [](auto from, auto to) { return std::chrono::duration<double>(to - from).count(); };
  const auto done = std::chrono::steady_clock::now();
  std::printf("severn elective ptl: %zu open periods of %s on %s (%s) -> %s/ptl.csv in %.2f s (open and verify the "
              "store %.2f s, reference data %.2f s, build the list %.2f s, write %.2f s)\n",
              ptl.rows.size(), a.provider.c_str(), format_iso_date(on).c_str(),
              a.identifiable ? "identifiable" : "pseudonymised", a.out.c_str(), secs(started, done), secs(started, opened),
              secs(opened, prepared), secs(prepared, built), secs(built, done));
}

}  // namespace

void add_elective_ptl(CLI::App& elective) {
  auto args = std::make_shared<PtlArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "ptl", "The patient tracking list of a provider: every open period with weeks waited, breach dates, validation "
             "due, harm-while-waiting evidence and the prioritisation score (docs/elective/ptl-and-prioritisation.md)");
  cmd->add_option("--store", args->store, "Store directory (severn ingest output)")->required();
  cmd->add_option("--provider", args->provider, "Provider ODS code (wl_pathways.provider_code), e.g. RXW")->required();
  cmd->add_option("--out", args->out, "Output directory: writes ptl.csv")->required();
  cmd->add_option("--date", args->date, "The day of the list, YYYY-MM-DD (default: the store's data end)");
  cmd->add_option("--data", args->data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_flag("--identifiable", args->identifiable,
                "Add NHS number, name, date of birth, patient pathway id and local patient id, read through the "
                "store's identity area (needs --who and --purpose; every read is audited)");
  cmd->add_option("--who", args->who, "Who reads the identifiable PTL (with --identifiable)");
  cmd->add_option("--purpose", args->purpose, "Why, e.g. 'direct care: RXW elective PTL' (with --identifiable)");
  add_uplift_options(cmd, args->weights);
  cmd->callback([args] { run_ptl(*args); });
}

}  // namespace severn::cli
