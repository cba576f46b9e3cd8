#include "disclosure/suppression.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace severn::disclosure {
namespace {

// The unknowns of a table: the withheld total (index 0 if withheld) and withheld cells.
struct Unknowns {
  int total = -1;
  std::vector<std::vector<int>> cell;  // [breakdown][cell] -> unknown index or -1
  int count = 0;
};

Unknowns unknowns_of(const Decision& d) {
  Unknowns u;
  if (d.total != Reason::kPublished) u.total = u.count++;
  u.cell.resize(d.cells.size());
  for (std::size_t b = 0; b < d.cells.size(); ++b)
    for (const Reason r : d.cells[b]) u.cell[b].push_back(r != Reason::kPublished ? u.count++ : -1);
  return u;
}

// Row-reduced equations over the unknowns: each breakdown says total - sum(cells) = 0. Known
// values only move to the right-hand side, so whether an unknown is determined depends on the
// coefficients alone.
class Span {
 public:
  explicit Span(const Unknowns& u) : n_(u.count) {
    for (std::size_t b = 0; b < u.cell.size(); ++b) {
      std::vector<double> row(static_cast<std::size_t>(n_), 0.0);
      if (u.total >= 0) row[static_cast<std::size_t>(u.total)] = 1;
      for (const int x : u.cell[b])
        if (x >= 0) row[static_cast<std::size_t>(x)] = -1;
      add(std::move(row));
    }
  }
  // e_x is in the span of the equations: x is fixed by the published values.
  bool determines(int x) const {
    std::vector<double> v(static_cast<std::size_t>(n_), 0.0);
    v[static_cast<std::size_t>(x)] = 1;
    reduce(v);
    for (const double c : v)
      if (std::fabs(c) > 1e-9) return false;
    return true;
  }

 private:
  void reduce(std::vector<double>& v) const {
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const double f = v[pivots_[r]];
      if (f == 0) continue;
      for (std::size_t c = 0; c < v.size(); ++c) v[c] -= f * rows_[r][c];
    }
  }
  void add(std::vector<double> row) {
    reduce(row);
    std::size_t p = 0;
    while (p < row.size() && std::fabs(row[p]) <= 1e-9) ++p;
    if (p == row.size()) return;
    const double scale = row[p];
    for (double& c : row) c /= scale;
    // Keep earlier rows reduced against the new pivot, so reduce() needs one pass.
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const double f = rows_[r][p];
      if (f == 0) continue;
      for (std::size_t c = 0; c < row.size(); ++c) rows_[r][c] -= f * row[c];
    }
    rows_.push_back(std::move(row));
    pivots_.push_back(p);
  }
  int n_;
  std::vector<std::vector<double>> rows_;
  std::vector<std::size_t> pivots_;
};

bool small(const Policy& p, std::int64_t count) { return count >= p.redact_min && count <= p.redact_max; }

}  // namespace

bool is_small(const Policy& policy, std::int64_t count) { return small(policy, count); }

const char* Policy::mode_name() const { return mode == Mode::kSuppressedExact ? "suppressed-exact" : "rounded"; }

Mode parse_mode(const std::string& text) {
  if (text == "rounded") return Mode::kRounded;
  if (text == "suppressed-exact") return Mode::kSuppressedExact;
  throw InputError("--disclosure-policy: must be rounded or suppressed-exact, not '" + text + "'");
}

CountRange published_range(const Policy& policy, std::int64_t shown) {
  const std::int64_t r = policy.rounding_base();
  CountRange c{shown, shown};
  if (r > 1) {
    if (policy.midpoint) {
      c.lo = shown - r / 2;
      c.hi = c.lo + r - 1;
    } else {
      c.lo = shown - r / 2;
      c.hi = shown + (r - 1) - r / 2;
    }
  }
  if (shown == 0) c.lo = 0;  // rounded() publishes a true zero as 0 under either rounding
  c.lo = std::max<std::int64_t>(c.lo, 0);
  // Counts that round to `shown` but are redacted are never published as `shown`.
  if (policy.redact_min <= policy.redact_max) {
    if (c.lo >= policy.redact_min && c.lo <= policy.redact_max) c.lo = policy.redact_max + 1;
    if (c.hi >= policy.redact_min && c.hi <= policy.redact_max) c.hi = policy.redact_min - 1;
  }
  // Keep only counts that really publish as `shown` (midpoint bands of 0 and ties at the ends).
  while (c.lo <= c.hi && rounded(policy, c.lo) != shown) ++c.lo;
  while (c.hi >= c.lo && rounded(policy, c.hi) != shown) --c.hi;
  return c;
}

std::string Policy::describe() const { return describe(true); }

std::string Policy::describe(bool secondary_suppression) const {
  if (mode == Mode::kSuppressedExact)
    return "suppressed-exact: counts " + std::to_string(redact_min) + "-" + std::to_string(redact_max) +
           " withheld, other counts exact; values and limits from exact counts" +
           (secondary_suppression ? "; complementary suppression audited by linear programming over the release"
                                  : "; no secondary suppression");
  return "rounded: counts " + std::to_string(redact_min) + "-" + std::to_string(redact_max) + " redacted; " +
         (round_to <= 1 ? std::string("no rounding")
                        : (midpoint ? "midpoint of bands of " : "rounded to the nearest ") + std::to_string(round_to)) +
         "; values and limits from the published counts" +
         (secondary_suppression ? "; further cells withheld until a linear-programming audit of the release finds every "
                                  "withheld count protected"
                                : "; no secondary suppression");
}

std::string Policy::json() const { return json(true); }

std::string Policy::json(bool secondary_suppression) const {
  return std::string("{\"mode\": \"") + mode_name() + "\", \"redact_min\": " + std::to_string(redact_min) + ", \"redact_max\": " + std::to_string(redact_max) +
         ", \"round_to\": " + std::to_string(rounding_base()) + ", \"rounding\": \"" +
         (rounding_base() <= 1 ? "none" : midpoint ? "midpoint" : "nearest") + "\", \"protection_width\": " +
         std::to_string(protection_width) + ", \"values_from\": \"" +
         (derive_from_published() ? "published counts" : "exact counts") + "\", \"secondary_suppression\": " +
         (secondary_suppression ? "true" : "false") + ", \"description\": \"" + describe(secondary_suppression) +
         "\"}";
}

void Policy::validate() const {
  if (redact_min < 1) throw InputError("--redact-min: must be at least 1 (a zero is always published), not " + std::to_string(redact_min));
  if (redact_max < redact_min - 1)
    throw InputError("--redact-max: must be at least --redact-min - 1 (" + std::to_string(redact_min - 1) +
                     ", which redacts nothing), not " + std::to_string(redact_max));
  if (round_to < 1) throw InputError("--round-to: must be at least 1 (1: no rounding), not " + std::to_string(round_to));
  if (round_to > 1000000) throw InputError("--round-to: at most 1000000, not " + std::to_string(round_to));
  if (redact_max > 1000000) throw InputError("--redact-max: at most 1000000, not " + std::to_string(redact_max));
  if (protection_width < 0 || protection_width > 1000000)
    throw InputError("--protection-width: must be 0 to 1000000, not " + std::to_string(protection_width));
}

std::string metadata_json(const Policy& policy, bool applied) { return metadata_json(policy, applied, true); }

std::string metadata_json(const Policy& policy, bool applied, bool secondary_suppression) {
  if (!applied)
    return "{\"applied\": false, \"reason\": \"switched off by --no-disclosure-control: counts are exact and "
           "small counts are shown; not for publication\"}";
  return "{\"applied\": true, \"policy\": " + policy.json(secondary_suppression) + "}";
}

std::int64_t rounded(const Policy& policy, std::int64_t count) {
  const std::int64_t r = policy.rounding_base();
  if (r <= 1) return count;
  if (count == 0) return 0;  // a true zero is published as zero under either rounding
  if (policy.midpoint) return count / r * r + r / 2;
  return (count + r / 2) / r * r;
}

bool any_withheld_derivable(const Decision& decision, const std::vector<Breakdown>&) {
  const Unknowns u = unknowns_of(decision);
  const Span span(u);
  for (int x = 0; x < u.count; ++x)
    if (span.determines(x)) return true;
  return false;
}

Decision suppress(const Policy& policy, std::int64_t total, const std::vector<Breakdown>& breakdowns) {
  Decision d;
  if (small(policy, total)) {
    d.total = Reason::kSmall;
    ++d.primary;
  }
  d.cells.resize(breakdowns.size());
  for (std::size_t b = 0; b < breakdowns.size(); ++b)
    for (const std::int64_t c : breakdowns[b].cells) {
      d.cells[b].push_back(small(policy, c) ? Reason::kSmall : Reason::kPublished);
      d.primary += small(policy, c) ? 1 : 0;
    }
  complete_suppression(d, breakdowns);
  return d;
}

void complete_suppression(Decision& d, const std::vector<Breakdown>& breakdowns) {
  for (;;) {
    const Unknowns u = unknowns_of(d);
    const Span span(u);
    // The first withheld count that the published ones determine, and the breakdowns whose
    // equations it appears in.
    int derivable = -1;
    for (int x = 0; x < u.count && derivable < 0; ++x)
      if (span.determines(x)) derivable = x;
    if (derivable < 0) return;
    std::size_t best_b = 0, best_c = 0;
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (std::size_t b = 0; b < breakdowns.size(); ++b) {
      bool involved = derivable == u.total;
      for (const int x : u.cell[b]) involved = involved || x == derivable;
      if (!involved) continue;
      for (std::size_t c = 0; c < breakdowns[b].cells.size(); ++c)
        if (d.cells[b][c] == Reason::kPublished && breakdowns[b].cells[c] > 0 && breakdowns[b].cells[c] <= best) {
          best = breakdowns[b].cells[c];
          best_b = b;
          best_c = c;
        }
    }
    if (best == std::numeric_limits<std::int64_t>::max()) {
      // Nothing left to hide beside it: the equation is all withheld but the total, so hide that.
      if (d.total != Reason::kPublished) return;  // cannot happen: a fully withheld table determines nothing
      d.total = Reason::kDerivable;
    } else {
      d.cells[best_b][best_c] = Reason::kDerivable;
    }
    ++d.secondary;
  }
}

}  // namespace severn::disclosure
