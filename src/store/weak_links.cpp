// Store::without_weak_links: a view of a store in which the rows linked to their person with a
// probability below a threshold are absent (docs/linkage-uncertainty.md). Only the tables that
// carry a link_probability column and lose a row are copied; everything else is the base store's
// mapped memory.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "core/parallel.h"
#include "store/store.h"
#include "store/store_error.h"

namespace severn::store {
namespace {

std::string probability_text(double p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

// A column's values, list offsets and validity bitmap without the absent rows.
struct ColumnCopy {
  std::vector<std::byte> data, list_offsets, validity;
};

ColumnCopy copy_rows(const ColumnEntry& entry, std::span<const std::byte> data, std::span<const std::uint64_t> lists,
                     const std::uint8_t* validity, const std::vector<std::uint64_t>& kept) {
  ColumnCopy out;
  if (entry.type == ColumnType::kCodeList) {
    out.list_offsets.resize((kept.size() + 1) * sizeof(std::uint64_t));
    auto* offsets = reinterpret_cast<std::uint64_t*>(out.list_offsets.data());
    std::uint64_t values = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      offsets[i] = values;
      values += lists[kept[i] + 1] - lists[kept[i]];
    }
    offsets[kept.size()] = values;
    out.data.resize(values * sizeof(std::uint32_t));
    std::byte* to = out.data.data();
    for (const std::uint64_t r : kept) {
      const std::size_t bytes = (lists[r + 1] - lists[r]) * sizeof(std::uint32_t);
      if (bytes != 0) std::memcpy(to, data.data() + lists[r] * sizeof(std::uint32_t), bytes);
      to += bytes;
    }
  } else {
    const std::size_t size = element_size(entry.type);
    out.data.resize(kept.size() * size);
    for (std::size_t i = 0; i < kept.size(); ++i)
      std::memcpy(out.data.data() + i * size, data.data() + kept[i] * size, size);
  }
  if (validity != nullptr) {
    out.validity.assign((kept.size() + 7) / 8, std::byte{0});
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (is_valid(validity, kept[i])) out.validity[i >> 3] |= std::byte(1U << (i & 7));
  }
  return out;
}

}  // namespace

std::uint64_t LinkFilter::rows_removed() const {
  std::uint64_t removed = 0;
  for (const auto& t : tables) removed += t.rows_before - t.rows_after;
  return removed;
}

std::unique_ptr<Store> Store::without_weak_links(const Store& base, double min_probability) {
  if (!(min_probability >= 0.0 && min_probability <= 1.0))
    throw InputError("minimum link probability " + probability_text(min_probability) +
                     " is not a probability: give a number from 0 to 1");
  auto view = std::unique_ptr<Store>(new Store());
  view->dir_ = base.dir_;
  view->manifest_ = base.manifest_;
  view->verify_ = base.verify_;
  view->dictionaries_ = base.dictionaries_;
  auto filter = std::make_unique<LinkFilter>();
  filter->min_probability = min_probability;
  const unsigned threads = std::max(1U, std::thread::hardware_concurrency());

  for (TableEntry& entry : view->manifest_.tables) {
    // The view's tables point at the view's own manifest, whose row counts may differ from base's.
    TableView table = base.tables_.at(entry.name);
    table.entry_ = &entry;
    for (auto& [name, column] : table.columns_) column.entry_ = entry.find(name);
    const auto probability_column = table.columns_.find(kLinkProbabilityColumn);
    if (probability_column == table.columns_.end()) {
      view->tables_.emplace(entry.name, std::move(table));
      continue;
    }
    const ColumnView& probability = probability_column->second;
    const std::string where = base.dir_.string() + ": " + entry.name + "." + std::string(kLinkProbabilityColumn);
    if (probability.entry().type != ColumnType::kFloat64 || probability.entry().nullable)
      throw StoreError(where + " is " + std::string(type_name(probability.entry().type)) +
                       (probability.entry().nullable ? " (nullable)" : "") +
                       ", not a non-nullable float64 column; the store is damaged, rebuild it with severn ingest");
    if (!entry.person_keyed)
      throw StoreError(where + ": the table has one row per person, so no row of it can be left out");

    const auto values = probability.values<double>();
    std::vector<std::uint64_t> kept;
    kept.reserve(values.size());
    for (std::uint64_t r = 0; r < values.size(); ++r) {
      const double p = values[r];
      if (!(p >= 0.0 && p <= 1.0))
        throw StoreError(where + " row " + std::to_string(r) + " holds " + probability_text(p) +
                         ", not a probability from 0 to 1; the store is damaged, rebuild it with severn ingest");
      if (p >= min_probability) kept.push_back(r);
    }
    LinkFilter::Table report;
    report.name = entry.name;
    report.rows_before = entry.rows;
    report.rows_after = kept.size();
    report.persons_with_rows_before = entry.persons_with_rows;
    if (kept.size() == entry.rows) {
      // Nothing below the threshold: base's table as it is.
      report.persons_with_rows_after = entry.persons_with_rows;
      filter->tables.push_back(report);
      view->tables_.emplace(entry.name, std::move(table));
      continue;
    }

    // Person offsets over the kept rows.
    const auto old_offsets = table.person_offsets_;
    std::vector<std::byte> offset_bytes(old_offsets.size() * sizeof(std::uint64_t));
    auto* offsets = reinterpret_cast<std::uint64_t*>(offset_bytes.data());
    offsets[0] = 0;
    std::uint64_t persons_with_rows = 0;
    for (std::size_t person = 0, at = 0; person + 1 < old_offsets.size(); ++person) {
      while (at < kept.size() && kept[at] < old_offsets[person + 1]) ++at;
      offsets[person + 1] = at;
      if (offsets[person + 1] > offsets[person]) ++persons_with_rows;
    }

    // Every column without the absent rows, the columns on every core.
    std::vector<std::pair<std::string, ColumnView*>> columns;
    for (auto& [name, column] : table.columns_) columns.emplace_back(name, &column);
    std::vector<ColumnCopy> copies(columns.size());
    parallel_for(columns.size(), threads, [&](std::size_t i) {
      const ColumnView& c = *columns[i].second;
      copies[i] = copy_rows(c.entry(), c.data_, c.list_offsets_, c.validity_, kept);
    });
    view->owned_.push_back(std::move(offset_bytes));
    table.person_offsets_ = {reinterpret_cast<const std::uint64_t*>(view->owned_.back().data()), old_offsets.size()};
    for (std::size_t i = 0; i < columns.size(); ++i) {
      ColumnView& c = *columns[i].second;
      c.rows_ = kept.size();
      view->owned_.push_back(std::move(copies[i].data));
      c.data_ = view->owned_.back();
      if (c.entry().type == ColumnType::kCodeList) {
        view->owned_.push_back(std::move(copies[i].list_offsets));
        c.list_offsets_ = {reinterpret_cast<const std::uint64_t*>(view->owned_.back().data()), kept.size() + 1};
      }
      if (c.validity_ != nullptr) {
        view->owned_.push_back(std::move(copies[i].validity));
        c.validity_ = reinterpret_cast<const std::uint8_t*>(view->owned_.back().data());
      }
    }

    // The manifest of the view describes the rows it holds (severn info, the engine's row counts).
    entry.rows = kept.size();
    entry.persons_with_rows = persons_with_rows;
    entry.min_date.reset();
    entry.max_date.reset();
    if (const auto sort = table.columns_.find(entry.sort_date);
        sort != table.columns_.end() && sort->second.entry().type == ColumnType::kDate) {
      const ColumnView& dates = sort->second;
      const auto days = dates.values<std::int32_t>();
      for (std::size_t r = 0; r < days.size(); ++r) {
        if (!dates.valid(r)) continue;
        entry.min_date = entry.min_date ? std::min(*entry.min_date, days[r]) : days[r];
        entry.max_date = entry.max_date ? std::max(*entry.max_date, days[r]) : days[r];
      }
    }
    report.persons_with_rows_after = persons_with_rows;
    filter->tables.push_back(report);
    view->tables_.emplace(entry.name, std::move(table));
  }
  view->link_filter_ = std::move(filter);
  return view;
}

}  // namespace severn::store
