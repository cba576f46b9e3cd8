// Publishing measures: disclosure control over one or many definitions' exact counts as one
// release (docs/disclosure.md: primary redaction, rounding or complementary suppression, the
// linear-programming audit against this release and the ledger of earlier ones), then every
// figure computed from the counts as published. The result is values (measures/measure_values.h);
// writing them is the consumers' job (measures/csv_writers.h, the report).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "disclosure/suppression.h"
#include "engine/measure_counts.h"
#include "measures/figures.h"
#include "measures/measure_values.h"

namespace severn::measures {

// One definition's counts, as the engine returned them, to publish.
struct DefinitionCounts {
  std::string label;  // names the definition in the audit's messages
  const engine::MeasureResults* counts = nullptr;  // outlives the call
  StatisticsOptions statistics;
  // Appended to the meaning of every series of this definition: counts over a different view of
  // the store (without weak links) count other people than the same definition over the store,
  // and must share no variable of the audit, nor any ledger entry, with it.
  std::string meaning_suffix;
};

// Two of publish()'s definitions that are one definition evaluated with every link (`all`) and
// without the links below a probability (`strong`), published side by side: each count of
// `strong` whose difference from `all`'s would reveal a small number is withheld
// (disclosure/differencing.h, docs/disclosure.md "Linkage sensitivity").
struct LinkSensitivityPair {
  std::size_t all = 0, strong = 0;  // indexes into publish()'s definitions
};

struct PublishOptions {
  // Off only for direct analysis by an explicit choice (--no-disclosure-control): counts are
  // then exact and every figure is computed from them.
  bool disclosure_control = true;
  disclosure::Policy policy;
  // Audit against what this ledger holds and append what the release publishes ("": none).
  std::filesystem::path release_ledger;
  std::string release_tag;  // names the release in the ledger, after its UTC time
  std::vector<LinkSensitivityPair> link_pairs;
};

// Decides the release and computes every definition's values. With a ledger, the release is
// appended to it before this returns (a release that fails to be written was still perhaps seen,
// and a ledger that says too much only makes later audits stricter).
ReleaseValues publish(const std::vector<DefinitionCounts>& definitions, const PublishOptions& options);

}  // namespace severn::measures
