#include "sql/warehouse_rows.h"

#include "query/reference.h"

#include <charconv>
#include <optional>
#include <stdexcept>

#include "engine/groups.h"
#include "refdata/geography.h"
#include "refdata/organisations.h"
#include "refdata/standards.h"
#include "store/cell_text.h"

namespace severn::sql {
namespace {

// The 16+1 ethnic categories of the NHS Data Dictionary (ETHNIC CATEGORY), Z = not stated.
constexpr const char* kEthnicCategories[] = {"A", "B", "C", "D", "E", "F", "G", "H", "J",
                                             "K", "L", "M", "N", "P", "R", "S", "Z"};
constexpr int kAgeBands = 19;  // 0-4 ... 85-89, 90+, as engine::age_band

std::string number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

WarehouseSource::WarehouseSource(const store::Store& store, const refdata::DataDir& data) : store_(store) {
  using Cell = std::optional<std::string>;
  const auto table = [&](std::string name) -> std::vector<Cells>& {
    reference_.push_back({std::move(name), {}});
    return reference_.back().second;
  };
  auto& practices = table("ref_practice");
  for (const auto& p : refdata::load_organisations(data).practices) practices.push_back({p.code, p.pcn_code, p.place});

  auto& lsoas = table("ref_lsoa");
  for (const auto& l : refdata::load_geography(data).lsoas)
    lsoas.push_back({l.code, std::to_string(l.imd_decile), std::to_string(l.imd_quintile())});

  auto& ethnicity = table("ref_ethnicity");
  // The query model's own grouping (query/reference.h), so the warehouse and every engine agree.
  const auto groups = query::load_reference(query::Reference::kEthnicityGroup, "");
  for (const char* c : kEthnicCategories) {
    const auto it = groups.find(c);
    ethnicity.push_back({c, it == groups.end() ? std::string("unknown") : it->second});
  }

  auto& bands = table("ref_age_band");
  for (int b = 0; b < kAgeBands; ++b) {
    const int lower = b * 5;
    bands.push_back({engine::age_band(lower), std::to_string(lower),
                     b + 1 < kAgeBands ? Cell(std::to_string(lower + 4)) : std::nullopt});
  }

  auto& esp = table("ref_esp2013");
  for (const auto& w : refdata::load_esp2013(data))
    esp.push_back({w.band, std::to_string(w.age_lower),
                   w.age_upper < 0 ? std::nullopt : Cell(std::to_string(w.age_upper)), number(w.weight)});
}

bool WarehouseSource::in_store(const WarehouseTable& table) const {
  return table.kind == TableKind::kReference || store_.has_table(table.store_table);
}

std::uint64_t WarehouseSource::write(const WarehouseTable& table, RowSink& sink) const {
  if (table.kind == TableKind::kReference) {
    for (const auto& [name, rows] : reference_) {
      if (name != table.name) continue;
      for (const auto& row : rows) {
        for (const auto& cell : row) {
          if (cell)
            sink.cell(*cell);
          else
            sink.null();
        }
        sink.end_row();
      }
      return rows.size();
    }
    throw std::logic_error("no reference rows for " + table.name);
  }
  if (!in_store(table)) return 0;
  return table.kind == TableKind::kCodeListChild ? write_list_rows(table, sink) : write_store_rows(table, sink);
}

std::uint64_t WarehouseSource::write_store_rows(const WarehouseTable& table, RowSink& sink) const {
  const store::TableView& t = store_.table(table.store_table);
  const bool events = table.kind == TableKind::kEvents;
  // Columns after row_id and person_id (events) or person_id (patients) are store columns.
  std::vector<const store::ColumnView*> cols;
  for (std::size_t c = events ? 2 : 1; c < table.columns.size(); ++c) cols.push_back(&t.column(table.columns[c].name));
  store::PersonCursor persons(t);
  std::string text;
  char buf[24];
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (events) {
      const auto res = std::to_chars(buf, buf + sizeof buf, r);
      sink.cell(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
    }
    const auto res = std::to_chars(buf, buf + sizeof buf, persons.person_of(r));
    sink.cell(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
    for (const store::ColumnView* c : cols) {
      if (store::cell_text(store_, *c, r, text))
        sink.cell(text);
      else
        sink.null();
    }
    sink.end_row();
  }
  return t.rows();
}

std::uint64_t WarehouseSource::write_list_rows(const WarehouseTable& table, RowSink& sink) const {
  const store::TableView& t = store_.table(table.store_table);
  const store::ColumnView& col = t.column(table.list_column);
  store::PersonCursor persons(t);
  std::uint64_t written = 0;
  char buf[24];
  const auto integer = [&](std::uint64_t v) {
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    sink.cell(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
  };
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::size_t person = persons.person_of(r);
    for (std::size_t i = 0; i < store::list_size(col, r); ++i) {
      integer(r);
      integer(person);
      integer(i + 1);
      sink.cell(store::list_code(store_, col, r, i));
      sink.end_row();
      ++written;
    }
  }
  return written;
}

}  // namespace severn::sql
