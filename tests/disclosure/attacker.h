// An attacker on published tables, written apart from src/disclosure so that it shares none of
// the audit's code: it sees only what was published (a count, or the neutral marker) and what the
// definitions say about how the counts relate, and asks a linear program (GLPK, from the other
// side) how far each withheld count can be narrowed down. Used by the property tests here and by
// the report's attack test.
#pragma once
#include <glpk.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace severn::attack {

// What the attacker believes a published count stands for, from the policy as documented: a
// count rounded to the nearest `base` (ties up) and never in [small_min, small_max].
struct Published {
  std::int64_t base = 5, small_min = 1, small_max = 7;
  bool midpoint = false;
  std::pair<double, double> range(std::int64_t shown) const {
    double lo = static_cast<double>(shown), hi = static_cast<double>(shown);
    if (base > 1) {
      if (midpoint) {
        lo = static_cast<double>(shown - base / 2);
        hi = lo + static_cast<double>(base - 1);
      } else {
        lo = static_cast<double>(shown) - std::floor(static_cast<double>(base) / 2);
        hi = static_cast<double>(shown) + std::ceil(static_cast<double>(base) / 2) - 1;
      }
    }
    if (shown == 0) lo = hi = 0;  // the policy publishes zero only for a true zero
    lo = std::max(lo, 0.0);
    // Counts in the redaction range are never published.
    if (lo >= static_cast<double>(small_min) && lo <= static_cast<double>(small_max)) lo = static_cast<double>(small_max + 1);
    if (hi >= static_cast<double>(small_min) && hi <= static_cast<double>(small_max)) hi = static_cast<double>(small_min - 1);
    return {lo, hi};
  }
};

// The attacker's unknowns are named cells: a key such as "m1/num/2024-04/pcn/U123".
class Problem {
 public:
  // A published count (its range), or a withheld one (at least 1: the policy publishes zeros).
  void published(const std::string& cell, std::int64_t shown, const Published& p) {
    const auto r = p.range(shown);
    bound(var(cell), r.first, r.second);
  }
  void withheld(const std::string& cell) {
    const int v = var(cell);
    bound(v, 1, std::numeric_limits<double>::infinity());
    withheld_.push_back(v);
    names_withheld_.push_back(cell);
  }
  // A cell known to be 0 (a group absent from a table).
  void zero(const std::string& cell) { bound(var(cell), 0, 0); }
  bool known(const std::string& cell) const { return index_.count(cell) != 0; }

  // sum(coef * cell) == 0, or <= 0.
  void equation(const std::vector<std::pair<std::string, double>>& terms) { rows_.push_back({terms, true}); }
  void at_most_zero(const std::vector<std::pair<std::string, double>>& terms) { rows_.push_back({terms, false}); }

  struct Finding {
    std::string cell;
    double lo, hi;
  };
  // Every withheld cell's feasible interval, one connected set of constraints at a time. With
  // `settle` (what the attack tests need), a cell is left once feasible points met while solving
  // for others already span the protection rule (width `width`, above `small_max`): the attacker
  // cannot then narrow it below the rule, and its reported interval is the span seen. A cell
  // that is not so settled always gets its exact interval, so every break is found.
  std::vector<Finding> solve(bool settle = false, double width = 8, double small_max = 7) {
    glp_term_out(GLP_OFF);
    std::vector<std::vector<std::pair<int, double>>> rows;  // merged terms per row
    for (const auto& row : rows_) {
      std::map<int, double> merged;
      for (const auto& [cell, coef] : row.first) merged[var(cell)] += coef;
      rows.emplace_back();
      for (const auto& [v, coef] : merged)
        if (coef != 0) rows.back().push_back({v, coef});
    }
    const int n = static_cast<int>(lo_.size());
    std::vector<int> parent(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) parent[static_cast<std::size_t>(i)] = i;
    const auto find = [&](int x) {
      while (parent[static_cast<std::size_t>(x)] != x) x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
      return x;
    };
    for (const auto& r : rows)
      for (std::size_t i = 1; i < r.size(); ++i) parent[static_cast<std::size_t>(find(r[i].first))] = find(r[0].first);
    std::map<int, std::vector<std::size_t>> targets_of;  // component -> withheld indices
    for (std::size_t i = 0; i < withheld_.size(); ++i) targets_of[find(withheld_[i])].push_back(i);
    std::map<int, std::vector<std::size_t>> rows_of;
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (!rows[r].empty()) rows_of[find(rows[r][0].first)].push_back(r);
    std::vector<Finding> out(withheld_.size());
    for (const auto& [comp, targets] : targets_of) {
      std::map<int, int> col;  // variable -> column
      std::vector<int> vars;
      for (const std::size_t r : rows_of[comp])
        for (const auto& [v, coef] : rows[r])
          if (col.emplace(v, 0).second) vars.push_back(v);
      for (const std::size_t t : targets)
        if (col.emplace(withheld_[t], 0).second) vars.push_back(withheld_[t]);
      glp_prob* lp = glp_create_prob();
      glp_add_cols(lp, static_cast<int>(vars.size()));
      for (std::size_t j = 0; j < vars.size(); ++j) {
        col[vars[j]] = static_cast<int>(j + 1);
        const double lo = lo_[static_cast<std::size_t>(vars[j])], hi = hi_[static_cast<std::size_t>(vars[j])];
        if (std::isinf(hi)) glp_set_col_bnds(lp, static_cast<int>(j + 1), GLP_LO, lo, 0);
        else if (lo == hi) glp_set_col_bnds(lp, static_cast<int>(j + 1), GLP_FX, lo, hi);
        else glp_set_col_bnds(lp, static_cast<int>(j + 1), GLP_DB, lo, hi);
      }
      std::vector<int> ia{0}, ja{0};
      std::vector<double> ar{0};
      int r = 0;
      for (const std::size_t k : rows_of[comp]) {
        glp_add_rows(lp, 1);
        ++r;
        glp_set_row_bnds(lp, r, rows_[k].second ? GLP_FX : GLP_UP, 0, 0);
        for (const auto& [v, coef] : rows[k]) {
          ia.push_back(r);
          ja.push_back(col[v]);
          ar.push_back(coef);
        }
      }
      if (ia.size() > 1) glp_load_matrix(lp, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
      glp_smcp parm;
      glp_init_smcp(&parm);
      parm.msg_lev = GLP_MSG_OFF;
      if (r > 0) glp_adv_basis(lp, 0);
      std::vector<double> seen_lo(vars.size() + 1, std::numeric_limits<double>::infinity()),
          seen_hi(vars.size() + 1, -std::numeric_limits<double>::infinity());
      for (const std::size_t t : targets) {
        const int j = col[withheld_[t]];
        const auto wide = [&](double lo, double hi) { return hi > small_max && hi - lo >= width; };
        if (settle && wide(seen_lo[static_cast<std::size_t>(j)], seen_hi[static_cast<std::size_t>(j)])) {
          out[t] = {names_withheld_[t], seen_lo[static_cast<std::size_t>(j)], seen_hi[static_cast<std::size_t>(j)]};
          continue;
        }
        double ends[2];
        for (int dir = 0; dir < 2; ++dir) {
          glp_set_obj_coef(lp, j, 1);
          glp_set_obj_dir(lp, dir == 0 ? GLP_MIN : GLP_MAX);
          const int rc = glp_simplex(lp, &parm);
          const int st = rc == 0 ? glp_get_status(lp) : GLP_UNDEF;
          ends[dir] = st == GLP_OPT ? glp_get_obj_val(lp)
                      : st == GLP_UNBND ? (dir == 0 ? -1e300 : std::numeric_limits<double>::infinity())
                                        : NAN;
          if (st == GLP_OPT)
            for (std::size_t c = 1; c <= vars.size(); ++c) {
              const double x = glp_get_col_prim(lp, static_cast<int>(c));
              seen_lo[c] = std::min(seen_lo[c], x);
              seen_hi[c] = std::max(seen_hi[c], x);
            }
          glp_set_obj_coef(lp, j, 0);
        }
        out[t] = {names_withheld_[t], std::ceil(ends[0] - 1e-6), std::isinf(ends[1]) ? ends[1] : std::floor(ends[1] + 1e-6)};
      }
      glp_delete_prob(lp);
    }
    return out;
  }

 private:
  int var(const std::string& cell) {
    const auto it = index_.find(cell);
    if (it != index_.end()) return it->second;
    const int v = static_cast<int>(lo_.size());
    index_[cell] = v;
    lo_.push_back(0);
    hi_.push_back(std::numeric_limits<double>::infinity());
    return v;
  }
  void bound(int v, double lo, double hi) {
    lo_[static_cast<std::size_t>(v)] = std::max(lo_[static_cast<std::size_t>(v)], lo);
    hi_[static_cast<std::size_t>(v)] = std::min(hi_[static_cast<std::size_t>(v)], hi);
  }
  std::map<std::string, int> index_;
  std::vector<double> lo_, hi_;
  std::vector<std::pair<std::vector<std::pair<std::string, double>>, bool>> rows_;
  std::vector<int> withheld_;
  std::vector<std::string> names_withheld_;
};

// Whether a finding breaks the protection rule (width at least `width`, not inside the
// redaction range).
inline bool breaks(const Problem::Finding& f, double width, double small_max) {
  if (std::isnan(f.lo) || std::isnan(f.hi)) return true;
  return f.hi <= small_max || f.hi - f.lo < width;
}

}  // namespace severn::attack
