// `severn elective prioritise`: compares scheduling policies (longest wait first, priority then
// wait, equity-aware) by simulating the current list forward week by week (src/elective/
// policy_simulation.h), and writes the waits by IMD quintile and ethnicity group through
// disclosure control (docs/elective/ptl-and-prioritisation.md).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "cli/elective_score_options.h"
#include "core/error.h"
#include "elective/policy_comparison.h"
#include "elective/policy_inputs.h"
#include "elective/ptl_output.h"
#include "elective/ptl_reader.h"
#include "refdata/codelists.h"
#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct PrioritiseArgs {
  std::string store, out, date, data;
  std::vector<int> horizons{26, 52};
  std::uint64_t seed = 1;
  int lookback_weeks = 26;
  double capacity_factor = 1.0;
  DisclosureChoice disclosure;
  elective::PriorityWeights weights;
};

void run_prioritise(PrioritiseArgs& a) {
  const auto started = std::chrono::steady_clock::now();
  const disclosure::Policy policy = a.disclosure.checked();
  const auto store = store::Store::open(a.store);
  elective::PolicyInputOptions in_opts;
  in_opts.on = elective::default_list_date(*store);
  if (!a.date.empty()) {
    const auto d = parse_iso_date(a.date);
    if (!d) throw InputError("--date: '" + a.date + "' is not a date in the form YYYY-MM-DD");
    in_opts.on = *d;
  }
  in_opts.lookback_weeks = a.lookback_weeks;
  in_opts.capacity_factor = a.capacity_factor;
  for (std::size_t i = 0; i < a.horizons.size(); ++i)
    if (a.horizons[i] < 1 || (i > 0 && a.horizons[i] <= a.horizons[i - 1]))
      throw InputError("--horizons: whole weeks, ascending, each at least 1");
  const auto data = refdata::DataDir::resolve(a.data);
  const auto codelists = refdata::CodelistLibrary::load(data);
  const auto geography = refdata::load_geography(data);
  const elective::LinkedRecord record(*store, codelists, geography);
  const elective::PriorityWeights& weights = a.weights;
  elective::PolicyInputSummary summary;
  const elective::SimInputs inputs = elective::read_policy_inputs(*store, record, weights, in_opts, &summary);
  const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  elective::SimOptions sim;
  sim.horizons_weeks = a.horizons;
  sim.seed = a.seed;
  sim.time_score = &elective::default_time_score;
  std::vector<elective::SimResult> results;
  for (const auto p : {elective::SchedulingPolicy::kLongestWaitFirst, elective::SchedulingPolicy::kPriorityThenWait,
                       elective::SchedulingPolicy::kEquityAware})
    results.push_back(elective::simulate_policy(inputs, p, sim));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const bool control = !a.disclosure.off;
  std::string meta = "{\n  \"command\": \"severn elective prioritise\",\n  \"list_date\": \"" + format_iso_date(in_opts.on) +
                     "\",\n  \"seed\": " + std::to_string(a.seed) + ",\n  \"lookback_weeks\": " +
                     std::to_string(a.lookback_weeks) + ",\n  \"capacity_factor\": " + std::to_string(a.capacity_factor) +
                     ",\n  \"open_periods\": " + std::to_string(summary.open) + ",\n  \"queues\": " +
                     std::to_string(inputs.queues.size()) + ",\n  \"capacity_per_week\": " +
                     std::to_string(summary.capacity_per_week) + ",\n  \"arrivals_per_week\": " +
                     std::to_string(summary.arrivals_per_week) + ",\n  \"store_has_wlmds_columns\": " +
                     (summary.has_wlmds_columns ? "true" : "false") + ",\n  \"weights\": {\"core20_uplift\": " + std::to_string(weights.core20) +
                     ", \"ld_uplift\": " + std::to_string(weights.learning_disability) + ", \"ethnic_minority_uplift\": " +
                     std::to_string(weights.ethnic_minority) + "}" + ",\n  \"counts\": \"pathways (clock periods)\"" +
                     ",\n  \"disclosure\": " + disclosure::metadata_json(policy, control) + "\n}\n";
  elective::write_files(a.out, {{"policy_comparison.csv", elective::policy_comparison_csv(results, policy, control)},
                                {"policy_comparison.json", meta}});
  std::printf("severn elective prioritise: %llu open periods on %s in %zu queues (capacity %.1f/week, arrivals "
              "%.1f/week); 3 policies to %d weeks; read %.2f s, total %.2f s -> %s/policy_comparison.csv%s\n",
              static_cast<unsigned long long>(summary.open), format_iso_date(in_opts.on).c_str(), inputs.queues.size(),
              summary.capacity_per_week, summary.arrivals_per_week, a.horizons.back(), read_seconds, seconds, a.out.c_str(),
              control ? "" : " (disclosure control OFF)");
}

}  // namespace

void add_elective_prioritise(CLI::App& elective) {
  auto args = std::make_shared<PrioritiseArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "prioritise", "Compare scheduling policies (longest wait first, priority then wait, equity-aware) by a weekly "
                    "patient-level simulation of the list; waits by IMD quintile and ethnicity group");
  cmd->add_option("--store", args->store, "Store directory (severn ingest output)")->required();
  cmd->add_option("--out", args->out, "Output directory: writes policy_comparison.csv and .json")->required();
  cmd->add_option("--date", args->date, "The day the simulation starts from, YYYY-MM-DD (default: the data's end)");
  cmd->add_option("--data", args->data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_option("--horizons", args->horizons, "Horizons in weeks, ascending (default 26 52)");
  cmd->add_option("--seed", args->seed, "Random seed (default 1): the same seed gives the same output");
  cmd->add_option("--lookback-weeks", args->lookback_weeks,
                  "Weeks before the start day whose clock stops and starts set capacity and arrivals (default 26)");
  cmd->add_option("--capacity-factor", args->capacity_factor,
                  "Scale every queue's capacity (default 1: the recent weekly clock-stop rate)");
  add_disclosure_options(cmd, args->disclosure);
  add_uplift_options(cmd, args->weights);
  cmd->callback([args] { run_prioritise(*args); });
}

}  // namespace severn::cli
