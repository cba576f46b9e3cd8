#include "engine/counts.h"

#include <charconv>

#include "core/csv_writer.h"
#include <set>
#include <stdexcept>

namespace severn::engine {

void append_value(CsvRow& row, const Value& v) {
  switch (v.kind) {
    case VKind::kNull: row.empty(); break;
    case VKind::kBool: row.text(v.i ? "true" : "false"); break;
    case VKind::kInt: row.integer(v.i); break;
    case VKind::kFloat: {
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.f);
      row.text(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
      break;
    }
    case VKind::kDate: row.date(static_cast<Days>(v.i)); break;
    case VKind::kCode:
    case VKind::kString: row.text(v.s()); break;
  }
}

std::uint32_t Counter::combo(std::size_t lanes, std::size_t measures) {
  key.assign(reinterpret_cast<const char*>(codes.data()), codes.size() * sizeof(std::uint32_t));
  const auto [it, added] = combo_index.try_emplace(key, static_cast<std::uint32_t>(combo_index.size()));
  if (added) {
    combo_codes.insert(combo_codes.end(), codes.begin(), codes.end());
    counts.resize(counts.size() + lanes * measures * 2, 0);
  }
  return it->second;
}

std::uint32_t* Counter::counts_of(std::size_t lane, std::size_t lanes, std::size_t measures) {
  if (last_combo == kNoCombo || codes != last_codes) {
    last_combo = combo(lanes, measures);
    last_codes = codes;
  }
  return counts_at(last_combo, lane, lanes, measures);
}

std::size_t esp_band(const std::string& label) {
  if (label == "90+") return kDsrBands - 1;
  std::size_t low = 0;
  const auto r = std::from_chars(label.data(), label.data() + label.size(), low);
  if (r.ec != std::errc{} || r.ptr == label.data() + label.size() || *r.ptr != '-') return kDsrBands;
  return low / 5 < kDsrBands - 1 ? low / 5 : kDsrBands;
}

// Lanes: the distinct intervals of every measure of every definition, answered 64 at a time.
std::vector<Lane> lay_out_lanes(const query::Model& model, Days index_date, std::vector<DefinitionLayout>& layouts) {
  std::vector<Lane> lanes;
  std::size_t first = 0;
  for (std::size_t d = 0; d < model.definitions.size(); ++d) {
    DefinitionLayout& L = layouts[d];
    const auto& def = model.definitions[d];
    L.first_measure = first;
    L.measures = def.measures.size();
    first += L.measures;
    for (const auto& m : def.measures) {
      L.intervals.push_back(query::expand(m.intervals, index_date));
      L.lane_of.emplace_back();
      for (const auto& [start, end] : L.intervals.back()) {
        std::uint32_t at = 0;
        while (at < lanes.size() && !(lanes[at].index_date == end && lanes[at].interval_start == start)) ++at;
        if (at == lanes.size()) lanes.push_back({end, start});
        L.lane_of.back().push_back(at);
      }
    }
  }
  return lanes;
}

// Group columns: each definition's breakdowns in its measures' order, then age band and sex when
// it standardises (the order its nestings are found in); the pass computes the union once.
std::vector<std::pair<std::string, query::NodeId>> lay_out_groups(const query::Model& model,
                                                                  const std::vector<const lang::CheckedDefinition*>& defs,
                                                                  std::vector<DefinitionLayout>& layouts) {
  std::vector<std::pair<std::string, query::NodeId>> pass;
  const auto pass_column = [&](const query::Group& g) {
    for (std::size_t c = 0; c < pass.size(); ++c)
      if (pass[c].first == g.name && pass[c].second == g.value) return c;
    pass.emplace_back(g.name, g.value);
    return pass.size() - 1;
  };
  for (std::size_t d = 0; d < model.definitions.size(); ++d) {
    DefinitionLayout& L = layouts[d];
    const auto& def = model.definitions[d];
    std::vector<std::uint32_t> own;  // model groups, in column order
    const auto want = [&](std::uint32_t g) {
      for (std::size_t c = 0; c < own.size(); ++c)
        if (own[c] == g) return c;
      own.push_back(g);
      L.columns.push_back(pass_column(model.groups[g]));
      return own.size() - 1;
    };
    for (std::size_t m = 0; m < def.measures.size(); ++m) {
      L.breakdowns.emplace_back();
      L.by.emplace_back();
      for (const auto g : def.measures[m].by) {
        L.breakdowns.back().push_back(model.groups[g].name);
        L.by.back().push_back(want(g));
      }
      const auto kind = defs[d]->definition.measures[m].stats.kind;
      L.any_dsr = L.any_dsr || kind == lang::StatKind::kDsr;
      L.any_isr = L.any_isr || kind == lang::StatKind::kIsr;
    }
    const auto named = [&](const char* name) {
      for (std::uint32_t g = 0; g < model.groups.size(); ++g)
        if (model.groups[g].name == name && model.node(model.groups[g].value).op != query::Op::kCoalesce) return g;
      for (std::uint32_t g = 0; g < model.groups.size(); ++g)
        if (model.groups[g].name == name) return g;
      throw std::logic_error(std::string("group column not lowered: ") + name);
    };
    if (L.any_dsr || L.any_isr) L.age_column = want(named("age_band"));
    if (L.any_isr) L.sex_column = want(named("sex"));
  }
  return pass;
}

// Group columns that nest in another among these people: a reader who knows the Place of every
// PCN can add PCNs up to their Place, so the audit must too.
std::vector<disclosure::Nesting> find_nestings(const std::vector<std::string>& names, const DefinitionLayout& L,
                                               const std::vector<const Tally*>& tallies, std::size_t d) {
  std::vector<disclosure::Nesting> out;
  const std::size_t ncols = L.columns.size();
  for (std::size_t child = 0; child < ncols; ++child)
    for (std::size_t parent = 0; parent < ncols; ++parent) {
      if (child == parent) continue;
      disclosure::Nesting n;
      n.child = names[L.columns[child]];
      n.parent = names[L.columns[parent]];
      bool functional = true;
      for (const Tally* t : tallies) {
        const Tally& me = *t;
        const Counter& k = me.counters[d];
        for (std::size_t c = 0; c < k.combo_index.size() && functional; ++c) {
          const std::string& cl = me.lets[L.columns[child]].label(k.combo_codes[c * ncols + child]);
          const std::string& pl = me.lets[L.columns[parent]].label(k.combo_codes[c * ncols + parent]);
          // A person counted by a person measure has no row: row columns say nothing of nesting.
          if (cl == kNoRowGroup || pl == kNoRowGroup) continue;
          const auto it = n.parent_of.find(cl);  // find first: most combinations repeat a known pair
          if (it == n.parent_of.end()) n.parent_of.emplace(cl, pl);
          else functional = it->second == pl;
        }
      }
      // A column nests in another only if it splits it: one that merely relabels it adds nothing.
      std::set<std::string> parents;
      for (const auto& [cl, pl] : n.parent_of) parents.insert(pl);
      if (functional && parents.size() < n.parent_of.size()) out.push_back(std::move(n));
    }
  return out;
}

// Each worker's combinations summed into each measure's breakdowns by group code, then merged
// across workers by group label. Every interval of every measure has its `all` row, 0 of 0 when
// nobody is in the denominator, so a series never has silent gaps.
std::vector<std::vector<MeasureTable>> merge_counts(const lang::Definition& d, const DefinitionLayout& L,
                                                    const std::vector<const Tally*>& tallies, std::size_t def,
                                                    std::size_t total_lanes) {
  const std::size_t nmeasures = L.measures;
  const std::size_t ncols = L.columns.size();
  std::vector<std::vector<MeasureTable>> tables(nmeasures);
  for (std::size_t m = 0; m < nmeasures; ++m) {
    tables[m].resize(L.intervals[m].size());
    for (auto& t : tables[m]) {
      t.by.resize(L.breakdowns[m].size());
      const std::size_t nb = standardising_bands(d.measures[m].stats.kind);
      t.all.band_numerator.assign(nb, 0);
      t.all.band_denominator.assign(nb, 0);
    }
  }
  for (const Tally* t : tallies) {
    const Tally& me = *t;
    const Counter& k = me.counters[def];
    const std::size_t combos = k.combo_index.size();
    for (std::size_t m = 0; m < nmeasures; ++m) {
      const auto& by = L.by[m];
      const lang::StatKind kind = d.measures[m].stats.kind;
      const std::size_t nb = standardising_bands(kind);
      Cell empty;
      empty.band_numerator.assign(nb, 0);
      empty.band_denominator.assign(nb, 0);
      // [lane][breakdown][code]
      std::vector<std::vector<std::vector<Cell>>> sums(total_lanes, std::vector<std::vector<Cell>>(by.size() + 1));
      for (std::size_t lane = 0; lane < total_lanes; ++lane) {
        sums[lane][0].assign(1, empty);
        for (std::size_t b = 0; b < by.size(); ++b) sums[lane][b + 1].assign(me.lets[L.columns[by[b]]].size(), empty);
      }
      for (std::size_t c = 0; c < combos; ++c) {
        // The combination's standardising band: its age band for a dsr, age band and sex for an
        // isr (nb, so counted in no band, when either is unknown).
        std::size_t band = nb;
        if (nb != 0) {
          const std::size_t age = esp_band(me.lets[L.columns[L.age_column]].label(k.combo_codes[c * ncols + L.age_column]));
          if (age < kDsrBands) {
            band = age;
            if (kind == lang::StatKind::kIsr) {
              const std::string& sex = me.lets[L.columns[L.sex_column]].label(k.combo_codes[c * ncols + L.sex_column]);
              band = sex == "M" ? band : sex == "F" ? kDsrBands + band : nb;
            }
          }
        }
        for (std::size_t lane = 0; lane < total_lanes; ++lane) {
          const std::uint32_t* n = &k.counts[((c * total_lanes + lane) * nmeasures + m) * 2];
          if (n[0] == 0) continue;
          const auto add = [&](Cell& t) {
            t.denominator += n[0];
            t.numerator += n[1];
            if (band < nb) {
              t.band_denominator[band] += n[0];
              t.band_numerator[band] += n[1];
            }
          };
          add(sums[lane][0][0]);
          for (std::size_t b = 0; b < by.size(); ++b) add(sums[lane][b + 1][k.combo_codes[c * ncols + by[b]]]);
        }
      }
      for (std::uint32_t i = 0; i < L.lane_of[m].size(); ++i) {
        const auto& lane_sums = sums[L.lane_of[m][i]];
        MeasureTable& t = tables[m][i];
        t.all.add(lane_sums[0][0]);
        for (std::uint32_t b = 0; b < by.size(); ++b)
          for (std::uint32_t code = 0; code < lane_sums[b + 1].size(); ++code) {
            const Cell& c = lane_sums[b + 1][code];
            if (c.denominator == 0) continue;  // groups with nobody in the denominator are not written
            t.by[b][me.lets[L.columns[by[b]]].label(code)].add(c);
          }
      }
    }
  }
  return tables;
}

}  // namespace severn::engine
