// `severn link`: probabilistic record linkage of any CSV files (docs/linkage.md).
//   severn link --config FILE LEFT.csv [RIGHT.csv] --out DIR     dedupe one file or link two
//   severn link explain --config FILE --model MODEL LEFT.csv [RIGHT.csv] --pair LEFT_ID RIGHT_ID
//   severn link evaluate (--pairs pairs.csv | --clusters clusters.csv) --truth FILE... 
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/commands.h"
#include "core/csv_table.h"
#include "core/error.h"
#include "core/parallel.h"
#include "identity/evaluation.h"
#include "identity/link_outputs.h"
#include "identity/linker.h"

namespace severn::cli {
namespace {

struct LinkArgs {
  std::string config, out, model;
  std::vector<std::string> inputs;
  bool all_pairs = false;
  unsigned threads = 0;
  std::vector<std::string> pair;  // explain
};

struct EvaluateArgs {
  std::string pairs, clusters, id_column = "id", cluster_column = "cluster";
  std::vector<std::string> truth;
};

struct LoadedInputs {
  identity::LinkConfig config;
  identity::RecordTable left;
  std::unique_ptr<identity::RecordTable> right;
};

LoadedInputs load(const LinkArgs& a) {
  if (a.inputs.empty() || a.inputs.size() > 2) throw InputError("link: give one CSV file to deduplicate or two to link");
  LoadedInputs in{identity::read_link_config(a.config), {}, nullptr};
  // Two files are read side by side (parsing a million-row extract is a few seconds).
  std::vector<identity::RecordTable> tables(a.inputs.size());
  parallel_for(a.inputs.size(), 2, [&](std::size_t i) { tables[i] = identity::RecordTable::read_file(a.inputs[i], in.config.csv); });
  in.left = std::move(tables[0]);
  if (a.inputs.size() == 2) in.right = std::make_unique<identity::RecordTable>(std::move(tables[1]));
  return in;
}

void run_link(const LinkArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedInputs in = load(a);
  identity::LinkOptions options;
  options.model = a.model;
  options.all_pairs = a.all_pairs;
  options.threads = a.threads;
  const auto result = identity::run_linkage(in.config, in.left, in.right.get(), options);
  identity::RunFacts facts;
  facts.config_file = a.config;
  facts.left_file = a.inputs[0];
  facts.right_file = a.inputs.size() == 2 ? a.inputs[1] : "";
  facts.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  facts.peak_memory_bytes = identity::peak_memory_bytes();
  identity::write_link_outputs(*result, in.config, facts, a.out);
  std::fputs(identity::summary_text(*result, in.config, facts).c_str(), stdout);
  std::printf("outputs: %s/ (pairs.csv, clusters.csv, review.csv, explanations.csv, model.toml, summary.json)\n", a.out.c_str());
}

void run_explain(const LinkArgs& a) {
  const LoadedInputs in = load(a);
  // Only the two records matter, but term frequencies and the dictionaries come from the whole
  // inputs, exactly as in the run that produced the model: prepare everything, compare nothing.
  std::unique_ptr<identity::NicknameTable> storage;
  const identity::NicknameTable& nicknames = identity::nickname_table(in.config, storage);
  identity::PreparedInputs inputs(in.config, in.left, in.right.get(), nicknames, a.threads > 0 ? a.threads : 1);
  const auto comparisons = identity::build_comparisons(in.config, inputs);
  const identity::Model model = identity::read_model(a.model, comparisons);
  const identity::TermFrequencies frequencies(in.config, comparisons, inputs);
  const identity::Scorer scorer(model, comparisons, inputs, frequencies);
  const std::int64_t l = inputs.find(0, a.pair[0]);
  if (l < 0) throw InputError(a.inputs[0] + ": no record with id '" + a.pair[0] + "'");
  const std::int64_t r = inputs.find(inputs.right_side(), a.pair[1]);
  if (r < 0) throw InputError(a.inputs.back() + ": no record with id '" + a.pair[1] + "'");
  std::uint32_t x = static_cast<std::uint32_t>(l), y = static_cast<std::uint32_t>(r);
  if (!inputs.linking() && y < x) std::swap(x, y);
  const identity::Explanation e = scorer.explain(x, y);
  std::fputs(identity::waterfall_text(e, inputs.id(0, x), inputs.id(inputs.right_side(), y)).c_str(), stdout);
}

identity::TruthClusters read_truth(const EvaluateArgs& a) {
  identity::TruthClusters truth;
  for (const std::string& file : a.truth) {
    const CsvTable t = CsvTable::read_file(file);
    const std::size_t id = t.column(a.id_column), cluster = t.column(a.cluster_column);
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (!truth.emplace(t.cell(r, id), t.cell(r, cluster)).second)
        t.fail(r, id, "id appears twice in the truth");
  }
  return truth;
}

void run_evaluate(const EvaluateArgs& a) {
  if (a.pairs.empty() == a.clusters.empty()) throw InputError("link evaluate: give exactly one of --pairs or --clusters");
  const identity::TruthClusters truth = read_truth(a);
  identity::PairwiseScore s;
  if (!a.pairs.empty()) {
    const CsvTable t = CsvTable::read_file(a.pairs);
    const std::size_t l = t.column("left_id"), r = t.column("right_id");
    std::vector<std::pair<std::string, std::string>> links;
    for (std::size_t i = 0; i < t.rows(); ++i) links.emplace_back(t.cell(i, l), t.cell(i, r));
    s = identity::score_links(links, truth);
  } else {
    const CsvTable t = CsvTable::read_file(a.clusters);
    const std::size_t id = t.column("id"), cluster = t.column("cluster_id");
    std::unordered_map<std::string, std::string> predicted;
    for (std::size_t i = 0; i < t.rows(); ++i) predicted.emplace(t.cell(i, id), t.cell(i, cluster));
    s = identity::score_clusters(predicted, truth);
  }
  std::printf("true_pairs %llu predicted_pairs %llu correct_pairs %llu\nprecision %.6f recall %.6f f1 %.6f\n",
              static_cast<unsigned long long>(s.true_pairs), static_cast<unsigned long long>(s.predicted_pairs),
              static_cast<unsigned long long>(s.correct_pairs), s.precision(), s.recall(), s.f1());
}

void add_inputs(CLI::App* cmd, LinkArgs& a) {
  cmd->add_option("--config", a.config, "Linkage configuration (TOML; docs/linkage.md)")->required();
  cmd->add_option("--threads", a.threads, "Worker threads (default: [run] threads, else all cores)");
}

}  // namespace

void add_link(CLI::App& app) {
  auto a = std::make_shared<LinkArgs>();
  auto e = std::make_shared<LinkArgs>();
  auto v = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "link",
      "Probabilistic record linkage (Fellegi-Sunter, EM-trained) of one CSV file (deduplicate) or two (link). "
      "Writes pairs.csv, clusters.csv, review.csv, explanations.csv, model.toml and summary.json to --out. "
      "Reference: docs/linkage.md.");
  cmd->require_subcommand(0, 1);
  add_inputs(cmd, *a);
  cmd->get_option("--config")->required(false);
  cmd->add_option("--out", a->out, "Output directory (created if missing; files in it are replaced)");
  cmd->add_option("--model", a->model, "Score with this model.toml instead of training a new one");
  cmd->add_flag("--all-pairs", a->all_pairs, "Compare every pair instead of blocking (a baseline for small inputs)");
  cmd->add_option("inputs", a->inputs, "LEFT.csv [RIGHT.csv]");

  CLI::App* explain = cmd->add_subcommand(
      "explain", "Print the waterfall of one pair: the prior and each comparison's level and weight.");
  add_inputs(explain, *e);
  explain->add_option("--model", e->model, "The model.toml of the run")->required();
  explain->add_option("--pair", e->pair, "LEFT_ID RIGHT_ID")->required()->expected(2);
  explain->add_option("inputs", e->inputs, "LEFT.csv [RIGHT.csv]")->required();
  explain->callback([e] { run_explain(*e); });

  CLI::App* evaluate = cmd->add_subcommand(
      "evaluate", "Pairwise precision, recall and F1 of pairs.csv or clusters.csv against a truth table.");
  evaluate->add_option("--pairs", v->pairs, "pairs.csv of a run");
  evaluate->add_option("--clusters", v->clusters, "clusters.csv of a run");
  evaluate->add_option("--truth", v->truth, "CSV file(s) mapping each record id to its true cluster")->required();
  evaluate->add_option("--id-column", v->id_column, "Id column of the truth (default id)");
  evaluate->add_option("--cluster-column", v->cluster_column, "Cluster column of the truth (default cluster)");
  evaluate->callback([v] { run_evaluate(*v); });

  cmd->callback([a, cmd] {
    if (!cmd->get_subcommands().empty()) return;
    if (a->config.empty()) throw InputError("link: --config is required");
    if (a->out.empty()) throw InputError("link: --out is required");
    run_link(*a);
  });
}

}  // namespace severn::cli
