// `severn elective mutual-aid`: NHS England's patient-initiated mutual aid (PIDMAS) applied to the
// reported waiting list on a date D: who is eligible, who could move to a provider with a shorter
// wait for the same treatment function within their travel radius, and what that does across IMD
// quintiles (docs/elective/mutual-aid.md).
//   severn elective mutual-aid --store S --out DIR [--date D] [--radius-miles 50|100|national]
//                              [--offers FILE] [--opt-in FILE]
//                              [--identifiable --who NAME --purpose TEXT]
// DIR/mutual_aid_summary.csv is aggregate and passes disclosure control; DIR/mutual_aid_list.csv
// (identifiable, for the provider's elective team) is written only with --identifiable, through the
// audited identity area, and is refused without a named reader and purpose.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/commands.h"
#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "cli/index_date.h"
#include "core/csv_table.h"
#include "core/csv_writer.h"
#include "core/error.h"
#include "core/json_text.h"
#include "disclosure/release.h"
#include "elective/geo_lsoa_centroids.h"
#include "elective/mutual_aid_eligibility.h"
#include "elective/mutual_aid_list.h"
#include "elective/mutual_aid_matching.h"
#include "elective/mutual_aid_store.h"
#include "elective/mutual_aid_summary.h"
#include "elective/mutual_aid_waits.h"
#include "elective/rtt_weeks.h"
#include "elective/sites.h"
#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::cli {
namespace {

struct MutualAidArgs {
  std::string store, out, date, radius = "100", offers, opt_in, data, who, purpose;
  std::uint64_t seed = 17;
  double min_shorter_weeks = 0;
  bool identifiable = false;
  DisclosureChoice disclosure;
};

std::string read_text(const std::string& path, const char* option) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(std::string(option) + ": cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path.string() + ": cannot open for writing");
    f << text;
    if (!f) throw InputError(path.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InputError(path.string() + ": cannot replace: " + ec.message());
}

// Checked before anything is opened: an identifiable list needs a named reader and a purpose,
// which the identity area's audit records with every read.
void refuse_unaccountable_list(const MutualAidArgs& a) {
  if (!a.identifiable) {
    if (!a.who.empty() || !a.purpose.empty())
      throw InputError("--who/--purpose name the reader of the identifiable list; give them with --identifiable");
    return;
  }
  if (a.who.empty() || a.purpose.empty())
    throw InputError("--identifiable: the patient list is identifiable; say who reads it (--who NAME) and why "
                     "(--purpose TEXT): both are recorded by the identity area's audit");
}

std::string waits_json(const elective::WaitTable& waits, const elective::ListWaits& store_waits,
                       const disclosure::Policy& policy, bool control) {
  std::string j = "[";
  bool first = true;
  for (const auto& [key, w] : waits.all()) {
    if (!first) j += ", ";
    first = false;
    j += "{\"provider_code\": " + json_quoted(key.first) + ", \"treatment_function_code\": " +
         std::to_string(key.second) + ", \"basis\": " + json_quoted(w.basis) + ", \"receives\": " +
         (w.receives ? "true" : "false") + ", \"capacity\": " +
         (w.capacity ? std::to_string(*w.capacity) : std::string("null")) + ", \"expected_weeks\": ";
    // A median of a handful of pathways would be close to one patient's wait: withheld like a count.
    const auto it = store_waits.find(key);
    const bool from_small_list = control && it != store_waits.end() && w.basis.starts_with("store median") &&
                                 it->second.open <= policy.redact_max + policy.protection_width;
    if (from_small_list) {
      j += json_quoted(disclosure::kWithheldMarker);
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", w.expected_weeks);
      j += buf;
    }
    j += "}";
  }
  return j + "]";
}

void run_mutual_aid(const MutualAidArgs& a) {
  refuse_unaccountable_list(a);
  const auto t0 = std::chrono::steady_clock::now();
  const double radius = elective::parse_radius_miles(a.radius);
  DisclosureChoice choice = a.disclosure;
  const disclosure::Policy policy = choice.checked();
  const auto s = store::Store::open(a.store);
  const IndexDate on = choose_index_date(s->manifest(), a.date);
  const auto geography = refdata::load_geography(refdata::DataDir::resolve(a.data));
  const auto& sites = elective::provider_sites();
  std::optional<std::vector<elective::Offer>> offers;
  if (!a.offers.empty()) offers = elective::parse_offers(read_text(a.offers, "--offers"), a.offers, sites);
  const elective::OptInShares shares =
      a.opt_in.empty() ? elective::kEveryoneOptsIn : elective::parse_opt_in(read_text(a.opt_in, "--opt-in"), a.opt_in);

  elective::MutualAidOptions mo;
  mo.on = on.date;
  mo.radius_miles = radius;
  mo.offers = offers;
  mo.shares = shares;
  mo.seed = a.seed;
  mo.min_shorter_weeks = a.min_shorter_weeks;
  const elective::MutualAidList ma = elective::build_mutual_aid_list(*s, geography, mo);
  const auto& in = ma.in;
  const auto& waits = ma.waits;
  const auto& store_waits = ma.store_waits;
  const std::size_t unlocated = ma.unlocated;
  const std::vector<elective::MutualAidCase> cases = elective::mutual_aid_cases(ma);
  const disclosure::Release release = elective::mutual_aid_release(cases, on.date);
  std::optional<disclosure::ReleaseDecision> decision;
  if (!choice.off) decision = disclosure::control(release, policy);

  std::filesystem::create_directories(a.out);
  const std::filesystem::path out(a.out);
  write_text(out / "mutual_aid_summary.csv",
             elective::mutual_aid_summary_csv(release, decision ? &*decision : nullptr, on.date, radius));
  std::string notes = "[";
  for (std::size_t i = 0; i < in.notes.size(); ++i) notes += (i ? ", " : "") + json_quoted(in.notes[i]);
  notes += "]";
  std::string meta = "{\n  \"date\": " + json_quoted(on.text) + ",\n  \"date_source\": " + json_quoted(on.source) +
                     ",\n  \"radius_miles\": " + json_quoted(elective::radius_text(radius)) +
                     ",\n  \"rules\": \"PIDMAS: open RTT period waiting more than 280 days, aged 18+, no TCI date on "
                     "D..D+56, not already transferred\"" +
                     ",\n  \"min_shorter_weeks\": " + std::to_string(a.min_shorter_weeks) +
                     ",\n  \"store_lacks\": " + notes +
                     ",\n  \"opt_in\": " + json_quoted(a.opt_in.empty() ? "everyone eligible asks to move (upper bound)" : a.opt_in) +
                     ",\n  \"offers\": " + json_quoted(a.offers.empty() ? "none: STW providers' store medians, unlimited places (potential matches)" : a.offers) +
                     ",\n  \"waits\": " + waits_json(waits, store_waits, policy, !choice.off) +
                     ",\n  \"disclosure\": " + disclosure::metadata_json(policy, !choice.off) +
                     (decision ? ",\n  \"audit\": " + decision->audit.json() : std::string()) + "\n}\n";
  write_text(out / "mutual_aid_summary.csv.json", meta);

  if (a.identifiable) {
    const auto area = store::IdentityArea::open(*s, [](const store::IdentityAccess& x) {
      std::fprintf(stderr, "severn elective mutual-aid: identity area read by %s for %s: %s\n", x.context->who.c_str(),
                   x.context->purpose.c_str(),
                   x.file.empty() ? (std::to_string(x.person_ids->size()) + " persons").c_str()
                                  : std::string(x.file).c_str());
    });
    const store::AccessContext context{a.who, a.purpose};
    write_text(out / "mutual_aid_list.csv",
               elective::mutual_aid_list_csv(*s, area, context, ma, elective::mutual_aid_entries_of(ma, ""), on.date));
  }

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto shown_total = [&](std::size_t series) -> std::string {
    if (!decision) return std::to_string(release.series[series].total);
    const auto& c = decision->series[series].total;
    return c.withheld() ? disclosure::kWithheldMarker : std::to_string(c.shown);
  };
  const std::string radius_words =
      std::isinf(radius) ? std::string("any distance (national)") : "within " + elective::radius_text(radius) + " miles";
  std::printf("mutual aid on %s (%s), %s: %s eligible, %s ask to move, %s matched%s; %.2f s\n",
              on.text.c_str(), on.reason.c_str(), radius_words.c_str(), shown_total(0).c_str(),
              shown_total(1).c_str(), shown_total(2).c_str(), decision ? " (disclosure-controlled)" : " (exact)", seconds);
  for (const auto& n : in.notes) std::printf("  note: %s\n", n.c_str());
  if (unlocated > 0) std::printf("  note: some eligible patients live outside the STW LSOAs and could not be located\n");
}

}  // namespace

void add_elective_mutual_aid(CLI::App& elective) {
  auto a = std::make_shared<MutualAidArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "mutual-aid", "PIDMAS mutual aid: eligible patients on the reported list matched to providers with shorter "
                    "waits within a travel radius (docs/elective/mutual-aid.md)");
  cmd->add_option("--store", a->store, "The store (severn ingest output)")->required();
  cmd->add_option("--out", a->out, "Directory for mutual_aid_summary.csv (and mutual_aid_list.csv)")->required();
  cmd->add_option("--date", a->date, "The date D (YYYY-MM-DD; default: the data's end from the manifest)");
  cmd->add_option("--radius-miles", a->radius, "How far patients will travel: 50, 100 (default) or national");
  cmd->add_option("--offers", a->offers,
                  "CSV provider_code,treatment_function_code,expected_wait_weeks,capacity,note: the places receiving "
                  "providers offer (and neighbours' waits; say in note where they come from, or 'illustrative')");
  cmd->add_option("--opt-in", a->opt_in,
                  "CSV imd_quintile,share: the share of eligible patients who ask to move, by IMD quintile (default: "
                  "everyone, an upper bound)");
  cmd->add_option("--min-shorter-weeks", a->min_shorter_weeks,
                  "Offer only providers whose expected wait is shorter by more than this many weeks (default 0: any "
                  "shorter wait)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", a->seed, "Seed of the opt-in draw (default 17)");
  cmd->add_option("--data", a->data, "Reference-data pack (default: $SEVERN_DATA or ../shared/data)");
  cmd->add_flag("--identifiable", a->identifiable,
                "Also write mutual_aid_list.csv: every eligible patient with NHS number, name and offer (needs --who "
                "and --purpose; read through the audited identity area)");
  cmd->add_option("--who", a->who, "Who reads the identifiable list (recorded by the audit)");
  cmd->add_option("--purpose", a->purpose, "Why (recorded by the audit)");
  add_disclosure_options(cmd, a->disclosure);
  cmd->callback([a] { run_mutual_aid(*a); });
}

}  // namespace severn::cli
