#include "elective/mutual_aid_list.h"

#include <unordered_map>

#include "core/csv_writer.h"
#include "elective/geo_lsoa_centroids.h"
#include "elective/rtt_weeks.h"
#include "elective/sites.h"

namespace severn::elective {

MutualAidList build_mutual_aid_list(const store::Store& store, const refdata::Geography& geography,
                                    const MutualAidOptions& o) {
  MutualAidList list;
  list.in = read_mutual_aid_inputs(store);
  list.store_waits = list_waits(list.in.periods, o.on);
  list.waits = build_wait_table(list.store_waits, o.offers);
  const auto& sites = provider_sites();
  const auto& centroids = stw_lsoa_centroids();
  std::unordered_map<std::string, int> quintile_of;
  for (const auto& l : geography.lsoas) quintile_of.emplace(l.code, l.imd_quintile());

  std::vector<Candidate> candidates;
  std::vector<std::size_t> candidate_of;  // candidate index -> eligible index
  for (std::size_t i = 0; i < list.in.periods.size(); ++i) {
    const auto& p = list.in.periods[i];
    if (assess_pidmas(p, o.on) != PidmasOutcome::kEligible) continue;
    MutualAidEntry e;
    e.period = i;
    const std::string& lsoa = list.in.person_lsoa.at(p.person);
    if (const auto q = quintile_of.find(lsoa); q != quintile_of.end()) e.imd_quintile = q->second;
    // A home outside the geography has no quintile and no share: such a patient is assumed to ask.
    const double share = e.imd_quintile ? o.shares[static_cast<std::size_t>(e.imd_quintile)] : 1.0;
    e.opted_in = opts_in(p.pathway, share, o.seed);
    const LatLon* home = centroids.find(lsoa);
    e.located = home != nullptr;
    if (!home) ++list.unlocated;
    if (e.opted_in && home) {
      candidate_of.push_back(list.eligible.size());
      candidates.push_back({p.pathway, *home, p.provider_code, p.treatment_function, days_waited(p.clock_start, o.on),
                            o.radius_miles, o.min_shorter_weeks});
    }
    list.eligible.push_back(std::move(e));
  }
  const auto results = allocate(candidates, sites, list.waits);
  for (std::size_t c = 0; c < results.size(); ++c) list.eligible[candidate_of[c]].match = results[c];
  return list;
}

std::vector<MutualAidCase> mutual_aid_cases(const MutualAidList& list) {
  std::vector<MutualAidCase> cases;
  cases.reserve(list.eligible.size());
  for (const auto& e : list.eligible) {
    const auto& p = list.in.periods[e.period];
    const bool matched = e.opted_in && e.located && e.match.outcome == MatchOutcome::kMatched;
    cases.push_back({p.treatment_function, p.provider_code, e.imd_quintile, e.opted_in, matched,
                     matched ? e.match.option.provider_code : std::string()});
  }
  return cases;
}

std::vector<std::size_t> mutual_aid_entries_of(const MutualAidList& list, const std::string& provider) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < list.eligible.size(); ++i)
    if (provider.empty() || list.in.periods[list.eligible[i].period].provider_code == provider) out.push_back(i);
  return out;
}

std::string mutual_aid_list_csv(const store::Store& store, const store::IdentityArea& area,
                                const store::AccessContext& context, const MutualAidList& list,
                                const std::vector<std::size_t>& entries, Days on) {
  std::vector<std::uint32_t> persons;
  for (const std::size_t i : entries) persons.push_back(list.in.periods[list.eligible[i].period].person);
  std::vector<store::PersonIdentity> ids;
  if (!persons.empty())
    ids = area.lookup(persons,
                      store::IdentityField::kNhsNumber | store::IdentityField::kFamilyName |
                          store::IdentityField::kGivenName | store::IdentityField::kDateOfBirth |
                          store::IdentityField::kPostcode,
                      context);
  // The provider's own pathway ids, when the store's identity area holds them (WLMDS stores).
  std::unordered_map<std::uint32_t, std::pair<std::string, std::string>> local_ids;
  const bool has_pathway_ids = list.in.has_pathway && store.manifest().files.contains("identity/pathways.csv");
  if (has_pathway_ids && !persons.empty())
    for (const store::PathwayIdentity& p : area.pathways(context))
      local_ids[static_cast<std::uint32_t>(p.pathway)] = {p.patient_pathway_id, p.local_patient_id};
  std::string text =
      "nhs_number,family_name,given_name,date_of_birth,postcode,patient_pathway_id,local_patient_id,provider_code,"
      "treatment_function_code,clock_start_date,weeks_waited,imd_quintile,asks_to_move,outcome,offered_provider,"
      "offered_site,distance_miles,expected_wait_weeks_now,expected_wait_weeks_offered\n";
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const auto& e = list.eligible[entries[k]];
    const auto& p = list.in.periods[e.period];
    CsvRow row(text);
    row.text(ids[k].nhs_number).text(ids[k].family_name).text(ids[k].given_name).text(ids[k].date_of_birth)
        .text(ids[k].postcode);
    if (const auto it = local_ids.find(p.pathway); it != local_ids.end()) row.text(it->second.first).text(it->second.second);
    else row.empty().empty();
    row.text(p.provider_code).integer(p.treatment_function).date(p.clock_start)
        .integer(completed_weeks(days_waited(p.clock_start, on)));
    if (e.imd_quintile) row.integer(e.imd_quintile);
    else row.empty();
    row.text(e.opted_in ? "yes" : "no");
    if (!e.opted_in) row.text("does_not_ask");
    else if (!e.located) row.text("home_area_unknown");
    else row.text(match_outcome_name(e.match.outcome));
    if (e.opted_in && e.located && e.match.outcome == MatchOutcome::kMatched) {
      row.text(e.match.option.provider_code).text(e.match.option.site_name).decimal(e.match.option.distance_miles, 1)
          .decimal(e.match.own_expected_weeks, 1).decimal(e.match.option.expected_weeks, 1);
    } else {
      row.empty().empty().empty();
      if (e.opted_in && e.located && e.match.outcome != MatchOutcome::kOwnWaitUnknown) row.decimal(e.match.own_expected_weeks, 1);
      else row.empty();
      row.empty();
    }
  }
  return text;
}

}  // namespace severn::elective
