#include "synth/cms_conditions.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace severn::synth {
namespace {

using C = Condition;
constexpr double kYear = 365.25;

// Quintile steps towards the most deprived: 0 in the least deprived quintile, 4 in the most.
int deprivation_steps(const Person& p) { return 5 - (p.imd_decile + 1) / 2; }

// Days between issues of a repeat prescription: 28-day repeats are the commonest, and some people
// collect every 8 or 12 weeks. Twelve-weekly repeats give 4 or 5 issues in a year, so the usage
// rules' threshold of 4 is met by some people only just.
int repeat_interval(Rng& r, bool with_six_weeks) {
  const double u = r.uniform();
  if (with_six_weeks) return u < 0.35 ? 28 : u < 0.55 ? 42 : u < 0.80 ? 56 : 84;
  return u < 0.45 ? 28 : u < 0.80 ? 56 : 84;
}

class CmsRecord {
 public:
  CmsRecord(const Person& p, const SynthConfig& cfg, const GpCodes& c, GpScratch& s)
      : p_(p), cfg_(cfg), c_(c), s_(s) {
    ws_ = std::max(cfg.start_date(), p.birth);
    we_ = p.last_day(cfg.end_date);
    adult_ = add_years(p.birth, 18);
    age_ = age_in_years(p.birth, we_);
    female_ = p.sex == 'F';
  }

  void render() {
    if (age_ < 18) return;
    alcohol_problems();
    irritable_bowel();
    const bool long_term_opioids = painful_condition();
    constipation(long_term_opioids);
  }

 private:
  Rng stream(const char* purpose) const { return Rng(cfg_.seed, p_.id, purpose); }
  Days day_between(Rng& r, Days from, Days to) const {
    return to <= from ? from : static_cast<Days>(r.between(from, to));
  }
  void code(Rng& r, Days d, const CodePicker& list) {
    if (d < p_.birth || d > we_) return;
    s_.events.push_back({d, &list.pick(r), 0, -1});
  }
  // A diagnosis coded on a day drawn evenly at ages from_age to to_age (it may fall before the
  // history window: these conditions count when ever recorded), and sometimes coded again later.
  Days diagnosis(Rng& r, int from_age, int to_age, const CodePicker& list, double recoded) {
    const Days first = std::min(we_, add_years(p_.birth, static_cast<int>(r.between(from_age, to_age))) +
                                         static_cast<Days>(r.between(0, 364)));
    code(r, first, list);
    if (r.bernoulli(recoded)) code(r, day_between(r, std::max(first, ws_), we_), list);
    return first;
  }
  // One drug issued about every interval_days from `from` to `to`, within the history and
  // adulthood, each issue a few days early or late.
  void repeat(Rng& r, const CodePicker& drug, Days from, Days to, int interval_days) {
    from = std::max({from, ws_, adult_});
    to = std::min(to, we_);
    if (to < from) return;
    const std::string* code = &drug.pick(r);
    for (double t = static_cast<double>(from) + r.uniform() * interval_days; t <= to; t += interval_days) {
      const Days d = std::min(to, static_cast<Days>(t) + static_cast<Days>(r.between(-3, 4)));
      if (d >= from) s_.issues.push_back({d, code});
    }
  }
  // A short course of 1 to 3 issues a few weeks apart: below the usage rules' threshold.
  void acute(Rng& r, const CodePicker& drug, Days start) {
    const std::string* code = &drug.pick(r);
    const int n = 1 + static_cast<int>(r.below(3));
    for (int k = 0; k < n; ++k, start += static_cast<Days>(r.between(14, 45)))
      if (start >= std::max(ws_, adult_) && start <= we_) s_.issues.push_back({start, code});
  }
  // Every year of the adult history, a short course with chance `per_year`.
  void acute_courses(Rng& r, const CodePicker& drug, double per_year) {
    for (Days y = std::max(ws_, adult_); y <= we_; y += 365)
      if (r.bernoulli(per_year)) acute(r, drug, day_between(r, y, std::min(we_, y + 364)));
  }
  // A long-term repeat: started between 3 months and max_years before the record ends; a share
  // stopped again before the end, so people move in and out of the 12-month window.
  void long_term(Rng& r, const CodePicker& drug, double max_years, double stopped, bool six_weeks) {
    const Days start = we_ - static_cast<Days>(r.uniform() * (max_years - 0.25) * kYear + 0.25 * kYear);
    Days stop = we_;
    if (r.bernoulli(stopped)) stop = std::min(we_, start + static_cast<Days>(r.between(90, 730)));
    repeat(r, drug, start, stop, repeat_interval(r, six_weeks));
  }

  // Alcohol problems: a code ever recorded. Shaped on recorded alcohol dependence in UK primary
  // care (Thompson et al., PLoS ONE 2017, CPRD 1990-2013): women 0.40 times as often as men,
  // commonest at 35-54 and rarest over 75, and highest in the most deprived areas; more with SMI or
  // depression. The level, about 2.5% of adults, is aimed at the alcohol problems prevalence
  // attributed to Barnett et al. (Lancet 2012), which was not verified.
  void alcohol_problems() {
    Rng r = stream("cms-alcohol");
    double risk = age_ < 25 ? 0.010 : age_ < 35 ? 0.025 : age_ < 55 ? 0.040 : age_ < 75 ? 0.040 : 0.025;
    if (female_) risk *= 0.4;
    risk *= std::pow(1.25, deprivation_steps(p_) - 2) * std::exp(0.3 * p_.z_mental - 0.045);
    if (p_.has(C::kSmi) || p_.has(C::kDepression)) risk *= 1.8;
    if (r.bernoulli(std::min(risk, 0.5))) diagnosis(r, 18, age_, c_.alcohol_problem, 0.4);
  }

  // Irritable bowel syndrome: a code ever recorded, or 4 or more antispasmodic prescriptions in 12
  // months. About 10.5% of adults have IBS symptoms (6.6% of men, 14.0% of women) and fewer than
  // half have a diagnosis (Wilson et al., BJGP 2004); it is diagnosed less often in later life and
  // not associated with deprivation (Canavan et al., Clin Epidemiol 2014), so diagnosis ages run
  // from 17 to 60. Some people with a diagnosis have spells on antispasmodics; a few have them with
  // no diagnosis code.
  void irritable_bowel() {
    Rng r = stream("cms-ibs");
    const int diagnosed_at = static_cast<int>(r.between(17, 60));
    Days diagnosed = kNoDate;
    if (r.bernoulli(female_ ? 0.08 : 0.04) && diagnosed_at <= age_)
      diagnosed = diagnosis(r, diagnosed_at, diagnosed_at, c_.ibs, 0.3);
    const bool symptoms_only = diagnosed == kNoDate && r.bernoulli(female_ ? 0.012 : 0.006);
    if ((diagnosed != kNoDate && r.bernoulli(0.3)) || symptoms_only) {
      const Days from = std::max(ws_, diagnosed == kNoDate ? we_ - 3 * 365 : diagnosed);
      const Days start = day_between(r, from, we_);
      const int n = 1 + r.poisson(symptoms_only ? 3.0 : 5.0);
      const int interval = 28 + static_cast<int>(r.below(15));
      repeat(r, c_.antispasmodic, start, start + n * interval - 1, interval);
    }
  }

  // Painful condition: 4 or more prescription-only analgesics in 12 months, or 4 or more specified
  // antiepileptics (here gabapentin and pregabalin) in 12 months with no epilepsy code. Cassell et
  // al. (BJGP 2018, CPRD, the Cambridge rules) found chronic pain in 10.1% of adults in England;
  // it rises with age and is commoner in women. The deprivation gradient (10% per quintile) is
  // Severn's assumption. Returns whether the person is on long-term opioids.
  bool painful_condition() {
    Rng r = stream("cms-pain");
    double risk = age_ < 30 ? 0.035 : age_ < 45 ? 0.065 : age_ < 60 ? 0.12 : age_ < 75 ? 0.165 : 0.21;
    risk *= (female_ ? 1.2 : 0.8) * std::pow(1.10, deprivation_steps(p_) - 2) *
            std::exp(0.3 * p_.z_frail - 0.045);
    if (p_.has(C::kRheumatoidArthritis)) risk *= 1.8;
    if (p_.has(C::kDepression)) risk *= 1.4;
    if (p_.frailty >= Frailty::kModerate) risk *= 1.5;
    bool opioids = false;
    if (r.bernoulli(std::min(risk, 0.8))) {
      opioids = r.bernoulli(0.8);
      const bool gabapentinoid = !opioids || r.bernoulli(0.3);
      if (opioids) long_term(r, c_.opioid, 6.0, 0.2, false);
      if (gabapentinoid) long_term(r, c_.gabapentinoid, 6.0, 0.2, false);
    }
    // Gabapentinoids as add-on treatment of epilepsy: the epilepsy code keeps them out of the rule.
    if (p_.has(C::kEpilepsy) && r.bernoulli(0.15))
      repeat(r, c_.gabapentinoid, p_.on(C::kEpilepsy) + static_cast<Days>(r.between(90, 1500)), we_,
             repeat_interval(r, false));
    // Short courses after an injury or an operation.
    acute_courses(r, c_.opioid, age_ < 60 ? 0.05 : 0.08);
    return opioids;
  }

  // Constipation: 4 or more laxative prescriptions in 12 months. GP-diagnosed constipation is
  // almost twice as common in women and rises with age (Shafe et al., Ther Adv Gastroenterol 2011,
  // the LUCK study, GPRD 2005-09); it is common in care homes, with dementia and frailty, and with
  // long-term opioids (opioid-induced constipation). The level, about 3.5% of adults treated, is
  // the constipation prevalence of Barnett et al. (Lancet 2012), which was not verified.
  void constipation(bool long_term_opioids) {
    Rng r = stream("cms-constipation");
    double risk = age_ < 45 ? 0.007 : age_ < 65 ? 0.018 : age_ < 75 ? 0.04 : age_ < 85 ? 0.08 : 0.15;
    risk *= (female_ ? 1.3 : 0.7) * std::pow(1.05, deprivation_steps(p_) - 2);
    if (p_.care_home) risk *= 2.5;
    if (p_.has(C::kDementia)) risk *= 1.5;
    if (p_.frailty >= Frailty::kModerate) risk *= 1.5;
    if (long_term_opioids) risk *= 3;
    if (r.bernoulli(std::min(risk, 0.8))) long_term(r, c_.laxative, 5.0, 0.25, true);
    acute_courses(r, c_.laxative, age_ < 75 ? 0.03 : 0.06);
  }

  const Person& p_;
  const SynthConfig& cfg_;
  const GpCodes& c_;
  GpScratch& s_;
  Days ws_, we_, adult_;
  int age_;
  bool female_;
};

}  // namespace

void add_cms_conditions(const Person& person, const SynthConfig& config, const GpCodes& codes,
                        GpScratch& scratch) {
  CmsRecord(person, config, codes, scratch).render();
}

}  // namespace severn::synth
