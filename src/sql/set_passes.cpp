// The set-based compiler's table passes (set_compiler.h): the aggregations of many frames of one
// table computed side by side in one grouped query, each over the rows its own frame keeps.
//
// A person-keyed pass:
//   SELECT r.person_id, COUNT(*) FILTER (WHERE <frame 0>) AS v0, MIN(r.date) FILTER (...) AS v1 ...
//   FROM clinical_events r WHERE <frame 0> OR <frame 1> ... GROUP BY r.person_id
// A lane-keyed pass first computes, once per row, the conditions that do not read the dates,
// then crosses only the rows some frame keeps with the lanes:
//   SELECT r.person_id, l.lane, COUNT(*) FILTER (WHERE r.keep0 AND <dates of frame 0>) AS v0 ...
//   FROM (SELECT r.*, <static conditions of frame 0> AS keep0, ... FROM clinical_events r
//         WHERE keep0 OR keep1 ... OFFSET 0) r CROSS JOIN lanes l
//   WHERE (r.keep0 AND <dates of frame 0>) OR ... GROUP BY r.person_id, l.lane
// Every aggregate of a pass gives, for a person with rows in the pass but none that its frame
// keeps, the aggregate of no rows (COUNT 0, MIN null), the value a person absent from the pass
// gets where it is read: so a pass is exact whichever frames share it.
#include <algorithm>

#include "sql/set_compiler.h"
#include "sql/sql_text.h"

namespace severn::sql {

namespace q = query;

namespace {

std::string all_of(const std::vector<std::string>& parts) {
  std::string s;
  for (const std::string& p : parts)
    if (!p.empty()) s += (s.empty() ? "" : " AND ") + p;
  return s;
}

}  // namespace

bool SetCompiler::mergeable(q::Op op) const {
  return op == q::Op::kExists || op == q::Op::kCount || op == q::Op::kCountDistinct || op == q::Op::kMin || op == q::Op::kMax;
}

std::string SetCompiler::pass_column(const Frame& f, bool lanes, const std::string& aggregate, bool count,
                                     const std::vector<Condition>& conditions, const std::vector<Join>& argument_joins,
                                     std::vector<Join>& joins) {
  std::vector<Join> reads = argument_joins;
  for (const Condition& c : conditions) add_joins(reads, c.joins);
  // A pass is as deep as the deepest of its columns' reads: frames that read one another's
  // aggregates are in different passes, one after the other.
  const int depth = depth_of(reads);
  const std::string name = "t" + std::to_string(f.table) + (lanes ? "l" : "p") + std::to_string(depth);
  auto it = std::find_if(passes_.begin(), passes_.end(), [&](const Pass& p) { return p.name == name; });
  if (it == passes_.end()) {
    passes_.push_back({name, f.table, lanes, {}, {}, {}, {}});
    depth_[name] = depth;
    it = passes_.end() - 1;
  }
  Pass& pass = *it;
  PassColumn column{aggregate, count, -1, ""};
  std::vector<std::string> statics, dated;
  for (const Condition& c : conditions) (lanes && c.lanes ? dated : statics).push_back(c.text);
  if (!lanes) {
    column.filter = all_of(statics);
    add_joins(pass.joins, reads);
  } else {
    const std::string keep = all_of(statics);
    if (!keep.empty()) {
      const auto k = std::find(pass.keeps.begin(), pass.keeps.end(), keep);
      column.keep = static_cast<int>(k - pass.keeps.begin());
      if (k == pass.keeps.end()) pass.keeps.push_back(keep);
    }
    column.filter = all_of(dated);
    for (const Condition& c : conditions) add_joins(c.lanes ? pass.joins : pass.row_joins, c.joins);
    add_joins(pass.joins, argument_joins);
  }
  auto c = std::find_if(pass.columns.begin(), pass.columns.end(), [&](const PassColumn& x) {
    return x.aggregate == column.aggregate && x.count == column.count && x.keep == column.keep && x.filter == column.filter;
  });
  if (c == pass.columns.end()) {
    pass.columns.push_back(column);
    c = pass.columns.end() - 1;
  }
  add_joins(joins, {person_join(name, lanes)});
  return name + ".v" + std::to_string(c - pass.columns.begin());
}

bool SetCompiler::bounded_exists(const Frame& f, Sql& out) {
  std::size_t bound = f.conditions.size();
  for (std::size_t i = 0; i < f.conditions.size(); ++i)
    if (f.conditions[i].lanes) {
      if (bound != f.conditions.size()) return false;
      bound = i;
    }
  if (bound == f.conditions.size() || f.conditions[bound].node == q::kNoNode) return false;
  const q::Node& n = m_.node(f.conditions[bound].node);
  if (n.op != q::Op::kCompare || n.compare() == q::Compare::kEq || n.compare() == q::Compare::kNe) return false;
  // A column of the frame's own rows (a date or whole number, so that MIN and MAX order as the
  // comparison does) against a value of the lane alone.
  const auto column_of_rows = [&](q::NodeId id) {
    const q::Node& c = m_.node(id);
    return c.op == q::Op::kRowsColumn && c.table == f.table && !m_.table(c.table).columns[c.column].list &&
           (c.type == q::ValueType::kDate || c.type == q::ValueType::kInt);
  };
  q::NodeId column = n.a, limit = n.b;
  q::Compare cmp = n.compare();
  if (!(column_of_rows(column) && level(limit) == Level::kLane)) {
    if (!(column_of_rows(n.b) && level(n.a) == Level::kLane)) return false;
    std::swap(column, limit);
    cmp = cmp == q::Compare::kLt ? q::Compare::kGt : cmp == q::Compare::kLe ? q::Compare::kGe
        : cmp == q::Compare::kGt ? q::Compare::kLt : q::Compare::kLe;
  }
  // Some kept row has column <= limit exactly when the smallest kept value does (nulls are
  // never kept by a comparison, and MIN skips them); >= and > likewise with the largest.
  std::vector<Condition> others = f.conditions;
  others.erase(others.begin() + static_cast<std::ptrdiff_t>(bound));
  std::vector<Join> none;
  const bool below = cmp == q::Compare::kLt || cmp == q::Compare::kLe;
  const std::string extreme = std::string(below ? "MIN(" : "MAX(") + put(column, Level::kRow, none) + ")";
  const std::string value = pass_column(f, false, extreme, false, others, {}, out.joins);
  static const char* const kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
  out.text = "COALESCE((" + value + kOps[static_cast<int>(cmp)] + put(limit, Level::kPerson, out.joins) + "), FALSE)";
  return true;
}

std::string SetCompiler::render(const Pass& pass) const {
  const std::string table_name = table(m_.table(pass.table).name);
  const std::string keys = pass.lanes ? "r.person_id, l.lane" : "r.person_id";
  std::string select = "SELECT " + keys, any;
  bool every_row_kept_somewhere = false;
  for (std::size_t i = 0; i < pass.columns.size(); ++i) {
    const PassColumn& c = pass.columns[i];
    const std::string keeps = all_of({c.keep >= 0 ? "r.keep" + std::to_string(c.keep) : "", c.filter});
    const std::string value = c.aggregate + (keeps.empty() ? "" : " FILTER (WHERE " + keeps + ")");
    select += ", " + (c.count ? "CAST(" + value + " AS BIGINT)" : value) + " AS v" + std::to_string(i);
    if (keeps.empty()) every_row_kept_somewhere = true;
    any += (i ? " OR (" : "(") + keeps + ")";
  }
  std::string from;
  if (!pass.lanes) {
    Scope scope(Scope::Kind::kRows, table_name + " r", table("patients"), false);
    scope.need(pass.joins);
    from = scope.from();
  } else {
    Scope rows(Scope::Kind::kRows, table_name + " r", table("patients"), false);
    rows.need(pass.row_joins);
    std::string inner = "SELECT r.*";
    std::string keep_any;
    for (std::size_t k = 0; k < pass.keeps.size(); ++k) {
      inner += ", " + pass.keeps[k] + " AS keep" + std::to_string(k);
      keep_any += (k ? " OR (" : "(") + pass.keeps[k] + ")";
    }
    const bool all_keep = std::all_of(pass.columns.begin(), pass.columns.end(), [](const PassColumn& c) { return c.keep >= 0; });
    inner += " " + rows.from() + (all_keep ? "\n    WHERE " + keep_any : "") + " OFFSET 0";
    Scope scope(Scope::Kind::kRows, "(\n    " + inner + ") r", table("patients"), true);
    scope.need(pass.joins);
    from = scope.from();
  }
  return select + " " + from + (every_row_kept_somewhere ? "" : "\n    WHERE " + any) + "\n    GROUP BY " + keys;
}

}  // namespace severn::sql
