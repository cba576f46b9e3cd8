// Expected waits and offered places per provider and treatment function, for mutual-aid matching.
//   * STW providers: from the store's reported list on the date D, the median (and 92nd
//     percentile) weeks waited of the periods open on D, as NHS England's RTT statistics report an
//     incomplete list's wait. Quantiles interpolate linearly between the sorted waits in days
//     (Hyndman and Fan type 7), divided by 7.
//   * Everyone else, and any override: an offers file the user supplies (parse_offers), one row per
//     receiving provider and treatment function: provider_code, treatment_function_code,
//     expected_wait_weeks (empty: the store's median, allowed only for a provider the store holds),
//     capacity (places offered; empty: unlimited), note (where the figures came from; figures not
//     from a publication must say "illustrative").
// Without an offers file every STW provider may receive, without limit (potential matches). With
// one, only the rows it lists receive, up to their capacity; the store's medians still stand for
// the patient's own provider.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "elective/mutual_aid_eligibility.h"
#include "elective/mutual_aid_matching.h"
#include "elective/sites.h"

namespace severn::elective {

struct ListWait {
  std::int64_t open = 0;
  double median_weeks = 0;
  double p92_weeks = 0;
};
using ListWaits = std::map<std::pair<std::string, int>, ListWait>;  // (provider, treatment function)

// Linear interpolation between order statistics (type 7) of `sorted` (ascending, not empty).
double quantile_type7(const std::vector<Days>& sorted, double p);

// The waits of the periods open on `on`, by provider and treatment function.
ListWaits list_waits(const std::vector<WaitingPeriod>& periods, Days on);

struct Offer {
  std::string provider_code;
  int treatment_function = 0;
  std::optional<double> expected_weeks;     // nullopt: the store's median
  std::optional<std::int64_t> capacity;     // nullopt: unlimited
  std::string note;
};

// Throws InputError naming the file, line and field: a missing column, a provider with no site in
// the provider-sites table, a treatment function that is not a 3-digit code, a wait that is not a
// non-negative number, a capacity that is not a non-negative integer, a row listed twice.
std::vector<Offer> parse_offers(std::string_view text, const std::string& source_name,
                                const std::vector<ProviderSite>& sites);

// The table matching uses. Throws InputError when an offer leaves its wait empty and the store has
// no open pathway of that provider and treatment function to take a median from.
WaitTable build_wait_table(const ListWaits& store_waits, const std::optional<std::vector<Offer>>& offers);

// Share of PIDMAS-eligible patients who ask to move, by IMD quintile (index 1..5; index 0 unused).
using OptInShares = std::array<double, 6>;
inline constexpr OptInShares kEveryoneOptsIn{1, 1, 1, 1, 1, 1};
// A table imd_quintile,share (quintiles 1-5 each exactly once, shares 0..1). Throws InputError.
OptInShares parse_opt_in(std::string_view text, const std::string& source_name);
// Whether one pathway's patient opts in: a fixed pseudo-random draw from the pathway number and
// `seed` (so runs are reproducible and the same patient decides the same way at every radius).
bool opts_in(std::uint32_t pathway, double share, std::uint64_t seed);

}  // namespace severn::elective
