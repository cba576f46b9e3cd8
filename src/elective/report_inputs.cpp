// A copy of snapshot_store.cpp's reader under a distinct symbol (report_inputs.h says why).
#include "elective/report_inputs.h"

#include <algorithm>
#include <charconv>

#include "core/error.h"

namespace severn::elective {
namespace {

constexpr std::string_view kTable = "wl_pathways";

// A category column's value of a row as text ("" when null).
class CategoryText {
 public:
  CategoryText(const store::Store& s, const store::ColumnView& c)
      : column_(c), ids_(c.values<std::uint32_t>()), dict_(s.dictionary(c.entry().dictionary)) {}
  std::string_view operator()(std::size_t row) const { return column_.valid(row) ? dict_[ids_[row]] : std::string_view{}; }

 private:
  const store::ColumnView& column_;
  std::span<const std::uint32_t> ids_;
  const store::Dictionary& dict_;
};

int status_code(std::string_view text) {
  int v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size() ? v : 0;
}

}  // namespace

ReportedList read_reported_periods(const store::Store& store) {
  ReportedList out;
  const store::TableView& t = store.table(kTable);
  for (const char* c : {"pathway", "rtt_period", "waiting_list_type", "removal_date", "removal_reason"})
    if (!t.has_column(c)) out.missing_columns.push_back(c);
  out.has_wlmds_columns = out.missing_columns.empty();

  const auto start = t.column("clock_start_date").values<Days>();
  const store::ColumnView& stop_col = t.column("clock_stop_date");
  const auto stop = stop_col.values<Days>();
  const auto function = t.column("treatment_function_code").values<std::int32_t>();
  const CategoryText provider(store, t.column("provider_code"));
  const CategoryText priority(store, t.column("priority"));
  const CategoryText status(store, t.column("rtt_status"));
  const bool has = out.has_wlmds_columns;
  const store::ColumnView* removal_col = has ? &t.column("removal_date") : nullptr;
  std::span<const Days> removal;
  std::span<const std::int32_t> pathway, period;
  std::optional<CategoryText> list_type, reason;
  if (has) {
    removal = removal_col->values<Days>();
    pathway = t.column("pathway").values<std::int32_t>();
    period = t.column("rtt_period").values<std::int32_t>();
    list_type.emplace(store, t.column("waiting_list_type"));
    reason.emplace(store, t.column("removal_reason"));
  }

  const auto offsets = t.person_offsets();
  out.periods.reserve(t.rows());
  for (std::size_t person = 0; person + 1 < offsets.size(); ++person) {
    for (std::uint64_t r = offsets[person]; r < offsets[person + 1]; ++r) {
      ClockPeriod p;
      p.person = static_cast<std::uint32_t>(person);
      p.provider_code = provider(r);
      p.treatment_function = function[r];
      p.priority = parse_priority(priority(r));
      p.clock_start = start[r];
      if (stop_col.valid(r)) {
        p.end = stop[r];
        p.end_kind = PeriodEnd::kClockStop;
        p.stop_status = status_code(status(r));
      }
      if (has) {
        p.pathway = static_cast<std::uint32_t>(pathway[r]);
        p.period = period[r];
        p.list_type = parse_list_type((*list_type)(r));
        // The period leaves the list on whichever comes first: its clock stop or its removal.
        if (removal_col->valid(r) && removal[r] < p.end) {
          p.end = removal[r];
          p.removal_reason = std::string((*reason)(r));
          p.end_kind = p.removal_reason == "transferred" ? PeriodEnd::kTransferred : PeriodEnd::kRemoved;
          p.stop_status = 0;
        }
      }
      if (p.end != kStillOpen && p.end < p.clock_start)
        throw InputError(std::string(kTable) + " row " + std::to_string(r) + ": period ends (" +
                         format_iso_date(p.end) + ") before its clock start (" + format_iso_date(p.clock_start) + ")");
      out.periods.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace severn::elective
