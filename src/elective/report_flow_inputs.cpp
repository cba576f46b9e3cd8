// A copy of capacity_flows.cpp's reader under a distinct symbol (report_flow_inputs.h says why).
#include "elective/report_flow_inputs.h"

#include <algorithm>

#include "core/error.h"
#include "elective/rtt_weeks.h"
#include "store/store.h"

namespace severn::elective {

namespace {

// A column the store may predate; when present it must have the contract's type.
const store::ColumnView* optional_column(const store::TableView& t, std::string_view name, store::ColumnType type) {
  if (!t.has_column(name)) return nullptr;
  const store::ColumnView& c = t.column(name);
  if (c.entry().type != type) {
    throw InputError("wl_pathways." + std::string(name) + ": the store's column has another type than the "
                     "waiting-list contract (docs/data-model.md) expects; rebuild the store with this severn");
  }
  return &c;
}

const store::Dictionary& dictionary_of(const store::Store& store, const store::ColumnView& c) {
  return store.dictionary(c.entry().dictionary);
}

}  // namespace

ReportedList read_reported_flow_list(const store::Store& store) {
  if (!store.has_table("wl_pathways")) {
    throw InputError(store.dir().string() + ": the store has no wl_pathways table (no waiting-list extract was ingested)");
  }
  const store::TableView& t = store.table("wl_pathways");
  const auto start = t.column("clock_start_date").values<Days>();
  const store::ColumnView& stop_col = t.column("clock_stop_date");
  const auto stop = stop_col.values<Days>();
  const auto tf = t.column("treatment_function_code").values<std::int32_t>();
  const auto provider = t.column("provider_code").values<std::uint32_t>();
  const store::ColumnView& priority_col = t.column("priority");
  const auto priority = priority_col.values<std::uint32_t>();
  const store::Dictionary& priority_names = dictionary_of(store, priority_col);
  const store::Dictionary& provider_names = dictionary_of(store, t.column("provider_code"));

  const store::ColumnView* type_col = optional_column(t, "waiting_list_type", store::ColumnType::kCategory);
  const store::ColumnView* removal_col = optional_column(t, "removal_date", store::ColumnType::kDate);
  const store::ColumnView* reason_col = optional_column(t, "removal_reason", store::ColumnType::kCategory);

  ReportedList out;
  out.has_list_type = type_col != nullptr;
  out.has_removals = removal_col != nullptr && reason_col != nullptr;
  for (std::string_view p : provider_names.values()) out.providers.emplace_back(p);
  std::vector<int> priority_of(priority_names.size());
  for (std::uint32_t i = 0; i < priority_names.size(); ++i) priority_of[i] = parse_priority(priority_names[i]);
  std::vector<WaitingListType> type_of;
  if (type_col != nullptr) {
    const store::Dictionary& d = dictionary_of(store, *type_col);
    for (std::uint32_t i = 0; i < d.size(); ++i) type_of.push_back(parse_list_type(d[i]));
  }
  std::vector<bool> reason_is_transfer;
  if (out.has_removals) {
    const store::Dictionary& d = dictionary_of(store, *reason_col);
    for (std::uint32_t i = 0; i < d.size(); ++i) reason_is_transfer.push_back(d[i] == "transferred");
  }

  const std::size_t rows = t.rows();
  out.periods.reserve(rows);
  Days first = kStillOpen, last = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    ReportedPeriod p;
    p.treatment_function = tf[r];
    p.provider = provider[r];
    p.priority = priority_col.valid(r) ? priority_of[priority[r]] : 0;
    p.clock_start = start[r];
    if (stop_col.valid(r)) p.clock_stop = stop[r];
    if (type_col != nullptr && type_col->valid(r)) p.list_type = type_of[type_col->values<std::uint32_t>()[r]];
    if (out.has_removals && removal_col->valid(r)) {
      p.removal = removal_col->values<Days>()[r];
      if (reason_col->valid(r)) p.transferred = reason_is_transfer[reason_col->values<std::uint32_t>()[r]];
    }
    first = std::min(first, p.clock_start);
    last = std::max(last, p.clock_start);
    if (p.clock_stop != kStillOpen) last = std::max(last, p.clock_stop);
    if (p.removal != kStillOpen) last = std::max(last, p.removal);
    out.periods.push_back(p);
  }
  out.first_start = rows == 0 ? 0 : first;
  out.last_date = last;
  return out;
}

}  // namespace severn::elective
