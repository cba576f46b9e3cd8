#include "synth/linkage_calibration.h"

#include <cstdio>

#include "synth/person_identity.h"

namespace severn::synth {
namespace {

// A rate drawn from n records is within 5% of its target about every time (three standard
// errors) once the target count reaches 3,600; below that the row is shown but not checked.
constexpr double kCheckableCount = 3600;

double pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0; }

}  // namespace

void add_linkage_calibration(const HouseholdSummary& h, const Tally& tally, std::vector<CalibrationRow>& rows) {
  const double people = static_cast<double>(tally.people);
  const auto& partners = tally.partners;
  // Each twin pair is one maternity and every other person another: pairs / (people - pairs).
  auto per_1000_maternities = [&](double pairs) { return people > pairs ? 1000.0 * pairs / (people - pairs) : 0; };
  rows.push_back({"twin maternities per 1,000 maternities", "rate",
                  "ONS multiple maternity rates by year of birth, 9.6 (1976) to 16.1 (2011) (src/synth/twins.cpp)",
                  per_1000_maternities(h.twin_pairs_expected), per_1000_maternities(static_cast<double>(h.twin_pairs))});
  rows.push_back({"twin pairs of the same sex", "%",
                  "Weinberg's rule: identical twins (about a third) and half of fraternal twins", 100.0 * 2 / 3,
                  pct(static_cast<double>(h.twin_pairs_same_sex), static_cast<double>(h.twin_pairs)),
                  h.twin_pairs >= 400});
  // 2% of the birth family names of families that use them; a household's members share one.
  const double double_barrel_expected = kDoubleBarrelledShare * static_cast<double>(tally.double_barrel_eligible);
  rows.push_back({"people with a double-barrelled family name", "%",
                  "assumption: 2% of birth family names outside South Asian and Chinese families (no published UK figure found)",
                  pct(double_barrel_expected, people), pct(static_cast<double>(tally.double_barrelled), people),
                  double_barrel_expected >= kCheckableCount});
  rows.push_back({"adults (18+) living with a partner", "%", "households.cpp (about half of adults live in a couple: ONS)", 0,
                  pct(2.0 * static_cast<double>(h.couples), static_cast<double>(tally.adults)), false});
  rows.push_back({"couples sharing a family name", "%", "households.cpp (a wife who took her husband's name)", 0,
                  pct(static_cast<double>(h.couples_sharing_name), static_cast<double>(h.couples)), false});
  rows.push_back({"children (under 18) living with their mother", "%", "households.cpp (92% setting)", 0,
                  pct(static_cast<double>(h.children_with_mother), static_cast<double>(h.children)), false});
  rows.push_back({"children living with a brother or sister", "%", "households.cpp", 0,
                  pct(static_cast<double>(h.children_with_sibling), static_cast<double>(h.children)), false});
  rows.push_back({"young adult twin pairs sharing a home", "pairs", "households.cpp (unpartnered twins aged 18-24)", 0,
                  static_cast<double>(h.adult_twins_together), false});

  for (int k = 0; k < kPartnerCount; ++k) {
    const PartnerTally& t = partners[static_cast<std::size_t>(k)];
    const auto missing = static_cast<std::size_t>(Perturbation::kNhsNumberMissing);
    rows.push_back({std::string(partner_code(static_cast<Partner>(k))) + " records with no NHS number", "%",
                    k >= static_cast<int>(Partner::kShropshireLa)
                        ? "assumption: 30% of council records (no published completeness figure found)"
                        : "data-quality setting (src/synth/partners.cpp)",
                    pct(t.expected[missing], static_cast<double>(t.records)),
                    pct(static_cast<double>(t.applied[missing]), static_cast<double>(t.records)),
                    t.expected[missing] >= kCheckableCount});
  }
  PartnerTally all;
  for (const auto& t : partners) all.add(t);
  for (int p = 0; p < kPerturbationCount; ++p) {
    const auto i = static_cast<std::size_t>(p);
    const auto kind = static_cast<Perturbation>(p);
    const bool duplicate = kind == Perturbation::kDuplicateRecord;  // who has one is not a rate per record
    rows.push_back({std::string("partner records: ") + perturbation_name(kind), "%",
                    duplicate ? "information (0.4-1.2% of people have a second record)" : "data-quality setting (src/synth/partners.cpp)",
                    duplicate ? 0 : pct(all.expected[i], static_cast<double>(all.records)),
                    pct(static_cast<double>(all.applied[i]), static_cast<double>(all.records)),
                    !duplicate && all.expected[i] >= kCheckableCount});
  }
}

std::string perturbations_by_partner_markdown(const std::array<PartnerTally, kPartnerCount>& partners) {
  std::string s = "| perturbation, % of records (target) |";
  std::string rule = "|---|";
  for (int k = 0; k < kPartnerCount; ++k) {
    s += std::string(" ") + partner_code(static_cast<Partner>(k)) + " |";
    rule += "---:|";
  }
  s += "\n" + rule + "\n| records |";
  char buf[64];
  for (const auto& t : partners) {
    std::snprintf(buf, sizeof buf, " %lld |", static_cast<long long>(t.records));
    s += buf;
  }
  s += "\n";
  for (int p = 0; p < kPerturbationCount; ++p) {
    const auto i = static_cast<std::size_t>(p);
    s += std::string("| ") + perturbation_name(static_cast<Perturbation>(p)) + " |";
    for (const auto& t : partners) {
      const double records = static_cast<double>(t.records);
      if (static_cast<Perturbation>(p) == Perturbation::kDuplicateRecord)
        std::snprintf(buf, sizeof buf, " %.2f |", pct(static_cast<double>(t.applied[i]), records));
      else
        std::snprintf(buf, sizeof buf, " %.2f (%.2f) |", pct(static_cast<double>(t.applied[i]), records),
                      pct(t.expected[i], records));
      s += buf;
    }
    s += "\n";
  }
  return s;
}

}  // namespace severn::synth
