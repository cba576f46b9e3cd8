// The set-based compiler's values (set_compiler.h): levels, scalar operators, the facts of the
// record read per person (age, patient columns), reference lookups, and the scopes that join what
// a value needs.
#include <algorithm>
#include <stdexcept>

#include "core/error.h"
#include "sql/set_compiler.h"
#include "sql/sql_text.h"

namespace severn::sql {

namespace q = query;

namespace {

// A person-level value whose SQL passes this size is computed in a CTE of its own and read from
// there: operators that name an operand twice (checked integer arithmetic, ranges, moved dates)
// would otherwise double the text of a let over a let at each level.
constexpr std::size_t kMaterialiseBytes = 8000;

bool is_aggregation(q::Op op) {
  return op == q::Op::kExists || op == q::Op::kCount || op == q::Op::kCountDistinct || op == q::Op::kMin ||
         op == q::Op::kMax || op == q::Op::kSum || op == q::Op::kMean || op == q::Op::kCountEpisodes;
}

}  // namespace

void add_joins(std::vector<Join>& into, const std::vector<Join>& joins) {
  for (const Join& j : joins)
    if (std::none_of(into.begin(), into.end(), [&](const Join& k) { return k.alias == j.alias; })) into.push_back(j);
}

Scope::Scope(Kind kind, std::string from, std::string patients, bool lanes)
    : kind_(kind), from_(std::move(from)), patients_(std::move(patients)), lanes_(lanes) {}

std::string Scope::render(const Join& j) const {
  switch (j.kind) {
    case Join::Kind::kPatients:
      return kind_ == Kind::kPersons ? "" : "\n    JOIN " + patients_ + " p ON p.person_id = " + person();
    case Join::Kind::kPerson:
      return "\n    LEFT JOIN " + j.alias + " ON " + j.alias + ".person_id = " + person() +
             (j.lanes ? " AND " + j.alias + ".lane = l.lane" : "");
    case Join::Kind::kLookup: return "\n    LEFT JOIN " + j.source + " " + j.alias + " ON " + j.alias + ".k = " + j.on;
    case Join::Kind::kRow:
      return "\n    LEFT JOIN " + j.source + " " + j.alias + " ON " + j.alias + ".row_id = r.row_id" + j.on;
  }
  return "";
}

std::string Scope::from() const {
  std::string s = "FROM " + from_;
  if (kind_ == Kind::kLanes) {
    for (const Join& j : joins_) s += render(j);
    return s;
  }
  for (const Join& j : joins_)
    if (!j.lanes) s += render(j);
  if (lanes_) s += "\n    CROSS JOIN lanes l";
  for (const Join& j : joins_)
    if (j.lanes) {
      if (!lanes_) throw std::logic_error("sql: a value that reads the lanes in a query without them");
      s += render(j);
    }
  return s;
}

SetCompiler::SetCompiler(const q::Model& model, const SqlTarget& target, std::vector<std::pair<Days, Days>> lanes)
    : m_(model), t_(target), d_(*target.dialect), lanes_(std::move(lanes)) {
  // The columns read from each picked row, so that its CTE carries just those.
  for (const q::Node& n : m_.nodes())
    if (n.op == q::Op::kPickedColumn) pick_columns_[n.a].insert(n.column);
}

std::string SetCompiler::table(const std::string& name) const {
  return t_.schema.empty() ? identifier(name) : identifier(t_.schema) + "." + identifier(name);
}

std::string SetCompiler::with() const {
  std::string s = "WITH ";
  std::string values;
  for (std::size_t l = 0; l < lanes_.size(); ++l)
    values += (l ? ", " : "") + std::string("(") + std::to_string(l) + ", " + date_literal(lanes_[l].first) + ", " +
              date_literal(lanes_[l].second) + ")";
  s += (lane_columns_.empty() ? "lanes" : "lanes0") + std::string("(lane, index_date, interval_start) AS (VALUES ") + values + ")";
  for (const std::uint8_t r : references_) {
    const auto& table = m_.references[r];
    s += ",\n  ref_" + std::to_string(r) + "(k, v) AS (";
    if (table.empty()) {
      s += "SELECT CAST(NULL AS TEXT), CAST(NULL AS TEXT) WHERE FALSE)";
      continue;
    }
    // Sorted, so that the SQL of a definition is the same text every time.
    const std::map<std::string, std::string> sorted(table.begin(), table.end());
    s += "VALUES ";
    bool first = true;
    for (const auto& [k, v] : sorted) {
      s += (first ? "(" : ", (") + quoted(k) + ", " + quoted(v) + ")";
      first = false;
    }
    s += ")";
  }
  if (!lane_columns_.empty()) {
    // Values that read only the dates, once per lane.
    Scope scope(Scope::Kind::kLanes, "lanes0 l", "", false);
    scope.need(lane_joins_);
    s += ",\n  lanes AS (SELECT l.lane, l.index_date, l.interval_start";
    for (const auto& [name, text] : lane_columns_) s += ", " + text + " AS " + name;
    s += " " + scope.from() + ")";
  }
  // The CTEs and the table passes, each after everything it reads.
  std::vector<Cte> ctes = ctes_;
  for (const Pass& pass : passes_) ctes.push_back({pass.name, render(pass), false, depth_.at(pass.name)});
  std::stable_sort(ctes.begin(), ctes.end(), [](const Cte& a, const Cte& b) { return a.depth < b.depth; });
  for (const Cte& c : ctes) s += ",\n  " + c.name + (c.fenced ? " AS MATERIALIZED (\n    " : " AS (\n    ") + c.body + ")";
  return s;
}

bool SetCompiler::reads_person(q::NodeId id) {
  if (const auto it = reads_person_.find(id); it != reads_person_.end()) return it->second;
  const q::Node& n = m_.node(id);
  bool reads = n.op == q::Op::kPatientColumn || n.op == q::Op::kRegisteredOn || n.op == q::Op::kPracticeOn ||
               n.op == q::Op::kAgeOn || n.op == q::Op::kPickedColumn || is_aggregation(n.op);
  if (!reads && n.shape == q::Shape::kValue) {
    for (const q::NodeId k : {n.a, n.b, n.c})
      if (k != q::kNoNode && reads_person(k)) reads = true;
    for (const q::NodeId k : n.kids)
      if (reads_person(k)) reads = true;
  }
  reads_person_.emplace(id, reads);
  return reads;
}

Level SetCompiler::level(q::NodeId id) {
  if (const auto it = levels_.find(id); it != levels_.end()) return it->second;
  const q::Node& n = m_.node(id);
  if (n.shape != q::Shape::kValue) throw std::logic_error(std::string("sql: a ") + q::op_name(n.op) + " node is not a value");
  const Level lv = n.dimension == q::Dimension::kRows ? Level::kRow
                   : reads_person(id)                  ? Level::kPerson
                   : n.dates                           ? Level::kLane
                                                       : Level::kConstant;
  levels_.emplace(id, lv);
  return lv;
}

const Sql& SetCompiler::value(q::NodeId id) {
  if (const auto it = values_.find(id); it != values_.end()) return it->second;
  Sql s = build(id);
  const q::Op op = m_.node(id).op;
  const bool own_cte = is_aggregation(op) || op == q::Op::kPickedColumn || op == q::Op::kRegisteredOn || op == q::Op::kPracticeOn;
  if (level(id) == Level::kPerson && !own_cte && s.text.size() > kMaterialiseBytes) s = materialise(id, std::move(s));
  return values_.emplace(id, std::move(s)).first->second;
}

std::string SetCompiler::put(q::NodeId id, Level at, std::vector<Join>& joins) {
  if (outputs_) return output(id);
  const Level lv = level(id);
  if (lv == Level::kRow && at != Level::kRow) throw std::logic_error("sql: a row value outside a frame of its table");
  const q::Op op = m_.node(id).op;
  if (lv == Level::kLane && at != Level::kLane && op != q::Op::kIndexDate && op != q::Op::kIntervalStart)
    return lane_column(id);
  const Sql& s = value(id);
  add_joins(joins, s.joins);
  return s.text;
}

std::string SetCompiler::lane_column(q::NodeId id) {
  if (const auto it = lane_column_of_.find(id); it != lane_column_of_.end()) return "l." + it->second;
  const Sql& s = value(id);
  add_joins(lane_joins_, s.joins);
  const std::string name = "e" + std::to_string(lane_columns_.size());
  lane_columns_.emplace_back(name, s.text);
  lane_column_of_.emplace(id, name);
  return "l." + name;
}

Sql SetCompiler::materialise(q::NodeId id, Sql sql) {
  const bool lanes = m_.node(id).dates;
  Scope scope = persons(lanes);
  scope.need(sql.joins);
  // Fenced: a database that inlined it would write its expression back into every reader
  // (PostgreSQL pulls simple subqueries up), and the text would double again at each level.
  const std::string name = make_cte("v" + std::to_string(id),
                                    "SELECT p.person_id" + std::string(lanes ? ", l.lane" : "") + ", " + sql.text + " AS v " + scope.from(),
                                    sql.joins, true);
  return {name + ".v", {person_join(name, lanes)}};
}

Sql SetCompiler::build(q::NodeId id) {
  const q::Node& n = m_.node(id);
  const Level at = level(id);
  Sql s;
  const auto arg = [&](q::NodeId k) { return put(k, at, s.joins); };
  switch (n.op) {
    case q::Op::kLiteral: s.text = literal(n.literal); return s;
    case q::Op::kIndexDate: s.text = "l.index_date"; return s;
    case q::Op::kIntervalStart: s.text = "l.interval_start"; return s;
    case q::Op::kPatientColumn:
      s.text = "p." + identifier(m_.table(m_.patients()).columns[n.column].store_column);
      s.joins.push_back(patients_join());
      return s;
    case q::Op::kRowsColumn: s.text = row_column(n.table, n.column, s.joins); return s;
    case q::Op::kPickedColumn: return picked(n);
    case q::Op::kNot: s.text = "(NOT " + arg(n.a) + ")"; return s;
    case q::Op::kNegate: {
      const std::string a = arg(n.a);
      s.text = n.type == q::ValueType::kInt ? d_.checked_integer_arith('-', "0", a) : "(-" + a + ")";
      return s;
    }
    case q::Op::kAnd: {
      const std::string a = arg(n.a);
      s.text = "(" + a + " AND " + arg(n.b) + ")";
      return s;
    }
    case q::Op::kOr: {
      const std::string a = arg(n.a);
      s.text = "(" + a + " OR " + arg(n.b) + ")";
      return s;
    }
    case q::Op::kCompare: s.text = compare(n, at, s.joins); return s;
    case q::Op::kArith: s.text = arith(n, at, s.joins); return s;
    case q::Op::kAddDuration: {
      const std::string a = arg(n.a);
      switch (n.unit()) {
        case q::Unit::kDays: s.text = moved_days(a, n.amount); break;
        case q::Unit::kMonths: s.text = moved_months(a, n.amount); break;
        case q::Unit::kYears:
          s.text = n.amount > 10000 || n.amount < -10000 ? "CAST(NULL AS DATE)" : moved_months(a, n.amount * 12);
          break;
      }
      return s;
    }
    case q::Op::kDatePart: {
      const char* part = n.part() == q::DatePart::kYear ? "YEAR" : n.part() == q::DatePart::kMonth ? "MONTH" : "DAY";
      s.text = "CAST(EXTRACT(" + std::string(part) + " FROM " + arg(n.a) + ") AS BIGINT)";
      return s;
    }
    case q::Op::kInCodelist: s.text = in_codelist(n, at, s.joins); return s;
    case q::Op::kInSet: {
      std::string t = "(" + arg(n.a) + (n.negated ? " NOT IN (" : " IN (");
      for (std::size_t i = 0; i < n.kids.size(); ++i) t += (i ? ", " : "") + arg(n.kids[i]);
      s.text = t + "))";
      return s;
    }
    case q::Op::kInRange: {
      const std::string v = arg(n.a), lo = arg(n.b), hi = arg(n.c);
      const std::string inside =
          "(" + v + (n.low_open ? " > " : " >= ") + lo + " AND " + v + (n.high_open ? " < " : " <= ") + hi + ")";
      s.text = "(CASE WHEN " + v + " IS NULL OR " + lo + " IS NULL OR " + hi + " IS NULL THEN NULL ELSE " +
               (n.negated ? "NOT " + inside : inside) + " END)";
      return s;
    }
    case q::Op::kIsNull: s.text = "(" + arg(n.a) + (n.negated ? " IS NOT NULL)" : " IS NULL)"); return s;
    case q::Op::kCase: {
      std::string t = "(CASE";
      const std::size_t pairs = (n.kids.size() - (n.has_else ? 1 : 0)) / 2;
      for (std::size_t i = 0; i < pairs; ++i) {
        t += " WHEN " + arg(n.kids[2 * i]);
        t += " THEN " + typed(n.kids[2 * i + 1], n.type, at, s.joins);
      }
      if (n.has_else) t += " ELSE " + typed(n.kids.back(), n.type, at, s.joins);
      s.text = t + " END)";
      return s;
    }
    case q::Op::kCoalesce: {
      std::string t = "COALESCE(";
      for (std::size_t i = 0; i < n.kids.size(); ++i) t += (i ? ", " : "") + typed(n.kids[i], n.type, at, s.joins);
      s.text = t + ")";
      return s;
    }
    case q::Op::kText: s.text = text_of(n.a, at, s.joins); return s;
    case q::Op::kLookup: {
      // A reference table joined at its key: a VALUES list with one row per key, so the join
      // finds one row or none.
      references_.insert(n.sub);
      const std::string key = text_of(n.a, at, s.joins);
      const std::string alias = "k" + std::to_string(id);
      s.joins.push_back({Join::Kind::kLookup, alias, "ref_" + std::to_string(n.sub), key, n.dates});
      s.text = alias + ".v";
      return s;
    }
    case q::Op::kRegisteredOn:
    case q::Op::kPracticeOn: return registration(id);
    case q::Op::kAgeOn:
      s.text = age_on(arg(n.a));
      s.joins.push_back(patients_join());
      return s;
    case q::Op::kExists:
    case q::Op::kCount:
    case q::Op::kCountDistinct:
    case q::Op::kMin:
    case q::Op::kMax:
    case q::Op::kSum:
    case q::Op::kMean:
    case q::Op::kCountEpisodes: return aggregate(id);
    case q::Op::kTable:
    case q::Op::kWhere:
    case q::Op::kSortBy:
    case q::Op::kFirst:
    case q::Op::kLatest: break;
  }
  throw std::logic_error(std::string("sql: a ") + q::op_name(n.op) + " node is not a value");
}

// Whole years from the date of birth to d; null before birth (core/date.h, age_in_years).
std::string SetCompiler::age_on(const std::string& d) const {
  const std::string b = "p.date_of_birth";
  const auto part = [](const char* p, const std::string& e) { return "EXTRACT(" + std::string(p) + " FROM " + e + ")"; };
  return "(CASE WHEN " + d + " IS NULL OR " + b + " IS NULL OR " + d + " < " + b + " THEN NULL ELSE CAST(" + part("YEAR", d) +
         " - " + part("YEAR", b) + " - (CASE WHEN " + part("MONTH", d) + " < " + part("MONTH", b) + " OR (" + part("MONTH", d) +
         " = " + part("MONTH", b) + " AND " + part("DAY", d) + " < " + part("DAY", b) + ") THEN 1 ELSE 0 END) AS BIGINT) END)";
}

// A branch of a case or coalesce in the type of the whole (an int branch of a float case).
std::string SetCompiler::typed(q::NodeId id, q::ValueType want, Level at, std::vector<Join>& joins) {
  const std::string v = put(id, at, joins);
  if (want == q::ValueType::kFloat && m_.node(id).type == q::ValueType::kInt) return "CAST(" + v + " AS DOUBLE PRECISION)";
  return v;
}

// A date moved by whole days or months, null where the result leaves the calendar
// (0001-01-01..9999-12-31), as the native engine's add_days_checked and add_months_checked.
// Whether it does depends only on the date, so the test is a range of dates computed here: the
// database never computes a date outside the calendar (PostgreSQL cannot hold one before 4714 BC
// and would fail the query rather than give null).
std::string SetCompiler::moved_days(const std::string& date, std::int64_t days) const {
  const std::int64_t lo = std::max<std::int64_t>(kFirstDay, kFirstDay - days), hi = std::min<std::int64_t>(kLastDay, kLastDay - days);
  if (lo > hi) return "CAST(NULL AS DATE)";
  return "(CASE WHEN " + date + " BETWEEN " + date_literal(static_cast<Days>(lo)) + " AND " + date_literal(static_cast<Days>(hi)) +
         " THEN " + d_.add_days(date, days) + " END)";
}

std::string SetCompiler::moved_months(const std::string& date, std::int64_t months) const {
  // Months numbered from 0001-01 (0) to 9999-12 (119987): the result's month must be one of them.
  constexpr std::int64_t kMonths = 9999 * 12;
  const std::int64_t lo = std::max<std::int64_t>(0, -months), hi = std::min<std::int64_t>(kMonths - 1, kMonths - 1 - months);
  if (lo > hi) return "CAST(NULL AS DATE)";
  const auto first_day = [](std::int64_t m) { return days_from_civil(static_cast<int>(m / 12 + 1), static_cast<int>(m % 12 + 1), 1); };
  const Days from = first_day(lo), to = hi + 1 == kMonths ? days_from_civil(9999, 12, 31) : first_day(hi + 1) - 1;
  return "(CASE WHEN " + date + " BETWEEN " + date_literal(from) + " AND " + date_literal(to) + " THEN " +
         d_.add_months(date, months) + " END)";
}

// A column of the row visited (alias r). As a value, a code list column is its first code (null
// when empty), as in the native engine: the child table's row at position 1.
std::string SetCompiler::row_column(std::uint16_t t, std::uint16_t c, std::vector<Join>& joins) {
  const q::Table& tab = m_.table(t);
  const q::Column& col = tab.columns[c];
  if (!col.list) return "r." + identifier(col.store_column);
  const std::string alias = "lf" + std::to_string(t) + "_" + std::to_string(c);
  add_joins(joins, {{Join::Kind::kRow, alias, table(tab.name + "_" + col.store_column), " AND " + alias + ".position = 1", false}});
  return alias + ".code";
}

std::string SetCompiler::compare(const q::Node& n, Level at, std::vector<Join>& joins) {
  static const char* const kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
  std::string a = put(n.a, at, joins);
  std::string b = put(n.b, at, joins);
  const q::ValueType ta = m_.node(n.a).type;
  if (ta == q::ValueType::kString || ta == q::ValueType::kCode) {
    a = d_.binary_collation(a);
    b = d_.binary_collation(b);
  }
  return "(" + a + kOps[n.sub] + b + ")";
}

std::string SetCompiler::arith(const q::Node& n, Level at, std::vector<Join>& joins) {
  const std::string a = put(n.a, at, joins);
  const std::string b = put(n.b, at, joins);
  const q::ValueType ta = m_.node(n.a).type, tb = m_.node(n.b).type;
  if (ta == q::ValueType::kDate && tb == q::ValueType::kDate) return d_.days_between(a, b);
  static const char kOps[] = {'+', '-', '*'};
  if (n.arith() == q::Arith::kDiv)
    return "(CAST(" + a + " AS DOUBLE PRECISION) / NULLIF(CAST(" + b + " AS DOUBLE PRECISION), 0))";
  if (n.type == q::ValueType::kInt) return d_.checked_integer_arith(kOps[n.sub], a, b);
  return "(CAST(" + a + " AS DOUBLE PRECISION) " + kOps[n.sub] + " CAST(" + b + " AS DOUBLE PRECISION))";
}

// A value as the text kText makes: true/false, decimal integers, ISO dates, codes as they are.
std::string SetCompiler::text_of(q::NodeId id, Level at, std::vector<Join>& joins) {
  const std::string v = put(id, at, joins);
  switch (m_.node(id).type) {
    case q::ValueType::kBool: return "(CASE " + v + " WHEN TRUE THEN 'true' WHEN FALSE THEN 'false' END)";
    case q::ValueType::kDate: return d_.iso_date_text(v);
    case q::ValueType::kInt:
    case q::ValueType::kString:
    case q::ValueType::kCode:
    case q::ValueType::kNull: return "CAST(" + v + " AS TEXT)";
    case q::ValueType::kFloat:
      throw InputError("SQL (" + std::string(d_.name()) +
                       "): a number with a decimal point as text (a group column of a float let) has no portable form");
  }
  return v;
}

// The codes as a literal list, not a subquery over a VALUES list: a literal list is hashed
// (PostgreSQL 14 and later) wherever it is tested, and DuckDB treats both alike.
std::string SetCompiler::codes(std::uint32_t codelist) {
  std::string& out = codelist_sql_[codelist];
  if (out.empty()) {
    const q::Codelist& list = m_.codelists[codelist];
    if (list.codes.empty()) out = "(SELECT CAST(NULL AS TEXT) WHERE FALSE)";
    for (std::size_t i = 0; i < list.codes.size(); ++i) out += (i ? ", " : "(") + quoted(list.codes[i]);
    if (!list.codes.empty()) out += ")";
  }
  return out;
}

// Whether a code is in the list: null for a null code, otherwise true or false (the list holds no
// null). A three-character category also matches its subdivisions, stored as "K02.1".
std::string SetCompiler::member(std::uint32_t codelist, const std::string& code) {
  const q::Codelist& list = m_.codelists[codelist];
  const std::uint32_t index = codelist;
  std::string s = "(" + code + " IN " + codes(index);
  if (list.with_subcodes)
    s += " OR (length(" + code + ") > 4 AND substr(" + code + ", 4, 1) = '.' AND substr(" + code + ", 1, 3) IN " + codes(index) + ")";
  return s + ")";
}

std::string SetCompiler::in_codelist(const q::Node& n, Level at, std::vector<Join>& joins) {
  const q::Node& a = m_.node(n.a);
  if (a.op == q::Op::kRowsColumn && m_.table(a.table).columns[a.column].list) {
    // Any code of the row's list: whether some code of each row is in the list, computed once
    // per row of the child table. An empty (or null) list has no child rows and is null, in or
    // not in any code list, as in the native engine (Evaluator::code_in_list): not false, which
    // `not` would make true.
    const q::Table& tab = m_.table(a.table);
    const std::string child = tab.name + "_" + tab.columns[a.column].store_column;
    std::string& name = list_any_[std::to_string(n.codelist) + " " + child];
    if (name.empty())
      name = make_cte("la" + std::to_string(n.codelist) + "_" + std::to_string(a.table) + "_" + std::to_string(a.column),
                      "SELECT c.row_id, MAX(CASE WHEN " + member(n.codelist, "c.code") + " THEN 1 ELSE 0 END) AS v FROM " +
                          table(child) + " c GROUP BY c.row_id",
                      {});
    add_joins(joins, {{Join::Kind::kRow, name, name, "", false}});
    const std::string any = "(" + name + ".v = 1)";
    return n.negated ? "(NOT " + any + ")" : any;
  }
  const std::string in = member(n.codelist, put(n.a, at, joins));
  return n.negated ? "(NOT " + in + ")" : in;
}

}  // namespace severn::sql
