#include "synth/children_services.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace severn::synth {
namespace {

int steps_to_most_deprived(const Person& p) { return 5 - (p.imd_decile + 1) / 2; }

// Chance that a child starts an episode of care with mental health services in a year of age.
// Shaped on NHS England's access metric (MHS95: children and young people aged 0-17 with at least
// one contact with NHS-funded mental health services in 12 months, about 5 to 6% of that age
// group in 2023-24: The King's Fund, Mental health 360, puts it at 48% of the 1.4 million with a
// disorder): rare under 5, rising through adolescence; boys more often before 11 and girls after;
// lower access for Asian, Black and Chinese children, the gap Core20PLUS5 names; a little higher
// in deprived areas, where need is higher.
double episode_chance(const Person& p, int age) {
  double r = age < 5 ? 0.0075 : age < 11 ? 0.038 : age < 16 ? 0.088 : 0.105;
  const bool boy = p.sex == 'M';
  r *= age < 11 ? (boy ? 1.3 : 0.75) : (boy ? 0.7 : 1.35);
  switch (p.ethnicity) {
    case 'H': case 'J': case 'K': case 'L': r *= 0.55; break;  // Asian
    case 'M': case 'N': case 'P': r *= 0.7; break;             // Black
    case 'R': r *= 0.5; break;                                 // Chinese
    case 'S': r *= 0.7; break;                                 // other
    default: break;
  }
  r *= std::pow(1.08, steps_to_most_deprived(p) - 2);
  r *= std::exp(0.5 * p.z_mental - 0.125);  // latent mental health need, mean 1
  if (p.has(Condition::kLearningDisability)) r *= 2;
  if (p.has(Condition::kSmi)) r *= 5;
  return std::min(0.9, r);
}

class ChildContacts {
 public:
  ChildContacts(const Person& p, const SynthConfig& cfg, PersonPartners& partners, Chunk& chunk)
      : p_(p), partners_(partners), chunk_(chunk) {
    ws_ = std::max(cfg.start_date(), p.birth);
    // Children's services stop at the 18th birthday (transition to adult services).
    we_ = std::min(p.last_day(cfg.end_date), add_years(p.birth, 18) - 1);
  }
  bool any_childhood() const { return we_ >= ws_; }

  void mental_health(Rng& rng) {
    for (Days y = ws_; y <= we_; y += 365) {
      const Days to = std::min(we_, y + 364);
      const double share = static_cast<double>(to - y + 1) / 365.25;
      if (!rng.bernoulli(episode_chance(p_, age_in_years(p_.birth, y)) * share)) continue;
      const Days start = y + static_cast<Days>(rng.below(static_cast<std::uint64_t>(to - y + 1)));
      const Days length = static_cast<Days>(rng.between(30, 180));
      const int contacts = 1 + rng.poisson(4);
      for (int k = 0; k < contacts; ++k) {
        const Days d = k == 0 ? start : start + static_cast<Days>(rng.between(1, length));
        if (d <= we_) contact(rng, d, kCypMentalHealthService, "-Y");
      }
    }
  }

  // Epilepsy12 asks that a child with epilepsy sees an epilepsy specialist nurse within the first
  // year of care; most do, somewhat fewer in deprived areas, and then about one review a year.
  void epilepsy_nursing(Rng& rng) {
    if (!p_.has(Condition::kEpilepsy) || age_in_years(p_.birth, p_.on(Condition::kEpilepsy)) >= 18) return;
    const Days dx = p_.on(Condition::kEpilepsy);
    const double first_year = std::clamp(0.82 - 0.04 * (steps_to_most_deprived(p_) - 2) +
                                             (p_.has(Condition::kLearningDisability) ? 0.05 : 0.0),
                                         0.0, 1.0);
    if (rng.bernoulli(first_year)) {
      const Days d = dx + static_cast<Days>(rng.between(7, 330));
      if (d >= ws_ && d <= we_) contact(rng, d, kEpilepsyNursingService, "-N");
    }
    for (Days y = dx + 365; y <= we_; y += 365) {
      if (!rng.bernoulli(0.6)) continue;
      const Days d = y + static_cast<Days>(rng.below(365));
      if (d >= ws_ && d <= we_) contact(rng, d, kEpilepsyNursingService, "-N");
    }
  }

 private:
  void contact(Rng& rng, Days d, const char* service, const char* id_tag) {
    const PartnerRecord& r = partners_.use(Partner::kCommunity, rng);
    ++contacts_;
    row(chunk_, Extract::kCommunity)
        .text(r.local_id + id_tag + std::to_string(contacts_)).text("R1D").text(r.local_id)
        .text(r.nhs_number).date(d).text(service);
  }

  const Person& p_;
  PersonPartners& partners_;
  Chunk& chunk_;
  Days ws_ = 0, we_ = 0;
  int contacts_ = 0;
};

}  // namespace

void render_children_services(const Person& person, const SynthConfig& config,
                              PersonPartners& partners, Chunk& chunk) {
  ChildContacts c(person, config, partners, chunk);
  if (!c.any_childhood()) return;
  Rng mh(config.seed, person.id, "cyp-mental-health");
  c.mental_health(mh);
  Rng esn(config.seed, person.id, "epilepsy-nursing");
  c.epilepsy_nursing(esn);
}

}  // namespace severn::synth
