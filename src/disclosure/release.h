// Disclosure control of a whole release (docs/disclosure.md): everything one `severn run` or
// `severn report` publishes is decided together, then audited as one system of linear
// constraints over the unknown exact counts, so that no withheld count can be narrowed down by
// combining published figures, from one table or many, or from earlier releases in a ledger.
//
// A release is a list of series. A series is one counted quantity (a measure's numerator or its
// denominator) on one interval: its total (the `all` row) and its breakdowns, each of which splits
// the same people into groups. Counts are persons and never negative.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "disclosure/ledger.h"
#include "disclosure/suppression.h"

namespace severn::disclosure {

struct Group {
  std::string label;
  std::int64_t count = 0;
};

struct SeriesBreakdown {
  std::string name;           // the group column: "pcn", "imd_decile", ...
  std::vector<Group> groups;  // groups with nobody counted may be absent: an absent group is 0
};

struct Series {
  // What is counted, independent of names: series of equal meaning on the same interval count
  // the same people, in this release and in any other (the ledger matches on it).
  std::string meaning;
  std::string interval;  // "YYYY-MM-DD/YYYY-MM-DD"
  // Series of one family (one definition) are searched for identities between them: one series
  // the sum of two others (CVDP007HYP = CVDP002HYP + CVDP003HYP).
  std::size_t family = 0;
  std::string label;  // for people: "hypertension: cvdp002hyp numerator"
  // The series this one never exceeds, cell by cell (a numerator's denominator), or -1.
  std::ptrdiff_t within = -1;
  std::int64_t total = 0;
  std::vector<SeriesBreakdown> breakdowns;
  // Cells to withhold whatever their count, before secondary suppression and the audit protect
  // them like any withheld cell: 0 is the total, then each breakdown's groups in order. A linkage
  // sensitivity pair marks the cells whose difference from the paired figure would reveal a small
  // number (docs/disclosure.md, "Linkage sensitivity").
  std::vector<std::size_t> withhold;
};

// A group column whose groups lie each within one group of another column (a PCN within its
// Place, an IMD decile within its quintile), so a parent group is the sum of its children.
struct Nesting {
  std::string child, parent;
  std::map<std::string, std::string> parent_of;  // child label -> parent label
};

struct Release {
  std::vector<Series> series;
  std::vector<Nesting> nestings;
};

// What is published of one count.
struct CellState {
  Reason reason = Reason::kPublished;  // the reason is kept for run.json's totals only
  std::int64_t shown = 0;              // when published: the exact count, or rounded
  bool withheld() const { return reason != Reason::kPublished; }
};

struct SeriesDecision {
  CellState total;
  std::vector<std::vector<CellState>> groups;  // [breakdown][group], as in the series
};

// What the audit did, for run.json.
struct AuditSummary {
  std::uint64_t series = 0, cells = 0;
  std::uint64_t withheld_small = 0;            // primary: counts redact_min..redact_max
  std::uint64_t withheld_table = 0;            // secondary, by each table's own equations
  std::uint64_t withheld_audit = 0;            // extra cells withheld after the audit found a gap
  std::uint64_t withheld_pairs = 0;            // withheld so a paired figure's difference is not revealed
  std::uint64_t cells_audited = 0;             // withheld counts whose interval was computed
  std::uint64_t equalities = 0, sums = 0, inequalities = 0, nestings = 0;  // identities used
  std::uint64_t ledger_entries = 0, ledger_constraints = 0, ledger_known = 0;
  std::uint64_t lp_solves = 0, components = 0, rounds = 0;
  std::uint64_t unprotected = 0;  // withheld counts still narrower than the rule (earlier releases pin them)
  double smallest_width = -1;     // narrowest feasible interval of a withheld count (-1: none)
  double seconds = 0;
  double seconds_model = 0;  // of which finding identities and building the constraints
  std::string json() const;
  // smallest_width for people: "none", "unbounded" or the number.
  std::string width_text() const;
};

struct ReleaseDecision {
  std::vector<SeriesDecision> series;
  AuditSummary audit;
};

// Decides what to publish: primary redaction, secondary suppression within each table, then the
// audit and further suppression until every withheld count is protected.
ReleaseDecision control(const Release& release, const Policy& policy, const std::vector<LedgerEntry>& earlier = {});

// Every published cell of a decision, as ledger entries to append.
// `release_id` names the release in the ledger (its UTC time and what produced it).
std::vector<LedgerEntry> ledger_entries(const Release& release, const ReleaseDecision& decision, const Policy& policy,
                                        const std::string& release_id);

// The feasible interval of each withheld count given what a decision publishes (plus earlier
// releases): the audit's own computation, exposed for the tests. [series][cell] with cell 0 the
// total and then each breakdown's groups in order; published cells get the range of counts their
// published value stands for, withheld cells the interval the linear program finds.
struct Feasible {
  double lo = 0, hi = 0;  // hi may be +infinity
};
std::vector<std::vector<Feasible>> feasible_intervals(const Release& release, const ReleaseDecision& decision,
                                                      const Policy& policy, const std::vector<LedgerEntry>& earlier = {});

}  // namespace severn::disclosure
