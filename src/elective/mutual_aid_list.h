// The PIDMAS mutual-aid list of a day: every eligible open period, whether its patient asks to
// move, and the provider with a shorter wait for the same treatment function within their travel
// radius (docs/elective/mutual-aid.md). Built pseudonymously; who each patient is is joined only
// by mutual_aid_list_csv, through the audited identity area. Shared by `severn elective
// mutual-aid` and `severn serve` (GET /api/elective/mutual-aid), so both give the same list.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "elective/mutual_aid_eligibility.h"
#include "elective/mutual_aid_matching.h"
#include "elective/mutual_aid_store.h"
#include "elective/mutual_aid_summary.h"
#include "elective/mutual_aid_waits.h"
#include "refdata/geography.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::elective {

struct MutualAidOptions {
  Days on = 0;                 // the day D
  double radius_miles = 100;   // 50, 100 or infinity (national)
  std::optional<std::vector<Offer>> offers;  // places receiving providers offer; none: store medians
  OptInShares shares = kEveryoneOptsIn;      // the share who ask to move, by IMD quintile
  std::uint64_t seed = 17;                   // of the opt-in draw
  double min_shorter_weeks = 0;
};

struct MutualAidEntry {
  std::size_t period = 0;  // into MutualAidList::in.periods
  int imd_quintile = 0;    // 0: home outside the geography
  bool opted_in = false;
  bool located = false;    // the home LSOA has a centroid
  MatchResult match;
};

struct MutualAidList {
  MutualAidInputs in;
  ListWaits store_waits;
  WaitTable waits;
  std::vector<MutualAidEntry> eligible;  // in the store's period order
  std::size_t unlocated = 0;
};

MutualAidList build_mutual_aid_list(const store::Store& store, const refdata::Geography& geography,
                                    const MutualAidOptions& options);

// One case per eligible entry, for the aggregate release (mutual_aid_summary.h).
std::vector<MutualAidCase> mutual_aid_cases(const MutualAidList& list);

// Eligible entries whose period is on `provider`'s list ("" : all), in list order.
std::vector<std::size_t> mutual_aid_entries_of(const MutualAidList& list, const std::string& provider);

// The identifiable list of the entries given (indexes into list.eligible) as CSV: NHS number,
// name, date of birth, postcode, the provider's pathway ids when the store holds them, then the
// period, the patient's choice and the offer. The identity area's observer sees one read of the
// persons and one of identity/pathways.csv (when present), under `context`.
std::string mutual_aid_list_csv(const store::Store& store, const store::IdentityArea& area,
                                const store::AccessContext& context, const MutualAidList& list,
                                const std::vector<std::size_t>& entries, Days on);

}  // namespace severn::elective
