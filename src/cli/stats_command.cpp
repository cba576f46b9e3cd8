#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/disclosure_options.h"
#include "core/csv_table.h"
#include "core/error.h"
#include "refdata/data_dir.h"
#include "refdata/standards.h"
#include "stats/table.h"

namespace severn::cli {
namespace {

struct StatsArgs {
  std::string method, in, out, data, standard = "esp2013", curve;
  int curve_points = 100;
  stats::TableOptions options;
  DisclosureChoice disclosure;
};

// Writes every file beside its target, then renames them all, so a failed run never leaves half a
// file or a table without its metadata.
void write_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [path, text] : files) {
    const std::string tmp = path + ".tmp";
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path + ": cannot open for writing");
    f << text;
    f.close();
    if (!f) throw InputError(path + ": write failed");
  }
  for (const auto& [path, text] : files) {
    std::error_code ec;
    std::filesystem::rename(path + ".tmp", path, ec);
    if (ec) throw InputError(path + ": cannot replace: " + ec.message());
  }
}

void refuse_same_file(const std::string& in, const std::string& out, const char* option) {
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(in, out, ec))
    throw InputError(std::string(option) + ": " + out + " is the input file; choose another output");
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
               "inequality), funnel-proportion, funnel-rate, funnel-ratio (95% and 99.8% funnel-plot limits per "
               "unit). Numbers match PHEindicatormethods. Counts are put through disclosure control unless "
               "--no-disclosure-control; OUT.json records it. Reference: docs/methods.md, docs/disclosure.md.");
  cmd->add_option("METHOD", a->method, std::string("Method: ") + stats::table_method_names())->required();
  cmd->add_option("--in", a->in, "Input CSV (header row first)")->required();
  cmd->add_option("--out", a->out, "Output CSV (replaced if it exists); its metadata goes to OUT.json")->required();
  CLI::Option* conf =
      cmd->add_option("--conf", o.confidence, "Confidence level(s) as fractions, comma separated (default 0.95; "
                                              "funnels always draw 95% and 99.8%)")
          ->delimiter(',');
  cmd->add_option("--multiplier", o.multiplier,
                  "Scale of value and limits (default 1 for proportions, means and ratios, 100000 for rates)");
  cmd->add_option("--by", o.by,
                  "Columns to group by, comma separated (rows of a group are summed; for funnels, each group is a "
                  "funnel of its own)")
      ->delimiter(',');
  cmd->add_option("--numerator", o.numerator, "proportion, rate, funnel-*: numerator column (default numerator)");
  cmd->add_option("--denominator", o.denominator,
                  "proportion, rate, funnel-*: denominator column (default denominator)");
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
  cmd->add_option("--observed", o.observed,
                  "isr: column holding each group's observed total, instead of --count; funnel-ratio: observed events "
                  "(default observed)");
  cmd->add_option("--expected", o.expected, "funnel-ratio: expected events column (default expected)");
  cmd->add_option("--rate", o.rate,
                  "funnel-rate: column of directly standardised rates per --multiplier; each unit's population is "
                  "then multiplier x numerator / rate");
  cmd->add_option("--target", o.target,
                  "funnel-*: the target in output units (default: the pooled value of each funnel; 1 x multiplier "
                  "for ratios)");
  cmd->add_option("--curve", a->curve, "funnel-*: also write the limits over a range of denominators to this CSV");
  CLI::Option* curve_points =
      cmd->add_option("--curve-points", a->curve_points, "funnel-*: denominators in --curve (default 100)");
  cmd->add_option("--quantile", o.quantile, "sii: quantile column, ordered numerically (default quantile)");
  cmd->add_option("--se", o.se, "sii: standard error column (default se; else --lower and --upper)");
  cmd->add_option("--lower", o.lower, "sii: 95% lower limit column, when there is no se (default lowercl)");
  cmd->add_option("--upper", o.upper, "sii: 95% upper limit column, when there is no se (default uppercl)");
  cmd->add_option("--value-type", o.value_type, "sii: normal (default), rate or proportion");
  cmd->add_flag("--transform", o.transform, "sii: fit on the log (rate) or logit (proportion) scale");
  cmd->add_option("--repetitions", o.repetitions, "sii: simulation repetitions for the limits (default 100000)");
  cmd->add_option("--seed", o.seed, "sii: seed of the simulation (default 1)");
  cmd->add_option("--data", a->data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  add_disclosure_options(cmd, a->disclosure);
  cmd->callback([a, conf, curve_points] {
    auto& opt = a->options;
    a->disclosure.policy = a->disclosure.checked();  // before anything is read
    opt.policy = a->disclosure.policy;
    opt.disclosure_control = !a->disclosure.off;
    opt.method = stats::parse_table_method(a->method);
    const bool funnel = opt.method == stats::TableMethod::kFunnelProportion ||
                        opt.method == stats::TableMethod::kFunnelRate || opt.method == stats::TableMethod::kFunnelRatio;
    if (funnel && conf->count() > 0)
      throw InputError("--conf: funnel methods always draw 95% and 99.8% limits; leave --conf out");
    if (a->curve.empty() && curve_points->count() > 0)
      throw InputError("--curve-points: give the curve's file with --curve FILE");
    if (!a->curve.empty()) {
      if (!funnel) throw InputError("--curve: only the funnel methods draw a curve");
      opt.curve_points = a->curve_points;
      if (a->curve == a->out) throw InputError("--curve: give a file other than --out");
    }
    if (opt.method == stats::TableMethod::kDsr && opt.stdpop.empty()) {
      opt.standard = load_standard(*a);
      opt.standard_name = a->standard == "esp2013" ? "ESP 2013 (19 bands)" : "ESP 2013 (21 bands)";
    }
    refuse_same_file(a->in, a->out, "--out");
    if (!a->curve.empty()) refuse_same_file(a->in, a->curve, "--curve");
    const CsvTable in = CsvTable::read_file(a->in);
    const stats::TableResult r = stats::run_table(in, opt, a->out, a->curve);
    std::vector<std::pair<std::string, std::string>> files{{a->out, r.csv}, {a->out + ".json", r.metadata}};
    if (!a->curve.empty()) {
      files.push_back({a->curve, r.curve});
      files.push_back({a->curve + ".json", r.curve_metadata});
    }
    write_atomically(files);
    std::printf("stats %s: %zu input rows -> %llu result rows in %s (metadata %s.json)\n", a->method.c_str(),
                in.rows(), static_cast<unsigned long long>(r.rows), a->out.c_str(), a->out.c_str());
    if (!a->curve.empty()) std::printf("funnel limits over %d denominators per funnel in %s\n", opt.curve_points, a->curve.c_str());
    if (opt.disclosure_control) {
      std::printf("disclosure control: %s; counts redacted: %llu; rows with figures withheld: %llu (%s.json)\n",
                  opt.policy.describe(false).c_str(), static_cast<unsigned long long>(r.counts_redacted),
                  static_cast<unsigned long long>(r.rows_withheld), a->out.c_str());
    } else {
      std::fprintf(stderr, "severn stats: disclosure control is OFF (--no-disclosure-control): the counts in %s are "
                           "exact, small ones included; not for publication. %s.json records this.\n",
                   a->out.c_str(), a->out.c_str());
    }
  });
}

}  // namespace severn::cli
