#include "measures/run_definition.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "measures/csv_writers.h"
#include "measures/publish.h"

namespace severn::measures {

RunSummary run_definition(const store::Store& store, const lang::CheckedDefinition& definition, const RunOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const engine::Evaluated evaluated = engine::evaluate(store, definition, o);
  DefinitionCounts counts;
  counts.label = "definition";
  counts.counts = &evaluated.measures;
  counts.statistics = statistics_options(definition.definition, o.data_dir, o.sii_repetitions, o.sii_seed,
                                         evaluated.summary.threads);
  counts.meaning_suffix = link_meaning_suffix(evaluated.summary);
  PublishOptions po;
  po.disclosure_control = o.disclosure_control;
  po.policy = o.policy;
  po.release_ledger = o.release_ledger;
  const ReleaseValues release = publish({counts}, po);
  const DefinitionValues& values = release.definitions.front();
  write_definition_outputs(evaluated.out, evaluated.summary, values, release);

  RunSummary summary;
  static_cast<engine::EvaluationSummary&>(summary) = evaluated.summary;
  summary.measure_rows = values.measure_rows();
  summary.funnel_rows = values.funnel_rows();
  summary.inequality_rows = values.inequality_rows();
  summary.withheld = values.withheld;
  summary.audit = release.audit;
  summary.seconds_total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

// Series counted over a view without weak links (--min-link-probability) count other people than
// the same definition over the store: their meaning says so, so that a release ledger never takes
// one for the other (docs/linkage-uncertainty.md).
std::string link_meaning_suffix(const engine::EvaluationSummary& summary) {
  if (!summary.link_filter || summary.link_filter->no_probabilities()) return "";
  char p[32];
  std::snprintf(p, sizeof p, "%g", summary.link_filter->min_probability);
  return std::string(" [links>=") + p + "]";
}

std::vector<RunSummary> publish_definitions(const std::vector<engine::Evaluated>& evaluated,
                                            const std::vector<const lang::CheckedDefinition*>& definitions,
                                            const std::vector<std::string>& labels, const RunOptions& o) {
  std::vector<DefinitionCounts> counts;
  for (std::size_t i = 0; i < evaluated.size(); ++i)
    counts.push_back({labels.at(i), &evaluated[i].measures,
                      statistics_options(definitions.at(i)->definition, o.data_dir, o.sii_repetitions, o.sii_seed,
                                         std::max(1U, evaluated[i].summary.threads)),
                      link_meaning_suffix(evaluated[i].summary)});
  PublishOptions po;
  po.disclosure_control = o.disclosure_control;
  po.policy = o.policy;
  po.release_ledger = o.release_ledger;
  const ReleaseValues release = publish(counts, po);
  std::vector<RunSummary> out;
  for (std::size_t i = 0; i < evaluated.size(); ++i) {
    const DefinitionValues& values = release.definitions.at(i);
    write_definition_outputs(evaluated[i].out, evaluated[i].summary, values, release);
    RunSummary summary;
    static_cast<engine::EvaluationSummary&>(summary) = evaluated[i].summary;
    summary.measure_rows = values.measure_rows();
    summary.funnel_rows = values.funnel_rows();
    summary.inequality_rows = values.inequality_rows();
    summary.withheld = values.withheld;
    summary.audit = release.audit;
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace severn::measures
