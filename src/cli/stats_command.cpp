#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "core/csv_table.h"
#include "core/error.h"
#include "refdata/data_dir.h"
#include "refdata/standards.h"
#include "stats/table.h"

namespace severn::cli {
namespace {

struct StatsArgs {
  std::string method, in, out, data, standard = "esp2013";
  stats::TableOptions options;
};

// Writes beside the target and renames, so a failed run never leaves half a file.
void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path + ": cannot open for writing");
    f << text;
    f.close();
    if (!f) throw InputError(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InputError(path + ": cannot replace: " + ec.message());
}

std::vector<stats::StandardBand> load_standard(const StatsArgs& a) {
  const auto dir = refdata::DataDir::resolve(a.data);
  std::vector<refdata::AgeBandWeight> bands;
  if (a.standard == "esp2013") {
    bands = refdata::load_esp2013(dir);
  } else if (a.standard == "esp2013-21") {
    bands = refdata::load_esp2013_21band(dir);
  } else {
    throw InputError("--standard: expected esp2013 (19 bands, 0-4 ... 90+) or esp2013-21 (21 bands, 0, 1-4 ... "
                     "95+), not '" + a.standard + "'; or give the weights in a column with --stdpop");
  }
  std::vector<stats::StandardBand> out;
  for (const auto& b : bands) out.push_back({b.band, b.weight});
  return out;
}

}  // namespace

void add_stats(CLI::App& app) {
  auto a = std::make_shared<StatsArgs>();
  auto& o = a->options;
  CLI::App* cmd = app.add_subcommand(
      "stats", "Apply an indicator method to a CSV of counts: proportion (Wilson), rate (Byar's; exact below 10), "
               "mean (Student's t), dsr (Dobson, ESP 2013), isr-ratio, isr-rate, sii (slope and relative index of "
               "inequality). Numbers match "
               "PHEindicatormethods. Reference: docs/methods.md.");
  cmd->add_option("METHOD", a->method, std::string("Method: ") + stats::table_method_names())->required();
  cmd->add_option("--in", a->in, "Input CSV (header row first)")->required();
  cmd->add_option("--out", a->out, "Output CSV (replaced if it exists)")->required();
  cmd->add_option("--conf", o.confidence, "Confidence level(s) as fractions, comma separated (default 0.95)")
      ->delimiter(',');
  cmd->add_option("--multiplier", o.multiplier,
                  "Scale of value and limits (default 1 for proportion and isr-ratio, 100000 for rates)");
  cmd->add_option("--by", o.by, "Columns to group by, comma separated (rows of a group are summed)")->delimiter(',');
  cmd->add_option("--numerator", o.numerator, "proportion, rate: numerator column (default numerator)");
  cmd->add_option("--denominator", o.denominator, "proportion, rate: denominator column (default denominator)");
  cmd->add_option("--value", o.value, "mean: column of values (default value)");
  cmd->add_option("--count", o.count, "dsr, isr: events per band (default count)");
  cmd->add_option("--population", o.population, "dsr, isr: population per band (default population)");
  cmd->add_option("--band", o.band, "dsr: age band column, matched to the standard's bands (default age_band)");
  cmd->add_option("--standard", a->standard, "dsr: esp2013 (default) or esp2013-21, from the reference-data pack");
  cmd->add_option("--stdpop", o.stdpop, "dsr: column of standard population weights, instead of --standard");
  cmd->add_option("--event-frequency", o.event_frequency,
                  "dsr: column of events per person when events are not independent; --count then counts persons");
  cmd->add_option("--ref-count", o.ref_count, "isr: reference population's events per band (default ref_count)");
  cmd->add_option("--ref-population", o.ref_population,
                  "isr: reference population per band (default ref_population)");
  cmd->add_option("--observed", o.observed, "isr: column holding each group's observed total, instead of --count");
  cmd->add_option("--quantile", o.quantile, "sii: quantile column, ordered numerically (default quantile)");
  cmd->add_option("--se", o.se, "sii: standard error column (default se; else --lower and --upper)");
  cmd->add_option("--lower", o.lower, "sii: 95% lower limit column, when there is no se (default lowercl)");
  cmd->add_option("--upper", o.upper, "sii: 95% upper limit column, when there is no se (default uppercl)");
  cmd->add_option("--value-type", o.value_type, "sii: normal (default), rate or proportion");
  cmd->add_flag("--transform", o.transform, "sii: fit on the log (rate) or logit (proportion) scale");
  cmd->add_option("--repetitions", o.repetitions, "sii: simulation repetitions for the limits (default 100000)");
  cmd->add_option("--seed", o.seed, "sii: seed of the simulation (default 1)");
  cmd->add_option("--data", a->data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->callback([a] {
    auto& opt = a->options;
    opt.method = stats::parse_table_method(a->method);
    if (opt.method == stats::TableMethod::kDsr && opt.stdpop.empty()) {
      opt.standard = load_standard(*a);
      opt.standard_name = a->standard == "esp2013" ? "ESP 2013 (19 bands)" : "ESP 2013 (21 bands)";
    }
    std::error_code ec;
    if (std::filesystem::exists(a->out, ec) && std::filesystem::equivalent(a->in, a->out, ec))
      throw InputError("--out: " + a->out + " is the input file; choose another output");
    const CsvTable in = CsvTable::read_file(a->in);
    const std::string text = stats::apply_to_table(in, opt);
    write_atomically(a->out, text);
    std::size_t lines = 0;
    for (const char c : text) lines += c == '\n';
    std::printf("stats %s: %zu input rows -> %zu result rows in %s\n", a->method.c_str(), in.rows(),
                lines ? lines - 1 : 0, a->out.c_str());
  });
}

}  // namespace severn::cli
