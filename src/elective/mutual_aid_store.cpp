#include "elective/mutual_aid_store.h"
#include "elective/reported_transfers.h"

#include <algorithm>
#include <unordered_set>

#include "core/error.h"
#include "elective/clock_period.h"

namespace severn::elective {
namespace {

const store::Dictionary& dictionary_of(const store::Store& s, const store::ColumnView& c) {
  return s.dictionary(c.entry().dictionary);
}

}  // namespace

MutualAidInputs read_mutual_aid_inputs(const store::Store& s) {
  if (!s.has_table("wl_pathways"))
    throw InputError(s.dir().string() + ": the store has no wl_pathways table (no waiting-list extract was ingested)");
  MutualAidInputs in;
  const auto& patients = s.table("patients");
  {
    const auto& lsoa = patients.column("lsoa21_code");
    const auto& dict = dictionary_of(s, lsoa);
    const auto ids = lsoa.values<std::uint32_t>();
    in.person_lsoa.reserve(ids.size());
    for (const auto id : ids) in.person_lsoa.emplace_back(dict[id]);
  }
  const auto dob = patients.column("date_of_birth").values<std::int32_t>();

  const auto& t = s.table("wl_pathways");
  const auto offsets = t.person_offsets();
  const auto& provider = t.column("provider_code");
  const auto& provider_dict = dictionary_of(s, provider);
  const auto provider_ids = provider.values<std::uint32_t>();
  const auto tf = t.column("treatment_function_code").values<std::int32_t>();
  const auto start = t.column("clock_start_date").values<std::int32_t>();
  const auto& stop = t.column("clock_stop_date");
  const auto stop_v = stop.values<std::int32_t>();
  const auto& priority = t.column("priority");
  const auto& priority_dict = dictionary_of(s, priority);
  const auto priority_ids = priority.values<std::uint32_t>();

  in.has_pathway = t.has_column("pathway");
  in.has_tci = t.has_column("tci_date");
  in.has_removal = t.has_column("removal_date");
  const store::ColumnView* pathway = in.has_pathway ? &t.column("pathway") : nullptr;
  const store::ColumnView* tci = in.has_tci ? &t.column("tci_date") : nullptr;
  const store::ColumnView* removal = in.has_removal ? &t.column("removal_date") : nullptr;

  std::unordered_set<std::int32_t> transferred;
  if (s.has_table("wl_activity") && s.table("wl_activity").has_column("transfer_provider_code") &&
      s.table("wl_activity").has_column("pathway")) {
    in.has_transfers = true;
    const auto& a = s.table("wl_activity");
    const auto& to = a.column("transfer_provider_code");
    const auto ap = a.column("pathway").values<std::int32_t>();
    for (std::size_t r = 0; r < ap.size(); ++r)
      if (to.valid(r)) transferred.insert(ap[r]);
  }
  if (!in.has_pathway) in.notes.push_back("the store predates wl_pathways.pathway: row numbers stand for pathways");
  if (!in.has_tci)
    in.notes.push_back("the store predates wl_pathways.tci_date: TCI dates unknown, nobody excluded for a date within 8 weeks");
  if (!in.has_removal) in.notes.push_back("the store predates wl_pathways.removal_date: periods end only at a clock stop");
  if (!in.has_transfers)
    in.notes.push_back("the store has no wl_activity transfers: nobody is known to have transferred provider");

  in.periods.reserve(start.size());
  const std::vector<Days> joined = reported_on_list_from(s);
  for (std::size_t person = 0; person + 1 < offsets.size(); ++person) {
    for (std::uint64_t r = offsets[person]; r < offsets[person + 1]; ++r) {
      WaitingPeriod p;
      p.person = static_cast<std::uint32_t>(person);
      p.pathway = pathway ? static_cast<std::uint32_t>(pathway->values<std::int32_t>()[r]) : static_cast<std::uint32_t>(r);
      p.provider_code = std::string(provider_dict[provider_ids[r]]);
      p.treatment_function = tf[r];
      p.priority = priority.valid(r) ? parse_priority(priority_dict[priority_ids[r]]) : 0;
      p.clock_start = start[r];
      p.on_list_from = joined[r];
      if (stop.valid(r)) p.end = stop_v[r];
      if (removal && removal->valid(r)) p.end = std::min(p.end, removal->values<std::int32_t>()[r]);
      p.date_of_birth = dob[person];
      p.dates_known = in.has_tci;
      if (tci && tci->valid(r)) p.next_date = tci->values<std::int32_t>()[r];
      p.transferred = pathway && transferred.contains(pathway->values<std::int32_t>()[r]);
      in.periods.push_back(std::move(p));
    }
  }
  return in;
}

}  // namespace severn::elective
