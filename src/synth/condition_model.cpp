#include "synth/condition_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"

namespace severn::synth {
namespace {

enum class Eth { kWhite, kMixed, kSouthAsian, kBlack, kChinese, kOther };

Eth eth_group(char letter) {
  switch (letter) {
    case 'A': case 'B': case 'C': return Eth::kWhite;
    case 'D': case 'E': case 'F': case 'G': return Eth::kMixed;
    case 'H': case 'J': case 'K': case 'L': return Eth::kSouthAsian;
    case 'M': case 'N': case 'P': return Eth::kBlack;
    case 'R': return Eth::kChinese;
    default: return Eth::kOther;
  }
}

enum Latent { kCardio, kResp, kMental, kFrail };

// Risk model of one condition. Odds ratios are rounded values of the gradients reported in the
// epidemiological literature and in QOF/NDA/CVDPREVENT breakdowns (e.g. type 2 diabetes two to
// three times as common in South Asian groups; COPD and SMI steeply more common in deprived
// areas); docs/synthetic-population.md lists them. The age shape is a reference prevalence at
// ages 0, 10, ..., 100, interpolated on the logit scale; calibration moves the whole curve.
struct Spec {
  Condition c;
  int min_age;
  std::array<double, 11> age_shape;
  double male_or, depr_or;  // deprivation: odds ratio per IMD quintile towards the most deprived
  double south_asian_or, black_or, mixed_or, chinese_or;
  Latent latent;
  double loading;
  std::vector<std::pair<Condition, double>> after;  // odds ratio given an earlier condition
  double smoker_or, ex_smoker_or;
  double mean_years;  // mean time since diagnosis for people on the register
  int min_onset_age;
};

const std::vector<Spec>& specs() {
  using C = Condition;
  static const std::vector<Spec> s = {
      {C::kHypertension, 18, {0, 0.001, 0.01, 0.03, 0.08, 0.17, 0.30, 0.45, 0.58, 0.62, 0.62},
       1.1, 1.06, 1.1, 1.5, 1.0, 0.9, kCardio, 0.5, {}, 1.0, 1.0, 10, 25},
      {C::kDiabetes, 0, {0.0005, 0.002, 0.006, 0.015, 0.04, 0.08, 0.13, 0.17, 0.18, 0.15, 0.12},
       1.3, 1.15, 2.8, 1.8, 1.3, 1.3, kCardio, 0.5, {{C::kHypertension, 1.8}}, 1.2, 1.1, 9, 1},
      {C::kNdh, 18, {0, 0, 0.01, 0.02, 0.05, 0.08, 0.11, 0.14, 0.14, 0.12, 0.10},
       1.0, 1.08, 2.0, 1.5, 1.2, 1.2, kCardio, 0.5, {{C::kHypertension, 1.4}}, 1.1, 1.0, 4, 18},
      {C::kCkd, 18, {0, 0, 0.002, 0.004, 0.008, 0.02, 0.05, 0.12, 0.25, 0.35, 0.38},
       0.8, 1.08, 1.3, 1.4, 1.0, 1.0, kCardio, 0.4,
       {{C::kHypertension, 2.5}, {C::kDiabetes, 2.5}}, 1.1, 1.0, 5, 18},
      {C::kChd, 18, {0, 0, 0.0005, 0.002, 0.008, 0.025, 0.06, 0.11, 0.17, 0.20, 0.20},
       2.0, 1.12, 1.5, 0.7, 1.0, 0.7, kCardio, 0.6,
       {{C::kHypertension, 2.0}, {C::kDiabetes, 1.8}, {C::kCkd, 1.4}}, 2.0, 1.4, 9, 30},
      {C::kAf, 18, {0, 0, 0.0005, 0.001, 0.003, 0.008, 0.02, 0.05, 0.10, 0.14, 0.15},
       1.4, 1.0, 0.6, 0.5, 0.8, 0.6, kCardio, 0.3,
       {{C::kHypertension, 1.5}, {C::kChd, 1.5}}, 1.1, 1.0, 6, 30},
      {C::kStrokeTia, 0, {0, 0.0003, 0.001, 0.002, 0.005, 0.012, 0.03, 0.06, 0.10, 0.13, 0.14},
       1.2, 1.10, 1.2, 1.3, 1.0, 1.0, kCardio, 0.5,
       {{C::kAf, 2.5}, {C::kHypertension, 1.8}, {C::kDiabetes, 1.4}}, 1.6, 1.2, 6, 20},
      {C::kHeartFailure, 18, {0, 0, 0.0003, 0.001, 0.002, 0.005, 0.012, 0.03, 0.06, 0.10, 0.12},
       1.4, 1.12, 1.1, 1.2, 1.0, 0.8, kCardio, 0.5,
       {{C::kChd, 3.5}, {C::kAf, 3.0}, {C::kHypertension, 1.5}, {C::kDiabetes, 1.5}}, 1.3, 1.1, 4,
       30},
      {C::kPad, 30, {0, 0, 0, 0.0003, 0.001, 0.004, 0.01, 0.02, 0.035, 0.045, 0.05},
       1.5, 1.12, 0.8, 0.8, 1.0, 0.7, kCardio, 0.6,
       {{C::kDiabetes, 2.5}, {C::kChd, 2.0}}, 3.0, 1.8, 6, 35},
      {C::kOtherCirculatory, 0,
       {0.003, 0.004, 0.01, 0.015, 0.025, 0.04, 0.07, 0.10, 0.14, 0.16, 0.16},
       1.1, 1.03, 1.0, 1.0, 1.0, 1.0, kCardio, 0.3, {{C::kHypertension, 1.3}}, 1.2, 1.1, 7, 0},
      {C::kAsthma, 6, {0.02, 0.09, 0.08, 0.07, 0.065, 0.065, 0.07, 0.075, 0.075, 0.065, 0.06},
       0.85, 1.05, 1.1, 1.0, 1.1, 0.7, kResp, 0.8, {}, 1.2, 1.1, 12, 2},
      {C::kCopd, 35, {0, 0, 0.0005, 0.002, 0.006, 0.015, 0.035, 0.06, 0.08, 0.08, 0.07},
       1.1, 1.25, 0.6, 0.5, 1.0, 0.6, kResp, 0.8, {{C::kAsthma, 2.0}}, 6.0, 3.5, 7, 35},
      {C::kSmi, 0, {0, 0.0005, 0.006, 0.011, 0.013, 0.013, 0.012, 0.010, 0.009, 0.008, 0.007},
       1.1, 1.30, 1.1, 2.2, 1.5, 0.8, kMental, 0.8, {}, 2.0, 1.3, 15, 16},
      {C::kDepression, 18, {0, 0.01, 0.12, 0.16, 0.17, 0.17, 0.16, 0.14, 0.13, 0.13, 0.12},
       0.5, 1.12, 0.7, 0.7, 1.1, 0.5, kMental, 0.7, {{C::kSmi, 2.0}}, 1.5, 1.2, 8, 16},
      {C::kLearningDisability, 0,
       {0.004, 0.007, 0.007, 0.007, 0.006, 0.006, 0.005, 0.004, 0.003, 0.002, 0.002},
       1.5, 1.10, 1.1, 1.0, 1.0, 1.0, kMental, 0.3, {}, 1.0, 1.0, 30, 2},
      {C::kEpilepsy, 18, {0.004, 0.006, 0.008, 0.009, 0.009, 0.009, 0.009, 0.009, 0.009, 0.009,
                          0.009},
       1.1, 1.10, 1.0, 1.0, 1.0, 1.0, kMental, 0.2, {{C::kLearningDisability, 8.0}}, 1.0, 1.0,
       15, 0},
      {C::kCancer, 0, {0.0005, 0.001, 0.002, 0.005, 0.012, 0.025, 0.05, 0.09, 0.12, 0.13, 0.12},
       1.0, 1.02, 0.6, 0.8, 0.8, 0.7, kFrail, 0.1, {}, 1.3, 1.1, 6, 0},
      {C::kOsteoporosis, 50, {0, 0, 0, 0, 0.001, 0.005, 0.015, 0.04, 0.08, 0.12, 0.14},
       0.15, 1.0, 0.8, 0.5, 1.0, 1.0, kFrail, 0.3, {}, 1.3, 1.1, 6, 45},
      {C::kRheumatoidArthritis, 16,
       {0, 0.0002, 0.002, 0.004, 0.007, 0.01, 0.013, 0.016, 0.017, 0.016, 0.015},
       0.4, 1.05, 1.0, 1.0, 1.0, 1.0, kFrail, 0.3, {}, 1.4, 1.1, 10, 16},
  };
  return s;
}

double age_logit(const std::array<double, 11>& shape, double age) {
  auto lg = [](double p) { return logit(std::clamp(p, 1e-6, 0.95)); };
  const double a = std::clamp(age, 0.0, 100.0) / 10.0;
  const auto k = static_cast<std::size_t>(std::min(9.0, std::floor(a)));
  const double f = a - static_cast<double>(k);
  return lg(shape[k]) * (1 - f) + lg(shape[k + 1]) * f;
}

double latent_of(const Person& p, Latent l) {
  switch (l) {
    case kCardio: return p.z_cardio;
    case kResp: return p.z_resp;
    case kMental: return p.z_mental;
    case kFrail: return p.z_frail;
  }
  return 0;
}

double ethnic_or(const Spec& s, char letter) {
  switch (eth_group(letter)) {
    case Eth::kSouthAsian: return s.south_asian_or;
    case Eth::kBlack: return s.black_or;
    case Eth::kMixed: return s.mixed_or;
    case Eth::kChinese: return s.chinese_or;
    default: return 1.0;
  }
}

// Log-odds of everything but the intercept.
double linear_predictor(const Spec& s, const Person& p, int age) {
  double x = age_logit(s.age_shape, age);
  if (p.sex == 'M') x += std::log(s.male_or);
  const int steps_to_most_deprived = 5 - (p.imd_decile + 1) / 2;
  x += std::log(s.depr_or) * (steps_to_most_deprived - 2);
  x += std::log(ethnic_or(s, p.ethnicity));
  x += s.loading * latent_of(p, s.latent);
  for (const auto& [c, odds] : s.after)
    if (p.has(c)) x += std::log(odds);
  if (p.smoking == Smoking::kCurrent) x += std::log(s.smoker_or);
  if (p.smoking == Smoking::kEx) x += std::log(s.ex_smoker_or);
  return x;
}

// Intercept b such that the sum of logistic(b + x) over `x` equals `target` (Newton's method
// inside a bisection bracket, so it always converges).
double calibrate_intercept(const std::vector<double>& x, double target) {
  if (x.empty() || target <= 0) return -50.0;
  if (target >= static_cast<double>(x.size())) return 50.0;
  double lo = -50, hi = 50, b = 0;
  for (int it = 0; it < 100; ++it) {
    double f = -target, df = 0;
    for (double xi : x) {
      const double p = logistic(b + xi);
      f += p;
      df += p * (1 - p);
    }
    if (std::abs(f) < 1e-6 * std::max(1.0, target)) break;
    (f > 0 ? hi : lo) = b;
    double next = df > 0 ? b - f / df : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    b = next;
  }
  return b;
}

double expected_sum(const std::vector<double>& x, double b) {
  double s = 0;
  for (double xi : x) s += logistic(b + xi);
  return s;
}

Days reference_day(const Person& p, Days end) { return p.last_day(end); }

// Time since diagnosis: exponential with the condition's mean, no earlier than `min_onset_age`.
Days diagnosis_day(Rng& rng, const Person& p, Days reference, double mean_years, int min_onset_age) {
  const Days earliest = std::max(p.birth, add_years(p.birth, min_onset_age));
  if (earliest >= reference) return reference;
  const double span = static_cast<double>(reference - earliest);
  double d = rng.exponential(mean_years * 365.25);
  if (d > span) d = rng.uniform() * span;
  return static_cast<Days>(reference - static_cast<Days>(d));
}

}  // namespace

ConditionOutcome assign_conditions(const SynthConfig& config, const Targets& targets,
                                   const std::vector<refdata::DementiaRate>& cfas,
                                   Population& pop) {
  ConditionOutcome out;
  const Days end = config.end_date;
  const double scale = static_cast<double>(config.people) / kReferencePeople;
  auto& people = pop.people;
  const std::size_t n = people.size();
  std::vector<int> age(n);

  // Latent risk and smoking. Adult smoking: ONS Annual Population Survey 2023 puts current
  // smoking near 12% overall, about 20% in the most and 7% in the least deprived quintile.
  constexpr double kSmokingByQuintile[5] = {0.20, 0.15, 0.12, 0.10, 0.07};
  for (std::size_t i = 0; i < n; ++i) {
    Person& p = people[i];
    Rng rng(config.seed, i, "latent");
    p.z_cardio = static_cast<float>(rng.normal());
    p.z_resp = static_cast<float>(rng.normal());
    p.z_mental = static_cast<float>(rng.normal());
    p.z_frail = static_cast<float>(rng.normal());
    age[i] = age_in_years(p.birth, reference_day(p, end));
    if (age[i] >= 16) {
      const int q = (p.imd_decile + 1) / 2;
      const double current = std::min(0.6, kSmokingByQuintile[q - 1] * std::exp(0.4 * p.z_mental));
      const double ex = std::min(0.5, 0.08 + 0.006 * (age[i] - 16));
      const double u = rng.uniform();
      p.smoking = u < current ? Smoking::kCurrent : u < current + ex ? Smoking::kEx : Smoking::kNever;
    }
  }

  auto target_for = [&](Condition c) -> std::pair<double, std::string> {
    switch (c) {
      case Condition::kHypertension: return {targets.hypertension * scale, "JFP03"};
      case Condition::kDiabetes: return {targets.diabetes * scale, "JFP05"};
      case Condition::kAf: return {targets.atrial_fibrillation * scale, "JFP04"};
      default: break;
    }
    for (const auto& r : qof_rates()) {
      if (std::string(r.condition) != condition_name(c)) continue;
      std::size_t denominator = 0;
      for (std::size_t i = 0; i < pop.alive; ++i) denominator += age[i] >= r.min_age;
      return {r.rate * static_cast<double>(denominator), r.source};
    }
    throw std::logic_error(std::string("no target for ") + condition_name(c));
  };

  auto circulatory = [](const Person& p) {
    return p.has(Condition::kChd) || p.has(Condition::kAf) || p.has(Condition::kStrokeTia) ||
           p.has(Condition::kHeartFailure) || p.has(Condition::kPad) ||
           p.has(Condition::kOtherCirculatory);
  };

  std::vector<double> x_alive;
  std::vector<double> x_all(n);
  for (const Spec& s : specs()) {
    double target;
    std::string source;
    std::vector<char> eligible(n, 0);
    for (std::size_t i = 0; i < n; ++i) eligible[i] = age[i] >= s.min_age;
    if (s.c == Condition::kOtherCirculatory) {
      // "Heart and circulatory disease" (BHF-style count, JFP08) covers more than the QOF
      // registers: this condition tops the union up to the published total.
      std::size_t in_union = 0;
      for (std::size_t i = 0; i < pop.alive; ++i) in_union += circulatory(people[i]);
      target = std::max(0.0, targets.circulatory * scale - static_cast<double>(in_union));
      source = "JFP08 less the circulatory QOF registers";
      for (std::size_t i = 0; i < n; ++i) eligible[i] = eligible[i] && !circulatory(people[i]);
    } else {
      std::tie(target, source) = target_for(s.c);
    }
    x_alive.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (!eligible[i]) continue;
      x_all[i] = linear_predictor(s, people[i], age[i]);
      if (i < pop.alive) x_alive.push_back(x_all[i]);
    }
    const double b = calibrate_intercept(x_alive, target);
    ConditionCalibration cal{condition_name(s.c), target, expected_sum(x_alive, b), 0, source};
    for (std::size_t i = 0; i < n; ++i) {
      if (!eligible[i]) continue;
      Person& p = people[i];
      Rng rng(config.seed, i, purpose_key(condition_name(s.c)));
      if (!rng.bernoulli(logistic(b + x_all[i]))) continue;
      const Days ref = reference_day(p, end);
      Days on;
      if (s.c == Condition::kLearningDisability) {
        on = add_years(p.birth, static_cast<int>(rng.between(2, std::max(2, std::min(age[i], 16)))));
      } else if (s.c == Condition::kAsthma && rng.bernoulli(0.6)) {
        on = add_years(p.birth, static_cast<int>(rng.between(2, std::max(2, std::min(age[i], 15)))));
      } else {
        on = diagnosis_day(rng, p, ref, s.mean_years, s.min_onset_age);
      }
      p.set(s.c, std::min(on, ref));
      if (i < pop.alive) ++cal.drawn;
    }
    out.calibration.push_back(cal);
  }

  // Diabetes type: type 1 is roughly flat with age (about 0.4-0.5% of people from childhood),
  // so its share of diabetes falls with age. Scale so type 1 is the published share (JFP07 ~7%).
  {
    std::vector<std::size_t> dm;
    std::vector<double> w;
    for (std::size_t i = 0; i < n; ++i) {
      if (!people[i].has(Condition::kDiabetes)) continue;
      dm.push_back(i);
      w.push_back(age[i] < 20 ? 20.0 : age[i] < 40 ? 2.5 : age[i] < 60 ? 0.6 : 0.25);
    }
    std::size_t alive_dm = 0;
    for (std::size_t k = 0; k < dm.size(); ++k) alive_dm += dm[k] < pop.alive;
    const double t1_share = 1.0 - targets.diabetes_type2_pct / 100.0;
    // P(type 1) = min(1, c * w): find c with expected type 1 share = t1_share.
    double lo = 0, hi = 10;
    for (int it = 0; it < 60; ++it) {
      const double c = (lo + hi) / 2;
      double e = 0;
      for (std::size_t k = 0; k < dm.size(); ++k)
        if (dm[k] < pop.alive) e += std::min(1.0, c * w[k]);
      (e > t1_share * static_cast<double>(alive_dm) ? hi : lo) = c;
    }
    for (std::size_t k = 0; k < dm.size(); ++k) {
      Person& p = people[dm[k]];
      Rng rng(config.seed, dm[k], "diabetes-type");
      const bool t1 = rng.bernoulli(std::min(1.0, lo * w[k]));
      p.diabetes_type = t1 ? 1 : 2;
      if (t1) {
        // Type 1 is usually diagnosed young.
        const int onset = static_cast<int>(rng.between(3, std::max(3, std::min(age[dm[k]], 35))));
        p.set(Condition::kDiabetes, std::min(add_years(p.birth, onset), reference_day(p, end)));
      }
    }
  }

  // Dementia: true prevalence from CFAS II age-sex rates (65+), a little young-onset dementia,
  // and a diagnosis rate near England's (about 65% of expected cases diagnosed).
  {
    ConditionCalibration cal{"dementia", 0, 0, 0, "CFAS II rates x 0.65 diagnosis rate"};
    for (std::size_t i = 0; i < n; ++i) {
      Person& p = people[i];
      double prev = age[i] >= 65 ? refdata::cfas2_rate(cfas, age[i], p.sex)
                    : age[i] >= 45 ? 0.0006 : 0.0;
      if (p.has(Condition::kLearningDisability) && age[i] >= 40) prev = std::max(prev, 0.08);
      prev = std::min(0.9, prev * std::exp(0.25 * p.z_frail - 0.03125));
      Rng rng(config.seed, i, "dementia");
      if (!rng.bernoulli(prev)) continue;
      const double dx_rate = std::clamp(0.65 + 0.02 * ((p.imd_decile + 1) / 2 - 3), 0.0, 1.0);
      if (i < pop.alive) cal.target += dx_rate * prev, cal.expected += dx_rate * prev;
      if (rng.bernoulli(dx_rate)) {
        p.set(Condition::kDementia, diagnosis_day(rng, p, reference_day(p, end), 3.0, 45));
        if (i < pop.alive) ++cal.drawn;
      } else {
        p.dementia_undiagnosed = true;
      }
    }
    out.calibration.push_back(cal);
  }

  // Hidden disease for case-finding: undiagnosed hypertension (about 0.4 undiagnosed per
  // diagnosed adult, after the UK estimates of several million undiagnosed) and raised HbA1c
  // without a diabetes code (about 8% of the diagnosed count).
  auto hidden = [&](const Spec& spec, int min_age, double target, const char* purpose, auto mark) {
    std::vector<double> x, xa;
    std::vector<std::size_t> who;
    for (std::size_t i = 0; i < n; ++i) {
      if (age[i] < min_age || people[i].has(spec.c)) continue;
      who.push_back(i);
      x.push_back(linear_predictor(spec, people[i], age[i]));
      if (i < pop.alive) xa.push_back(x.back());
    }
    const double b = calibrate_intercept(xa, target);
    for (std::size_t k = 0; k < who.size(); ++k) {
      Rng rng(config.seed, who[k], purpose);
      mark(people[who[k]], rng.bernoulli(logistic(b + x[k])));
    }
  };
  hidden(specs()[0], 25, 0.4 * targets.hypertension * scale, "undiagnosed-hypertension",
         [](Person& p, bool v) { p.undiagnosed_hypertension = v; });
  hidden(specs()[1], 30, 0.08 * targets.diabetes * scale, "undiagnosed-diabetes",
         [](Person& p, bool v) { p.undiagnosed_diabetes = v; });

  // Frailty for people 65+: a score from latent frailty, age and the number of conditions, cut
  // at quantiles so the shares match eFI studies in English primary care (about 50% fit, 35%
  // mild, 12% moderate, 3% severe; Clegg et al., Age and Ageing 2016).
  {
    std::vector<std::pair<double, std::size_t>> score;
    for (std::size_t i = 0; i < n; ++i) {
      if (age[i] < 65) continue;
      const Person& p = people[i];
      const int k = std::popcount(p.conditions);
      score.emplace_back(p.z_frail + 0.35 * k + 0.06 * (age[i] - 75) +
                             (p.has(Condition::kDementia) ? 0.8 : 0.0),
                         i);
    }
    std::sort(score.begin(), score.end());
    const double m = static_cast<double>(score.size());
    for (std::size_t r = 0; r < score.size(); ++r) {
      const double q = static_cast<double>(r) / m;
      Person& p = people[score[r].second];
      p.frailty = q < 0.50 ? Frailty::kFit : q < 0.85 ? Frailty::kMild
                : q < 0.97 ? Frailty::kModerate : Frailty::kSevere;
      Rng rng(config.seed, p.id, "care-home");
      const double ch = (p.frailty == Frailty::kSevere ? 0.18 : p.frailty == Frailty::kModerate ? 0.03 : 0.002) +
                        (p.has(Condition::kDementia) ? 0.12 : 0.0);
      p.care_home = rng.bernoulli(ch);
    }
  }

  // Epilepsy in children and young people. The adult model above is calibrated to the QOF
  // register, which starts at 18; under 18 the prevalence follows Young Epilepsy's published
  // figures (October 2023: about 1 in 1,000 aged 0-4, 1 in 333 aged 5-9, 1 in 200 aged 10-14,
  // 1 in 133 aged 15-19), a little higher in deprived areas, and about one in five children with
  // a learning disability (so that a large share of children with epilepsy have one, as the
  // charity reports). Own random stream: nobody else's record changes.
  {
    ConditionCalibration cal{"epilepsy_under_18", 0, 0, 0,
                             "Young Epilepsy 2023 prevalence by age, 0-17"};
    for (std::size_t i = 0; i < n; ++i) {
      Person& p = people[i];
      if (age[i] >= 18 || p.has(Condition::kEpilepsy)) continue;
      double prev = age[i] < 5 ? 0.001 : age[i] < 10 ? 0.003 : age[i] < 15 ? 0.005 : 0.0075;
      const int steps = 5 - (p.imd_decile + 1) / 2;  // 0 least deprived quintile .. 4 most
      prev *= std::pow(1.06, steps - 2);
      if (p.has(Condition::kLearningDisability) && age[i] >= 2) prev = 0.2;
      if (i < pop.alive) cal.target += prev, cal.expected += prev;
      Rng rng(config.seed, i, "epilepsy-under-18");
      if (!rng.bernoulli(prev)) continue;
      const Days ref = reference_day(p, end);
      const Days first = std::min(ref, add_years(p.birth, 1));
      p.set(Condition::kEpilepsy, static_cast<Days>(rng.between(first, ref)));
      if (i < pop.alive) ++cal.drawn;
    }
    out.calibration.push_back(cal);
  }
  return out;
}

}  // namespace severn::synth
