#include "disclosure/release_model.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

namespace severn::disclosure::detail {
namespace {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

// Looks up a series' cells by breakdown and group label.
struct SeriesIndex {
  std::map<std::string, std::size_t> breakdown;                      // name -> breakdown index
  std::vector<std::unordered_map<std::string, std::size_t>> group;   // [breakdown] label -> cell offset
};

SeriesIndex index_series(const Series& s) {
  SeriesIndex ix;
  std::size_t at = 1;
  ix.group.resize(s.breakdowns.size());
  for (std::size_t b = 0; b < s.breakdowns.size(); ++b) {
    ix.breakdown[s.breakdowns[b].name] = b;
    for (const Group& g : s.breakdowns[b].groups) ix.group[b][g.label] = at++;
  }
  return ix;
}

bool all_zero(const Series& s) {
  if (s.total != 0) return false;
  for (const auto& b : s.breakdowns)
    for (const auto& g : b.groups)
      if (g.count != 0) return false;
  return true;
}

// The cells that several series share: the total, and every label of every breakdown they all
// have. A label absent from a series is a group of nobody: count 0 and no cell.
struct SharedCell {
  std::vector<std::int64_t> count;          // per series
  std::vector<std::ptrdiff_t> cell;         // per series: absolute cell index, or -1 if absent (0)
};

std::vector<SharedCell> shared_cells(const std::vector<const Series*>& ss, const std::vector<const SeriesIndex*>& ix,
                                     const std::vector<std::size_t>& first) {
  std::vector<SharedCell> out;
  SharedCell total;
  for (std::size_t i = 0; i < ss.size(); ++i) {
    total.count.push_back(ss[i]->total);
    total.cell.push_back(static_cast<std::ptrdiff_t>(first[i]));
  }
  out.push_back(std::move(total));
  for (std::size_t b = 0; b < ss[0]->breakdowns.size(); ++b) {
    const std::string& name = ss[0]->breakdowns[b].name;
    std::vector<std::size_t> at(ss.size());
    bool everywhere = true;
    for (std::size_t i = 0; i < ss.size() && everywhere; ++i) {
      const auto it = ix[i]->breakdown.find(name);
      everywhere = it != ix[i]->breakdown.end();
      if (everywhere) at[i] = it->second;
    }
    if (!everywhere) continue;
    std::map<std::string, bool> labels;
    for (std::size_t i = 0; i < ss.size(); ++i)
      for (const Group& g : ss[i]->breakdowns[at[i]].groups) labels[g.label] = true;
    for (const auto& [label, unused] : labels) {
      SharedCell c;
      for (std::size_t i = 0; i < ss.size(); ++i) {
        const auto& m = ix[i]->group[at[i]];
        const auto it = m.find(label);
        if (it == m.end()) {
          c.count.push_back(0);
          c.cell.push_back(-1);
        } else {
          const std::size_t cell = first[i] + it->second;
          c.cell.push_back(static_cast<std::ptrdiff_t>(cell));
          c.count.push_back(-1);  // filled by the caller from exact counts
        }
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

Model build_model(const Release& release, const std::vector<LedgerEntry>& earlier) {
  Model m;
  const std::size_t ns = release.series.size();
  std::vector<SeriesIndex> index(ns);
  for (std::size_t s = 0; s < ns; ++s) {
    const Series& ser = release.series[s];
    index[s] = index_series(ser);
    m.first_cell.push_back(m.exact.size());
    m.exact.push_back(ser.total);
    for (const auto& b : ser.breakdowns)
      for (const auto& g : b.groups) m.exact.push_back(g.count);
  }
  const std::size_t ncells = m.exact.size();
  const auto fill = [&](std::vector<SharedCell>& cells) {
    for (auto& c : cells)
      for (std::size_t i = 0; i < c.cell.size(); ++i)
        if (c.cell[i] >= 0) c.count[i] = m.exact[static_cast<std::size_t>(c.cell[i])];
  };

  // Series on one interval, and of one family on one interval.
  std::map<std::string, std::vector<std::size_t>> by_interval;
  for (std::size_t s = 0; s < ns; ++s)
    if (!all_zero(release.series[s])) by_interval[release.series[s].interval].push_back(s);

  // Equal series (a denominator shared by several measures, the registered population of every
  // definition): their cells are one variable each.
  UnionFind same(ncells);
  std::vector<bool> merged(ns, false);
  for (const auto& [interval, list] : by_interval) {
    std::multimap<std::int64_t, std::size_t> by_total;
    for (const std::size_t s : list) by_total.emplace(release.series[s].total, s);
    for (auto it = by_total.begin(); it != by_total.end();) {
      auto end = by_total.upper_bound(it->first);
      std::vector<std::size_t> group;
      for (auto j = it; j != end; ++j) group.push_back(j->second);
      for (std::size_t a = 0; a < group.size(); ++a)
        for (std::size_t b = a + 1; b < group.size(); ++b) {
          const std::size_t sa = group[a], sb = group[b];
          std::vector<SharedCell> cells = shared_cells({&release.series[sa], &release.series[sb]}, {&index[sa], &index[sb]},
                                                       {m.first_cell[sa], m.first_cell[sb]});
          fill(cells);
          bool equal = true;
          for (const auto& c : cells) equal = equal && c.count[0] == c.count[1];
          if (!equal) continue;
          for (const auto& c : cells)
            if (c.cell[0] >= 0 && c.cell[1] >= 0) same.join(static_cast<std::size_t>(c.cell[0]), static_cast<std::size_t>(c.cell[1]));
          ++m.equalities;
          // b's breakdown equations repeat a's when a has all of b's breakdowns.
          bool covered = true;
          for (const auto& bd : release.series[sb].breakdowns) covered = covered && index[sa].breakdown.count(bd.name) != 0;
          if (covered && !merged[sa]) merged[sb] = true;
        }
      it = end;
    }
  }
  std::vector<std::size_t> root_var(ncells, std::numeric_limits<std::size_t>::max());
  m.var_of.resize(ncells);
  for (std::size_t c = 0; c < ncells; ++c) {
    const std::size_t r = same.find(c);
    if (root_var[r] == std::numeric_limits<std::size_t>::max()) {
      root_var[r] = m.var_exact.size();
      m.var_exact.push_back(m.exact[c]);
      m.cells_of.emplace_back();
    }
    m.var_of[c] = static_cast<std::uint32_t>(root_var[r]);
    m.cells_of[root_var[r]].push_back(c);
  }

  const auto add_row = [&](const std::vector<std::pair<std::size_t, double>>& cell_terms, double lo, double hi) {
    std::map<std::uint32_t, double> by_var;
    for (const auto& [cell, coef] : cell_terms) by_var[m.var_of[cell]] += coef;
    Row r;
    r.lo = lo;
    r.hi = hi;
    for (const auto& [var, coef] : by_var)
      if (coef != 0) r.terms.push_back({var, coef});
    if (!r.terms.empty()) m.rows.push_back(std::move(r));
  };

  // Series a never above series b: a <= b in each cell they share (a cell absent from a is 0).
  const auto add_at_most = [&](const std::vector<SharedCell>& cells) {
    for (const auto& c : cells) {
      if (c.cell[0] < 0) continue;  // 0 <= anything
      std::vector<std::pair<std::size_t, double>> terms{{static_cast<std::size_t>(c.cell[0]), 1.0}};
      if (c.cell[1] >= 0) terms.push_back({static_cast<std::size_t>(c.cell[1]), -1.0});
      add_row(terms, -std::numeric_limits<double>::infinity(), 0);
    }
    ++m.inequalities;
  };

  // Each breakdown sums to its total.
  for (std::size_t s = 0; s < ns; ++s) {
    if (merged[s]) continue;
    const Series& ser = release.series[s];
    std::size_t at = m.first_cell[s] + 1;
    for (const auto& b : ser.breakdowns) {
      std::vector<std::pair<std::size_t, double>> terms{{m.first_cell[s], 1.0}};
      for (std::size_t g = 0; g < b.groups.size(); ++g) terms.push_back({at++, -1.0});
      add_row(terms, 0, 0);
    }
  }

  // Parents are the sums of their nested groups, where the counts bear it out.
  for (const Nesting& n : release.nestings) {
    bool used = false;
    for (std::size_t s = 0; s < ns; ++s) {
      if (merged[s]) continue;
      const auto c = index[s].breakdown.find(n.child), p = index[s].breakdown.find(n.parent);
      if (c == index[s].breakdown.end() || p == index[s].breakdown.end()) continue;
      const Series& ser = release.series[s];
      std::map<std::string, std::vector<std::size_t>> children;  // parent label -> child cells
      bool complete = true;
      for (const Group& g : ser.breakdowns[c->second].groups) {
        const auto it = n.parent_of.find(g.label);
        if (it == n.parent_of.end()) {
          complete = false;
          break;
        }
        children[it->second].push_back(m.first_cell[s] + index[s].group[c->second].at(g.label));
      }
      if (!complete) continue;
      std::vector<std::vector<std::pair<std::size_t, double>>> rows;
      for (const Group& g : ser.breakdowns[p->second].groups) {
        const std::size_t parent_cell = m.first_cell[s] + index[s].group[p->second].at(g.label);
        std::int64_t sum = 0;
        std::vector<std::pair<std::size_t, double>> terms{{parent_cell, 1.0}};
        for (const std::size_t cell : children[g.label]) {
          sum += m.exact[cell];
          terms.push_back({cell, -1.0});
        }
        if (sum != m.exact[parent_cell]) {
          complete = false;
          break;
        }
        children.erase(g.label);
        rows.push_back(std::move(terms));
      }
      // Children of a parent the series lacks must be nobody.
      for (const auto& [label, cells] : children)
        for (const std::size_t cell : cells) complete = complete && m.exact[cell] == 0;
      if (!complete) continue;
      for (const auto& r : rows) add_row(r, 0, 0);
      used = true;
    }
    m.nestings += used;
  }

  // Identities within a definition on one interval.
  std::map<std::pair<std::size_t, std::string>, std::vector<std::size_t>> families;
  for (const auto& [interval, list] : by_interval)
    for (const std::size_t s : list) families[{release.series[s].family, interval}].push_back(s);
  for (const auto& [key, list] : families) {
    const std::size_t k = list.size();
    // a <= b everywhere: one register within a wider one (people on a register are among the
    // registered population; those treated among those on the register). Only the covering pairs
    // are kept: a <= c is implied when a <= b and b <= c, and would only enlarge the programs.
    std::vector<std::vector<bool>> below(k, std::vector<bool>(k, false));
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j) {
        if (i == j) continue;
        const std::size_t a = list[i], b = list[j];
        if (release.series[a].total >= release.series[b].total) continue;
        std::vector<SharedCell> cells = shared_cells({&release.series[a], &release.series[b]}, {&index[a], &index[b]},
                                                     {m.first_cell[a], m.first_cell[b]});
        fill(cells);
        bool all_below = true;
        for (const auto& c : cells) all_below = all_below && c.count[0] <= c.count[1];
        below[i][j] = all_below;
      }
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j) {
        if (!below[i][j]) continue;
        bool implied = false;
        for (std::size_t l = 0; l < k && !implied; ++l) implied = l != i && l != j && below[i][l] && below[l][j];
        if (implied) continue;
        const std::size_t a = list[i], b = list[j];
        if (release.series[a].within == static_cast<std::ptrdiff_t>(b)) continue;  // added below
        std::vector<SharedCell> cells = shared_cells({&release.series[a], &release.series[b]}, {&index[a], &index[b]},
                                                     {m.first_cell[a], m.first_cell[b]});
        fill(cells);
        add_at_most(cells);
      }
    // a = b + c everywhere (CVDP007HYP = CVDP002HYP + CVDP003HYP).
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j)
        for (std::size_t l = j + 1; l < k; ++l) {
          if (i == j || i == l) continue;
          const std::size_t a = list[i], b = list[j], c = list[l];
          if (release.series[a].total != release.series[b].total + release.series[c].total) continue;
          std::vector<SharedCell> cells =
              shared_cells({&release.series[a], &release.series[b], &release.series[c]}, {&index[a], &index[b], &index[c]},
                           {m.first_cell[a], m.first_cell[b], m.first_cell[c]});
          fill(cells);
          bool sum = true;
          for (const auto& x : cells) sum = sum && x.count[0] == x.count[1] + x.count[2];
          if (!sum) continue;
          for (const auto& x : cells) {
            std::vector<std::pair<std::size_t, double>> terms;
            if (x.cell[0] >= 0) terms.push_back({static_cast<std::size_t>(x.cell[0]), 1.0});
            if (x.cell[1] >= 0) terms.push_back({static_cast<std::size_t>(x.cell[1]), -1.0});
            if (x.cell[2] >= 0) terms.push_back({static_cast<std::size_t>(x.cell[2]), -1.0});
            add_row(terms, 0, 0);
          }
          ++m.sums;
        }
  }

  // A numerator never exceeds its denominator, cell by cell.
  for (std::size_t a = 0; a < ns; ++a) {
    const std::ptrdiff_t w = release.series[a].within;
    if (w < 0 || static_cast<std::size_t>(w) >= ns || all_zero(release.series[a])) continue;
    const std::size_t b = static_cast<std::size_t>(w);
    std::vector<SharedCell> cells =
        shared_cells({&release.series[a], &release.series[b]}, {&index[a], &index[b]}, {m.first_cell[a], m.first_cell[b]});
    fill(cells);
    bool below = true;
    for (const auto& c : cells) below = below && c.count[0] <= c.count[1];
    if (!below) continue;
    add_at_most(cells);
  }

  // Earlier releases: a count published before is known to lie in its published range, unless
  // the data has changed since (then the earlier figure is of other people, and is not linked).
  m.ledger.assign(m.vars(), std::nullopt);
  if (!earlier.empty()) {
    std::unordered_map<std::string, std::size_t> cell_of;
    const auto key = [](const std::string& meaning, const std::string& interval, const std::string& b, const std::string& g) {
      std::string k = meaning;
      k.append(1, '\x1f').append(interval).append(1, '\x1f').append(b).append(1, '\x1f').append(g);
      return k;
    };
    for (std::size_t s = 0; s < ns; ++s) {
      const Series& ser = release.series[s];
      cell_of.emplace(key(ser.meaning, ser.interval, "all", "all"), m.first_cell[s]);
      std::size_t at = m.first_cell[s] + 1;
      for (const auto& b : ser.breakdowns)
        for (const auto& g : b.groups) cell_of.emplace(key(ser.meaning, ser.interval, b.name, g.label), at++);
    }
    for (const LedgerEntry& e : earlier) {
      const auto it = cell_of.find(key(e.meaning, e.interval, e.breakdown, e.group));
      if (it == cell_of.end()) continue;
      ++m.ledger_entries;
      const CountRange r = published_range(e.policy, e.shown);
      const std::uint32_t v = m.var_of[it->second];
      if (m.var_exact[v] < r.lo || m.var_exact[v] > r.hi) continue;
      auto& bound = m.ledger[v];
      if (!bound) bound = r;
      else bound = CountRange{std::max(bound->lo, r.lo), std::min(bound->hi, r.hi)};
      ++m.ledger_constraints;
    }
  }
  return m;
}

std::vector<std::uint32_t> components(const Model& model) {
  UnionFind uf(model.vars());
  for (const Row& r : model.rows)
    for (std::size_t i = 1; i < r.terms.size(); ++i) uf.join(r.terms[0].var, r.terms[i].var);
  std::vector<std::uint32_t> out(model.vars());
  for (std::size_t v = 0; v < model.vars(); ++v) out[v] = static_cast<std::uint32_t>(uf.find(v));
  return out;
}

Programs::~Programs() {
  for (auto& [c, e] : by_component) glp_delete_prob(e.lp);
}

std::vector<Feasible> intervals_of(const Model& model, const std::vector<VarState>& state, const Policy& policy,
                                   const std::vector<std::uint32_t>& targets, std::uint64_t* solves, bool exact,
                                   Programs* cache, const std::vector<std::uint32_t>* component_of) {
  Programs local;
  Programs& programs = cache ? *cache : local;
  std::vector<Feasible> out(targets.size());
  if (targets.empty()) return out;
  const double inf = std::numeric_limits<double>::infinity();
  // The variables and rows reachable from the targets: one LP per component.
  const std::vector<std::uint32_t> own = component_of ? std::vector<std::uint32_t>{} : components(model);
  const std::vector<std::uint32_t>& comp = component_of ? *component_of : own;
  std::map<std::uint32_t, std::vector<std::size_t>> targets_of;  // component -> indices into targets
  for (std::size_t t = 0; t < targets.size(); ++t) targets_of[comp[targets[t]]].push_back(t);
  std::vector<std::vector<std::size_t>> rows_of_comp;
  std::unordered_map<std::uint32_t, std::size_t> comp_slot;
  for (const auto& [c, list] : targets_of) comp_slot[c] = rows_of_comp.size(), rows_of_comp.emplace_back();
  for (std::size_t r = 0; r < model.rows.size(); ++r) {
    const auto it = comp_slot.find(comp[model.rows[r].terms[0].var]);
    if (it != comp_slot.end()) rows_of_comp[it->second].push_back(r);
  }
  std::vector<std::vector<std::uint32_t>> vars_of_comp(rows_of_comp.size());
  for (std::uint32_t v = 0; v < model.vars(); ++v) {
    const auto it = comp_slot.find(comp[v]);
    if (it != comp_slot.end()) vars_of_comp[it->second].push_back(v);
  }

  const auto bounds_of = [&](std::uint32_t v) {
    Feasible f;
    if (state[v].withheld()) {
      // A zero is always published, so a withheld count is at least 1.
      f = {1, inf};
    } else {
      const CountRange r = published_range(policy, rounded(policy, model.var_exact[v]));
      f = {static_cast<double>(r.lo), static_cast<double>(r.hi)};
    }
    if (model.ledger[v]) {
      f.lo = std::max(f.lo, static_cast<double>(model.ledger[v]->lo));
      f.hi = std::min(f.hi, static_cast<double>(model.ledger[v]->hi));
    }
    return f;
  };

  std::size_t slot = 0;
  for (const auto& [c, list] : targets_of) {
    const auto& vars = vars_of_comp[slot];
    const auto& rows = rows_of_comp[slot];
    ++slot;
    if (rows.empty()) {
      for (const std::size_t t : list) out[t] = bounds_of(targets[t]);
      continue;
    }
    glp_term_out(GLP_OFF);  // GLPK's progress messages are not Severn's output
    const auto set_bounds = [&](glp_prob* lp, int j, const Feasible& f) {
      if (std::isinf(f.hi)) glp_set_col_bnds(lp, j, GLP_LO, f.lo, 0);
      else if (f.lo == f.hi) glp_set_col_bnds(lp, j, GLP_FX, f.lo, f.hi);
      else glp_set_col_bnds(lp, j, GLP_DB, f.lo, f.hi);
    };
    auto found = programs.by_component.find(c);
    if (found == programs.by_component.end()) {
      Programs::Entry e;
      e.lp = glp_create_prob();
      glp_prob* lp = e.lp;
      glp_add_cols(lp, static_cast<int>(vars.size()));
      e.vars = vars;
      e.withheld.resize(vars.size());
      for (std::size_t i = 0; i < vars.size(); ++i) {
        e.col[vars[i]] = static_cast<int>(i + 1);
        set_bounds(lp, static_cast<int>(i + 1), bounds_of(vars[i]));
        e.withheld[i] = state[vars[i]].withheld();
      }
      glp_add_rows(lp, static_cast<int>(rows.size()));
      std::vector<int> ia{0}, ja{0};
      std::vector<double> ar{0};
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& r = model.rows[rows[i]];
        const int row = static_cast<int>(i + 1);
        if (r.lo == r.hi) glp_set_row_bnds(lp, row, GLP_FX, r.lo, r.hi);
        else if (std::isinf(r.lo) && std::isinf(r.hi)) glp_set_row_bnds(lp, row, GLP_FR, 0, 0);
        else if (std::isinf(r.lo)) glp_set_row_bnds(lp, row, GLP_UP, 0, r.hi);
        else if (std::isinf(r.hi)) glp_set_row_bnds(lp, row, GLP_LO, r.lo, 0);
        else glp_set_row_bnds(lp, row, GLP_DB, r.lo, r.hi);
        for (const Term& t : r.terms) {
          ia.push_back(row);
          ja.push_back(e.col.at(t.var));
          ar.push_back(t.coef);
        }
      }
      glp_load_matrix(lp, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
      glp_adv_basis(lp, 0);
      // The span of feasible values seen so far for each column: the exact counts are one point,
      // and a point feasible before more was withheld stays feasible after.
      e.seen_lo.resize(vars.size() + 1);
      e.seen_hi.resize(vars.size() + 1);
      for (std::size_t i = 0; i < vars.size(); ++i)
        e.seen_lo[i + 1] = e.seen_hi[i + 1] = static_cast<double>(model.var_exact[vars[i]]);
      found = programs.by_component.emplace(c, std::move(e)).first;
    } else {
      // Only bounds change between rounds: what was published and is now withheld.
      Programs::Entry& e = found->second;
      for (std::size_t i = 0; i < e.vars.size(); ++i)
        if (static_cast<bool>(e.withheld[i]) != state[e.vars[i]].withheld()) {
          set_bounds(e.lp, static_cast<int>(i + 1), bounds_of(e.vars[i]));
          e.withheld[i] = state[e.vars[i]].withheld();
        }
    }
    Programs::Entry& entry = found->second;
    glp_prob* lp = entry.lp;
    const auto& col = entry.col;
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    std::vector<double>& seen_lo = entry.seen_lo;
    std::vector<double>& seen_hi = entry.seen_hi;
    const auto wide_enough = [&](double lo, double hi) {
      return hi > static_cast<double>(policy.redact_max) && hi - lo >= static_cast<double>(policy.protection_width);
    };
    for (const std::size_t t : list) {
      const int j = col.at(targets[t]);
      if (!exact && wide_enough(seen_lo[j], seen_hi[j])) {
        out[t] = {seen_lo[j], seen_hi[j]};
        continue;
      }
      glp_set_obj_coef(lp, j, 1);
      double ends[2] = {0, 0};
      bool settled = false;
      for (int step = 0; step < 2; ++step) {
        const int dir = step == 0 ? 1 : 0;  // the largest first: a withheld count is rarely short below
        glp_set_obj_dir(lp, dir == 0 ? GLP_MIN : GLP_MAX);
        int rc = glp_simplex(lp, &parm);
        if (rc != 0) {
          // A lost basis: start again from a fresh one.
          glp_adv_basis(lp, 0);
          rc = glp_simplex(lp, &parm);
        }
        if (solves) ++*solves;
        const int status = glp_get_status(lp);
        if (rc == 0 && status == GLP_OPT) {
          ends[dir] = glp_get_obj_val(lp);
          for (std::size_t i = 1; i <= vars.size(); ++i) {
            const double x = glp_get_col_prim(lp, static_cast<int>(i));
            seen_lo[i] = std::min(seen_lo[i], x);
            seen_hi[i] = std::max(seen_hi[i], x);
          }
        } else if (rc == 0 && status == GLP_UNBND) {
          ends[dir] = dir == 0 ? -inf : inf;
          if (dir == 1) seen_hi[static_cast<std::size_t>(j)] = inf;
        } else {
          ends[dir] = NAN;  // the model is inconsistent: the caller treats it as unprotected
        }
        if (step == 0 && !exact && !std::isnan(ends[1]) && wide_enough(seen_lo[j], std::floor(ends[1] + 1e-6))) {
          settled = true;
          break;
        }
      }
      glp_set_obj_coef(lp, j, 0);
      if (settled) {
        out[t] = {std::ceil(seen_lo[j] - 1e-6), std::isinf(ends[1]) ? inf : std::floor(ends[1] + 1e-6)};
        continue;
      }
      if (std::isnan(ends[0]) || std::isnan(ends[1])) {
        out[t] = {NAN, NAN};
        continue;
      }
      // Counts are whole numbers: an interval [2.4, 9.7] holds the counts 3 to 9.
      out[t] = {std::ceil(ends[0] - 1e-6), std::isinf(ends[1]) ? inf : std::floor(ends[1] + 1e-6)};
    }
  }
  return out;
}

}  // namespace severn::disclosure::detail
