// `severn elective clocks`: derives every RTT clock period from the store's pathway activity,
// reconciles it with the provider's reported clock, and writes the aggregate summary, the
// pseudonymous validation findings and, only when asked with who and why, the identifiable
// validation list (docs/elective/clocks.md).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "core/error.h"
#include "elective/activity_reader.h"
#include "elective/clock_outputs.h"
#include "store/store.h"

namespace severn::cli {

namespace {

struct ClocksArgs {
  std::string store, out, who, purpose;
  unsigned threads = 0;
  bool identifiable = false;
  DisclosureChoice sdc;
};

store::AccessObserver audit_to_stderr() {
  return [](const store::IdentityAccess& a) {
    std::fprintf(stderr, "severn elective clocks: identity area read by %s for %s: %s\n", a.context->who.c_str(),
                 a.context->purpose.c_str(),
                 a.file.empty() ? (std::to_string(a.person_ids->size()) + " persons").c_str() : std::string(a.file).c_str());
  };
}

void run_clocks_command(ClocksArgs& a) {
  const disclosure::Policy policy = a.sdc.checked();
  if (a.identifiable && (a.who.empty() || a.purpose.empty()))
    throw InputError("--identifiable: the validation list is identifiable; say who reads it (--who) and why (--purpose)");
  if (!a.identifiable && (!a.who.empty() || !a.purpose.empty()))
    throw InputError("--who/--purpose: only with --identifiable");
  const auto s = store::Store::open(a.store);
  const auto t0 = std::chrono::steady_clock::now();
  const elective::ClockRun run = elective::run_clocks(*s, a.threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw InputError(a.out + ": cannot create: " + ec.message());
  const std::filesystem::path out(a.out);
  elective::write_output(out / "derived_periods.csv", elective::derived_periods_csv(run, policy, !a.sdc.off));
  elective::write_output(out / "validation_findings.csv", elective::validation_findings_csv(run));
  std::filesystem::remove(out / "validation_list.csv", ec);  // never leave an older identifiable list behind
  if (a.identifiable) {
    const store::AccessContext context{a.who, a.purpose};
    elective::write_output(out / "validation_list.csv",
                           elective::validation_list_csv(run, *s, context, audit_to_stderr()), true);
  }
  elective::write_output(out / "clocks.json", elective::clocks_json(run, policy, !a.sdc.off, seconds));
  std::printf("severn elective clocks: %llu pathways, %llu activity rows, %llu reported periods: %zu derived periods, "
              "%zu findings; %.2f s on %u threads; output in %s%s\n",
              static_cast<unsigned long long>(run.pathways), static_cast<unsigned long long>(run.activity_rows),
              static_cast<unsigned long long>(run.reported_rows), run.periods.size(), run.findings.size(), seconds,
              run.threads, a.out.c_str(), a.identifiable ? " (validation_list.csv is identifiable: owner-only)" : "");
  if (a.sdc.off)
    std::fprintf(stderr, "severn elective clocks: disclosure control is OFF (--no-disclosure-control): the counts in "
                         "derived_periods.csv are exact, small ones included; not for publication.\n");
}

}  // namespace

void add_elective_clocks(CLI::App& elective) {
  auto a = std::make_shared<ClocksArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "clocks", "Derive every RTT clock period from the pathway activity (NHS England's RTT rules) and reconcile it with "
                "the provider's reported clock. Writes OUT/derived_periods.csv (aggregate, disclosure-controlled), "
                "OUT/validation_findings.csv (one row per finding, pseudonymous pathway number) and OUT/clocks.json; "
                "with --identifiable --who --purpose also OUT/validation_list.csv (patient pathway and local ids, "
                "owner-only) (docs/elective/clocks.md)");
  cmd->add_option("--store", a->store, "Store directory (severn ingest)")->required();
  cmd->add_option("--out", a->out, "Output directory")->required();
  cmd->add_option("--threads", a->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--identifiable", a->identifiable,
                "Also write the identifiable validation list (patient pathway id and local patient id from the store's "
                "identity area, read with an audited access)");
  cmd->add_option("--who", a->who, "With --identifiable: who reads the list (recorded by the identity area's audit)");
  cmd->add_option("--purpose", a->purpose, "With --identifiable: why (recorded by the identity area's audit)");
  add_disclosure_options(cmd, a->sdc);
  cmd->callback([a] { run_clocks_command(*a); });
}

}  // namespace severn::cli
