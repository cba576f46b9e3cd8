#include "identity/prepared_inputs.h"

#include <xxhash.h>

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "core/parallel.h"
#include "identity/phonetic.h"
#include "identity/postcode.h"

namespace severn::identity {

namespace {

std::size_t require_column(const RecordTable& t, const std::string& column, const ConfigPlace& place,
                           const std::string& what) {
  if (const auto c = t.column(column)) return *c;
  std::string have;
  for (const auto& h : t.header()) have += (have.empty() ? "" : ", ") + h;
  throw InputError(located(t.source(), 1, column, "column is missing from the header (" + what + " at " +
                                                      place.file + ":" + std::to_string(place.line) +
                                                      "); the header has: " + have));
}

// Sorts one input's records by id and refuses empty or repeated ids.
void canonical_order(const RecordTable& t, std::size_t id_column, std::vector<std::string_view>& ids,
                     std::vector<std::uint32_t>& rows) {
  rows.resize(t.rows());
  std::iota(rows.begin(), rows.end(), 0u);
  for (std::uint32_t r = 0; r < t.rows(); ++r)
    if (t.cell(r, id_column).empty())
      throw InputError(located(t.source(), t.line(r), t.header()[id_column], "empty record id"));
  std::sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto x = t.cell(a, id_column), y = t.cell(b, id_column);
    return x != y ? x < y : a < b;
  });
  ids.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ids[i] = t.cell(rows[i], id_column);
    if (i > 0 && ids[i] == ids[i - 1])
      throw InputError(located(t.source(), t.line(rows[i]), t.header()[id_column],
                               "duplicate record id '" + std::string(ids[i]) + "' (also on line " +
                                   std::to_string(t.line(rows[i - 1])) + ")"));
  }
}

std::uint64_t hash_key(std::string_view text) {
  if (text.empty()) return 0;
  const std::uint64_t h = XXH3_64bits(text.data(), text.size());
  return h == 0 ? 1 : h;
}

}  // namespace

std::string derive(Derivation fn, int n, FieldKind kind, std::string_view value) {
  if (value.empty()) return "";
  switch (fn) {
    case Derivation::kValue: return std::string(value);
    case Derivation::kNysiis: return nysiis(value);
    case Derivation::kSoundex: return soundex(value);
    case Derivation::kFirst: return std::string(value.substr(0, static_cast<std::size_t>(n)));
    case Derivation::kYear: return kind == FieldKind::kDate ? std::string(value.substr(0, 4)) : "";
    case Derivation::kYearMonth: return kind == FieldKind::kDate ? std::string(value.substr(0, 7)) : "";
    case Derivation::kPostcodeSector:
    case Derivation::kPostcodeDistrict:
    case Derivation::kPostcodeArea: {
      const auto p = parse_postcode(value);
      if (!p) return "";
      return fn == Derivation::kPostcodeSector ? p->sector : fn == Derivation::kPostcodeDistrict ? p->district : p->area;
    }
  }
  return "";
}

PreparedInputs::PreparedInputs(const LinkConfig& config, const RecordTable& left, const RecordTable* right,
                               const NicknameTable& nicknames, unsigned threads) {
  tables_ = {&left, right};
  const int sides = right != nullptr ? 2 : 1;
  const ConfigPlace input_place{config.source, 0};
  std::array<std::size_t, 2> id_columns{};
  for (int s = 0; s < sides; ++s) id_columns[s] = require_column(*tables_[s], config.id_column, input_place, "[input] id");
  parallel_for(static_cast<std::size_t>(sides), threads, [&](std::size_t s) {
    canonical_order(*tables_[s], id_columns[s], ids_[s], rows_[s]);
  });
  fields_.resize(config.fields.size());
  std::vector<std::array<std::size_t, 2>> columns(config.fields.size());
  for (std::size_t f = 0; f < config.fields.size(); ++f) {
    fields_[f].spec = &config.fields[f];
    for (int s = 0; s < sides; ++s)
      columns[f][s] = require_column(*tables_[s], config.fields[f].column, config.fields[f].place,
                                     "field '" + config.fields[f].name + "'");
  }
  // Fields are independent: one thread each.
  parallel_for(fields_.size(), threads, [&](std::size_t f) {
    FieldValues& fv = fields_[f];
    const FieldSpec& spec = *fv.spec;
    const DateFormat* format = spec.date_format ? &*spec.date_format : nullptr;
    for (int s = 0; s < sides; ++s) {
      const RecordTable& t = *tables_[s];
      auto& ids = fv.ids[s];
      ids.resize(rows_[s].size());
      for (std::size_t r = 0; r < rows_[s].size(); ++r) {
        const std::string_view raw = t.cell(rows_[s][r], columns[f][s]);
        const std::string v = normalise_value(spec.kind, raw, format);
        ids[r] = fv.dictionary.intern(v);
        if (v.empty() && raw.find_first_not_of(" \t") != std::string_view::npos) {
          if (fv.invalid++ == 0 || t.line(rows_[s][r]) < fv.first_invalid_line) {
            fv.first_invalid_line = t.line(rows_[s][r]);
            fv.first_invalid_source = t.source();
          }
        }
      }
    }
    fv.counts.assign(fv.dictionary.size(), 0);
    for (int s = 0; s < sides; ++s)
      for (std::uint32_t id : fv.ids[s]) ++fv.counts[id];
    fv.non_null = std::accumulate(fv.counts.begin() + 1, fv.counts.end(), std::uint64_t{0});
    if (spec.kind == FieldKind::kDate) {
      fv.days.assign(fv.dictionary.size(), 0);
      for (std::uint32_t v = 1; v < fv.dictionary.size(); ++v) fv.days[v] = *parse_iso_date(fv.dictionary.value(v));
    }
    if (spec.kind == FieldKind::kName) {
      fv.nickname_groups.assign(fv.dictionary.size(), nullptr);
      for (std::uint32_t v = 1; v < fv.dictionary.size(); ++v) fv.nickname_groups[v] = nicknames.groups(fv.dictionary.value(v));
    }
  });
  const std::size_t nf = fields_.size();
  for (int s = 0; s < sides; ++s) {
    auto& rows = rows_of_ids_[s];
    rows.resize(ids_[s].size() * nf);
    for (std::size_t f = 0; f < nf; ++f)
      for (std::size_t r = 0; r < ids_[s].size(); ++r) rows[r * nf + f] = fields_[f].ids[s][r];
  }
}

std::int64_t PreparedInputs::find(int side, std::string_view id) const {
  const auto& ids = ids_[side];
  const auto it = std::lower_bound(ids.begin(), ids.end(), id);
  return it != ids.end() && *it == id ? it - ids.begin() : -1;
}

int PreparedInputs::field_index(const std::string& name) const {
  for (std::size_t f = 0; f < fields_.size(); ++f)
    if (fields_[f].spec->name == name) return static_cast<int>(f);
  return -1;
}

const std::vector<std::uint64_t>& PreparedInputs::key(const DerivedKey& k) {
  auto it = keys_.find(k);
  if (it != keys_.end()) return it->second;
  const FieldValues& f = fields_[k.field];
  std::vector<std::uint64_t> keys(f.dictionary.size(), 0);
  for (std::uint32_t v = 1; v < f.dictionary.size(); ++v)
    keys[v] = hash_key(derive(k.fn, k.n, f.spec->kind, f.dictionary.value(v)));
  return keys_.emplace(k, std::move(keys)).first->second;
}

const std::vector<std::uint64_t>* PreparedInputs::key_if_ready(const DerivedKey& k) const {
  const auto it = keys_.find(k);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace severn::identity
