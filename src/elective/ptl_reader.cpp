#include "elective/ptl_reader.h"

#include <array>
#include <string_view>

#include "core/error.h"
#include "elective/reported_transfers.h"
#include "store/store_error.h"

namespace severn::elective {
namespace {

constexpr std::array<std::string_view, 7> kWlmdsColumns{"pathway",       "waiting_list_type",    "planned_procedure",
                                                         "tci_date",      "last_validation_date", "removal_date",
                                                         "referral_received_date"};

// A nullable date column's value, or kNoDate.
Days date_or_none(const store::ColumnView* c, std::size_t row) {
  if (c == nullptr || !c->valid(row)) return kNoDate;
  return c->values<Days>()[row];
}

}  // namespace

ReportedListInfo read_reported_list(const store::Store& store, const std::string& provider,
                                    const std::function<void(const ReportedRow&)>& visit) {
  if (!store.has_table("wl_pathways"))
    throw store::StoreError(store.dir().string() + ": the store has no wl_pathways table (no wlmds/rtt_pathways.csv was ingested)");
  const store::TableView& t = store.table("wl_pathways");
  ReportedListInfo info;
  for (const auto name : kWlmdsColumns)
    if (!t.has_column(name)) info.missing_columns.emplace_back(name);
  info.has_wlmds_columns = info.missing_columns.empty();

  const auto optional = [&](std::string_view name) { return t.has_column(name) ? &t.column(name) : nullptr; };
  const store::ColumnView& start = t.column("clock_start_date");
  const store::ColumnView& stop = t.column("clock_stop_date");
  const store::ColumnView& tf = t.column("treatment_function_code");
  const store::ColumnView& priority = t.column("priority");
  const store::ColumnView& prov = t.column("provider_code");
  const store::Dictionary& prov_dict = store.dictionary(prov.entry().dictionary);
  const store::Dictionary& priority_dict = store.dictionary(priority.entry().dictionary);
  const store::ColumnView* pathway = optional("pathway");
  const store::ColumnView* list_type = optional("waiting_list_type");
  const store::ColumnView* procedure = optional("planned_procedure");
  const store::ColumnView* tci = optional("tci_date");
  const store::ColumnView* validation = optional("last_validation_date");
  const store::ColumnView* removal = optional("removal_date");
  const store::ColumnView* referral = optional("referral_received_date");
  const store::Dictionary* list_type_dict = list_type ? &store.dictionary(list_type->entry().dictionary) : nullptr;
  const store::Dictionary* procedure_dict = procedure ? &store.dictionary(procedure->entry().dictionary) : nullptr;

  std::int64_t wanted = -1;  // the provider's dictionary id; -1: every provider
  if (!provider.empty()) {
    wanted = prov_dict.find(provider);
    if (wanted < 0) return info;
  }
  const auto offsets = t.person_offsets();
  const auto starts = start.values<Days>();
  const auto stops = stop.values<Days>();
  const auto tfs = tf.values<std::int32_t>();
  const auto provs = prov.values<std::uint32_t>();
  const auto priorities = priority.values<std::uint32_t>();
  const std::vector<Days> joined = reported_on_list_from(store);
  ReportedRow r;
  for (std::size_t person = 0; person + 1 < offsets.size(); ++person) {
    for (std::uint64_t row = offsets[person]; row < offsets[person + 1]; ++row) {
      if (wanted >= 0 && provs[row] != static_cast<std::uint32_t>(wanted)) continue;
      PtlPeriod& p = r.period;
      p = PtlPeriod{};
      p.person = static_cast<std::uint32_t>(person);
      p.row = static_cast<std::int64_t>(row);
      p.provider_code = std::string(prov_dict[provs[row]]);
      p.treatment_function = tfs[row];
      p.priority = priority.valid(row) ? parse_priority(priority_dict[priorities[row]]) : 0;
      p.clock_start = starts[row];
      if (pathway) p.pathway = pathway->values<std::int32_t>()[row];
      if (list_type && list_type->valid(row))
        p.list_type = parse_list_type((*list_type_dict)[list_type->values<std::uint32_t>()[row]]);
      if (procedure && procedure->valid(row))
        p.planned_procedure = std::string((*procedure_dict)[procedure->values<std::uint32_t>()[row]]);
      p.tci_date = date_or_none(tci, row);
      p.last_validation = date_or_none(validation, row);
      p.has_validation_data = validation != nullptr;
      p.referral_received = date_or_none(referral, row);
      const Days stopped = stop.valid(row) ? stops[row] : kStillOpen;
      const Days removed = date_or_none(removal, row);
      r.joined = joined[row];
      r.left = stopped;
      r.stopped = stopped != kStillOpen;
      if (removed != kNoDate && removed < r.left) {
        r.left = removed;
        r.stopped = false;
      }
      visit(r);
    }
  }
  return info;
}

std::vector<PtlPeriod> read_open_periods(const store::Store& store, const std::string& provider, Days on,
                                         ReportedListInfo* info) {
  std::vector<PtlPeriod> open;
  const ReportedListInfo i = read_reported_list(store, provider, [&](const ReportedRow& r) {
    if (r.open_on(on)) open.push_back(r.period);
  });
  if (info) *info = i;
  return open;
}

std::vector<std::string> reported_providers(const store::Store& store) {
  std::vector<std::string> out;
  if (!store.has_table("wl_pathways")) return out;
  const auto& column = store.table("wl_pathways").column("provider_code");
  for (const auto v : store.dictionary(column.entry().dictionary).values()) out.emplace_back(v);
  return out;
}

Days default_list_date(const store::Store& store) {
  const auto& m = store.manifest();
  const std::string& text = m.data_end.empty() ? m.as_of : m.data_end;
  const auto d = parse_iso_date(text);
  if (!d)
    throw InputError(store.dir().string() + "/manifest.json: neither data_end nor as_of is a date ('" + text +
                     "'); give --date");
  return *d;
}

}  // namespace severn::elective
