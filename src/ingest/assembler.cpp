#include "ingest/assembler.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/csv_writer.h"
#include "ingest/field_checks.h"
#include "store/manifest.h"

namespace severn::ingest {
namespace {

using store::ColumnType;

template <class T>
void append_kept(std::vector<T>& out, std::vector<T>& in, const std::vector<std::uint8_t>& drop,
                 bool any_drop) {
  if (!any_drop) {
    out.insert(out.end(), in.begin(), in.end());
  } else {
    for (std::size_t r = 0; r < in.size(); ++r)
      if (!drop[r]) out.push_back(in[r]);
  }
  std::vector<T>().swap(in);
}

template <class T>
std::vector<T> gather(const std::vector<T>& v, const std::vector<std::uint32_t>& perm) {
  std::vector<T> out(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = v[perm[i]];
  return out;
}

std::vector<std::uint8_t> pack_bits(const std::vector<std::uint8_t>& valid) {
  std::vector<std::uint8_t> bits((valid.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) bits[i >> 3] |= static_cast<std::uint8_t>(1U << (i & 7));
  return bits;
}

std::string csv_header(std::initializer_list<std::string_view> names) {
  std::string out;
  {
    CsvRow row(out);
    for (const auto n : names) row.text(n);
  }
  return out;
}

}  // namespace

void Dictionaries::write(store::StoreWriter& w) {
  for (const auto& [name, dict] : dicts_) {
    std::string text;
    for (const auto& v : dict.values()) {
      text += v;
      text += '\n';
    }
    w.write_file(store::dictionary_path(name), text);
    w.manifest().dictionaries.push_back({name, dict.size()});
  }
}

Assembler::Assembler(const TablePlan& plan, std::vector<PartOutput> parts, std::string source,
                     std::size_t persons)
    : plan_(plan), parts_(std::move(parts)), source_(std::move(source)), persons_(persons) {
  drop_.resize(parts_.size());
  drop_unlinked_.resize(parts_.size());
  for (std::size_t p = 0; p < parts_.size(); ++p) {
    drop_[p].assign(parts_[p].accepted_rows(), 0);
    drop_unlinked_[p].assign(parts_[p].unlinked.size(), 0);
  }
}

void Assembler::drop_duplicates() {
  struct Ref {
    std::uint64_t hi, lo;
    std::int64_t line;
    std::uint32_t part, key;
  };
  std::vector<Ref> refs;
  for (std::uint32_t p = 0; p < parts_.size(); ++p)
    for (std::uint32_t k = 0; k < parts_[p].keys.size(); ++k) {
      const KeyRow& key = parts_[p].keys[k];
      refs.push_back({key.hash.high64, key.hash.low64, key.line, p, k});
    }
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    return a.line < b.line;
  });
  const auto same = [](const Ref& a, const Ref& b) { return a.hi == b.hi && a.lo == b.lo; };
  for (std::size_t first = 0; first < refs.size();) {
    std::size_t end = first + 1;
    while (end < refs.size() && same(refs[end], refs[first])) ++end;
    const KeyRow& kept = parts_[refs[first].part].keys[refs[first].key];
    for (std::size_t i = first + 1; i < end; ++i) {
      const KeyRow& dup = parts_[refs[i].part].keys[refs[i].key];
      (dup.unlinked ? drop_unlinked_ : drop_)[refs[i].part][dup.row] = 1;
      const std::string where = kept.source.empty() || kept.source == dup.source
                                    ? "line " + std::to_string(kept.line)
                                    : std::string(kept.source) + " line " + std::to_string(kept.line);
      duplicates_.push_back({dup.line, std::string(dup.field), printable(dup.value),
                             "duplicate " + std::string(dup.field) + " '" + printable(dup.value) +
                                 "': first seen at " + where,
                             std::string(dup.text), dup.source});
    }
    first = end;
  }
}

void Assembler::concatenate(Dictionaries& dicts, PathwayNumbers* pathways) {
  if (plan_.pathway_column >= 0 && pathways == nullptr)
    throw std::logic_error("table " + std::string(plan_.spec->table) + " has a pathway column but no pathway numbers");
  columns_.clear();
  for (const auto& c : plan_.columns) {
    ColumnBuffer b;
    b.type = c.type;
    b.nullable = c.nullable;
    b.dictionary = c.dictionary;
    columns_.push_back(std::move(b));
  }
  for (std::size_t p = 0; p < parts_.size(); ++p) {
    PartOutput& part = parts_[p];
    const auto& drop = drop_[p];
    const bool any_drop = std::find(drop.begin(), drop.end(), 1) != drop.end();
    std::vector<std::vector<std::uint32_t>> remap(part.dictionaries.size());
    for (std::size_t s = 0; s < part.dictionaries.size(); ++s) {
      LocalDictionary& global = dicts.get(plan_.dictionaries[s]);
      for (const auto& v : part.dictionaries[s].values()) remap[s].push_back(global.id(v));
    }
    if (plan_.spec->role != Role::kPersons) append_kept(person_, part.person, drop, any_drop);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      ColumnBuffer& in = part.columns[c];
      ColumnBuffer& out = columns_[c];
      if (static_cast<int>(c) == plan_.pathway_column) {
        // Part-local pathway key ids -> store pathway numbers, kept rows in source order, so the
        // numbers follow first appearance whatever the parts (pathway_numbers.h).
        std::vector<std::int32_t> number(part.pathway_keys.size(), -1);
        for (std::size_t r = 0; r < in.i32.size(); ++r) {
          if (any_drop && drop[r]) continue;
          auto& n = number[static_cast<std::size_t>(in.i32[r])];
          if (n < 0) n = pathways->number(part.pathway_keys.values()[static_cast<std::size_t>(in.i32[r])]);
          in.i32[r] = n;
        }
      }
      switch (in.type) {
        case ColumnType::kDate:
        case ColumnType::kInt32:
          append_kept(out.i32, in.i32, drop, any_drop);
          break;
        case ColumnType::kFloat64:
          append_kept(out.f64, in.f64, drop, any_drop);
          break;
        case ColumnType::kCode:
        case ColumnType::kCategory: {
          const auto& m = remap[static_cast<std::size_t>(in.dictionary)];
          // A null's id is 0 whatever the part's dictionary holds (it may hold nothing).
          for (std::size_t r = 0; r < in.ids.size(); ++r)
            in.ids[r] = !in.nullable || in.valid[r] ? m[in.ids[r]] : 0;
          append_kept(out.ids, in.ids, drop, any_drop);
          break;
        }
        case ColumnType::kCodeList: {
          const auto& m = remap[static_cast<std::size_t>(in.dictionary)];
          std::size_t at = 0;
          for (std::size_t r = 0; r < in.list_len.size(); ++r) {
            const std::uint32_t n = in.list_len[r];
            if (!drop[r]) {
              out.list_len.push_back(n);
              for (std::uint32_t k = 0; k < n; ++k) out.ids.push_back(m[in.ids[at + k]]);
            }
            at += n;
          }
          std::vector<std::uint32_t>().swap(in.ids);
          std::vector<std::uint32_t>().swap(in.list_len);
          break;
        }
        case ColumnType::kBytes32:
          break;
      }
      if (in.nullable) append_kept(out.valid, in.valid, drop, any_drop);
    }
    for (std::size_t r = 0; r < drop.size(); ++r) kept_ += drop[r] ? 0 : 1;
    for (const auto d : drop_unlinked_[p]) kept_unlinked_ += d ? 0 : 1;
  }
}

void Assembler::for_each_quarantined(const std::function<void(std::string_view, std::int64_t)>& fn) const {
  for (const auto& part : parts_)
    for (const auto& row : part.quarantine) fn(row.source, row.line);
  for (const auto& row : duplicates_) fn(row.source, row.line);
}

void Assembler::write_quarantine_and_unlinked(store::StoreWriter& w) {
  const std::string table(plan_.spec->table);
  std::vector<const QuarantineRow*> q;
  for (const auto& part : parts_)
    for (const auto& row : part.quarantine) q.push_back(&row);
  for (const auto& row : duplicates_) q.push_back(&row);
  std::stable_sort(q.begin(), q.end(),
                   [](const QuarantineRow* a, const QuarantineRow* b) { return a->line < b->line; });
  std::string text = csv_header({"source_file", "line", "field", "value", "reason", "record"});
  for (const QuarantineRow* row : q) {
    CsvRow(text).text(row->source.empty() ? std::string_view(source_) : row->source).integer(row->line).text(row->field).text(row->value)
        .text(row->reason).text(printable(row->text));
  }
  w.write_file("quarantine/" + table + ".csv", text, true);

  if (plan_.spec->role == Role::kPersons || plan_.spec->role == Role::kPartnerIndex) return;
  std::string u = csv_header({"source_file", "line", "reason", "record"});
  for (std::size_t p = 0; p < parts_.size(); ++p)
    for (std::size_t i = 0; i < parts_[p].unlinked.size(); ++i) {
      if (drop_unlinked_[p][i]) continue;
      const UnlinkedRow& row = parts_[p].unlinked[i];
      CsvRow(u).text(row.source.empty() ? std::string_view(source_) : row.source).integer(row.line).text(row.reason).text(printable(row.text));
    }
  w.write_file("unlinked/" + table + ".csv", u, true);
}

void Assembler::write_persons(store::StoreWriter& w, Dictionaries& dicts,
                              const identity::Pseudonymiser& pseudonymiser, identity::PersonIndex& index,
                              std::vector<identity::GpPerson>& people) {
  people.clear();
  for (std::size_t p = 0; p < parts_.size(); ++p)
    for (std::size_t r = 0; r < parts_[p].persons.size(); ++r)
      if (!drop_[p][r]) people.push_back(std::move(parts_[p].persons[r]));
  concatenate(dicts);
  index.reserve(people.size());
  std::vector<std::array<std::uint8_t, 32>> pseudonyms(people.size());
  std::string ident = csv_header(
      {"person_id", "nhs_number", "family_name", "given_name", "date_of_birth", "postcode"});
  for (std::uint32_t id = 0; id < people.size(); ++id) {
    const identity::GpPerson& person = people[id];
    if (!index.insert(person.nhs_number, id))
      throw std::logic_error("duplicate NHS number survived de-duplication");
    index.set_date_of_birth(id, person.date_of_birth);
    pseudonyms[id] = pseudonymiser.pseudonym(person.nhs_number);
    char nhs[16];  // ten digits: a leading zero is part of the number
    std::snprintf(nhs, sizeof nhs, "%010llu", static_cast<unsigned long long>(person.nhs_number));
    CsvRow(ident).integer(id).text(nhs)
        .text(person.family_name).text(person.given_name).date(person.date_of_birth)
        .text(person.postcode);
  }
  w.write_file("identity/persons.csv", ident, true);

  const std::string table(plan_.spec->table);
  store::TableEntry entry;
  entry.name = table;
  entry.rows = people.size();
  entry.persons_with_rows = people.size();
  entry.person_keyed = false;
  entry.source = source_;
  w.write_array(store::column_path(table, "pseudonym"),
                std::span<const std::array<std::uint8_t, 32>>(pseudonyms));
  entry.columns.push_back({"pseudonym", ColumnType::kBytes32, false, "",
                           "HMAC-SHA256 of the NHS number under the build's key"});
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const StoredColumn& sc = plan_.columns[c];
    const ColumnBuffer& b = columns_[c];
    if (b.type == ColumnType::kDate || b.type == ColumnType::kInt32)
      w.write_array(store::column_path(table, sc.name), std::span<const std::int32_t>(b.i32));
    else
      w.write_array(store::column_path(table, sc.name), std::span<const std::uint32_t>(b.ids));
    if (b.nullable) {
      const auto bits = pack_bits(b.valid);
      w.write_array(store::validity_path(table, sc.name), std::span<const std::uint8_t>(bits));
    }
    std::string unit = sc.unit;
    if (sc.name == "date_of_birth") unit += "; first day of the month of birth";
    entry.columns.push_back({sc.name, sc.type, sc.nullable,
                             sc.dictionary >= 0 ? plan_.dictionaries[static_cast<std::size_t>(sc.dictionary)] : "",
                             unit});
  }
  w.manifest().tables.push_back(std::move(entry));
  w.manifest().persons = people.size();
  persons_ = people.size();
  write_quarantine_and_unlinked(w);
}

std::vector<identity::PartnerRecord> Assembler::write_partner_index(store::StoreWriter& w,
                                                                    identity::PartnerIndex& index) {
  std::size_t total = 0;
  for (const auto& part : parts_) total += part.partner_records.size();
  index.reserve(total);
  std::vector<identity::PartnerRecord> records;
  records.reserve(total);
  for (std::size_t p = 0; p < parts_.size(); ++p)
    for (std::size_t r = 0; r < parts_[p].partner_records.size(); ++r) {
      if (drop_[p][r]) continue;
      identity::PartnerRecord& rec = parts_[p].partner_records[r];
      index.insert(rec.partner_code, rec.local_id, static_cast<std::uint32_t>(records.size()));
      records.push_back(std::move(rec));
    }
  write_quarantine_and_unlinked(w);
  return records;
}

void Assembler::count_partner_links(std::uint64_t linked, std::uint64_t unlinked) {
  kept_ = linked;
  kept_unlinked_ = unlinked;
}

void Assembler::write_table(store::StoreWriter& w, Dictionaries& dicts, PathwayNumbers* pathways) {
  concatenate(dicts, pathways);
  const std::string table(plan_.spec->table);
  const std::size_t n = person_.size();
  const auto& sort_dates = columns_[static_cast<std::size_t>(plan_.sort_column)].i32;

  std::vector<std::uint64_t> offsets(persons_ + 1, 0);
  for (const auto p : person_) ++offsets[p + 1];
  std::uint64_t persons_with_rows = 0;
  for (std::size_t p = 1; p <= persons_; ++p) {
    persons_with_rows += offsets[p] > 0 ? 1 : 0;
    offsets[p] += offsets[p - 1];
  }
  bool sorted = true;
  for (std::size_t r = 1; r < n && sorted; ++r)
    sorted = person_[r - 1] < person_[r] ||
             (person_[r - 1] == person_[r] && sort_dates[r - 1] <= sort_dates[r]);
  std::vector<std::uint32_t> perm;
  if (!sorted) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("table too large");
    perm.resize(n);
    std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
    for (std::uint32_t r = 0; r < n; ++r) perm[next[person_[r]]++] = r;
    for (std::size_t p = 0; p < persons_; ++p) {
      if (offsets[p + 1] - offsets[p] < 2) continue;
      std::stable_sort(perm.begin() + static_cast<std::ptrdiff_t>(offsets[p]),
                       perm.begin() + static_cast<std::ptrdiff_t>(offsets[p + 1]),
                       [&](std::uint32_t a, std::uint32_t b) { return sort_dates[a] < sort_dates[b]; });
    }
  }

  store::TableEntry entry;
  entry.name = table;
  entry.rows = n;
  entry.persons_with_rows = persons_with_rows;
  entry.person_keyed = true;
  entry.sort_date = std::string(plan_.spec->sort_date);
  entry.source = source_;
  if (n > 0) {
    const auto [lo, hi] = std::minmax_element(sort_dates.begin(), sort_dates.end());
    entry.min_date = *lo;
    entry.max_date = *hi;
  }
  w.write_array(store::person_offsets_path(table), std::span<const std::uint64_t>(offsets));

  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const StoredColumn& sc = plan_.columns[c];
    ColumnBuffer& b = columns_[c];
    const std::string path = store::column_path(table, sc.name);
    switch (b.type) {
      case ColumnType::kDate:
      case ColumnType::kInt32:
        w.write_array(path, std::span<const std::int32_t>(sorted ? b.i32 : gather(b.i32, perm)));
        break;
      case ColumnType::kFloat64:
        w.write_array(path, std::span<const double>(sorted ? b.f64 : gather(b.f64, perm)));
        break;
      case ColumnType::kCode:
      case ColumnType::kCategory:
        w.write_array(path, std::span<const std::uint32_t>(sorted ? b.ids : gather(b.ids, perm)));
        break;
      case ColumnType::kCodeList: {
        std::vector<std::uint64_t> start(n + 1, 0);
        for (std::size_t r = 0; r < n; ++r) start[r + 1] = start[r] + b.list_len[r];
        std::vector<std::uint64_t> out_offsets(n + 1, 0);
        std::vector<std::uint32_t> values;
        values.reserve(b.ids.size());
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t r = sorted ? i : perm[i];
          values.insert(values.end(), b.ids.begin() + static_cast<std::ptrdiff_t>(start[r]),
                        b.ids.begin() + static_cast<std::ptrdiff_t>(start[r + 1]));
          out_offsets[i + 1] = values.size();
        }
        w.write_array(path, std::span<const std::uint32_t>(values));
        w.write_array(store::list_offsets_path(table, sc.name),
                      std::span<const std::uint64_t>(out_offsets));
        break;
      }
      case ColumnType::kBytes32:
        break;
    }
    if (b.nullable) {
      const auto bits = pack_bits(sorted ? b.valid : gather(b.valid, perm));
      w.write_array(store::validity_path(table, sc.name), std::span<const std::uint8_t>(bits));
    }
    std::vector<std::int32_t>().swap(b.i32);
    std::vector<double>().swap(b.f64);
    std::vector<std::uint32_t>().swap(b.ids);
    entry.columns.push_back({sc.name, sc.type, sc.nullable,
                             sc.dictionary >= 0 ? plan_.dictionaries[static_cast<std::size_t>(sc.dictionary)] : "",
                             sc.unit});
  }
  w.manifest().tables.push_back(std::move(entry));
  write_quarantine_and_unlinked(w);
}

TableCounts Assembler::counts() const {
  TableCounts c;
  for (const auto& p : parts_) {
    c.read += p.read;
    c.quarantined += p.quarantine.size();
  }
  c.quarantined += duplicates_.size();
  c.linked = kept_;
  c.unlinked = kept_unlinked_;
  return c;
}

}  // namespace severn::ingest
