#include "synth/gp_record.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/rng.h"
#include "synth/cms_conditions.h"

namespace severn::synth {
namespace {

using C = Condition;
constexpr double kYear = 365.25;

bool on_cvd_register(const Person& p) {
  return p.has(C::kChd) || p.has(C::kStrokeTia) || p.has(C::kPad);
}
bool monitored(const Person& p) {
  return p.has(C::kHypertension) || p.has(C::kDiabetes) || p.has(C::kCkd) || on_cvd_register(p) ||
         p.has(C::kHeartFailure) || p.has(C::kAf);
}
bool at_risk_under_65(const Person& p) {
  return p.has(C::kDiabetes) || p.has(C::kCopd) || p.has(C::kAsthma) || p.has(C::kChd) ||
         p.has(C::kCkd) || p.has(C::kHeartFailure) || p.has(C::kStrokeTia) ||
         p.has(C::kLearningDisability);
}

// Person-level physiology: stable differences between people, on top of age and disease.
struct Physiology {
  double sbp_offset, chol_base, bmi_base, hba1c_base, dm_hba1c, egfr_offset, acr_median;
  int ckd_stage;  // 3 (a), 4 (b), 5 (stage 4), 6 (stage 5)
  bool hyp_treated;
};

class Record {
 public:
  Record(const Person& p, const SynthConfig& cfg, const GpCodes& c, GpScratch& s)
      : p_(p), cfg_(cfg), c_(c), s_(s), rng_(cfg.seed, p.id, "gp-record") {
    ws_ = std::max(cfg.start_date(), p.birth);
    we_ = p.last_day(cfg.end_date);
    Rng r(cfg.seed, p.id, "physiology");
    const int q = (p.imd_decile + 1) / 2;
    ph_.sbp_offset = r.normal(0, 8) + 3 * p.z_cardio;
    ph_.chol_base = std::clamp(r.normal(5.3, 0.9), 2.8, 9.5);
    ph_.bmi_base = std::clamp(r.normal(27.0 + 0.35 * (3 - q), 4.6), 16.0, 55.0) +
                   (p.has(C::kDiabetes) && p.diabetes_type == 2 ? 3.0 : 0.0);
    ph_.hba1c_base = r.normal(36.5, 2.5);
    ph_.dm_hba1c = p.diabetes_type == 1 ? r.normal(67, 12) : r.normal(55, 10);
    ph_.egfr_offset = r.normal(0, 9);
    ph_.acr_median = std::exp(r.normal(0.3, 0.9));
    const double u = r.uniform();
    ph_.ckd_stage = u < 0.60 ? 3 : u < 0.88 ? 4 : u < 0.97 ? 5 : 6;
    ph_.hyp_treated = r.bernoulli(0.88);
  }

  void render();

 private:
  int age_on(Days d) const { return age_in_years(p_.birth, d); }
  void event(Days d, const CodePicker& pick, double value = 0, int decimals = -1) {
    if (d < p_.birth || d > we_) return;
    s_.events.push_back({d, &pick.pick(rng_), value, static_cast<std::int8_t>(decimals)});
  }
  void event_code(Days d, const std::string* code) {
    if (d < p_.birth || d > we_) return;
    s_.events.push_back({d, code, 0, -1});
  }
  Days random_day(Days from, Days to) {
    if (to <= from) return from;
    return static_cast<Days>(rng_.between(from, to));
  }
  // Calls f(day) for a Poisson number of days at `per_year` between from and to (inclusive).
  template <class F>
  void recurring(Days from, Days to, double per_year, F&& f) {
    from = std::max(from, ws_);
    to = std::min(to, we_);
    if (to < from || per_year <= 0) return;
    const int n = rng_.poisson(per_year * static_cast<double>(to - from + 1) / kYear);
    for (int k = 0; k < n; ++k) f(random_day(from, to));
  }

  bool hyp_on(Days d) const { return p_.has(C::kHypertension) && p_.on(C::kHypertension) <= d; }
  bool statin_on(Days d) const { return statin_from_ <= d; }
  double sbp_on(Days d);
  double dbp_for(double sbp, Days d);
  double egfr_on(Days d);
  double hba1c_on(Days d);
  double qrisk_on(Days d);

  void diagnoses();
  void blood_pressure(Days d) {
    const double s = sbp_on(d);
    event(d, c_.systolic, std::round(s), 0);
    event(d, c_.diastolic, std::round(dbp_for(s, d)), 0);
  }
  void smoking_status(Days d);
  void bmi(Days d);
  void observations();
  void vaccinations();
  void care_processes();
  void medications();
  void issue_course(const CodePicker& drug, Days from, Days to, double per_year);
  void frailty_deficits();

  const Person& p_;
  const SynthConfig& cfg_;
  const GpCodes& c_;
  GpScratch& s_;
  Rng rng_;
  Physiology ph_{};
  Days ws_, we_;
  Days statin_from_ = kNoDate;
};

double Record::sbp_on(Days d) {
  const int age = age_on(d);
  double s = 112 + 0.45 * std::max(0, age - 20) + (p_.sex == 'M' ? 4 : 0) + ph_.sbp_offset;
  if (p_.has(C::kHypertension)) {
    s += 18;
    if (hyp_on(d) && ph_.hyp_treated && d > p_.on(C::kHypertension) + 60) s -= 16;
  } else if (p_.undiagnosed_hypertension) {
    s += 24;
  }
  return std::clamp(s + rng_.normal(0, 9), 80.0, 240.0);
}

double Record::dbp_for(double sbp, Days d) {
  const int age = age_on(d);
  return std::clamp(0.5 * sbp + 14 - 0.2 * std::max(0, age - 60) + rng_.normal(0, 6), 40.0, 140.0);
}

double Record::egfr_on(Days d) {
  const int age = age_on(d);
  if (p_.has(C::kCkd) && p_.on(C::kCkd) <= d) {
    switch (ph_.ckd_stage) {
      case 3: return std::round(rng_.between(45, 59) + rng_.normal(0, 2));
      case 4: return std::round(rng_.between(30, 44) + rng_.normal(0, 2));
      case 5: return std::round(rng_.between(15, 29) + rng_.normal(0, 2));
      default: return std::round(rng_.between(6, 14));
    }
  }
  return std::clamp(std::round(105 - 0.75 * std::max(0, age - 30) + ph_.egfr_offset +
                               rng_.normal(0, 4)),
                    60.0, 130.0);
}

double Record::hba1c_on(Days d) {
  double v;
  if (p_.has(C::kDiabetes) && p_.on(C::kDiabetes) <= d) {
    // Higher at diagnosis, settling with treatment over the first year.
    const double since = static_cast<double>(d - p_.on(C::kDiabetes)) / kYear;
    v = ph_.dm_hba1c + (since < 1 ? 10 * (1 - since) : 0) + rng_.normal(0, 5);
  } else if (p_.undiagnosed_diabetes) {
    v = 52 + std::abs(rng_.normal(0, 5));
  } else if (p_.has(C::kNdh) && p_.on(C::kNdh) <= d + 30) {
    v = rng_.between(42, 47);
  } else {
    v = std::min(41.0, ph_.hba1c_base + 0.04 * std::max(0, age_on(d) - 40) + rng_.normal(0, 1.5));
  }
  return std::clamp(std::round(v), 20.0, 160.0);
}

double Record::qrisk_on(Days d) {
  // A rough stand-in for QRISK3 (Hippisley-Cox et al., BMJ 2017): it rises with age, male sex,
  // smoking, diabetes and blood pressure. Enough to sort people into < 10% and >= 10%.
  const int age = age_on(d);
  double lp = -7.2 + 0.075 * age + (p_.sex == 'M' ? 0.5 : 0) +
              (p_.smoking == Smoking::kCurrent ? 0.6 : 0) + (p_.has(C::kDiabetes) ? 0.7 : 0) +
              0.012 * (sbp_on(d) - 130) + 0.15 * (ph_.chol_base - 5.3) +
              0.06 * (5 - (p_.imd_decile + 1) / 2);
  return std::clamp(std::round(1000 * logistic(lp)) / 10, 0.1, 80.0);
}

void Record::diagnoses() {
  for (int k = 0; k < kConditionCount; ++k) {
    const auto c = static_cast<C>(k);
    if (!p_.has(c)) continue;
    const Days d = p_.on(c);
    switch (c) {
      case C::kDiabetes:
        event(d, p_.diabetes_type == 1 ? c_.diabetes_type1 : c_.diabetes_type2);
        if (rng_.bernoulli(0.3)) event(d, c_.diagnosis[k]);
        break;
      case C::kStrokeTia:
        event(d, rng_.bernoulli(0.35) ? c_.tia : c_.diagnosis[k]);
        break;
      case C::kHeartFailure:
        event(d, c_.diagnosis[k]);
        if (rng_.bernoulli(0.3)) event(d + static_cast<Days>(rng_.between(0, 60)), c_.hf_lvsd);
        break;
      case C::kCkd: {
        const CodePicker& stage = ph_.ckd_stage == 3 ? c_.ckd3a : ph_.ckd_stage == 4 ? c_.ckd3b
                                : ph_.ckd_stage == 5 ? c_.ckd4 : c_.ckd5;
        event(d, rng_.bernoulli(0.7) ? stage : c_.diagnosis[k]);
        break;
      }
      case C::kCancer:
        event_code(d, c_.cancer_snomed[p_.cancer_site]);
        break;
      default:
        event(d, c_.diagnosis[k]);
    }
  }
  // Some people had a diagnosis that was later resolved: they are on no register.
  Rng r(cfg_.seed, p_.id, "resolved");
  const int age = age_on(we_);
  if (!p_.has(C::kHypertension) && age >= 40 && r.bernoulli(0.012)) {
    const Days d = add_years(p_.birth, static_cast<int>(r.between(30, age)));
    event(d, c_.diagnosis[idx(C::kHypertension)]);
    event(std::min(we_, d + static_cast<Days>(r.between(180, 3000))), c_.hyp_resolved);
  }
  if (!p_.has(C::kDiabetes) && age >= 30 && r.bernoulli(0.002)) {
    const Days d = add_years(p_.birth, static_cast<int>(r.between(25, age)));
    event(d, c_.diabetes_type2);
    event(std::min(we_, d + static_cast<Days>(r.between(365, 3000))), c_.dm_resolved);
  }
  if (!p_.has(C::kCopd) && age >= 45 && r.bernoulli(0.0015)) {
    const Days d = add_years(p_.birth, static_cast<int>(r.between(40, age)));
    event(d, c_.diagnosis[idx(C::kCopd)]);
    event(std::min(we_, d + static_cast<Days>(r.between(365, 3000))), c_.copd_resolved);
  }
}

void Record::smoking_status(Days d) {
  if (age_on(d) < 16) return;
  switch (p_.smoking) {
    case Smoking::kCurrent: event(d, c_.current_smoker); break;
    case Smoking::kEx: event(d, c_.ex_smoker); break;
    case Smoking::kNever: event(d, c_.never_smoker); break;
  }
}

void Record::bmi(Days d) {
  const int age = age_on(d);
  if (age < 16) return;
  const double v = std::clamp(ph_.bmi_base + 0.05 * std::min(age - 40, 25) + rng_.normal(0, 0.8),
                              14.0, 65.0);
  event(d, c_.bmi, std::round(v * 10) / 10, 1);
  if (v >= 30 && rng_.bernoulli(0.25)) event(d, c_.obese);
}

void Record::observations() {
  const bool reg = monitored(p_);
  const Days adult = add_years(p_.birth, 18), forty = add_years(p_.birth, 40);
  // Blood pressure: people on registers are reviewed at least yearly; others opportunistically.
  if (reg) {
    Days from = kNoDate;
    for (int k = 0; k < kConditionCount; ++k) {
      const auto c = static_cast<C>(k);
      if ((c == C::kHypertension || c == C::kDiabetes || c == C::kCkd || c == C::kChd ||
           c == C::kStrokeTia || c == C::kPad || c == C::kHeartFailure || c == C::kAf) &&
          p_.has(c))
        from = std::min(from, p_.on(c));
    }
    recurring(from, we_, 1.5, [&](Days d) { blood_pressure(d); });
    recurring(adult, from - 1, 0.2, [&](Days d) { blood_pressure(d); });
  } else {
    recurring(forty, we_, p_.undiagnosed_hypertension ? 0.35 : 0.22, [&](Days d) { blood_pressure(d); });
    recurring(adult, forty - 1, 0.1, [&](Days d) { blood_pressure(d); });
  }
  // HbA1c.
  if (p_.has(C::kDiabetes)) {
    recurring(p_.on(C::kDiabetes), we_, 1.8, [&](Days d) { event(d, c_.hba1c, hba1c_on(d), 0); });
    event(p_.on(C::kDiabetes), c_.hba1c, hba1c_on(p_.on(C::kDiabetes)), 0);
  } else if (p_.has(C::kNdh)) {
    event(p_.on(C::kNdh), c_.hba1c, hba1c_on(p_.on(C::kNdh)), 0);
    recurring(p_.on(C::kNdh), we_, 0.9, [&](Days d) { event(d, c_.hba1c, hba1c_on(d), 0); });
  } else if (p_.undiagnosed_diabetes) {
    // Raised at least once in the last two years of the history, never coded.
    const Days d = random_day(std::max(ws_, we_ - 730), we_);
    event(d, c_.hba1c, hba1c_on(d), 0);
    recurring(forty, we_, 0.2, [&](Days x) { event(x, c_.hba1c, hba1c_on(x), 0); });
  } else {
    recurring(forty, we_, reg ? 0.5 : 0.1, [&](Days d) { event(d, c_.hba1c, hba1c_on(d), 0); });
  }
  // Cholesterol, falling on a statin.
  recurring(reg ? adult : forty, we_, reg ? 0.8 : 0.1, [&](Days d) {
    const double v = ph_.chol_base - (statin_on(d) ? 1.4 : 0) + rng_.normal(0, 0.35);
    event(d, c_.cholesterol, std::round(std::clamp(v, 1.5, 12.0) * 10) / 10, 1);
  });
  // BMI and smoking status.
  recurring(adult, we_, p_.has(C::kDiabetes) ? 1.0 : reg ? 0.4 : 0.12, [&](Days d) { bmi(d); });
  recurring(add_years(p_.birth, 16), we_, reg || p_.has(C::kCopd) ? 0.8 : 0.2,
            [&](Days d) { smoking_status(d); });
  // Kidney function: eGFR with its creatinine, urine ACR for diabetes and CKD.
  const bool kidney = p_.has(C::kCkd) || p_.has(C::kDiabetes) || p_.has(C::kHypertension) ||
                      p_.has(C::kHeartFailure);
  recurring(kidney ? adult : add_years(p_.birth, 50), we_, kidney ? 1.2 : 0.3, [&](Days d) {
    const double e = egfr_on(d);
    event(d, c_.egfr, e, 0);
    const double cr = std::round(80 * std::pow(90 / std::max(e, 5.0), 0.9) * (p_.sex == 'M' ? 1.15 : 1.0));
    event(d, c_.creatinine, cr, 0);
  });
  if (p_.has(C::kDiabetes) || p_.has(C::kCkd)) {
    const Days from = std::min(p_.has(C::kDiabetes) ? p_.on(C::kDiabetes) : kNoDate,
                               p_.has(C::kCkd) ? p_.on(C::kCkd) : kNoDate);
    recurring(from, we_, 0.7, [&](Days d) {
      const double v = ph_.acr_median * std::exp(rng_.normal(0, 0.4));
      event(d, c_.acr, std::round(std::clamp(v, 0.1, 300.0) * 10) / 10, 1);
    });
  }
}

void Record::vaccinations() {
  const int q = (p_.imd_decile + 1) / 2;
  const double deprivation_gap = 0.035 * (q - 3);  // uptake is lower in deprived areas
  const CivilDate ws = civil_from_days(ws_), we = civil_from_days(we_);
  // Seasonal flu: September to December of each season, for 65s and over (age on 31 March of
  // the next year), at-risk groups and children aged 2-10.
  for (int y = ws.year - 1; y <= we.year; ++y) {
    const Days season_start = days_from_civil(y, 9, 1), season_end = days_from_civil(y, 12, 31);
    if (season_end < ws_ || season_start > we_) continue;
    const int age = age_on(days_from_civil(y + 1, 3, 31));
    double uptake = 0;
    if (age >= 65) uptake = 0.80;
    else if (age >= 18 && at_risk_under_65(p_)) uptake = 0.45;
    else if (age >= 2 && age <= 10 && y >= 2014) uptake = 0.45;
    if (uptake > 0 && rng_.bernoulli(std::clamp(uptake + deprivation_gap, 0.0, 0.98)))
      event(random_day(std::max(season_start, ws_), std::min(season_end, we_)), c_.flu);
  }
  // Pneumococcal polysaccharide vaccine once, from age 65.
  const Days sixty_five = add_years(p_.birth, 65);
  if (sixty_five <= we_ && rng_.bernoulli(0.70 + deprivation_gap))
    event_code(std::min(we_, sixty_five + static_cast<Days>(rng_.between(0, 700))),
               &c_.pneumococcal.pick(rng_));
  // COVID-19: primary course early 2021 for adults, then autumn boosters for 65+ and at-risk.
  const int age21 = age_on(days_from_civil(2021, 1, 1));
  if (age21 >= 18 && rng_.bernoulli(age21 >= 65 ? 0.93 : 0.75 + deprivation_gap)) {
    const Days first = random_day(days_from_civil(2021, 1, 4), days_from_civil(2021, 6, 30));
    event(first, c_.covid);
    if (rng_.bernoulli(0.95)) event(first + static_cast<Days>(rng_.between(56, 84)), c_.covid);
    for (int y = 2021; y <= 2024; ++y) {
      const int age = age_on(days_from_civil(y, 10, 1));
      const double up = age >= 75 ? 0.80 : age >= 65 ? 0.70 : at_risk_under_65(p_) ? 0.35 : 0.0;
      if (up > 0 && rng_.bernoulli(std::clamp(up + deprivation_gap, 0.0, 0.98)))
        event(random_day(days_from_civil(y, 9, 15), days_from_civil(y, 12, 15)), c_.covid);
    }
  }
}

void Record::care_processes() {
  const Days forty = add_years(p_.birth, 40), seventy_five = add_years(p_.birth, 75);
  // Diabetes care processes: foot checks and retinal screening most years.
  if (p_.has(C::kDiabetes)) {
    for (Days y = std::max(ws_, p_.on(C::kDiabetes)); y <= we_; y += 365) {
      if (rng_.bernoulli(0.82)) event(random_day(y, std::min(we_, y + 364)), c_.foot_check);
      if (rng_.bernoulli(0.80) && age_on(y) >= 12)
        event(random_day(y, std::min(we_, y + 364)), c_.retinal_screening);
    }
  }
  // NHS Health Check every five years for 40-74 year olds on no register (about 40% uptake).
  if (!monitored(p_)) {
    for (Days y = std::max(ws_, forty); y <= std::min(we_, seventy_five); y += 5 * 365) {
      if (!rng_.bernoulli(0.40)) continue;
      const Days d = random_day(y, std::min({we_, seventy_five, y + 5 * 365 - 1}));
      event(d, c_.health_check);
      blood_pressure(d);
      event(d, c_.cholesterol, std::round(std::clamp(ph_.chol_base + rng_.normal(0, 0.3), 2.0, 12.0) * 10) / 10, 1);
      bmi(d);
      smoking_status(d);
      event(d, c_.qrisk, qrisk_on(d), 1);
    }
  } else if (p_.has(C::kHypertension)) {
    event(p_.on(C::kHypertension), c_.qrisk, qrisk_on(p_.on(C::kHypertension)), 1);
  }
  // SMI annual physical health check: six elements, each recorded in most years.
  if (p_.has(C::kSmi)) {
    for (Days y = std::max(ws_, p_.on(C::kSmi)); y <= we_; y += 365) {
      const Days d = random_day(y, std::min(we_, y + 364));
      if (rng_.bernoulli(0.60)) event(d, c_.alcohol);
      if (rng_.bernoulli(0.75)) blood_pressure(d);
      if (rng_.bernoulli(0.70)) bmi(d);
      if (rng_.bernoulli(0.55))
        event(d, c_.cholesterol, std::round(std::clamp(ph_.chol_base + rng_.normal(0, 0.3), 2.0, 12.0) * 10) / 10, 1);
      if (rng_.bernoulli(0.60)) event(d, c_.hba1c, hba1c_on(d), 0);
      if (rng_.bernoulli(0.75)) smoking_status(d);
    }
  }
  if (p_.has(C::kAsthma))
    for (Days y = std::max(ws_, p_.on(C::kAsthma)); y <= we_; y += 365)
      if (rng_.bernoulli(0.6)) event(random_day(y, std::min(we_, y + 364)), c_.asthma_review);
  if (p_.has(C::kCopd))
    for (Days y = std::max(ws_, p_.on(C::kCopd)); y <= we_; y += 365)
      if (rng_.bernoulli(0.7)) event(random_day(y, std::min(we_, y + 364)), c_.copd_review);
  // Frailty, care home and palliative care codes.
  if (p_.frailty != Frailty::kFit && age_on(we_) >= 65) {
    const double coded = p_.frailty == Frailty::kMild ? 0.45 : p_.frailty == Frailty::kModerate ? 0.65 : 0.8;
    if (rng_.bernoulli(coded)) {
      const Days d = random_day(std::max({ws_, add_years(p_.birth, 65), we_ - 3 * 365}), we_);
      event(d, p_.frailty == Frailty::kMild ? c_.mild_frailty
               : p_.frailty == Frailty::kModerate ? c_.moderate_frailty : c_.severe_frailty);
    }
  }
  if (p_.care_home) event(random_day(std::max(ws_, we_ - 3 * 365), we_), c_.care_home);
  if (p_.death != kNoDate && (p_.has(C::kCancer) || p_.has(C::kHeartFailure) || p_.has(C::kCopd) ||
                              p_.has(C::kDementia)) &&
      rng_.bernoulli(0.55))
    event(random_day(std::max(ws_, p_.death - 180), p_.death), c_.palliative);
}

void Record::issue_course(const CodePicker& drug, Days from, Days to, double per_year) {
  from = std::max(from, ws_);
  to = std::min(to, we_);
  if (to < from) return;
  const std::string* code = &drug.pick(rng_);
  const double interval = kYear / per_year;
  for (double t = static_cast<double>(from) + rng_.uniform() * interval; t <= to; t += interval) {
    const Days d = std::min(to, static_cast<Days>(t) + static_cast<Days>(rng_.between(-3, 4)));
    if (d >= from) s_.issues.push_back({d, code});
  }
}

void Record::medications() {
  const Days end = we_;
  const int age_end = age_on(end);
  auto start_after = [&](Days d) { return d + static_cast<Days>(rng_.between(7, 90)); };
  const bool black = p_.ethnicity == 'M' || p_.ethnicity == 'N' || p_.ethnicity == 'P';
  const double repeat = rng_.bernoulli(0.3) ? 13.0 : 6.5;  // 28-day or 56-day repeats

  // Hypertension (NICE NG136 steps): ACE inhibitor or ARB under 55 (not of Black African or
  // Caribbean family origin), otherwise a calcium-channel blocker; then add the other; then a
  // thiazide-like diuretic.
  if (p_.has(C::kHypertension) && ph_.hyp_treated) {
    const Days s = start_after(p_.on(C::kHypertension));
    const bool acei_first = age_on(s) < 55 && !black;
    const CodePicker& ras = rng_.bernoulli(0.7) ? c_.acei : c_.arb;
    issue_course(acei_first ? ras : c_.ccb, s, end, repeat);
    if (rng_.bernoulli(0.45))
      issue_course(acei_first ? c_.ccb : ras, s + static_cast<Days>(rng_.between(90, 900)), end, repeat);
    if (rng_.bernoulli(0.15))
      issue_course(c_.thiazide, s + static_cast<Days>(rng_.between(365, 1800)), end, repeat);
  }
  if ((p_.has(C::kHeartFailure) || p_.has(C::kChd)) && rng_.bernoulli(0.55)) {
    const Days s = start_after(p_.has(C::kHeartFailure) ? p_.on(C::kHeartFailure) : p_.on(C::kChd));
    issue_course(c_.beta_blocker, s, end, repeat);
    if (p_.has(C::kHeartFailure) && !p_.has(C::kHypertension)) issue_course(c_.acei, s, end, repeat);
  }
  // Lipid-lowering: high intensity for CVD; atorvastatin 20 mg for primary prevention.
  {
    Days s = kNoDate;
    const CodePicker* which = nullptr;
    if (on_cvd_register(p_) && rng_.bernoulli(0.80)) {
      Days d = kNoDate;
      for (auto c : {C::kChd, C::kStrokeTia, C::kPad})
        if (p_.has(c)) d = std::min(d, p_.on(c));
      s = start_after(d);
      which = rng_.bernoulli(0.85) ? &c_.statin_high : &c_.statin_medium;
    } else if (p_.has(C::kDiabetes) && age_end >= 40 && rng_.bernoulli(0.65)) {
      s = start_after(std::max(p_.on(C::kDiabetes), add_years(p_.birth, 40)));
      which = rng_.bernoulli(0.7) ? &c_.statin_high : &c_.statin_medium;
    } else if (p_.has(C::kCkd) && rng_.bernoulli(0.5)) {
      s = start_after(p_.on(C::kCkd));
      which = &c_.statin_high;
    } else if (age_end >= 45 && qrisk_on(end) >= 10 && rng_.bernoulli(0.35)) {
      s = random_day(std::max(ws_, add_years(p_.birth, 45)), end);
      which = rng_.bernoulli(0.8) ? &c_.statin_high : rng_.bernoulli(0.5) ? &c_.statin_medium : &c_.statin_low;
    }
    if (which) {
      statin_from_ = s;
      issue_course(*which, s, end, repeat);
    }
  }
  // Atrial fibrillation: anticoagulation by CHA2DS2-VASc (NICE NG196): offered at >= 2.
  if (p_.has(C::kAf)) {
    const int score = cha2ds2_vasc(p_, end);
    const double treated = score >= 2 ? 0.87 : score == 1 ? 0.35 : 0.05;
    if (rng_.bernoulli(treated)) {
      const Days s = start_after(p_.on(C::kAf));
      // DOACs took over from warfarin during the 2010s.
      const bool doac = s >= days_from_civil(2015, 1, 1) ? rng_.bernoulli(0.9) : rng_.bernoulli(0.3);
      issue_course(doac ? c_.doac : c_.warfarin, s, end, 13.0);
    }
  }
  // Asthma and COPD inhalers. About one in seven people with asthma over-uses reliever inhalers
  // (six or more a year), the Core20PLUS5 children's asthma target.
  if (p_.has(C::kAsthma)) {
    const Days s = p_.on(C::kAsthma);
    if (rng_.bernoulli(0.9)) issue_course(c_.saba, s, end, rng_.bernoulli(0.15) ? 8.0 : 2.5);
    if (rng_.bernoulli(0.65))
      issue_course(age_on(end) >= 18 && rng_.bernoulli(0.35) ? c_.ics_laba : c_.ics, s, end, 6.0);
  }
  if (p_.has(C::kCopd)) {
    const Days s = p_.on(C::kCopd);
    if (rng_.bernoulli(0.8)) issue_course(c_.saba, s, end, 4.0);
    if (rng_.bernoulli(0.4)) issue_course(c_.ics_laba, s, end, 8.0);
  }
  // Diabetes (NICE NG28): metformin first, then SGLT2 inhibitors (from 2016), sulfonylureas,
  // DPP-4 inhibitors, insulin; type 1 always on insulin.
  if (p_.has(C::kDiabetes)) {
    const Days s = start_after(p_.on(C::kDiabetes));
    if (p_.diabetes_type == 1) {
      issue_course(c_.insulin, s, end, 6.5);
      if (rng_.bernoulli(0.5)) issue_course(c_.insulin, s, end, 6.5);
    } else {
      if (rng_.bernoulli(0.85)) issue_course(c_.metformin, s, end, repeat);
      if (rng_.bernoulli(0.30))
        issue_course(c_.sglt2, std::max(days_from_civil(2016, 1, 1), s + static_cast<Days>(rng_.between(180, 1500))), end, repeat);
      if (rng_.bernoulli(0.25)) issue_course(c_.sulfonylurea, s + static_cast<Days>(rng_.between(180, 2000)), end, repeat);
      if (rng_.bernoulli(0.15)) issue_course(c_.dpp4, s + static_cast<Days>(rng_.between(365, 2500)), end, repeat);
      if (rng_.bernoulli(0.10)) issue_course(c_.insulin, s + static_cast<Days>(rng_.between(730, 3500)), end, 6.5);
    }
  }
  if (p_.has(C::kSmi) && rng_.bernoulli(0.7)) issue_course(c_.antipsychotic, start_after(p_.on(C::kSmi)), end, 13.0);
  if (p_.has(C::kEpilepsy) && rng_.bernoulli(0.85)) issue_course(c_.antiepileptic, start_after(p_.on(C::kEpilepsy)), end, repeat);
  if (p_.has(C::kDepression)) {
    // Courses of about nine months, sometimes repeated.
    Days s = start_after(p_.on(C::kDepression));
    while (s <= end && rng_.bernoulli(0.55)) {
      const Days stop = s + static_cast<Days>(rng_.between(180, 400));
      issue_course(c_.antidepressant, s, std::min(stop, end), 13.0);
      s = stop + static_cast<Days>(rng_.between(180, 1500));
    }
  }
}

// Electronic Frailty Index deficits (Clegg et al., Age and Ageing 2016) for people 65 and over at
// the end of their record. The true frailty level sets a target count of the 36 deficits inside
// the eFI's band for that level (fit 0-4, mild 5-8, moderate 9-12, severe 13-18). Deficits the
// record already carries count towards it: the long-term conditions that are eFI deficits, a care
// home (requirement for care) and polypharmacy (5 or more different drugs issued in the last
// year). The rest are drawn from the other deficits, weighted by how common they are in older
// people (functional ones weigh more when frailty is moderate or severe), and each is coded once
// in the six years before the record ends. The stream is its own, so every other row of the
// record is the same as without this step.
void Record::frailty_deficits() {
  if (age_on(we_) < 65) return;
  Rng r(cfg_.seed, p_.id, "efi-deficits");
  using D = EfiDeficit;
  static constexpr int kLow[] = {0, 5, 9, 13}, kHigh[] = {4, 8, 12, 18};
  const int level = static_cast<int>(p_.frailty);
  const int target = static_cast<int>(r.between(kLow[level], kHigh[level]));
  int present = 0;
  for (const C c : {C::kAf, C::kStrokeTia, C::kCkd, C::kDiabetes, C::kHeartFailure, C::kHypertension,
                    C::kChd, C::kOsteoporosis, C::kPad, C::kDementia, C::kRheumatoidArthritis})
    present += p_.has(c);
  present += p_.has(C::kAsthma) || p_.has(C::kCopd);  // respiratory disease
  present += p_.care_home;                           // requirement for care
  std::vector<const std::string*> drugs;
  for (const auto& i : s_.issues)
    if (i.date > we_ - 365 && i.date <= we_) drugs.push_back(i.code);
  std::sort(drugs.begin(), drugs.end());
  present += std::unique(drugs.begin(), drugs.end()) - drugs.begin() >= 5;  // polypharmacy

  // Relative weights by deficit (order of EfiDeficit).
  std::array<double, kEfiDeficitCount> w = {0.10, 0.15, 0.45, 0.12, 0.20, 0.20, 0.20, 0.20, 0.08, 0.30, 0.06,
                                           0.05, 0.10, 0.08, 0.15, 0.03, 0.08, 0.08, 0.15, 0.20, 0.15, 0.15,
                                           0.20, 0.30, 0.10};
  auto at = [&](D d) -> double& { return w[static_cast<std::size_t>(d)]; };
  if (p_.frailty >= Frailty::kModerate)
    for (const D d : {D::kActivityLimitation, D::kCareRequirement, D::kFalls, D::kHousebound, D::kMobilityProblems,
                      D::kUrinaryIncontinence, D::kSkinUlcer, D::kWeightLoss})
      at(d) *= 3;
  if (p_.has(C::kRheumatoidArthritis)) at(D::kArthritis) = 0;  // the arthritis deficit is there already
  if (p_.has(C::kDementia)) at(D::kMemoryProblems) = 0;         // so is memory and cognition
  if (p_.care_home) at(D::kCareRequirement) = 0;
  const Days from = std::max({ws_, add_years(p_.birth, 60), we_ - 6 * 365});
  for (int k = present; k < target; ++k) {
    double total = 0;
    for (const double x : w) total += x;
    if (total <= 0) break;
    const std::size_t d = r.weighted(w);
    w[d] = 0;
    const Days day = from >= we_ ? we_ : static_cast<Days>(r.between(from, we_));
    s_.events.push_back({day, &c_.efi_deficit[d].pick(r), 0, -1});
  }
}

void Record::render() {
  s_.events.clear();
  s_.issues.clear();
  medications();  // first: observations depend on when a statin started
  diagnoses();
  observations();
  vaccinations();
  care_processes();
  frailty_deficits();  // last: counts the drugs issued
}

// Sorts the first `n` rows as the record always has, and the rows added after them on their own,
// then merges the two stably: the record's own rows keep their order exactly (ties included), and
// added rows fall in among them by date.
template <class T, class Less>
void sort_then_merge(std::vector<T>& rows, std::size_t n, Less less) {
  const auto mid = rows.begin() + static_cast<std::ptrdiff_t>(n);
  std::sort(rows.begin(), mid, less);
  std::sort(mid, rows.end(), less);
  std::inplace_merge(rows.begin(), mid, rows.end(), less);
}

}  // namespace

int cha2ds2_vasc(const Person& p, Days on) {
  auto had = [&](C c) { return p.has(c) && p.on(c) <= on; };
  const int age = age_in_years(p.birth, on);
  int s = 0;
  if (had(C::kHeartFailure)) s += 1;
  if (had(C::kHypertension)) s += 1;
  if (age >= 75) s += 2;
  else if (age >= 65) s += 1;
  if (had(C::kDiabetes)) s += 1;
  if (had(C::kStrokeTia)) s += 2;
  if (had(C::kChd) || had(C::kPad)) s += 1;
  if (p.sex == 'F') s += 1;
  return s;
}

void render_gp_record(const Person& person, const SynthConfig& config, const GpCodes& codes,
                      const std::string& nhs_number, GpScratch& scratch, Chunk& chunk) {
  Record record(person, config, codes, scratch);
  record.render();
  const std::size_t events = scratch.events.size(), issues = scratch.issues.size();
  add_cms_conditions(person, config, codes, scratch);
  auto& ev = scratch.events;
  sort_then_merge(ev, events, [](const GpEvent& a, const GpEvent& b) {
    return a.date != b.date ? a.date < b.date : *a.code < *b.code;
  });
  for (const auto& e : ev) {
    CsvRow r = row(chunk, Extract::kGpEvents);
    r.text(nhs_number).date(e.date).text(*e.code);
    if (e.decimals < 0) r.empty();
    else r.decimal(e.value, e.decimals);
  }
  auto& is = scratch.issues;
  sort_then_merge(is, issues, [](const GpIssue& a, const GpIssue& b) {
    return a.date != b.date ? a.date < b.date : *a.code < *b.code;
  });
  for (const auto& i : is) row(chunk, Extract::kGpMedications).text(nhs_number).date(i.date).text(*i.code);
}

}  // namespace severn::synth
