// The audit's model of a release (private to src/disclosure): every count as a variable, counts
// known to be equal merged into one, and every linear fact a reader can know about them:
//   a breakdown's groups sum to its total;
//   a parent group is the sum of the groups nested in it (PCNs in a Place);
//   identities between series of one definition on one interval, as the definition implies them
//   (one series the sum of two others; one never above another);
//   the rounding interval of every published count, and what earlier releases published.
// Identities are found from the exact counts and kept only if they hold in every cell: an
// identity the definitions imply always holds, and one that holds by chance only makes the audit
// stricter, never wrong (the exact counts stay a feasible point of every constraint).
#pragma once
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "disclosure/release.h"

struct glp_prob;

namespace severn::disclosure::detail {

struct Term {
  std::uint32_t var;
  double coef;
};

// lo <= sum(terms) <= hi (lo == hi: an equation).
struct Row {
  std::vector<Term> terms;
  double lo = 0, hi = 0;
};

struct Model {
  // Cells: series s, cell c (0 the total, then each breakdown's groups in order) is
  // first_cell[s] + c.
  std::vector<std::size_t> first_cell;
  std::vector<std::int64_t> exact;            // per cell
  std::vector<std::uint32_t> var_of;          // cell -> variable
  std::vector<std::vector<std::size_t>> cells_of;  // variable -> its cells
  std::vector<std::int64_t> var_exact;        // per variable
  std::vector<Row> rows;
  std::vector<std::optional<CountRange>> ledger;  // per variable: what earlier releases fix
  std::uint64_t equalities = 0, sums = 0, inequalities = 0, nestings = 0;
  std::uint64_t ledger_entries = 0, ledger_constraints = 0;

  std::size_t vars() const { return var_exact.size(); }
};

Model build_model(const Release& release, const std::vector<LedgerEntry>& earlier);

// The withheld state of every variable, and what the audit computes from it.
struct VarState {
  Reason reason = Reason::kPublished;
  bool withheld() const { return reason != Reason::kPublished; }
};

// The linear programs of components solved before, kept between rounds of the audit: only the
// bounds of newly withheld counts change, so each round starts from the last basis.
struct Programs {
  struct Entry {
    glp_prob* lp = nullptr;
    std::unordered_map<std::uint32_t, int> col;  // variable -> column
    std::vector<std::uint32_t> vars;
    std::vector<char> withheld;                  // per column, as its bounds were last set
    std::vector<double> seen_lo, seen_hi;        // per column (1-based): feasible values met
  };
  std::unordered_map<std::uint32_t, Entry> by_component;
  Programs() = default;
  Programs(const Programs&) = delete;
  Programs& operator=(const Programs&) = delete;
  ~Programs();
};

// The feasible interval [lo, hi] (hi may be +inf) of each variable in `targets`, given the
// published bounds under `policy`. Counts GLPK solves into *solves.
// With `exact` false, a target is settled as soon as it is shown protected: feasible points met
// while solving for other targets (every vertex the simplex stops at, and the exact counts) already
// span the policy's width for most, so their interval is reported as the span seen, a lower bound
// of the true one that is enough to prove protection. Unprotected targets always get their exact
// interval. `component_of` (components(model), when the caller has it) saves computing it again.
std::vector<Feasible> intervals_of(const Model& model, const std::vector<VarState>& state, const Policy& policy,
                                   const std::vector<std::uint32_t>& targets, std::uint64_t* solves, bool exact = false,
                                   Programs* cache = nullptr, const std::vector<std::uint32_t>* component_of = nullptr);

// Components of the constraint graph: variables linked through a row share a component.
std::vector<std::uint32_t> components(const Model& model);

}  // namespace severn::disclosure::detail
