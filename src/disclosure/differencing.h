// Disclosure control of paired figures (docs/disclosure.md, "Linkage sensitivity"): the same
// measure published twice over the same people, once from every linked record and once without the
// records linked below a probability. A reader holding both figures holds their difference, the
// number of persons whose figure depends on the weak links; that difference must be no easier to
// learn than any small count. Each figure passes the usual rules as a series of the release; these
// functions decide what more the pair needs.
#pragma once
#include <cstdint>

#include "disclosure/release.h"
#include "disclosure/suppression.h"

namespace severn::disclosure {

// Whether a difference of exact counts may be published as a number: zero, or not small
// (not in redact_min..redact_max in either direction).
bool difference_publishable(const Policy& policy, std::int64_t difference);

// Whether publishing both counts would reveal a small difference between them, so that `second`
// must be withheld: their difference is small (1..7 either way) and neither count is small itself
// (a small count is withheld anyway, and the audit then keeps the difference at least as uncertain
// as that count). Under every policy: rounding each figure does not protect the difference, because
// the tables' equations narrow what a rounded figure can be.
bool pair_reveals_difference(const Policy& policy, std::int64_t first, std::int64_t second);

// Marks in `second` (Series::withhold) every cell that pair_reveals_difference() with the cell of
// `first` for the same breakdown and group (the total with the total). A group absent from one
// series counts 0 there, as everywhere in a release.
void withhold_revealing_differences(const Policy& policy, const Series& first, Series& second);

}  // namespace severn::disclosure
