#include "elective/mutual_aid_matching.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "core/error.h"

namespace severn::elective {

double parse_radius_miles(std::string_view text) {
  if (text == "50") return 50;
  if (text == "100") return 100;
  if (text == "national") return kNationalRadius;
  throw InputError("--radius-miles: expected 50, 100 or national (PIDMAS's three choices), not '" + std::string(text) +
                   "'");
}

void WaitTable::set(const std::string& provider, int treatment_function, ProviderWait w) {
  waits_[{provider, treatment_function}] = std::move(w);
}

const ProviderWait* WaitTable::find(const std::string& provider, int treatment_function) const {
  const auto it = waits_.find({provider, treatment_function});
  return it == waits_.end() ? nullptr : &it->second;
}

std::string_view match_outcome_name(MatchOutcome o) {
  switch (o) {
    case MatchOutcome::kMatched: return "matched";
    case MatchOutcome::kOwnWaitUnknown: return "own_wait_unknown";
    case MatchOutcome::kNoShorterWait: return "no_shorter_wait_in_radius";
    case MatchOutcome::kCapacityExhausted: return "capacity_exhausted";
  }
  return "unknown";
}

std::vector<MatchOption> options_for(const Candidate& c, const std::vector<ProviderSite>& sites,
                                     const WaitTable& waits) {
  std::vector<MatchOption> out;
  const ProviderWait* own = waits.find(c.provider_code, c.treatment_function);
  if (own == nullptr) return out;
  // The nearest site of each other provider.
  std::map<std::string, MatchOption> nearest;
  for (const auto& s : sites) {
    if (s.org_code == c.provider_code) continue;
    const double d = great_circle_miles(c.home, s.location);
    auto [it, inserted] = nearest.try_emplace(s.org_code, MatchOption{s.org_code, s.site_name, d, 0});
    if (!inserted && d < it->second.distance_miles) it->second = MatchOption{s.org_code, s.site_name, d, 0};
  }
  for (auto& [code, option] : nearest) {
    const ProviderWait* w = waits.find(code, c.treatment_function);
    if (w == nullptr || !w->receives || !(w->expected_weeks + c.min_shorter_weeks < own->expected_weeks)) continue;
    if (option.distance_miles > c.radius_miles) continue;
    option.expected_weeks = w->expected_weeks;
    out.push_back(option);
  }
  std::sort(out.begin(), out.end(), [](const MatchOption& a, const MatchOption& b) {
    return std::tie(a.expected_weeks, a.distance_miles, a.provider_code) <
           std::tie(b.expected_weeks, b.distance_miles, b.provider_code);
  });
  return out;
}

std::vector<MatchResult> allocate(const std::vector<Candidate>& candidates, const std::vector<ProviderSite>& sites,
                                  const WaitTable& waits) {
  std::vector<MatchResult> results(candidates.size());
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = candidates[a];
    const auto& y = candidates[b];
    if (x.waited_days != y.waited_days) return x.waited_days > y.waited_days;
    return x.pathway < y.pathway;
  });
  std::map<std::pair<std::string, int>, std::int64_t> used;
  for (const std::size_t i : order) {
    const Candidate& c = candidates[i];
    MatchResult& r = results[i];
    const ProviderWait* own = waits.find(c.provider_code, c.treatment_function);
    if (own == nullptr) {
      r.outcome = MatchOutcome::kOwnWaitUnknown;
      continue;
    }
    r.own_expected_weeks = own->expected_weeks;
    const auto options = options_for(c, sites, waits);
    r.options = options.size();
    r.outcome = options.empty() ? MatchOutcome::kNoShorterWait : MatchOutcome::kCapacityExhausted;
    for (const auto& o : options) {
      const ProviderWait* w = waits.find(o.provider_code, c.treatment_function);
      std::int64_t& taken = used[{o.provider_code, c.treatment_function}];
      if (w->capacity && taken >= *w->capacity) continue;
      ++taken;
      r.outcome = MatchOutcome::kMatched;
      r.option = o;
      break;
    }
  }
  return results;
}

}  // namespace severn::elective
