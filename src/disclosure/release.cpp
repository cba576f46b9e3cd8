#include "disclosure/release.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>

#include "disclosure/release_model.h"

namespace severn::disclosure {
namespace {

using detail::Model;
using detail::VarState;

// The largest number of rounds of "audit, then withhold more": each round withholds at least one
// more count, so this only bounds the time a pathological release can take.
constexpr int kMaxRounds = 200;

bool protected_enough(const Feasible& f, const Policy& policy) {
  if (std::isnan(f.lo) || std::isnan(f.hi)) return false;
  if (f.hi <= static_cast<double>(policy.redact_max)) return false;  // inside the redaction range
  return f.hi - f.lo >= static_cast<double>(policy.protection_width);
}

// Secondary suppression within each table (exact-count policy): what the table's own equations
// determine, before the audit looks across tables.
bool table_secondary(const Release& release, const Model& m, std::vector<VarState>& state) {
  bool changed = false;
  for (std::size_t s = 0; s < release.series.size(); ++s) {
    const Series& ser = release.series[s];
    Decision d;
    std::vector<Breakdown> breakdowns;
    const std::size_t first = m.first_cell[s];
    d.total = state[m.var_of[first]].reason;
    std::size_t at = first + 1;
    for (const auto& b : ser.breakdowns) {
      breakdowns.emplace_back();
      d.cells.emplace_back();
      for (const auto& g : b.groups) {
        breakdowns.back().cells.push_back(g.count);
        d.cells.back().push_back(state[m.var_of[at++]].reason);
      }
    }
    complete_suppression(d, breakdowns);
    if (d.total != Reason::kPublished && !state[m.var_of[first]].withheld()) {
      state[m.var_of[first]].reason = Reason::kDerivable;
      changed = true;
    }
    at = first + 1;
    for (std::size_t b = 0; b < d.cells.size(); ++b)
      for (const Reason r : d.cells[b]) {
        VarState& v = state[m.var_of[at++]];
        if (r != Reason::kPublished && !v.withheld()) {
          v.reason = Reason::kDerivable;
          changed = true;
        }
      }
  }
  return changed;
}

// The variables that share a row with v, in index order.
std::vector<std::uint32_t> neighbours(const Model& m, const std::vector<std::vector<std::size_t>>& rows_of,
                                      std::uint32_t v) {
  std::vector<std::uint32_t> out;
  for (const std::size_t r : rows_of[v])
    for (const auto& t : m.rows[r].terms)
      if (t.var != v) out.push_back(t.var);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string AuditSummary::width_text() const {
  if (smallest_width < 0) return "none";
  if (std::isinf(smallest_width)) return "unbounded";
  return std::to_string(static_cast<long long>(smallest_width));
}

std::string AuditSummary::json() const {
  const auto n = [](std::uint64_t x) { return std::to_string(x); };
  std::string width = smallest_width < 0 ? "null" : std::isinf(smallest_width) ? "\"unbounded\"" : std::to_string(static_cast<long long>(smallest_width));
  return "{\"series\": " + n(series) + ", \"cells\": " + n(cells) + ", \"withheld_small\": " + n(withheld_small) +
         ", \"withheld_by_table_equations\": " + n(withheld_table) + ", \"withheld_after_audit\": " + n(withheld_audit) +
         ", \"withheld_against_differencing\": " + n(withheld_pairs) +
         ", \"cells_audited\": " + n(cells_audited) + ", \"smallest_interval_width\": " + width +
         ", \"identities\": {\"equal_series\": " + n(equalities) + ", \"sums\": " + n(sums) +
         ", \"inequalities\": " + n(inequalities) + ", \"nestings\": " + n(nestings) + "}" +
         ", \"ledger\": {\"entries_matched\": " + n(ledger_entries) + ", \"constraints\": " + n(ledger_constraints) +
         ", \"withheld_but_published_earlier\": " + n(ledger_known) + "}" + ", \"lp_solves\": " + n(lp_solves) +
         ", \"components\": " + n(components) + ", \"rounds\": " + n(rounds) + ", \"unprotected\": " + n(unprotected) +
         ", \"seconds\": " + std::to_string(seconds) + ", \"seconds_finding_identities\": " + std::to_string(seconds_model) + "}";
}

ReleaseDecision control(const Release& release, const Policy& policy, const std::vector<LedgerEntry>& earlier) {
  const auto t0 = std::chrono::steady_clock::now();
  ReleaseDecision out;
  AuditSummary& a = out.audit;
  const Model m = detail::build_model(release, earlier);
  a.seconds_model = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  a.series = release.series.size();
  a.cells = m.exact.size();
  a.equalities = m.equalities;
  a.sums = m.sums;
  a.inequalities = m.inequalities;
  a.nestings = m.nestings;
  a.ledger_entries = m.ledger_entries;
  a.ledger_constraints = m.ledger_constraints;

  std::vector<VarState> state(m.vars());
  for (std::size_t v = 0; v < m.vars(); ++v)
    if (is_small(policy, m.var_exact[v])) state[v].reason = Reason::kSmall;
  // Cells a pair of figures would give away by their difference (Series::withhold).
  for (std::size_t s = 0; s < release.series.size(); ++s)
    for (const std::size_t cell : release.series[s].withhold) {
      std::size_t cells = 1;
      for (const auto& b : release.series[s].breakdowns) cells += b.groups.size();
      if (cell >= cells) throw std::logic_error("disclosure::control: series " + release.series[s].label + " has no cell " + std::to_string(cell));
      VarState& v = state[m.var_of[m.first_cell[s] + cell]];
      if (!v.withheld()) {
        v.reason = Reason::kDerivable;
        ++a.withheld_pairs;
      }
    }
  // Exact counts leave no slack: first close what each table's own equations give away.
  if (policy.mode == Mode::kSuppressedExact)
    for (int i = 0; i < kMaxRounds && table_secondary(release, m, state); ++i) {
    }

  std::vector<std::vector<std::size_t>> rows_of(m.vars());
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (const auto& t : m.rows[r].terms) rows_of[t.var].push_back(r);
  const std::vector<std::uint32_t> comp = detail::components(m);
  {
    std::set<std::uint32_t> distinct(comp.begin(), comp.end());
    a.components = distinct.size();
  }

  // Audit, withhold more where a withheld count is not protected, and audit the components that
  // changed, until none is short.
  std::set<std::uint32_t> dirty;
  for (std::uint32_t v = 0; v < m.vars(); ++v)
    if (state[v].withheld()) dirty.insert(comp[v]);
  std::vector<Feasible> last(m.vars(), Feasible{NAN, NAN});
  std::vector<bool> known_earlier(m.vars(), false);
  // Withholding more only widens what a reader can believe, so a count once shown protected stays
  // protected: each round audits only the counts not yet shown so.
  std::vector<bool> shown_protected(m.vars(), false);
  detail::Programs programs;
  for (int round = 0; round < kMaxRounds && !dirty.empty(); ++round) {
    ++a.rounds;
    std::vector<std::uint32_t> targets;
    for (std::uint32_t v = 0; v < m.vars(); ++v)
      if (state[v].withheld() && !shown_protected[v] && dirty.count(comp[v])) targets.push_back(v);
    dirty.clear();
    const std::vector<Feasible> f = detail::intervals_of(m, state, policy, targets, &a.lp_solves, false, &programs, &comp);
    std::vector<std::uint32_t> short_of;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      last[targets[i]] = f[i];
      if (protected_enough(f[i], policy)) {
        shown_protected[targets[i]] = true;
        continue;
      }
      // A count an earlier release published is out already; withholding more now cannot take it back.
      if (m.ledger[targets[i]] && m.ledger[targets[i]]->hi - m.ledger[targets[i]]->lo < policy.protection_width) {
        known_earlier[targets[i]] = true;
        continue;
      }
      short_of.push_back(targets[i]);
    }
    for (const std::uint32_t v : short_of) {
      // Withhold the smallest published count beside it; a count beside it that is already
      // withheld this round (for another short one) is as good.
      std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
      bool helped = false;
      for (const std::uint32_t u : neighbours(m, rows_of, v)) {
        if (state[u].withheld()) continue;
        if (m.var_exact[u] <= 0) continue;  // zeros are always published
        if (best == std::numeric_limits<std::uint32_t>::max() || m.var_exact[u] < m.var_exact[best] ||
            (m.var_exact[u] == m.var_exact[best] && u > best))
          best = u;
      }
      if (best != std::numeric_limits<std::uint32_t>::max()) {
        state[best].reason = Reason::kDerivable;
        ++a.withheld_audit;
        helped = true;
      } else {
        // Nothing beside it to withhold: reach one row further out.
        for (const std::uint32_t u : neighbours(m, rows_of, v)) {
          for (const std::uint32_t w : neighbours(m, rows_of, u))
            if (!state[w].withheld() && m.var_exact[w] > 0 &&
                (best == std::numeric_limits<std::uint32_t>::max() || m.var_exact[w] < m.var_exact[best]))
              best = w;
        }
        if (best != std::numeric_limits<std::uint32_t>::max()) {
          state[best].reason = Reason::kDerivable;
          ++a.withheld_audit;
          helped = true;
        }
      }
      if (helped) dirty.insert(comp[v]);
    }
  }

  for (std::uint32_t v = 0; v < m.vars(); ++v) {
    if (!state[v].withheld()) continue;
    ++a.cells_audited;
    if (state[v].reason == Reason::kSmall) ++a.withheld_small;
    const Feasible& f = last[v];
    if (known_earlier[v]) ++a.ledger_known;
    else if (!protected_enough(f, policy)) ++a.unprotected;
    if (!std::isnan(f.lo)) {
      const double w = f.hi - f.lo;
      if (a.smallest_width < 0 || w < a.smallest_width) a.smallest_width = w;
    }
  }
  // Withheld by the tables' own equations: every secondary cell not added by the audit loop.
  std::uint64_t secondary = 0;
  for (std::uint32_t v = 0; v < m.vars(); ++v) secondary += state[v].reason == Reason::kDerivable;
  a.withheld_table = secondary - a.withheld_audit - a.withheld_pairs;

  out.series.resize(release.series.size());
  for (std::size_t s = 0; s < release.series.size(); ++s) {
    const Series& ser = release.series[s];
    SeriesDecision& d = out.series[s];
    const auto cell_state = [&](std::size_t cell) {
      CellState c;
      c.reason = state[m.var_of[cell]].reason;
      if (!c.withheld()) c.shown = rounded(policy, m.exact[cell]);
      return c;
    };
    std::size_t at = m.first_cell[s];
    d.total = cell_state(at++);
    for (const auto& b : ser.breakdowns) {
      d.groups.emplace_back();
      for (std::size_t g = 0; g < b.groups.size(); ++g) d.groups.back().push_back(cell_state(at++));
    }
  }
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

std::vector<LedgerEntry> ledger_entries(const Release& release, const ReleaseDecision& decision, const Policy& policy,
                                        const std::string& release_id) {
  std::vector<LedgerEntry> out;
  for (std::size_t s = 0; s < release.series.size(); ++s) {
    const Series& ser = release.series[s];
    const SeriesDecision& d = decision.series[s];
    const auto add = [&](const CellState& c, const std::string& b, const std::string& g) {
      if (c.withheld()) return;
      out.push_back({release_id, policy, ser.meaning, ser.interval, b, g, c.shown});
    };
    add(d.total, "all", "all");
    for (std::size_t b = 0; b < ser.breakdowns.size(); ++b)
      for (std::size_t g = 0; g < ser.breakdowns[b].groups.size(); ++g)
        add(d.groups[b][g], ser.breakdowns[b].name, ser.breakdowns[b].groups[g].label);
  }
  return out;
}

std::vector<std::vector<Feasible>> feasible_intervals(const Release& release, const ReleaseDecision& decision,
                                                      const Policy& policy, const std::vector<LedgerEntry>& earlier) {
  const Model m = detail::build_model(release, earlier);
  std::vector<VarState> state(m.vars());
  for (std::size_t s = 0; s < release.series.size(); ++s) {
    std::size_t at = m.first_cell[s];
    const auto mark = [&](const CellState& c) {
      if (c.withheld()) state[m.var_of[at]].reason = c.reason;
      ++at;
    };
    mark(decision.series[s].total);
    for (const auto& b : decision.series[s].groups)
      for (const auto& c : b) mark(c);
  }
  std::vector<std::uint32_t> targets;
  for (std::uint32_t v = 0; v < m.vars(); ++v)
    if (state[v].withheld()) targets.push_back(v);
  const std::vector<Feasible> solved = detail::intervals_of(m, state, policy, targets, nullptr, true);
  std::vector<Feasible> f(m.vars());
  for (std::uint32_t v = 0; v < m.vars(); ++v) {
    const CountRange r = published_range(policy, rounded(policy, m.var_exact[v]));
    f[v] = {static_cast<double>(r.lo), static_cast<double>(r.hi)};
  }
  for (std::size_t i = 0; i < targets.size(); ++i) f[targets[i]] = solved[i];
  std::vector<std::vector<Feasible>> out(release.series.size());
  for (std::size_t s = 0; s < release.series.size(); ++s) {
    const std::size_t n = (s + 1 < release.series.size() ? m.first_cell[s + 1] : m.exact.size()) - m.first_cell[s];
    for (std::size_t c = 0; c < n; ++c) out[s].push_back(f[m.var_of[m.first_cell[s] + c]]);
  }
  return out;
}

}  // namespace severn::disclosure
