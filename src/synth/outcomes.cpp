#include "synth/outcomes.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "synth/gp_codes.h"

namespace severn::synth {
namespace {

using C = Condition;

const std::string* need(const refdata::Codelist& list, std::initializer_list<const char*> alts) {
  if (const std::string* code = find_code(list, alts)) return code;
  throw InputError("code list '" + list.name + "' lacks code " + *alts.begin());
}

struct Cause {
  const std::string* code;
  double weight;
  bool circulatory;
};

std::vector<Cause> causes(const Person& p, const OutcomeModel& m, double circ_weight) {
  std::vector<Cause> c = {{m.pneumonia, 1.5, false}, {m.chd, 0.8 * circ_weight, true}};
  if (p.has(C::kCancer)) c.push_back({m.cancer_site_icd10[p.cancer_site], 7, false});
  if (p.has(C::kChd)) c.push_back({m.chd, 2.5 * circ_weight, true}), c.push_back({m.mi, 1.5 * circ_weight, true});
  if (p.has(C::kStrokeTia)) c.push_back({m.stroke, 2.5 * circ_weight, true});
  if (p.has(C::kHeartFailure)) c.push_back({m.heart_failure, 2.5 * circ_weight, true});
  if (p.has(C::kAf)) c.push_back({m.af, 0.5 * circ_weight, true});
  if (p.has(C::kCopd)) c.push_back({m.copd, 3, false});
  if (p.has(C::kDementia) || p.dementia_undiagnosed) c.push_back({m.dementia, 3, false}), c.push_back({m.alzheimer, 2, false});
  return c;
}

double circulatory_share(const Person& p, const OutcomeModel& m, double w) {
  double tot = 0, circ = 0;
  for (const auto& c : causes(p, m, w)) {
    tot += c.weight;
    if (c.circulatory) circ += c.weight;
  }
  return circ / tot;
}

// Registry tumour ids: a bijection of person ids onto 9 digits, unrelated to the NHS number.
std::string tumour_id(std::uint32_t person) {
  const std::uint64_t x = (static_cast<std::uint64_t>(person) * 740329ull + 271828ull) % 1000000000ull;
  std::string d = std::to_string(x);
  return "TUM" + std::string(9 - d.size(), '0') + d;
}

}  // namespace

void assign_cancer_sites(const SynthConfig& config, std::vector<Person>& people) {
  const auto& sites = cancer_sites();
  for (auto& p : people) {
    if (!p.has(C::kCancer)) continue;
    Rng rng(config.seed, p.id, "cancer-site");
    std::vector<double> w;
    for (const auto& s : sites) w.push_back(s.sex == 'B' || s.sex == p.sex ? s.share : 0.0);
    p.cancer_site = static_cast<std::uint8_t>(rng.weighted(w));
  }
}

OutcomeModel build_outcome_model(const refdata::CodelistLibrary& lib, const SynthConfig& config,
                                 const Targets& targets, const std::vector<Person>& people) {
  OutcomeModel m;
  const auto& ucod = lib.get("icd10-underlying-cause-of-death");
  const auto& chronic = lib.get("icd10-chronic-conditions");
  m.chd = need(ucod, {"I25.1", "I25.9"});
  m.mi = need(ucod, {"I21.9", "I21"});
  m.stroke = need(ucod, {"I64", "I63.9"});
  m.heart_failure = need(ucod, {"I50.9", "I50"});
  m.af = need(chronic, {"I48.9", "I48"});
  m.copd = need(ucod, {"J44.9", "J44"});
  m.pneumonia = need(ucod, {"J18.9"});
  m.dementia = need(ucod, {"F03"});
  m.alzheimer = need(ucod, {"G30.9", "G30"});
  const auto& sites_list = lib.get("icd10-cancer-sites");
  for (const auto& s : cancer_sites()) {
    const std::string four = std::string(s.icd10) + ".9";
    const std::string* code = nullptr;
    for (const auto& c : sites_list.codes)
      if (c == four) code = &c;
    for (const auto& c : sites_list.codes)
      if (!code && c == s.icd10) code = &c;
    if (!code) throw InputError(std::string("icd10-cancer-sites lacks ") + s.icd10);
    m.cancer_site_icd10.push_back(code);
  }
  // Circulatory deaths: solve the weight so their expected share matches JFP11 over all deaths.
  const double deaths_per_month = static_cast<double>(config.people) * 0.011 / 12.0;
  const double target_share =
      std::min(0.9, targets.cvd_deaths_per_month * config.people / kReferencePeople / deaths_per_month);
  double lo = 0.01, hi = 100;
  for (int it = 0; it < 60; ++it) {
    const double mid = std::sqrt(lo * hi);
    double e = 0, n = 0;
    for (const auto& p : people)
      if (p.death != kNoDate) e += circulatory_share(p, m, mid), n += 1;
    ((n > 0 ? e / n : target_share) < target_share ? lo : hi) = mid;
  }
  m.circulatory_weight = std::sqrt(lo * hi);
  // Early-stage share over the cancers the registry holds.
  const double target_early = targets.cancer_early_stage_pct / 100.0;
  double a = -5, b = 5;
  for (int it = 0; it < 60; ++it) {
    const double mid = (a + b) / 2;
    double e = 0, n = 0;
    for (const auto& p : people) {
      if (!p.has(C::kCancer)) continue;
      e += logistic(logit(cancer_sites()[p.cancer_site].early_stage) + mid);
      n += 1;
    }
    ((n > 0 ? e / n : target_early) < target_early ? a : b) = mid;
  }
  m.early_stage_shift = (a + b) / 2;
  return m;
}

void render_outcomes(const Person& p, const SynthConfig& config, const OutcomeModel& m,
                     const refdata::Lsoa& home, const std::string& nhs, const std::string& postcode,
                     PersonPartners& partners, Chunk& chunk) {
  Rng rng(config.seed, p.id, "outcomes");
  const Days ws = std::max(config.start_date(), p.birth), we = p.last_day(config.end_date);
  const std::string sex(1, p.sex);
  if (p.death != kNoDate) {
    const auto cs = causes(p, m, m.circulatory_weight);
    std::vector<double> w;
    for (const auto& c : cs) w.push_back(c.weight);
    const Cause& cause = cs[rng.weighted(w)];
    row(chunk, Extract::kDeaths).text(nhs).date(p.death).date(p.birth).text(sex).text(*cause.code).text(postcode);
    ++chunk.tally.deaths;
    if (cause.circulatory) ++chunk.tally.cvd_deaths;
  }
  if (p.has(C::kCancer)) {
    const auto& site = cancer_sites()[p.cancer_site];
    std::string stage;
    if (!rng.bernoulli(0.08)) {  // about one cancer in twelve has no recorded stage
      const bool early = rng.bernoulli(logistic(logit(site.early_stage) + m.early_stage_shift));
      stage = early ? (rng.bernoulli(0.5) ? "1" : "2") : (rng.bernoulli(0.55) ? "3" : "4");
      ++chunk.tally.cancers_staged;
      if (early) ++chunk.tally.cancers_early;
    }
    row(chunk, Extract::kCancer)
        .text(tumour_id(p.id)).text(nhs).date(p.birth).text(sex).date(p.on(C::kCancer))
        .text(*m.cancer_site_icd10[p.cancer_site]).text(stage);
  }
  if (we < ws) return;

  // Community health services: district nursing, therapy and podiatry follow frailty and need.
  const int age = age_in_years(p.birth, we);
  double rate = p.frailty == Frailty::kSevere ? 6 : p.frailty == Frailty::kModerate ? 2.5
              : p.frailty == Frailty::kMild ? 0.8 : age >= 75 ? 0.3 : 0.04;
  if (p.has(C::kDiabetes)) rate += 0.5;
  if (p.has(C::kHeartFailure) || p.has(C::kCopd)) rate += 0.6;
  static constexpr const char* kServices[] = {"District nursing", "Community physiotherapy",
                                              "Podiatry", "Community matron", "Rapid response",
                                              "Occupational therapy"};
  const std::vector<double> sw = {4, 2, p.has(C::kDiabetes) ? 3.0 : 0.5, 1, 1, 1};
  // Community contact rates apply from 65, or earlier with the long-term conditions above.
  const Days from = std::max(ws, age >= 65 ? add_years(p.birth, 60) : ws);
  const int n = rng.poisson(rate * (we - from + 1) / 365.25);
  for (int k = 0; k < n; ++k) {
    const PartnerRecord& r = partners.use(Partner::kCommunity, rng);
    row(chunk, Extract::kCommunity)
        .text(r.local_id + "-C" + std::to_string(k + 1)).text("R1D").text(r.local_id).text(r.nhs_number)
        .date(static_cast<Days>(rng.between(from, we))).text(kServices[rng.weighted(sw)]);
  }

  // Adult social care long-term support from the council where the person lives.
  double p_care = 0;
  if (age >= 65) {
    p_care = p.frailty == Frailty::kSevere ? 0.45 : p.frailty == Frailty::kModerate ? 0.12 : 0.01;
    if (p.has(C::kDementia)) p_care += 0.25;
  } else if (age >= 18 && p.has(C::kLearningDisability)) {
    p_care = 0.35;
  }
  if (p_care > 0 && rng.bernoulli(std::min(0.95, p_care))) {
    const Partner council = home.la_code == "E06000020" ? Partner::kTelfordLa : Partner::kShropshireLa;
    Days start = static_cast<Days>(rng.between(std::max(ws, we - 3 * 365), we));
    const int episodes = 1 + static_cast<int>(rng.below(3));
    for (int k = 0; k < episodes && start <= we; ++k) {
      static constexpr const char* kTypes[] = {"Home care", "Reablement", "Residential care",
                                               "Nursing care", "Direct payment", "Day care"};
      const std::vector<double> tw = {5, k == 0 ? 3.0 : 0.5, p.care_home ? 6.0 : 0.5,
                                      p.care_home ? 3.0 : 0.2, 1.5, 1};
      const auto type = rng.weighted(tw);
      const Days len = type == 1 ? static_cast<Days>(rng.between(14, 42)) : static_cast<Days>(rng.between(60, 900));
      const Days stop = start + len;
      const PartnerRecord& r = partners.use(council, rng);
      CsvRow out = row(chunk, Extract::kSocialCare);
      out.text(r.local_id + "-E" + std::to_string(k + 1)).text(partner_code(council)).text(r.local_id)
          .text(r.nhs_number).text(kTypes[type]).date(start);
      if (stop <= we) out.date(stop);
      else if (p.death != kNoDate) out.date(p.death);
      else out.empty();  // still open at the end of the history
      start = stop + 1;
    }
  }
}

}  // namespace severn::synth
