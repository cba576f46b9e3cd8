// Which people a partner registered twice. Every activity row a partner sends for a person with a
// duplicate record takes one extra draw from the activity's random stream (PersonPartners::use),
// so the set of people with duplicates decides every later draw of their hospital, community and
// social care activity. To keep each clinical row of every extract as it was before the identity
// model of partner records grew (households, nicknames, double-barrelled names...), the decision
// is drawn exactly as then: from the partner's stream of the person, after replaying the draws of
// the first data-quality model on the person's drawn identity.
#pragma once
#include "synth/config.h"
#include "synth/partner_codes.h"
#include "synth/person.h"
#include "synth/person_identity.h"

namespace severn::synth {

// Whether the partner holds a second record of the person: for 0.6% of people at the acute trust,
// 0.4% at the orthopaedic trust, 0.8% at the community trust and 1.2% at each council.
bool has_duplicate_record(const Person& person, const DrawnIdentity& drawn, Partner partner, const SynthConfig& config);

}  // namespace severn::synth
