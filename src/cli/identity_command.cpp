// `severn identity`: questions about a store's partner links, answered from its restricted
// identity area (read deliberately, through store::IdentityArea, which checks every file and
// tells the access observer; here the observer prints an audit line to stderr).
//   severn identity explain --store S PARTNER LOCAL_ID     the link of one partner record
//   severn identity evaluate --store S --extract SRC       precision and recall against synthetic truth
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/commands.h"
#include "core/csv_table.h"
#include "core/error.h"
#include "identity/partner_link_evaluation.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct ExplainArgs {
  std::string store, partner, local_id;
};

struct EvaluateArgs {
  std::string store, extract;
  double min_precision = 0.0, min_recall = 0.0;
};

store::AccessObserver audit_to_stderr() {
  return [](const store::IdentityAccess& a) {
    std::fprintf(stderr, "severn identity: identity area read by %s for %s: %s\n", a.context->who.c_str(),
                 a.context->purpose.c_str(),
                 a.file.empty() ? (std::to_string(a.person_ids->size()) + " persons").c_str() : std::string(a.file).c_str());
  };
}

std::size_t find_record(const CsvTable& t, const std::string& partner, const std::string& local_id) {
  const std::size_t cp = t.column("partner_code"), cl = t.column("local_patient_id");
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.cell(r, cl) == local_id && t.cell(r, cp) == partner) return r;
  throw InputError(t.source() + ": no record '" + local_id + "' of partner " + partner);
}

void run_explain(const ExplainArgs& a) {
  const auto s = store::Store::open(a.store);
  const auto area = store::IdentityArea::open(*s, audit_to_stderr());
  const store::AccessContext context{"severn identity explain", "explain the link of " + a.partner + " " + a.local_id};
  const CsvTable links = CsvTable::parse(
      area.read_file("identity/partner_links.csv", store::IdentityField{}, context), "identity/partner_links.csv");
  const std::size_t r = find_record(links, a.partner, a.local_id);
  const std::string& method = links.cell(r, "method");
  const std::string& person = links.cell(r, "person_id");
  std::printf("%s %s: %s%s%s\n", a.partner.c_str(), a.local_id.c_str(), method.c_str(),
              person.empty() ? "" : ", person_id ", person.c_str());
  std::printf("  match probability %s, match weight %s\n",
              links.cell(r, "match_probability").empty() ? "-" : links.cell(r, "match_probability").c_str(),
              links.cell(r, "match_weight").empty() ? "-" : links.cell(r, "match_weight").c_str());

  const CsvTable records = CsvTable::parse(
      area.read_file("identity/partner_records.csv", store::kAllIdentityFields, context), "identity/partner_records.csv");
  const std::size_t pr = find_record(records, a.partner, a.local_id);
  std::printf("  resolution: %s\n", records.cell(pr, "resolution").c_str());

  const CsvTable steps =
      CsvTable::parse(area.read_file("identity/partner_link_explanations.csv", store::kAllIdentityFields, context),
                      "identity/partner_link_explanations.csv");
  const std::size_t cp = steps.column("partner_code"), cl = steps.column("local_patient_id");
  bool any = false;
  double total = 0.0;
  for (std::size_t k = 0; k < steps.rows(); ++k) {
    if (steps.cell(k, cl) != a.local_id || steps.cell(k, cp) != a.partner) continue;
    if (!any) {
      std::printf("\n  waterfall against person_id %s:\n  %-22s %-24s %-24s %-28s %9s %9s\n",
                  steps.cell(k, "person_id").c_str(), "comparison", "partner value", "person value", "level", "weight",
                  "total");
      any = true;
    }
    const double w = steps.get_double(k, steps.column("weight"));
    total += w;
    std::printf("  %-22s %-24s %-24s %-28s %9.3f %9.3f\n", steps.cell(k, "comparison").c_str(),
                steps.cell(k, "partner_value").c_str(), steps.cell(k, "person_value").c_str(),
                steps.cell(k, "level").c_str(), w, total);
  }
  if (!any)
    std::printf("\n  no waterfall is stored: %s\n",
                method == "nhs_number" ? "linked by its NHS number, which its demographics did not contradict"
                                       : "no candidate person was compared");
}

void run_evaluate(const EvaluateArgs& a) {
  const auto s = store::Store::open(a.store);
  const auto area = store::IdentityArea::open(*s, audit_to_stderr());
  const store::AccessContext context{"severn identity evaluate", "linkage accuracy against synthetic ground truth"};
  std::vector<std::uint32_t> ids(area.persons());
  std::iota(ids.begin(), ids.end(), 0u);
  std::unordered_map<std::string, std::string> store_nhs;
  for (const auto& p : area.lookup(ids, store::IdentityField::kNhsNumber, context))
    store_nhs.emplace(std::to_string(p.person_id), p.nhs_number);
  const CsvTable links = CsvTable::parse(
      area.read_file("identity/partner_links.csv", store::IdentityField{}, context), "identity/partner_links.csv");
  const std::string truth = a.extract + "/truth/";
  const auto accuracy = identity::evaluate_partner_links(links, store_nhs, CsvTable::read_file(truth + "partner_records.csv"),
                                                         CsvTable::read_file(truth + "persons.csv"));
  std::fputs(identity::accuracy_report(accuracy).c_str(), stdout);
  if (accuracy.precision < a.min_precision || accuracy.recall < a.min_recall)
    throw InputError("below the required precision " + std::to_string(a.min_precision) + " or recall " +
                     std::to_string(a.min_recall));
}

}  // namespace

void add_identity(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("identity", "Explain and evaluate a store's partner links (its identity area)");
  cmd->require_subcommand(1);
  auto e = std::make_shared<ExplainArgs>();
  CLI::App* explain =
      cmd->add_subcommand("explain", "Print how one partner record was linked: method, probability and the waterfall "
                                     "of each field's level and weight (docs/linkage.md)");
  explain->add_option("--store", e->store, "Store directory")->required();
  explain->add_option("PARTNER", e->partner, "Partner code, e.g. RXW")->required();
  explain->add_option("LOCAL_ID", e->local_id, "The partner's local patient id")->required();
  explain->callback([e] { run_explain(*e); });

  auto v = std::make_shared<EvaluateArgs>();
  CLI::App* evaluate = cmd->add_subcommand(
      "evaluate", "Precision and recall of the partner links against a synthetic extract's truth/ files");
  evaluate->add_option("--store", v->store, "Store directory")->required();
  evaluate->add_option("--extract", v->extract, "The extract the store was built from (with truth/)")->required();
  evaluate->add_option("--min-precision", v->min_precision, "Exit 1 below this precision");
  evaluate->add_option("--min-recall", v->min_recall, "Exit 1 below this recall");
  evaluate->callback([v] { run_evaluate(*v); });
}

}  // namespace severn::cli
