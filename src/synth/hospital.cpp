#include "synth/hospital.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace severn::synth {
namespace {

using C = Condition;

int steps_to_most_deprived(const Person& p) { return 5 - (p.imd_decile + 1) / 2; }

double emergency_rate(const Person& p, int age) {
  double r = age < 5 ? 0.10 : age < 18 ? 0.035 : age < 45 ? 0.045 : age < 65 ? 0.065
           : age < 75 ? 0.13 : age < 85 ? 0.24 : 0.42;
  if (p.has(C::kCopd)) r *= 2.2;
  if (p.has(C::kHeartFailure)) r *= 2.2;
  if (p.has(C::kDementia)) r *= 1.6;
  if (p.has(C::kCkd)) r *= 1.3;
  if (p.has(C::kDiabetes)) r *= 1.3;
  if (p.has(C::kAf)) r *= 1.2;
  if (p.has(C::kCancer)) r *= 1.4;
  if (p.has(C::kSmi)) r *= 1.3;
  if (p.frailty == Frailty::kSevere) r *= 2.0;
  if (p.frailty == Frailty::kModerate) r *= 1.4;
  return r * std::pow(1.08, steps_to_most_deprived(p) - 2);
}

double ae_rate(const Person& p, int age) {
  const double r = age < 5 ? 0.45 : age < 18 ? 0.25 : age < 30 ? 0.35 : age < 65 ? 0.22
                 : age < 85 ? 0.30 : 0.55;
  return r * std::pow(1.12, steps_to_most_deprived(p) - 2);
}

// Outpatient treatment functions for long-term condition follow-up.
int follow_up_function(const Person& p, Rng& rng) {
  std::vector<std::pair<int, double>> options;
  if (p.has(C::kDiabetes)) options.push_back({300, 1});
  if (p.has(C::kHeartFailure) || p.has(C::kAf) || p.has(C::kChd)) options.push_back({320, 1.5});
  if (p.has(C::kCopd) || p.has(C::kAsthma)) options.push_back({340, 1});
  if (p.has(C::kRheumatoidArthritis)) options.push_back({410, 1.5});
  if (p.has(C::kEpilepsy) || p.has(C::kStrokeTia)) options.push_back({400, 1});
  if (p.has(C::kCkd)) options.push_back({300, 0.5});
  if (options.empty()) return 0;
  std::vector<double> w;
  for (auto& o : options) w.push_back(o.second);
  return options[rng.weighted(w)].first;
}

}  // namespace

HospitalCodes build_hospital_codes(const refdata::CodelistLibrary& lib) {
  HospitalCodes h;
  auto L = [&](const char* n) -> const refdata::Codelist& { return lib.get(n); };
  h.copd_exacerbation = CodePicker::by_rank(L("icd10-copd-exacerbation"));
  h.asthma = CodePicker::by_rank(L("icd10-asthma"));
  h.heart_failure = CodePicker::by_rank(L("icd10-heart-failure"));
  h.stroke = CodePicker::by_rank(L("icd10-stroke"));
  h.mi = CodePicker::by_rank(L("icd10-mi"));
  h.hip_fracture = CodePicker::by_rank(L("icd10-hip-fracture"));
  h.falls = CodePicker::by_rank(L("icd10-falls-injury"));
  h.hypo_dka = CodePicker::by_rank(L("icd10-hypoglycaemia-dka"));
  h.general = CodePicker::by_rank(L("icd10-general-emergency"));
  const auto& chronic = L("icd10-chronic-conditions");
  h.af = CodePicker::exactly(chronic, {{"I48.9", "I48"}}, {1.0});
  const auto& acuity = L("snomed-ecds-acuity");
  h.ecds_acuity_high = CodePicker::exactly(
      acuity, {{"1064891000000107"}, {"1064911000000105"}, {"1064901000000108"}}, {0.08, 0.42, 0.5});
  h.ecds_acuity_low = CodePicker::exactly(
      acuity, {{"1064901000000108"}, {"1077241000000103"}, {"1077251000000100"}}, {0.3, 0.55, 0.15});
  h.ecds_diagnosis = CodePicker::by_rank(L("snomed-ecds-diagnosis"));
  h.chronic.assign(kConditionCount, nullptr);
  h.chronic[idx(C::kHypertension)] = find_code(chronic, {"I10"});
  h.chronic[idx(C::kDiabetes)] = find_code(chronic, {"E11.9", "E11"});
  h.diabetes_type1 = find_code(chronic, {"E10.9", "E10"});
  h.chronic[idx(C::kCopd)] = find_code(chronic, {"J44.9", "J44"});
  h.chronic[idx(C::kChd)] = find_code(chronic, {"I25.1", "I25.9"});
  h.chronic[idx(C::kAf)] = find_code(chronic, {"I48.9", "I48"});
  h.chronic[idx(C::kCkd)] = find_code(chronic, {"N18.3", "N18.4"});
  h.chronic[idx(C::kHeartFailure)] = find_code(chronic, {"I50.9", "I50"});
  h.chronic[idx(C::kAsthma)] = find_code(chronic, {"J45.9"});
  h.chronic[idx(C::kDementia)] = find_code(chronic, {"F03", "G30"});
  h.chronic[idx(C::kDepression)] = find_code(chronic, {"F32", "F33"});

  // Elective diagnosis and procedure pairs. A pair is kept only when both codes are in the
  // built-in lists, so every code written comes from a shipped list.
  const auto& dx = L("icd10-elective");
  const auto& px = L("opcs4-elective-procedures");
  struct Pair {
    int tf;
    std::initializer_list<const char*> d, p;
    int min_age;
    char sex;
    double weight;
  };
  const Pair pairs[] = {
      {110, {"M17.9", "M17.1"}, {"W40.1", "W41.1", "W42.1"}, 50, 'B', 5},
      {110, {"M16.9", "M16.1"}, {"W37.1", "W38.1", "W39.1"}, 50, 'B', 5},
      {110, {"M23.2"}, {"W82.2", "W85.2", "W87.8", "W85.1"}, 18, 'B', 2},
      {110, {"M20.1"}, {"W15.1", "W59.1"}, 30, 'B', 1},
      {130, {"H25.9", "H26.9"}, {"C71.2", "C75.1"}, 55, 'B', 8},
      {100, {"K40.9"}, {"T20.2", "T20.1"}, 18, 'B', 3},
      {100, {"K80.2"}, {"J18.3", "J18.1"}, 18, 'B', 3},
      {100, {"K42.9"}, {"T24.2", "T24.1"}, 18, 'B', 1},
      {101, {"N40"}, {"M65.3", "M45.9"}, 50, 'M', 3},
      {502, {"N92.0"}, {"Q07.4", "Q08.1", "Q18.9"}, 25, 'F', 2},
      {502, {"N81.1"}, {"P23.2", "P22.1"}, 40, 'F', 1},
      {301, {"K57.3", "K63.5"}, {"H22.9", "H20.9"}, 40, 'B', 4},
      {301, {"K21.9"}, {"G45.9", "G45.1"}, 30, 'B', 3},
  };
  const auto& caries = L("icd10-dental-caries");
  h.caries = CodePicker::exactly(caries, {{"K02.9"}, {"K02.1"}, {"K02.5"}, {"K02.0"}}, {0.45, 0.3, 0.15, 0.1});
  h.dental_other = CodePicker::by_rank(L("icd10-dental-other"));
  const auto& extraction = L("opcs4-tooth-extraction");
  h.simple_extraction = CodePicker::exactly(extraction, {{"F10.9"}, {"F10.8"}}, {0.7, 0.3});
  h.surgical_extraction = CodePicker::exactly(extraction, {{"F09.9"}, {"F09.8"}}, {0.7, 0.3});
  for (const auto& pr : pairs) {
    const std::string* d = find_code(dx, pr.d);
    const std::string* p = find_code(px, pr.p);
    if (d && p) h.elective.push_back({pr.tf, d, p, pr.min_age, pr.sex, pr.weight});
  }
  if (h.elective.empty())
    throw InputError("no elective diagnosis/procedure pair found in icd10-elective and "
                     "opcs4-elective-procedures");
  return h;
}

namespace {

class Hospital : public HospitalRecord {
 public:
  Hospital(const Person& p, const SynthConfig& cfg, const HospitalCodes& c, const RttModel& rtt,
           PersonPartners& partners, Chunk& chunk)
      : p_(p), cfg_(cfg), c_(c), rtt_(rtt), partners_(partners), chunk_(chunk),
        rng_(cfg.seed, p.id, "hospital") {
    ws_ = std::max(cfg.start_date(), p.birth);
    we_ = p.last_day(cfg.end_date);
  }
  void render() {
    if (we_ < ws_) return;
    emergencies();
    attendances();
    render_waiting_list(p_, cfg_, c_.elective, rtt_, partners_, *this, chunk_);
    follow_ups();
    tooth_extractions();
  }

 private:
  int age_on(Days d) const { return age_in_years(p_.birth, d); }
  // Year by year from `from` to the last day: a Poisson number of events at the yearly rate for
  // the person's age at the start of that year; `each(year_start, year_end)` places one event.
  template <class Rate, class Each>
  void yearly(Days from, Rate rate_at_age, Each each) {
    for (Days y = from; y <= we_; y += 365) {
      const Days to = std::min(we_, y + 364);
      const int n = rng_.poisson(rate_at_age(age_on(y)) * (to - y + 1) / 365.25);
      for (int k = 0; k < n; ++k) each(y, to);
    }
  }
  Days day_between(Days a, Days b) { return b <= a ? a : static_cast<Days>(rng_.between(a, b)); }
  // Long-term conditions already diagnosed on the day of admission.
  std::string secondary_diagnoses(Days on) const {
    std::string s;
    for (int k = 0; k < kConditionCount; ++k) {
      const auto cnd = static_cast<C>(k);
      const std::string* code = cnd == C::kDiabetes && p_.diabetes_type == 1 ? c_.diabetes_type1 : c_.chronic[static_cast<std::size_t>(k)];
      if (!p_.has(cnd) || !code || p_.on(cnd) > on) continue;
      if (!s.empty()) s += ';';
      s += *code;
    }
    return s;
  }
  void spell(Partner provider, Days admit, Days discharge, const char* method,
             const std::string& diagnosis, const std::string* procedure) {
    spell(rng_, provider, admit, discharge, method, diagnosis, procedure);
  }
  void spell(Rng& rng, Partner provider, Days admit, Days discharge, const char* method,
             const std::string& diagnosis, const std::string* procedure) {
    spell(partners_.use(provider, rng), provider, admit, discharge, method, diagnosis, procedure);
  }
  void spell(const PartnerRecord& r, Partner provider, Days admit, Days discharge, const char* method,
             const std::string& diagnosis, const std::string* procedure) {
    ++spells_;
    row(chunk_, Extract::kApc)
        .text(r.local_id + "-S" + std::to_string(spells_)).text(partner_code(provider))
        .text(r.local_id).text(r.nhs_number).date(admit).date(std::min(discharge, we_))
        .text(method).text(diagnosis).text(secondary_diagnoses(admit)).text(procedure ? *procedure : "");
  }
  void attendance(Days d, bool admitted) {
    const PartnerRecord& r = partners_.use(Partner::kAcute, rng_);
    ++attendances_;
    ++chunk_.tally.ae_attendances;
    row(chunk_, Extract::kEc)
        .text(r.local_id + "-A" + std::to_string(attendances_)).text("RXW").text(r.local_id)
        .text(r.nhs_number).date(d)
        .text(admitted ? c_.ecds_acuity_high.pick(rng_) : c_.ecds_acuity_low.pick(rng_))
        .text(c_.ecds_diagnosis.pick(rng_)).integer(admitted ? 1 : 0);
  }
  void outpatient(Partner provider, Days d, int function, bool first) {
    const int age = age_on(d);
    double dna = 0.05 + 0.012 * steps_to_most_deprived(p_) + (age >= 18 && age < 35 ? 0.03 : 0) -
                 (age >= 65 ? 0.015 : 0);
    const double u = rng_.uniform();
    int status = 5;
    if (u < dna) status = 3;
    else if (u < dna + 0.04) status = 2;
    else if (u < dna + 0.08) status = 4;
    else if (u < dna + 0.10) status = 6;
    else if (u < dna + 0.105) status = 7;
    outpatient(partners_.use(provider, rng_), provider, d, function, first, status);
  }

 public:
  // HospitalRecord: the waiting list's appointments and admissions.
  void outpatient(const PartnerRecord& r, Partner provider, Days d, int function, bool first,
                  int status) override {
    ++appointments_;
    auto& t = chunk_.tally;
    ++t.opa_appointments;
    const int q = (p_.imd_decile + 1) / 2;
    if (status == 3) ++t.opa_dna;
    if (q == 1) ++t.opa_most_deprived, t.opa_dna_most_deprived += status == 3;
    if (q == 5) ++t.opa_least_deprived, t.opa_dna_least_deprived += status == 3;
    row(chunk_, Extract::kOpa)
        .text(r.local_id + "-O" + std::to_string(appointments_)).text(partner_code(provider))
        .text(r.local_id).text(r.nhs_number).date(d).integer(function).integer(first ? 1 : 2)
        .integer(status);
  }
  void elective_admission(const PartnerRecord& r, Partner provider, Days admit, const ElectiveCase& e,
                          Rng& rng) override {
    const bool day_case = rng.bernoulli(0.75);
    const Days los = day_case ? 0 : 1 + static_cast<Days>(rng.exponential(2.5));
    spell(r, provider, admit, admit + los, rng.bernoulli(0.75) ? "11" : rng.bernoulli(0.7) ? "12" : "13",
          *e.diagnosis, e.procedure);
  }

 private:
  const std::string& emergency_diagnosis(Days d) {
    const int age = age_on(d);
    std::vector<std::pair<const CodePicker*, double>> w = {{&c_.general, 2.0}};
    if (p_.has(C::kCopd) && p_.on(C::kCopd) <= d) w.push_back({&c_.copd_exacerbation, 3});
    if (p_.has(C::kAsthma) && p_.on(C::kAsthma) <= d) w.push_back({&c_.asthma, age < 18 ? 3 : 1.2});
    if (p_.has(C::kHeartFailure) && p_.on(C::kHeartFailure) <= d) w.push_back({&c_.heart_failure, 2.5});
    if (p_.has(C::kAf) && p_.on(C::kAf) <= d) w.push_back({&c_.af, 0.8});
    if (p_.has(C::kChd) && p_.on(C::kChd) <= d) w.push_back({&c_.mi, 0.6});
    if (p_.has(C::kDiabetes) && p_.on(C::kDiabetes) <= d)
      w.push_back({&c_.hypo_dka, p_.diabetes_type == 1 ? 1.5 : 0.3});
    if (age >= 70) {
      w.push_back({&c_.falls, 1.2});
      w.push_back({&c_.hip_fracture, p_.has(C::kOsteoporosis) ? 1.2 : 0.5});
    }
    std::vector<double> ws;
    for (auto& x : w) ws.push_back(x.second);
    return w[rng_.weighted(ws)].first->pick(rng_);
  }
  void emergency_spell(Days d, const std::string& diagnosis) {
    const int age = age_on(d);
    const bool zero = rng_.bernoulli(0.3);
    const Days los = zero ? 0 : 1 + static_cast<Days>(std::min(120.0, rng_.exponential(3 + 0.08 * std::max(0, age - 50))));
    const double u = rng_.uniform();
    const char* method = u < 0.72 ? "21" : u < 0.88 ? "22" : u < 0.94 ? "24" : "2D";
    spell(Partner::kAcute, d, d + los, method, diagnosis, nullptr);
    ++chunk_.tally.emergency_admissions;
    if (method[1] == '1') attendance(d, true);
  }
  void emergencies() {
    // Events that are admissions by nature: a stroke or a heart attack on its diagnosis date.
    if (p_.has(C::kStrokeTia) && p_.on(C::kStrokeTia) >= ws_ && rng_.bernoulli(0.65))
      emergency_spell(p_.on(C::kStrokeTia), c_.stroke.pick(rng_));
    if (p_.has(C::kChd) && p_.on(C::kChd) >= ws_ && rng_.bernoulli(0.4))
      emergency_spell(p_.on(C::kChd), c_.mi.pick(rng_));
    yearly(ws_, [&](int age) { return emergency_rate(p_, age); }, [&](Days y, Days to) {
      const Days d = day_between(y, to);
      emergency_spell(d, emergency_diagnosis(d));
    });
  }
  void attendances() {
    yearly(ws_, [&](int age) { return ae_rate(p_, age); },
           [&](Days y, Days to) { attendance(day_between(y, to), false); });
  }
  void follow_ups() {
    const int n_ltc = std::popcount(p_.conditions);
    if (n_ltc == 0) return;
    yearly(ws_, [&](int) { return 0.25 * n_ltc; }, [&](Days y, Days to) {
      const int f = follow_up_function(p_, rng_);
      if (f) outpatient(Partner::kAcute, day_between(y, to), f, false);
    });
  }

  // Tooth extractions as day cases at the acute trust, from age 0 to 19, from their own random
  // stream (rendered last, so no other row changes). Rates per child per year are shaped on OHID's
  // Hospital tooth extractions in 0 to 19 year olds (2022-23 and 2023-24): about 229 caries
  // episodes per 100,000 aged 0-19, peaking at ages 5-9 (the commonest reason for admission at
  // those ages), 3.5 times as high in the most as in the least deprived quintile (1.368 per
  // quintile step, 1.368^4 = 3.5), and about a third of all extractions for reasons other than
  // caries, mostly in teenagers.
  void tooth_extractions() {
    Rng rng(cfg_.seed, p_.id, "tooth-extractions");
    const double deprivation = std::pow(1.368, steps_to_most_deprived(p_) - 2);
    const Days until = std::min(we_, add_years(p_.birth, 20) - 1);
    for (Days y = ws_; y <= until; y += 365) {
      const Days to = std::min(until, y + 364);
      const int age = age_on(y);
      const double caries = (age < 2 ? 0.0001 : age < 5 ? 0.0023 : age < 10 ? 0.0042 : age < 15 ? 0.0017 : 0.0010) * deprivation;
      const double other = age < 10 ? 0.0002 : age < 15 ? 0.0012 : 0.0025;
      const double years = static_cast<double>(to - y + 1) / 365.25;
      const int n_caries = rng.poisson(caries * years), n_other = rng.poisson(other * years);
      for (int k = 0; k < n_caries + n_other; ++k) {
        const bool for_caries = k < n_caries;
        const Days d = y + static_cast<Days>(rng.below(static_cast<std::uint64_t>(to - y + 1)));
        const bool surgical = rng.bernoulli(for_caries ? 0.1 : 0.6);
        const std::string& dx = for_caries ? c_.caries.pick(rng) : c_.dental_other.pick(rng);
        const std::string& px = surgical ? c_.surgical_extraction.pick(rng) : c_.simple_extraction.pick(rng);
        spell(rng, Partner::kAcute, d, d, "11", dx, &px);
      }
    }
  }

  const Person& p_;
  const SynthConfig& cfg_;
  const HospitalCodes& c_;
  const RttModel& rtt_;
  PersonPartners& partners_;
  Chunk& chunk_;
  Rng rng_;
  Days ws_, we_;
  int spells_ = 0, attendances_ = 0, appointments_ = 0;
};

}  // namespace

void render_hospital(const Person& person, const SynthConfig& config, const HospitalCodes& codes,
                     const RttModel& rtt, PersonPartners& partners, Chunk& chunk) {
  Hospital(person, config, codes, rtt, partners, chunk).render();
}

}  // namespace severn::synth
