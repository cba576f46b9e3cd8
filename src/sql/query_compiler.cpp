#include "sql/query_compiler.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "core/error.h"

namespace severn::sql {
namespace {

namespace q = query;

// Generated SQL past this size is refused rather than sent: a definition whose lets are shared
// many times over inlines each use.
constexpr std::size_t kMaxSqlBytes = 64u << 20;

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string identifier(const std::string& s) { return "\"" + s + "\""; }

std::string date_literal(Days d) { return "DATE '" + format_iso_date(d) + "'"; }

// A frame in SQL: the rows of one table for the person, the conditions that keep them and the
// sort keys added to it (in the order added: the last one decides first).
struct Frame {
  std::uint16_t table = q::kNoTable;
  std::string alias;
  std::vector<std::string> conditions;
  std::vector<std::pair<std::string, bool>> keys;  // (expression, is text)
};

class Compiler {
 public:
  Compiler(const q::Model& m, const SqlTarget& t) : m_(m), t_(t), d_(*t.dialect) {}

  std::string table(const std::string& name) const {
    return t_.schema.empty() ? identifier(name) : identifier(t_.schema) + "." + identifier(name);
  }

  // Common table expressions for the reference tables used, and the lanes.
  std::string with(const std::vector<std::pair<Days, Days>>& lanes) const {
    std::string s = "WITH lanes(lane, index_date, interval_start) AS (VALUES ";
    for (std::size_t l = 0; l < lanes.size(); ++l)
      s += (l ? ", " : "") + std::string("(") + std::to_string(l) + ", " + date_literal(lanes[l].first) + ", " +
           date_literal(lanes[l].second) + ")";
    s += ")";
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
    return s;
  }

  std::string value(q::NodeId id, const Frame* row) {
    std::string s = build(id, row);
    if (s.size() > kMaxSqlBytes)
      throw InputError("the definition's SQL would exceed " + std::to_string(kMaxSqlBytes >> 20) +
                       " MiB: its lets are named too many times over for one SQL statement; evaluate it with the native engine");
    return s;
  }

 private:
  std::string build(q::NodeId id, const Frame* row) {
    const q::Node& n = m_.node(id);
    switch (n.op) {
      case q::Op::kLiteral: return literal(n.literal);
      case q::Op::kIndexDate: return "l.index_date";
      case q::Op::kIntervalStart: return "l.interval_start";
      case q::Op::kPatientColumn: return "p." + identifier(m_.table(m_.patients()).columns[n.column].store_column);
      case q::Op::kRowsColumn: {
        if (row == nullptr || row->table != n.table)
          throw std::logic_error("sql: a row column outside a frame of its table");
        return column_of(n.table, n.column, row->alias);
      }
      case q::Op::kPickedColumn: return picked(n);
      case q::Op::kNot: return "(NOT " + value(n.a, row) + ")";
      case q::Op::kNegate: {
        const std::string a = value(n.a, row);
        if (n.type == q::ValueType::kInt)
          return bind({a}, [&](const std::vector<std::string>& v) { return d_.checked_integer_arith('-', "0", v[0]); });
        return "(-" + a + ")";
      }
      case q::Op::kAnd: return "(" + value(n.a, row) + " AND " + value(n.b, row) + ")";
      case q::Op::kOr: return "(" + value(n.a, row) + " OR " + value(n.b, row) + ")";
      case q::Op::kCompare: return compare(n, row);
      case q::Op::kArith: return arith(n, row);
      case q::Op::kAddDuration: {
        const std::string a = value(n.a, row);
        switch (n.unit()) {
          case q::Unit::kDays: return moved_days(a, n.amount);
          case q::Unit::kMonths: return moved_months(a, n.amount);
          case q::Unit::kYears:
            return n.amount > 10000 || n.amount < -10000 ? "CAST(NULL AS DATE)" : moved_months(a, n.amount * 12);
        }
        break;
      }
      case q::Op::kDatePart: {
        const char* part = n.part() == q::DatePart::kYear ? "YEAR" : n.part() == q::DatePart::kMonth ? "MONTH" : "DAY";
        return "CAST(EXTRACT(" + std::string(part) + " FROM " + value(n.a, row) + ") AS BIGINT)";
      }
      case q::Op::kInCodelist: return in_codelist(n, row);
      case q::Op::kInSet: {
        std::string s = "(" + value(n.a, row) + (n.negated ? " NOT IN (" : " IN (");
        for (std::size_t i = 0; i < n.kids.size(); ++i) s += (i ? ", " : "") + value(n.kids[i], row);
        return s + "))";
      }
      case q::Op::kInRange: {
        return bind({value(n.a, row), value(n.b, row), value(n.c, row)}, [&](const std::vector<std::string>& x) {
          const std::string &v = x[0], &lo = x[1], &hi = x[2];
          const std::string inside =
              "(" + v + (n.low_open ? " > " : " >= ") + lo + " AND " + v + (n.high_open ? " < " : " <= ") + hi + ")";
          return "(CASE WHEN " + v + " IS NULL OR " + lo + " IS NULL OR " + hi + " IS NULL THEN NULL ELSE " +
                 (n.negated ? "NOT " + inside : inside) + " END)";
        });
      }
      case q::Op::kIsNull: return "(" + value(n.a, row) + (n.negated ? " IS NOT NULL)" : " IS NULL)");
      case q::Op::kCase: {
        std::string s = "(CASE";
        const std::size_t pairs = (n.kids.size() - (n.has_else ? 1 : 0)) / 2;
        for (std::size_t i = 0; i < pairs; ++i)
          s += " WHEN " + value(n.kids[2 * i], row) + " THEN " + typed(n.kids[2 * i + 1], n.type, row);
        if (n.has_else) s += " ELSE " + typed(n.kids.back(), n.type, row);
        return s + " END)";
      }
      case q::Op::kCoalesce: {
        std::string s = "COALESCE(";
        for (std::size_t i = 0; i < n.kids.size(); ++i) s += (i ? ", " : "") + typed(n.kids[i], n.type, row);
        return s + ")";
      }
      case q::Op::kText: return text(n.a, row);
      case q::Op::kLookup: {
        references_.insert(n.sub);
        return "(SELECT r.v FROM ref_" + std::to_string(n.sub) + " r WHERE r.k = " + text(n.a, row) + ")";
      }
      case q::Op::kRegisteredOn:
        return bind({value(n.a, row)}, [&](const std::vector<std::string>& v) {
          const std::string& d = v[0];
          return "(CASE WHEN " + d + " IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM " + registrations() +
                 " g WHERE g.person_id = p.person_id AND g.start_date <= " + d + " AND (g.end_date IS NULL OR g.end_date >= " +
                 d + ")) END)";
        });
      case q::Op::kPracticeOn:
        return bind({value(n.a, row)}, [&](const std::vector<std::string>& v) {
          const std::string& d = v[0];
          return "(SELECT g.practice_code FROM " + registrations() + " g WHERE g.person_id = p.person_id AND g.start_date <= " +
                 d + " AND (g.end_date IS NULL OR g.end_date >= " + d + ") ORDER BY g.row_id DESC LIMIT 1)";
        });
      case q::Op::kAgeOn: return bind({value(n.a, row)}, [&](const std::vector<std::string>& v) { return age_on(v[0]); });
      case q::Op::kExists: {
        const Frame f = frame(n.a, row);
        return "EXISTS (SELECT 1 " + from(f) + ")";
      }
      case q::Op::kCount: {
        const Frame f = frame(n.a, row);
        return "(SELECT CAST(COUNT(*) AS BIGINT) " + from(f) + ")";
      }
      case q::Op::kCountDistinct: {
        const Frame f = frame(n.a, row);
        return "(SELECT CAST(COUNT(DISTINCT " + value(n.b, &f) + ") AS BIGINT) " + from(f) + ")";
      }
      case q::Op::kMin:
      case q::Op::kMax: {
        const Frame f = frame(n.a, row);
        std::string v = value(n.b, &f);
        if (n.type == q::ValueType::kString || n.type == q::ValueType::kCode) v = d_.binary_collation(v);
        return "(SELECT " + std::string(n.op == q::Op::kMin ? "MIN(" : "MAX(") + v + ") " + from(f) + ")";
      }
      case q::Op::kSum: {
        const Frame f = frame(n.a, row);
        const std::string v = value(n.b, &f);
        const std::string order = f.alias + ".row_id";
        // The sum of no values is 0; a sum past 64 bits is null, not 0: the count tells them apart.
        if (n.type == q::ValueType::kFloat)
          return "(SELECT CASE WHEN COUNT(" + v + ") = 0 THEN CAST(0 AS DOUBLE PRECISION) ELSE " +
                 d_.ordered_float_sum(v, order) + " END " + from(f) + ")";
        return "(SELECT CASE WHEN COUNT(" + v + ") = 0 THEN CAST(0 AS BIGINT) ELSE " + d_.checked_integer_sum(v, order) +
               " END " + from(f) + ")";
      }
      case q::Op::kMean: {
        const Frame f = frame(n.a, row);
        const std::string v = value(n.b, &f);
        return "(SELECT " + d_.ordered_float_sum(v, f.alias + ".row_id") + " / NULLIF(COUNT(" + v + "), 0) " + from(f) + ")";
      }
      case q::Op::kCountEpisodes: return episodes(n, row);
      case q::Op::kTable:
      case q::Op::kWhere:
      case q::Op::kSortBy:
      case q::Op::kFirst:
      case q::Op::kLatest: break;
    }
    throw std::logic_error(std::string("sql: a ") + q::op_name(n.op) + " node is not a value");
  }

  // Whole years from the date of birth to d; null before birth (core/date.h, age_in_years).
  std::string age_on(const std::string& d) const {
    const std::string b = "p.date_of_birth";
    const auto part = [](const char* p, const std::string& e) { return "EXTRACT(" + std::string(p) + " FROM " + e + ")"; };
    return "(CASE WHEN " + d + " IS NULL OR " + b + " IS NULL OR " + d + " < " + b + " THEN NULL ELSE CAST(" + part("YEAR", d) +
           " - " + part("YEAR", b) + " - (CASE WHEN " + part("MONTH", d) + " < " + part("MONTH", b) + " OR (" + part("MONTH", d) +
           " = " + part("MONTH", b) + " AND " + part("DAY", d) + " < " + part("DAY", b) + ") THEN 1 ELSE 0 END) AS BIGINT) END)";
  }

  std::string literal(const q::Literal& l) const {
    switch (l.type) {
      case q::ValueType::kNull: return "NULL";
      case q::ValueType::kBool: return l.i ? "TRUE" : "FALSE";
      case q::ValueType::kInt: return "CAST(" + std::to_string(l.i) + " AS BIGINT)";
      case q::ValueType::kFloat: {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", l.f);
        return "CAST('" + std::string(buf) + "' AS DOUBLE PRECISION)";
      }
      case q::ValueType::kDate: return date_literal(static_cast<Days>(l.i));
      case q::ValueType::kCode:
      case q::ValueType::kString: return "CAST(" + quoted(l.s) + " AS TEXT)";
    }
    return "NULL";
  }

  // A branch of a case or coalesce in the type of the whole (an int branch of a float case).
  std::string typed(q::NodeId id, q::ValueType want, const Frame* row) {
    const std::string v = value(id, row);
    const q::ValueType have = m_.node(id).type;
    if (want == q::ValueType::kFloat && have == q::ValueType::kInt) return "CAST(" + v + " AS DOUBLE PRECISION)";
    return v;
  }

  // Several uses of one value in the SQL of a node: a value that is more than a column or a
  // literal is bound once, in a one-row derived table of a scalar subquery, and named by its
  // column there. Written out at each use instead, a let over a let over a let doubles at each
  // level, and the SQL of the library's larger definitions grew to megabytes that took PostgreSQL
  // minutes to plan and run.
  static bool simple(const std::string& e) { return e.size() < 160 && e.find("SELECT") == std::string::npos; }
  template <class Body>
  std::string bind(std::vector<std::string> values, Body body) {
    const std::string alias = "b" + std::to_string(next_alias_++);
    std::string select;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (simple(values[i])) continue;
      const std::string name = "x" + std::to_string(i);
      select += (select.empty() ? "" : ", ") + values[i] + " AS " + name;
      values[i] = alias + "." + name;
    }
    const std::string sql = body(values);
    return select.empty() ? sql : "(SELECT " + sql + " FROM (SELECT " + select + ") " + alias + ")";
  }

  // A date moved by whole days or months, null where the result leaves the calendar
  // (0001-01-01..9999-12-31), as the native engine's add_days_checked and add_months_checked.
  // Whether it does depends only on the date, so the test is a range of dates computed here: the
  // database never computes a date outside the calendar (PostgreSQL cannot hold one before 4714 BC
  // and would fail the query rather than give null).
  std::string moved_days(const std::string& date, std::int64_t days) {
    const std::int64_t lo = std::max<std::int64_t>(kFirstDay, kFirstDay - days), hi = std::min<std::int64_t>(kLastDay, kLastDay - days);
    if (lo > hi) return "CAST(NULL AS DATE)";
    return bind({date}, [&](const std::vector<std::string>& v) {
      return "(CASE WHEN " + v[0] + " BETWEEN " + date_literal(static_cast<Days>(lo)) + " AND " +
             date_literal(static_cast<Days>(hi)) + " THEN " + d_.add_days(v[0], days) + " END)";
    });
  }
  std::string moved_months(const std::string& date, std::int64_t months) {
    // Months numbered from 0001-01 (0) to 9999-12 (119987): the result's month must be one of them.
    constexpr std::int64_t kMonths = 9999 * 12;
    const std::int64_t lo = std::max<std::int64_t>(0, -months), hi = std::min<std::int64_t>(kMonths - 1, kMonths - 1 - months);
    if (lo > hi) return "CAST(NULL AS DATE)";
    const auto first_day = [](std::int64_t m) { return days_from_civil(static_cast<int>(m / 12 + 1), static_cast<int>(m % 12 + 1), 1); };
    const Days from = first_day(lo), to = hi + 1 == kMonths ? days_from_civil(9999, 12, 31) : first_day(hi + 1) - 1;
    return bind({date}, [&](const std::vector<std::string>& v) {
      return "(CASE WHEN " + v[0] + " BETWEEN " + date_literal(from) + " AND " + date_literal(to) + " THEN " +
             d_.add_months(v[0], months) + " END)";
    });
  }

  std::string registrations() const { return table("practice_registrations"); }

  std::string column_of(std::uint16_t t, std::uint16_t c, const std::string& alias) const {
    const q::Table& tab = m_.table(t);
    const q::Column& col = tab.columns[c];
    if (!col.list) return alias + "." + identifier(col.store_column);
    // As a value, a list of codes is its first code (null when empty), as in the native engine.
    return "(SELECT c.code FROM " + table(tab.name + "_" + col.store_column) + " c WHERE c.row_id = " + alias +
           ".row_id ORDER BY c.position LIMIT 1)";
  }

  std::string compare(const q::Node& n, const Frame* row) {
    static const char* const kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
    std::string a = value(n.a, row), b = value(n.b, row);
    const q::ValueType ta = m_.node(n.a).type;
    if (ta == q::ValueType::kString || ta == q::ValueType::kCode) {
      a = d_.binary_collation(a);
      b = d_.binary_collation(b);
    }
    return "(" + a + kOps[n.sub] + b + ")";
  }

  std::string arith(const q::Node& n, const Frame* row) {
    const std::string a = value(n.a, row), b = value(n.b, row);
    const q::ValueType ta = m_.node(n.a).type, tb = m_.node(n.b).type;
    if (ta == q::ValueType::kDate && tb == q::ValueType::kDate) return d_.days_between(a, b);
    if (n.type == q::ValueType::kInt && n.arith() != q::Arith::kDiv) {
      static const char kIntOps[] = {'+', '-', '*'};
      return bind({a, b}, [&](const std::vector<std::string>& v) { return d_.checked_integer_arith(kIntOps[n.sub], v[0], v[1]); });
    }
    if (n.arith() == q::Arith::kDiv)
      return "(CAST(" + a + " AS DOUBLE PRECISION) / NULLIF(CAST(" + b + " AS DOUBLE PRECISION), 0))";
    static const char kOps[] = {'+', '-', '*'};
    const char op = kOps[n.sub];
    if (n.type == q::ValueType::kInt) return d_.checked_integer_arith(op, a, b);
    return "(CAST(" + a + " AS DOUBLE PRECISION) " + op + " CAST(" + b + " AS DOUBLE PRECISION))";
  }

  // A value as the text kText makes: true/false, decimal integers, ISO dates, codes as they are.
  std::string text(q::NodeId id, const Frame* row) {
    const std::string v = value(id, row);
    switch (m_.node(id).type) {
      case q::ValueType::kBool: return "(CASE " + v + " WHEN TRUE THEN 'true' WHEN FALSE THEN 'false' END)";
      case q::ValueType::kDate: return d_.iso_date_text(v);
      case q::ValueType::kInt: return "CAST(" + v + " AS TEXT)";
      case q::ValueType::kString:
      case q::ValueType::kCode:
      case q::ValueType::kNull: return "CAST(" + v + " AS TEXT)";
      case q::ValueType::kFloat:
        throw InputError("SQL (" + std::string(d_.name()) +
                         "): a number with a decimal point as text (a group column of a float let) has no portable form");
    }
    return v;
  }

  std::string in_codelist(const q::Node& n, const Frame* row) {
    const q::Codelist& list = m_.codelists[n.codelist];
    // The codes as a literal list, not a subquery over a VALUES list in WITH: PostgreSQL plans
    // `x IN (SELECT code FROM cte)` inside a correlated subquery as a scan of the whole list per
    // row, which took minutes on the library's larger lists; a literal list is hashed
    // (PostgreSQL 14 and later) and DuckDB treats both alike.
    std::string& codes = codelist_sql_[n.codelist];
    if (codes.empty()) {
      if (list.codes.empty()) codes = "(SELECT CAST(NULL AS TEXT) WHERE FALSE)";
      for (std::size_t i = 0; i < list.codes.size(); ++i) codes += (i ? ", " : "(") + quoted(list.codes[i]);
      if (!list.codes.empty()) codes += ")";
    }
    const auto member = [&](const std::string& code) {
      std::string s = "(" + code + " IN " + codes;
      // A three-character category also matches its subdivisions, stored as "K02.1".
      if (list.with_subcodes)
        s += " OR (length(" + code + ") > 4 AND substr(" + code + ", 4, 1) = '.' AND substr(" + code + ", 1, 3) IN " + codes + ")";
      return s + ")";
    };
    const q::Node& a = m_.node(n.a);
    if (a.op == q::Op::kRowsColumn && m_.table(a.table).columns[a.column].list) {
      // Any code of the row's list. An empty (or null) list is null, in or not in any code list,
      // as in the native engine (Evaluator::code_in_list): not false, which `not` would make true.
      const q::Table& tab = m_.table(a.table);
      const std::string codes = "FROM " + table(tab.name + "_" + tab.columns[a.column].store_column) + " c WHERE c.row_id = " +
                                row->alias + ".row_id";
      const std::string any = "EXISTS (SELECT 1 " + codes + " AND " + member("c.code") + ")";
      return "(CASE WHEN NOT EXISTS (SELECT 1 " + codes + ") THEN NULL ELSE " + (n.negated ? "NOT " + any : any) + " END)";
    }
    return bind({value(n.a, row)}, [&](const std::vector<std::string>& v) {
      const std::string in = member(v[0]);
      return "(CASE WHEN " + v[0] + " IS NULL THEN NULL ELSE " + (n.negated ? "NOT " + in : in) + " END)";
    });
  }

  Frame frame(q::NodeId id, const Frame* outer) {
    const q::Node& n = m_.node(id);
    switch (n.op) {
      case q::Op::kTable: {
        Frame f;
        f.table = n.table;
        f.alias = "r" + std::to_string(next_alias_++);
        f.conditions.push_back(f.alias + ".person_id = p.person_id");
        return f;
      }
      case q::Op::kWhere: {
        Frame f = frame(n.a, outer);
        f.conditions.push_back(value(n.b, &f));
        return f;
      }
      case q::Op::kSortBy: {
        Frame f = frame(n.a, outer);
        const q::ValueType t = m_.node(n.b).type;
        std::string key = value(n.b, &f);
        const bool is_text = t == q::ValueType::kString || t == q::ValueType::kCode;
        if (is_text) key = d_.binary_collation(key);
        f.keys.emplace_back(key, is_text);
        return f;
      }
      default: throw std::logic_error("sql: not a frame");
    }
  }

  std::string from(const Frame& f) const {
    std::string s = "FROM " + table(m_.table(f.table).name) + " " + f.alias + " WHERE ";
    for (std::size_t i = 0; i < f.conditions.size(); ++i) s += (i ? " AND " : "") + f.conditions[i];
    return s;
  }

  // first(): the smallest row by the sort keys (the last added first; nulls first), ties in store
  // order; latest(): the largest, ties to the later row.
  std::string picked(const q::Node& n) {
    const q::Node& pick = m_.node(n.a);
    const bool latest = pick.op == q::Op::kLatest;
    const Frame f = frame(pick.a, nullptr);
    std::string order;
    for (std::size_t k = f.keys.size(); k-- > 0;)
      order += f.keys[k].first + (latest ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
    order += f.alias + ".row_id" + (latest ? " DESC" : " ASC");
    return "(SELECT " + column_of(pick.table, n.column, f.alias) + " " + from(f) + " ORDER BY " + order + " LIMIT 1)";
  }

  // Episodes: rows with a date, in store order; a row starts an episode when it is the first or
  // its date is more than the gap after the previous row's.
  std::string episodes(const q::Node& n, const Frame* row) {
    Frame f = frame(n.a, row);
    const q::Table& tab = m_.table(f.table);
    const std::string date = f.alias + "." + identifier(tab.columns[static_cast<std::size_t>(tab.date_column)].store_column);
    f.conditions.push_back(date + " IS NOT NULL");
    std::string gap_end;
    switch (n.unit()) {
      // A gap that runs past 9999-12-31 never ends (null): no later row starts an episode.
      case q::Unit::kDays: gap_end = moved_days("e.previous", n.amount); break;
      case q::Unit::kMonths: gap_end = moved_months("e.previous", n.amount); break;
      case q::Unit::kYears:
        gap_end = n.amount > 10000 ? "CAST(NULL AS DATE)" : moved_months("e.previous", n.amount * 12);
        break;
    }
    return "(SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT " + date + " AS day, LAG(" + date + ") OVER (ORDER BY " + f.alias +
           ".row_id) AS previous " + from(f) + ") e WHERE e.previous IS NULL OR e.day > " + gap_end + ")";
  }

  const q::Model& m_;
  const SqlTarget& t_;
  const DialectHooks& d_;
  int next_alias_ = 0;
  std::map<std::uint32_t, std::string> codelist_sql_;

 public:
  std::set<std::uint8_t> references_;
};

}  // namespace

std::string compile_measures(const q::Model& model, std::size_t definition, const MeasuresQuery& query,
                             const SqlTarget& target) {
  const q::Definition& def = model.definitions.at(definition);
  Compiler c(model, target);
  const std::string population = c.value(def.population, nullptr);
  std::string select = "SELECT p.person_id, l.lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g)
    select += ",\n    " + c.value(query.groups[g], nullptr) + " AS g" + std::to_string(g);
  std::string any_denominator;
  for (std::size_t m = 0; m < def.measures.size(); ++m) {
    std::string lanes = "l.lane IN (";
    for (std::size_t i = 0; i < query.lanes_of[m].size(); ++i) lanes += (i ? ", " : "") + std::to_string(query.lanes_of[m][i]);
    lanes += ")";
    const std::string den = "(" + lanes + " AND (" + c.value(def.measures[m].denominator, nullptr) + ") IS TRUE)";
    const std::string num = "(" + den + " AND (" + c.value(def.measures[m].numerator, nullptr) + ") IS TRUE)";
    select += ",\n    CASE WHEN " + den + " THEN 1 ELSE 0 END AS d" + std::to_string(m);
    select += ",\n    CASE WHEN " + num + " THEN 1 ELSE 0 END AS n" + std::to_string(m);
  }
  std::string out = c.with(query.lanes) + ",\n  counted AS (\n  " + select + "\n  FROM " + c.table("patients") +
                    " p CROSS JOIN lanes l\n  WHERE (" + population + ") IS TRUE)\nSELECT lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  for (std::size_t m = 0; m < def.measures.size(); ++m) {
    const std::string k = std::to_string(m);
    out += ", CAST(SUM(d" + k + ") AS BIGINT) AS d" + k + ", CAST(SUM(n" + k + ") AS BIGINT) AS n" + k;
    any_denominator += (m ? " OR d" : "d") + k + " = 1";
  }
  out += "\nFROM counted";
  if (!any_denominator.empty()) out += "\nWHERE " + any_denominator;
  out += "\nGROUP BY lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  out += "\nORDER BY lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  return out;
}

std::string compile_dataset(const q::Model& model, std::size_t definition, Days index_date, const SqlTarget& target) {
  const q::Definition& def = model.definitions.at(definition);
  Compiler c(model, target);
  const std::string population = c.value(def.population, nullptr);
  std::string select = "SELECT p.person_id, p.pseudonym";
  for (std::size_t v = 0; v < def.variables.size(); ++v)
    select += ",\n  " + c.value(def.variables[v].value, nullptr) + " AS v" + std::to_string(v);
  return c.with({{index_date, index_date}}) + "\n" + select + "\nFROM " + c.table("patients") +
         " p CROSS JOIN lanes l\nWHERE (" + population + ") IS TRUE\nORDER BY p.person_id";
}

}  // namespace severn::sql
