#include "synth/partner_duplicates.h"

#include <algorithm>

#include "core/rng.h"
#include "synth/names.h"

namespace severn::synth {
namespace {

// The first data-quality model's rates by partner: NHS number missing, mistyped; a typo in each
// name; an old postcode for people who moved; a date-of-birth error; a duplicate record.
struct FirstModelRates {
  double nhs_missing, nhs_wrong, name_typo, old_postcode, dob_error, duplicate;
};
constexpr FirstModelRates kFirstModel[kPartnerCount] = {
    {0.020, 0.004, 0.020, 0.40, 0.004, 0.006},  // acute
    {0.010, 0.003, 0.015, 0.40, 0.003, 0.004},  // orthopaedic
    {0.040, 0.006, 0.030, 0.50, 0.006, 0.008},  // community
    {0.100, 0.008, 0.030, 0.50, 0.008, 0.012},  // Shropshire Council
    {0.100, 0.008, 0.030, 0.50, 0.008, 0.012},  // Telford and Wrekin Council
};

// The draws of the first model's copy of a record, in its order; the values are discarded.
void replay_first_copy(const Person& person, const DrawnIdentity& id, const FirstModelRates& r, Rng& rng) {
  const double u = rng.uniform();
  if (u >= r.nhs_missing && u < r.nhs_missing + r.nhs_wrong) mistype_digits(rng, id.nhs_number);
  if (rng.bernoulli(r.name_typo)) typo(rng, id.family_name);
  if (rng.bernoulli(r.name_typo)) typo(rng, id.given_name);
  if (id.birth_family_name != id.family_name) rng.bernoulli(0.5);
  if (!id.previous_postcode.empty()) rng.bernoulli(r.old_postcode);
  if (rng.bernoulli(r.dob_error)) {
    // Day and month swapped (one draw) where possible and chosen, else a day out (one more).
    const CivilDate c = civil_from_days(person.birth);
    const bool swappable = c.day <= 12 && c.day != c.month;
    if (!(swappable && rng.bernoulli(0.5))) rng.bernoulli(0.5);
  }
}

}  // namespace

bool has_duplicate_record(const Person& person, const DrawnIdentity& drawn, Partner partner, const SynthConfig& config) {
  Rng rng(config.seed, person.id, purpose_key(partner_code(partner)));
  const FirstModelRates& r = kFirstModel[static_cast<int>(partner)];
  replay_first_copy(person, drawn, r, rng);
  return rng.bernoulli(r.duplicate);
}

}  // namespace severn::synth
