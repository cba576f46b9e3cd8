#include "elective/ptl.h"

#include <map>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/csv_table.h"
#include "core/csv_writer.h"
#include "core/error.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {
namespace {

constexpr const char* kPathwaysIdentityFile = "identity/pathways.csv";

void date_or_empty(CsvRow& row, Days d) {
  if (d == kNoDate) row.empty();
  else row.date(d);
}

}  // namespace

PtlRow make_ptl_row(const PtlPeriod& period, Days on, const PersonAttributes& person, const HarmEvidence& harm,
                    const PriorityWeights& weights) {
  PtlRow r;
  r.period = period;
  r.days_waited = days_waited(period.clock_start, on);
  for (std::size_t i = 0; i < kBreachWeeks.size(); ++i) r.breach[i] = breach_date(period.clock_start, kBreachWeeks[i]);
  r.validation = validation_status(period, on);
  r.person = person;
  r.harm = harm;
  r.score = priority_score({period.priority, r.days_waited, harm, person}, weights);
  return r;
}

void order_by_score(std::vector<PtlRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const PtlRow& a, const PtlRow& b) {
    const double sa = a.score.total(), sb = b.score.total();
    if (sa != sb) return sa > sb;
    if (a.days_waited != b.days_waited) return a.days_waited > b.days_waited;
    if (a.period.person != b.period.person) return a.period.person < b.period.person;
    return a.period.row < b.period.row;
  });
}

PatientTrackingList build_ptl(const store::Store& store, const LinkedRecord& record, const std::string& provider, Days on,
                              const PriorityWeights& weights) {
  PatientTrackingList ptl;
  ptl.provider = provider;
  ptl.on = on;
  const std::vector<PtlPeriod> open = read_open_periods(store, provider, on, &ptl.info);
  ptl.rows.reserve(open.size());
  for (const PtlPeriod& p : open)
    ptl.rows.push_back(make_ptl_row(p, on, record.attributes(p.person, on), record.harm(p.person, p.clock_start, on), weights));
  order_by_score(ptl.rows);
  return ptl;
}

void require_access_context(const store::AccessContext& context) {
  if (context.who.empty() || context.purpose.empty())
    throw InputError("the identifiable PTL needs --who NAME and --purpose TEXT (every identifiable read is audited: "
                     "docs/elective/ptl-and-prioritisation.md); without --identifiable the PTL is pseudonymised");
}

std::vector<PtlIdentity> read_ptl_identities(const store::Store& store, const store::IdentityArea& area,
                                             const store::AccessContext& context, const std::vector<PtlRow>& rows) {
  require_access_context(context);
  std::vector<std::uint32_t> ids;
  ids.reserve(rows.size());
  for (const PtlRow& r : rows) ids.push_back(r.period.person);
  const auto people = area.lookup(ids, store::IdentityField::kNhsNumber | store::IdentityField::kFamilyName |
                                           store::IdentityField::kGivenName | store::IdentityField::kDateOfBirth,
                                  context);
  std::vector<PtlIdentity> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out[i].nhs_number = people[i].nhs_number;
    out[i].family_name = people[i].family_name;
    out[i].given_name = people[i].given_name;
    out[i].date_of_birth = people[i].date_of_birth;
  }
  if (store.manifest().files.count(kPathwaysIdentityFile) == 0) return out;
  // A pathway transferred between the trusts has a row at each: the PTL row's own provider's.
  std::map<std::pair<std::int32_t, std::string>, const store::PathwayIdentity*> by_pathway;
  const std::vector<store::PathwayIdentity>& pathway_ids = area.pathways(context);
  for (const store::PathwayIdentity& id : pathway_ids) by_pathway.emplace(std::make_pair(id.pathway, id.provider_code), &id);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto it = by_pathway.find({static_cast<std::int32_t>(rows[i].period.pathway), rows[i].period.provider_code});
    if (it == by_pathway.end()) continue;
    out[i].patient_pathway_id = it->second->patient_pathway_id;
    out[i].local_patient_id = it->second->local_patient_id;
  }
  return out;
}

std::string ptl_csv(const PatientTrackingList& ptl, const std::vector<PtlIdentity>* identities) {
  if (identities && identities->size() != ptl.rows.size())
    throw std::logic_error("ptl_csv: identities do not match the rows");
  std::string out;
  {
    CsvRow h(out);
    h.text("rank");
    if (identities)
      for (const char* c : {"nhs_number", "family_name", "given_name", "date_of_birth", "patient_pathway_id", "local_patient_id"})
        h.text(c);
    for (const char* c :
         {"pseudonym", "pathway", "provider_code", "treatment_function_code", "waiting_list_type", "priority",
          "referral_received_date", "clock_start_date", "ptl_date", "days_waited", "weeks_waited", "planned_procedure",
          "tci_date", "breach_18_weeks_date", "breach_52_weeks_date", "breach_65_weeks_date", "breach_78_weeks_date",
          "last_validation_date", "validation_due", "validation_milestone_weeks",
          "emergency_admissions_since_clock_start", "ae_attendances_since_clock_start", "frailty",
          "long_term_conditions", "new_long_term_conditions_since_clock_start", "learning_disability", "imd_decile",
          "imd_quintile", "ethnicity_group", "age", "priority_target_days", "wait_to_target_ratio",
          "score_clinical_priority", "score_time_waited", "score_harm", "score_core20plus", "score_total"})
      h.text(c);
  }
  for (std::size_t i = 0; i < ptl.rows.size(); ++i) {
    const PtlRow& r = ptl.rows[i];
    const PtlPeriod& p = r.period;
    CsvRow row(out);
    row.integer(static_cast<std::int64_t>(i + 1));
    if (identities) {
      const PtlIdentity& id = (*identities)[i];
      row.text(id.nhs_number).text(id.family_name).text(id.given_name).text(id.date_of_birth);
      row.text(id.patient_pathway_id).text(id.local_patient_id);
    }
    row.text(r.person.pseudonym);
    if (p.pathway >= 0) row.integer(p.pathway);
    else row.empty();
    row.text(p.provider_code).integer(p.treatment_function).text(list_type_name(p.list_type));
    if (p.priority > 0) row.text("P" + std::to_string(p.priority));
    else row.empty();
    date_or_empty(row, p.referral_received);
    row.date(p.clock_start).date(ptl.on).integer(r.days_waited).integer(completed_weeks(r.days_waited));
    row.text(p.planned_procedure);
    date_or_empty(row, p.tci_date);
    for (const Days d : r.breach) row.date(d);
    date_or_empty(row, p.last_validation);
    row.text(validation_due_name(r.validation.due)).integer(r.validation.milestone_weeks);
    row.integer(r.harm.emergency_admissions).integer(r.harm.ae_attendances).text(frailty_name(r.harm.frailty));
    row.integer(r.harm.long_term_conditions).integer(r.harm.new_long_term_conditions);
    row.integer(r.person.learning_disability ? 1 : 0);
    if (r.person.imd_decile > 0) row.integer(r.person.imd_decile).integer(r.person.imd_quintile());
    else row.empty().empty();
    row.text(r.person.ethnicity_group);
    if (r.person.age >= 0) row.integer(r.person.age);
    else row.empty();
    row.integer(r.score.target_days).decimal(r.score.wait_ratio, 3);
    row.decimal(r.score.clinical, 2).decimal(r.score.time, 2).decimal(r.score.harm, 2).decimal(r.score.core20plus, 2);
    row.decimal(r.score.total(), 2);
  }
  return out;
}

}  // namespace severn::elective
