// Matching PIDMAS-eligible patients to providers with a shorter expected wait for the same
// treatment function within the patient's travel radius (docs/elective/mutual-aid.md).
//   * Distance: great-circle miles from the patient's home LSOA centroid to the provider's nearest
//     listed site (sites.h); a provider with no listed site cannot be offered.
//   * Options: every other provider whose expected wait for the treatment function is shorter than
//     the patient's own provider's (by more than min_shorter_weeks), within the radius; ranked by expected wait, then distance,
//     then ODS code (so the order never depends on input order).
//   * Capacity: each receiving provider and treatment function offers a number of places, or is
//     unlimited (potential matches only). Places go greedily to the longest waiters first (days
//     waited, then pathway number): the RTT rules' "treat in turn" order, which PIDMAS also
//     follows in inviting the longest waiters first. Each patient takes the best-ranked option
//     that still has a place.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "elective/geo_distance.h"
#include "elective/sites.h"

namespace severn::elective {

inline constexpr double kNationalRadius = std::numeric_limits<double>::infinity();

// "50" -> 50, "100" -> 100, "national" -> kNationalRadius; throws InputError for anything else.
double parse_radius_miles(std::string_view text);

// What a provider's wait for one treatment function is expected to be, and how many patients it
// offers to take.
struct ProviderWait {
  double expected_weeks = 0;
  std::optional<std::int64_t> capacity;  // nullopt: unlimited (potential matches)
  std::string basis;                     // "store median ..." or the offers file's note
  bool receives = true;                  // may take patients (else it only stands for its own list)
};

class WaitTable {
 public:
  void set(const std::string& provider, int treatment_function, ProviderWait w);
  const ProviderWait* find(const std::string& provider, int treatment_function) const;
  const std::map<std::pair<std::string, int>, ProviderWait>& all() const { return waits_; }

 private:
  std::map<std::pair<std::string, int>, ProviderWait> waits_;
};

struct Candidate {
  std::uint32_t pathway = 0;  // tie-break and identity of the request
  LatLon home;
  std::string provider_code;  // where they wait now
  int treatment_function = 0;
  Days waited_days = 0;
  double radius_miles = 100;
  // An option must be shorter by more than this many weeks (0: any shorter wait). A move for a
  // few days' gain is not worth a patient's travel; the threshold is the user's assumption.
  double min_shorter_weeks = 0;
};

struct MatchOption {
  std::string provider_code;
  std::string site_name;
  double distance_miles = 0;
  double expected_weeks = 0;
};

enum class MatchOutcome : std::uint8_t {
  kMatched,
  kOwnWaitUnknown,      // no expected wait for the patient's own provider and treatment function
  kNoShorterWait,       // no provider in the radius with a shorter expected wait
  kCapacityExhausted,   // there were options, but their places had gone to longer waiters
};
std::string_view match_outcome_name(MatchOutcome o);  // "matched", "own_wait_unknown", ...

struct MatchResult {
  MatchOutcome outcome = MatchOutcome::kNoShorterWait;
  MatchOption option;   // when matched
  double own_expected_weeks = 0;  // when known
  std::size_t options = 0;        // how many providers qualified before capacity
};

// The providers a candidate could be offered, best first (capacity not considered).
std::vector<MatchOption> options_for(const Candidate& c, const std::vector<ProviderSite>& sites, const WaitTable& waits);

// Allocates places; results are in the order of `candidates`.
std::vector<MatchResult> allocate(const std::vector<Candidate>& candidates, const std::vector<ProviderSite>& sites,
                                  const WaitTable& waits);

}  // namespace severn::elective
