// `severn run`: one definition evaluated by the engine, its measures published as one release,
// and the aggregate outputs written beside the engine's dataset:
//   OUT/dataset.csv     the engine's pseudonymised dataset (engine/run.h)
//   OUT/worklists/      with RunOptions::worklists (identifiable: engine/worklists.h)
//   OUT/measures.csv, funnels.csv, inequality.csv, run.json   (measures/csv_writers.h)
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "disclosure/suppression.h"
#include "engine/run.h"
#include "measures/measure_values.h"

namespace severn::measures {

struct RunOptions : engine::EvaluateOptions {
  // Disclosure control of measures.csv, funnels.csv and inequality.csv. Off only for direct
  // analysis by an explicit choice, which run.json records.
  bool disclosure_control = true;
  disclosure::Policy policy;
  int sii_repetitions = 100000;  // simulations behind the SII's limits
  std::uint64_t sii_seed = 1;
  // Append what the run publishes to this release ledger, and audit against what it holds
  // ("": no ledger). docs/disclosure.md.
  std::filesystem::path release_ledger;
};

struct RunSummary : engine::EvaluationSummary {
  std::uint64_t measure_rows = 0, funnel_rows = 0, inequality_rows = 0;
  WithheldCounts withheld;
  disclosure::AuditSummary audit;  // when disclosure control is on
};

RunSummary run_definition(const store::Store& store, const lang::CheckedDefinition& definition, const RunOptions& options);

// " [links>=P]" for counts over a view without weak links (EvaluationSummary::link_filter), appended
// to their series' meanings so that no release or ledger takes them for the whole store's; "" else.
std::string link_meaning_suffix(const engine::EvaluationSummary& summary);

// Definitions an engine has evaluated (the native one in one pass, or the SQL engine), published
// as one release and each one's outputs written to its directory. `labels` name them in the audit.
std::vector<RunSummary> publish_definitions(const std::vector<engine::Evaluated>& evaluated,
                                            const std::vector<const lang::CheckedDefinition*>& definitions,
                                            const std::vector<std::string>& labels, const RunOptions& options);

}  // namespace severn::measures
