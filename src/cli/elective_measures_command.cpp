// `severn elective measures`: the waiting list at each month end by person attributes (IMD, ethnicity,
// age band, sex, learning disability, Place, PCN, and the provider, treatment function and priority
// of the longest wait), with proportions, Wilson limits and the SII across IMD deciles, through
// disclosure control: a generated definition run exactly as `severn run` runs one
// (docs/elective/snapshots.md, "Breakdowns").
#include <chrono>
#include <cstdio>
#include <fstream>

#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "core/error.h"
#include "elective/measures_definition.h"
#include "elective/snapshot.h"
#include "elective/snapshot_store.h"
#include "lang/checker.h"
#include "measures/run_definition.h"
#include "refdata/data_dir.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct MeasuresArgs {
  std::string store, out, from, to;
  measures::RunOptions run;
  DisclosureChoice disclosure;
};

Days date_arg(const std::string& text, const char* option) {
  const auto d = parse_iso_date(text);
  if (!d) throw InputError(std::string(option) + ": expected a date YYYY-MM-DD, not '" + text + "'");
  return *d;
}

}  // namespace

void add_elective_measures(CLI::App& elective) {
  auto a = std::make_shared<MeasuresArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "measures",
      "People on the reported RTT list at each month end and the share waiting over 18 weeks, by provider, treatment "
      "function and priority of their longest wait, IMD quintile and decile, ethnicity group, age band, sex, learning "
      "disability, Place and PCN, with Wilson limits and the SII across IMD deciles, through disclosure control. Writes "
      "DIR/elective_waiting_list.sev and, as severn run does, DIR/measures.csv, inequality.csv, funnels.csv, run.json "
      "(docs/elective/snapshots.md)");
  cmd->add_option("--store", a->store, "Store directory (severn ingest output)")->required();
  cmd->add_option("--out", a->out, "Output directory (created; its files are replaced)")->required();
  cmd->add_option("--from", a->from, "First month, YYYY-MM-DD (default: when the reported history begins, as snapshot)");
  cmd->add_option("--to", a->to, "Last day, YYYY-MM-DD (default: the store's data end)");
  cmd->add_option("--threads", a->run.threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", a->run.data_dir, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--sii-repetitions", a->run.sii_repetitions,
                  "Simulations behind the limits of the SII and RII (default 100000)");
  add_disclosure_options(cmd, a->disclosure);
  cmd->callback([a] {
    const auto t0 = std::chrono::steady_clock::now();
    measures::RunOptions& opt = a->run;
    opt.policy = a->disclosure.checked();
    opt.disclosure_control = !a->disclosure.off;
    if (opt.sii_repetitions < 1000) throw InputError("--sii-repetitions: must be at least 1000");
    const auto store = store::Store::open(a->store);
    Days to = 0;
    if (!a->to.empty()) {
      to = date_arg(a->to, "--to");
    } else {
      const auto end = parse_iso_date(store->manifest().data_end);
      if (!end) throw InputError(a->store + ": the store records no data end; give --to");
      to = *end;
    }
    Days from = 0;
    if (!a->from.empty()) {
      from = date_arg(a->from, "--from");
    } else {
      const auto start = elective::history_start(elective::read_reported_clocks(*store).periods);
      if (!start) throw InputError(a->store + ": no reported period has ended, so the history's start is unknown; give --from");
      from = *start;
    }
    if (from > to) throw InputError("--from: " + format_iso_date(from) + " is after --to " + format_iso_date(to));
    std::filesystem::create_directories(a->out);
    const std::filesystem::path sev = std::filesystem::path(a->out) / "elective_waiting_list.sev";
    {
      std::ofstream f(sev, std::ios::binary | std::ios::trunc);
      f << elective::waiting_list_definition(from, to);
      f.close();
      if (!f) throw InputError(sev.string() + ": cannot write");
    }
    lang::CheckOptions check;
    check.pack_codelists_dir = (refdata::DataDir::resolve(opt.data_dir).root() / "codelists").string();
    const lang::CheckedDefinition def = lang::check_file(sev.string(), check);
    opt.out = a->out;
    opt.index_date = to;
    opt.index_date_source = a->to.empty() ? "the store's data end" : "--to";
    opt.dataset = false;  // aggregates only
    const measures::RunSummary s = measures::run_definition(*store, def, opt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("severn elective measures: %llu persons scanned; %llu measure rows, %llu inequality rows; months %s to %s; "
                "%.1f s; output in %s\n",
                static_cast<unsigned long long>(s.persons_scanned), static_cast<unsigned long long>(s.measure_rows),
                static_cast<unsigned long long>(s.inequality_rows), format_iso_date(from).c_str(),
                format_iso_date(to).c_str(), seconds, a->out.c_str());
    if (opt.disclosure_control)
      std::printf("disclosure control: %s; audit: %llu withheld counts audited, smallest interval %s, %llu unprotected\n",
                  opt.policy.describe().c_str(), static_cast<unsigned long long>(s.audit.cells_audited),
                  s.audit.width_text().c_str(), static_cast<unsigned long long>(s.audit.unprotected));
    else
      std::printf("disclosure control OFF: exact counts, for direct analysis only\n");
  });
}

}  // namespace severn::cli
