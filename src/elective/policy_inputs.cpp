#include "elective/policy_inputs.h"

#include <map>
#include <utility>

#include "core/error.h"
#include "elective/ptl_reader.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {

double static_score(int priority, const HarmEvidence& harm, const PersonAttributes& person, const PriorityWeights& w) {
  const ScoreComponents s = priority_score({priority, 0, harm, person}, w);
  return s.clinical + s.harm + s.core20plus;
}

double default_time_score(int priority, Days waited) {
  static const PriorityWeights w;
  return priority_score({priority, waited, HarmEvidence{}, PersonAttributes{}}, w).time;
}

SimInputs read_policy_inputs(const store::Store& store, const LinkedRecord& record, const PriorityWeights& weights,
                             const PolicyInputOptions& options, PolicyInputSummary* summary) {
  if (options.lookback_weeks < 1) throw InputError("--lookback-weeks: must be at least 1");
  if (!(options.capacity_factor > 0)) throw InputError("--capacity-factor: must be greater than 0");
  const Days on = options.on;
  const Days window_start = on - kDaysPerWeek * options.lookback_weeks;  // exclusive
  struct Counts {
    std::uint64_t stops = 0, starts = 0;
  };
  std::map<std::pair<std::string, int>, std::uint32_t> queue_of;
  SimInputs in;
  std::vector<Counts> counts;
  PolicyInputSummary s;
  const auto queue = [&](const PtlPeriod& p) {
    const auto [it, added] = queue_of.try_emplace({p.provider_code, p.treatment_function}, static_cast<std::uint32_t>(in.queues.size()));
    if (added) {
      in.queues.push_back({p.provider_code, p.treatment_function, 0, 0, {}});
      counts.emplace_back();
    }
    return it->second;
  };
  const auto patient = [&](const PtlPeriod& p, std::uint32_t q, Days waited, Days evidence_day) {
    const PersonAttributes a = record.attributes(p.person, evidence_day);
    const HarmEvidence h = record.harm(p.person, p.clock_start, evidence_day);
    SimPatient sp;
    sp.queue = q;
    sp.priority = p.priority;
    sp.waited = waited;
    sp.static_score = static_score(p.priority, h, a, weights);
    sp.imd_quintile = a.imd_quintile();
    sp.ethnicity = ethnicity_index(a.ethnicity_group);
    return sp;
  };
  const ReportedListInfo info = read_reported_list(store, "", [&](const ReportedRow& r) {
    const PtlPeriod& p = r.period;
    const bool open = r.open_on(on);
    // A pathway transferred in is not a new arrival: it arrived at the sender.
    const bool started = r.joined == p.clock_start && p.clock_start > window_start && p.clock_start <= on;
    const bool stopped = r.stopped && r.left > window_start && r.left <= on;
    if (!open && !started && !stopped) return;
    const std::uint32_t q = queue(p);
    if (open) in.waiting.push_back(patient(p, q, on - p.clock_start, on));
    if (started) {
      ++counts[q].starts;
      // An arrival's evidence is as it stood at its clock start (no unplanned care yet).
      in.queues[q].arrival_templates.push_back(patient(p, q, 0, p.clock_start));
    }
    if (stopped) ++counts[q].stops;
  });
  for (std::size_t q = 0; q < in.queues.size(); ++q) {
    in.queues[q].capacity_per_week = options.capacity_factor * static_cast<double>(counts[q].stops) / options.lookback_weeks;
    in.queues[q].arrivals_per_week = static_cast<double>(counts[q].starts) / options.lookback_weeks;
    s.recent_starts += counts[q].starts;
    s.recent_stops += counts[q].stops;
    s.capacity_per_week += in.queues[q].capacity_per_week;
    s.arrivals_per_week += in.queues[q].arrivals_per_week;
  }
  s.open = in.waiting.size();
  s.has_wlmds_columns = info.has_wlmds_columns;
  if (summary) *summary = s;
  return in;
}

}  // namespace severn::elective
