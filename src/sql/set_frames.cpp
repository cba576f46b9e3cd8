// The set-based compiler's frames (set_compiler.h): every aggregation of a frame, every picked
// row and every registration fact is one grouped query over the frame's table, joined to the
// lanes when it reads the dates, and kept as a CTE keyed by person_id (and lane). A person with no
// row in it is not in the CTE: where it is read, a missing row is the value of no rows (0 for
// counts and sums, false for exists, null for the rest), exactly as the aggregate of an empty
// frame.
#include <algorithm>
#include <stdexcept>

#include "core/error.h"
#include "sql/set_compiler.h"
#include "sql/sql_text.h"

namespace severn::sql {

namespace q = query;

std::string SetCompiler::make_cte(std::string name, std::string body, const std::vector<Join>& joins, bool fenced) {
  const int depth = depth_of(joins);
  depth_[name] = depth;
  ctes_.push_back({name, std::move(body), fenced, depth});
  return name;
}

int SetCompiler::depth_of(const std::vector<Join>& joins) const {
  int depth = 0;
  for (const Join& j : joins) {
    const auto it = depth_.find(j.kind == Join::Kind::kRow ? j.source : j.alias);
    if ((j.kind == Join::Kind::kPerson || j.kind == Join::Kind::kRow) && it != depth_.end()) depth = std::max(depth, it->second + 1);
  }
  return depth;
}

// The conjuncts of a condition, each its own condition: `a and b` keeps a row when both do.
void SetCompiler::add_condition(Frame& f, q::NodeId id) {
  const q::Node& n = m_.node(id);
  if (n.op == q::Op::kAnd) {
    add_condition(f, n.a);
    add_condition(f, n.b);
    return;
  }
  Condition c;
  c.text = put(id, Level::kRow, c.joins);
  c.lanes = n.dates;
  c.node = id;
  add_joins(f.joins, c.joins);
  f.conditions.push_back(std::move(c));
}

const SetCompiler::Frame& SetCompiler::frame(q::NodeId id) {
  if (const auto it = frames_.find(id); it != frames_.end()) return it->second;
  const q::Node& n = m_.node(id);
  Frame f;
  switch (n.op) {
    case q::Op::kTable: f.table = n.table; break;
    case q::Op::kWhere:
      f = frame(n.a);
      add_condition(f, n.b);
      break;
    case q::Op::kSortBy: {
      f = frame(n.a);
      const q::ValueType t = m_.node(n.b).type;
      std::string key = put(n.b, Level::kRow, f.joins);
      const bool is_text = t == q::ValueType::kString || t == q::ValueType::kCode;
      if (is_text) key = d_.binary_collation(key);
      f.keys.emplace_back(key, is_text);
      break;
    }
    default: throw std::logic_error("sql: not a frame");
  }
  return frames_.emplace(id, std::move(f)).first->second;
}

std::string SetCompiler::frame_from(const Frame& f, bool lanes, const std::vector<Join>& joins,
                                    const std::vector<std::string>& more_conditions) const {
  Scope scope(Scope::Kind::kRows, table(m_.table(f.table).name) + " r", table("patients"), lanes);
  scope.need(joins);
  std::string s = scope.from();
  std::vector<std::string> conditions;
  for (const Condition& c : f.conditions) conditions.push_back(c.text);
  conditions.insert(conditions.end(), more_conditions.begin(), more_conditions.end());
  for (std::size_t i = 0; i < conditions.size(); ++i) s += (i ? " AND " : "\n    WHERE ") + conditions[i];
  return s;
}

// One aggregation of a frame: a column of its table's pass, or a query of its own, SELECT
// person_id[, lane], <aggregate> ... GROUP BY person_id[, lane].
Sql SetCompiler::aggregate(q::NodeId id) {
  const q::Node& n = m_.node(id);
  const Frame& f = frame(n.a);
  const bool lanes = n.dates;
  if (mergeable(n.op)) {
    Sql s;
    if (n.op == q::Op::kExists && lanes && bounded_exists(f, s)) return s;
    std::vector<Join> argument_joins;
    std::string v;
    switch (n.op) {
      case q::Op::kExists:
      case q::Op::kCount: v = "COUNT(*)"; break;
      case q::Op::kCountDistinct: v = "COUNT(DISTINCT " + put(n.b, Level::kRow, argument_joins) + ")"; break;
      default: {
        std::string x = put(n.b, Level::kRow, argument_joins);
        if (n.type == q::ValueType::kString || n.type == q::ValueType::kCode) x = d_.binary_collation(x);
        v = std::string(n.op == q::Op::kMin ? "MIN(" : "MAX(") + x + ")";
      }
    }
    const bool count = n.op == q::Op::kExists || n.op == q::Op::kCount || n.op == q::Op::kCountDistinct;
    const std::string column = pass_column(f, lanes, v, count, f.conditions, argument_joins, s.joins);
    // A person with no row in the pass, or none this column keeps, has the aggregate of no rows.
    if (n.op == q::Op::kExists) s.text = "(COALESCE(" + column + ", CAST(0 AS BIGINT)) > 0)";
    else if (n.op == q::Op::kCount || n.op == q::Op::kCountDistinct) s.text = "COALESCE(" + column + ", CAST(0 AS BIGINT))";
    else s.text = column;
    return s;
  }
  const std::string keys = lanes ? "r.person_id, l.lane" : "r.person_id";
  std::vector<Join> joins = f.joins;
  const std::string order = "r.row_id";
  std::string v;
  switch (n.op) {
    case q::Op::kExists: break;
    case q::Op::kCount: v = "CAST(COUNT(*) AS BIGINT)"; break;
    case q::Op::kCountDistinct: v = "CAST(COUNT(DISTINCT " + put(n.b, Level::kRow, joins) + ") AS BIGINT)"; break;
    case q::Op::kMin:
    case q::Op::kMax: {
      std::string x = put(n.b, Level::kRow, joins);
      if (n.type == q::ValueType::kString || n.type == q::ValueType::kCode) x = d_.binary_collation(x);
      v = std::string(n.op == q::Op::kMin ? "MIN(" : "MAX(") + x + ")";
      break;
    }
    case q::Op::kSum: {
      // The sum of no values is 0; a sum past 64 bits is null, not 0: the count tells them apart.
      const std::string x = put(n.b, Level::kRow, joins);
      v = n.type == q::ValueType::kFloat
              ? "CASE WHEN COUNT(" + x + ") = 0 THEN CAST(0 AS DOUBLE PRECISION) ELSE " + d_.ordered_float_sum(x, order) + " END"
              : "CASE WHEN COUNT(" + x + ") = 0 THEN CAST(0 AS BIGINT) ELSE " + d_.checked_integer_sum(x, order) + " END";
      break;
    }
    case q::Op::kMean: {
      const std::string x = put(n.b, Level::kRow, joins);
      v = d_.ordered_float_sum(x, order) + " / NULLIF(COUNT(" + x + "), 0)";
      break;
    }
    case q::Op::kCountEpisodes: break;
    default: throw std::logic_error("sql: not an aggregation");
  }
  const std::string name = "a" + std::to_string(id);
  if (n.op == q::Op::kCountEpisodes) {
    const std::string body = episodes(n, f, lanes, joins, keys);
    make_cte(name, body, joins);
  } else {
    make_cte(name, "SELECT " + keys + (v.empty() ? "" : ", " + v + " AS v") + " " + frame_from(f, lanes, joins) + "\n    GROUP BY " + keys,
             joins);
  }
  Sql s;
  s.joins.push_back(person_join(name, lanes));
  switch (n.op) {
    case q::Op::kExists: s.text = "(" + name + ".person_id IS NOT NULL)"; break;
    case q::Op::kCount:
    case q::Op::kCountDistinct:
    case q::Op::kCountEpisodes: s.text = "COALESCE(" + name + ".v, CAST(0 AS BIGINT))"; break;
    case q::Op::kSum:
      s.text = "(CASE WHEN " + name + ".person_id IS NULL THEN " +
               (n.type == q::ValueType::kFloat ? "CAST(0 AS DOUBLE PRECISION)" : "CAST(0 AS BIGINT)") + " ELSE " + name + ".v END)";
      break;
    default: s.text = name + ".v"; break;
  }
  return s;
}

// Episodes: rows with a date, in store order; a row starts an episode when it is the first or
// its date is more than the gap after the previous row's.
std::string SetCompiler::episodes(const q::Node& n, const Frame& f, bool lanes, std::vector<Join>& joins, const std::string& keys) {
  const q::Table& tab = m_.table(f.table);
  const std::string date = "r." + identifier(tab.columns[static_cast<std::size_t>(tab.date_column)].store_column);
  std::string gap_end;
  switch (n.unit()) {
    // A gap that runs past 9999-12-31 never ends (null): no later row starts an episode.
    case q::Unit::kDays: gap_end = moved_days("e.previous", n.amount); break;
    case q::Unit::kMonths: gap_end = moved_months("e.previous", n.amount); break;
    case q::Unit::kYears: gap_end = n.amount > 10000 ? "CAST(NULL AS DATE)" : moved_months("e.previous", n.amount * 12); break;
  }
  const std::string outer = lanes ? "e.person_id, e.lane" : "e.person_id";
  return "SELECT " + outer + ", CAST(COUNT(*) AS BIGINT) AS v FROM (\n    SELECT " + keys + ", " + date + " AS day, LAG(" + date +
         ") OVER (PARTITION BY " + keys + " ORDER BY r.row_id) AS previous " + frame_from(f, lanes, joins, {date + " IS NOT NULL"}) +
         ") e\n    WHERE e.previous IS NULL OR e.day > " + gap_end + "\n    GROUP BY " + outer;
}

// A column of a picked row. first(): the smallest row by the sort keys (the last added first;
// nulls first), ties in store order; latest(): the largest, ties to the later row. One CTE per
// pick, with every column read from it: the row numbered 1 in its person's (and lane's) order.
Sql SetCompiler::picked(const q::Node& n) {
  const q::Node& pick = m_.node(n.a);
  const std::string name = "f" + std::to_string(n.a);
  const bool lanes = pick.dates;
  Sql s;
  s.text = name + ".c" + std::to_string(n.column);
  s.joins.push_back(person_join(name, lanes));
  for (const Cte& made : ctes_)
    if (made.name == name) return s;
  const bool latest = pick.op == q::Op::kLatest;
  const Frame& f = frame(pick.a);
  std::vector<Join> joins = f.joins;
  const std::string keys = lanes ? "r.person_id, l.lane" : "r.person_id";
  std::string order;
  for (std::size_t k = f.keys.size(); k-- > 0;) order += f.keys[k].first + (latest ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
  order += latest ? "r.row_id DESC" : "r.row_id ASC";
  std::string inner = "SELECT " + keys, outer = lanes ? "SELECT x.person_id, x.lane" : "SELECT x.person_id";
  for (const std::uint16_t c : pick_columns_.at(n.a)) {
    const std::string column = "c" + std::to_string(c);
    inner += ", " + row_column(pick.table, c, joins) + " AS " + column;
    outer += ", x." + column;
  }
  inner += ", ROW_NUMBER() OVER (PARTITION BY " + keys + " ORDER BY " + order + ") AS rn " + frame_from(f, lanes, joins);
  make_cte(name, outer + " FROM (\n    " + inner + ") x\n    WHERE x.rn = 1", joins);
  return s;
}

// registered_on(d): a registration covers d; practice_on(d): the practice of the covering
// registration that starts latest (the later row in store order). Both are frames of
// practice_registrations joined to what d reads. A date that reads a row of another frame (inside
// a `where`) has no person-level form: that node alone stays a correlated subquery.
Sql SetCompiler::registration(q::NodeId id) {
  const q::Node& n = m_.node(id);
  const bool practice = n.op == q::Op::kPracticeOn;
  Sql s;
  if (level(n.a) == Level::kRow) {
    const std::string d = put(n.a, Level::kRow, s.joins);
    const std::string covers = "FROM " + table("practice_registrations") + " g WHERE g.person_id = r.person_id AND g.start_date <= " +
                               d + " AND (g.end_date IS NULL OR g.end_date >= " + d + ")";
    s.text = practice ? "(SELECT g.practice_code " + covers + " ORDER BY g.row_id DESC LIMIT 1)"
                      : "(CASE WHEN " + d + " IS NULL THEN NULL ELSE EXISTS (SELECT 1 " + covers + ") END)";
    return s;
  }
  const Level at = level(id);
  const bool lanes = n.dates;
  const std::string keys = lanes ? "r.person_id, l.lane" : "r.person_id";
  Frame f;
  f.table = m_.table_id("practice_registrations");
  const std::string d = put(n.a, Level::kRow, f.joins);
  f.conditions.push_back({"r.start_date <= " + d, lanes, {}, q::kNoNode});
  f.conditions.push_back({"(r.end_date IS NULL OR r.end_date >= " + d + ")", lanes, {}, q::kNoNode});
  const std::string name = (practice ? "rp" : "rg") + std::to_string(id);
  if (practice)
    make_cte(name, "SELECT x.person_id" + std::string(lanes ? ", x.lane" : "") + ", x.v FROM (\n    SELECT " + keys +
                       ", r.practice_code AS v, ROW_NUMBER() OVER (PARTITION BY " + keys + " ORDER BY r.row_id DESC) AS rn " +
                       frame_from(f, lanes, f.joins) + ") x\n    WHERE x.rn = 1",
             f.joins);
  else
    make_cte(name, "SELECT " + keys + " " + frame_from(f, lanes, f.joins) + "\n    GROUP BY " + keys, f.joins);
  if (practice) {
    s.text = name + ".v";
  } else {
    // A null date is covered by no registration, and registered_on(null) is null, not false.
    const q::Op date_op = m_.node(n.a).op;
    const std::string registered = "(" + name + ".person_id IS NOT NULL)";
    if (date_op == q::Op::kIndexDate || date_op == q::Op::kIntervalStart) s.text = registered;
    else s.text = "(CASE WHEN " + put(n.a, at, s.joins) + " IS NULL THEN NULL ELSE " + registered + " END)";
  }
  s.joins.push_back(person_join(name, lanes));
  return s;
}

}  // namespace severn::sql
