#include "query/lower.h"

#include <stdexcept>

#include "lang/literals.h"
#include "lang/tables.h"
#include "query/reference.h"

namespace severn::query {
namespace {

using lang::Expr;
using lang::ExprKind;

Unit unit_of(const std::string& name) {
  return name == "days" ? Unit::kDays : name == "months" ? Unit::kMonths : Unit::kYears;
}

Intervals intervals_of(const lang::Intervals& iv) {
  Intervals out;
  switch (iv.kind) {
    case lang::IntervalKind::kMonthly: out.kind = Intervals::Kind::kMonthly; break;
    case lang::IntervalKind::kQuarterly: out.kind = Intervals::Kind::kQuarterly; break;
    case lang::IntervalKind::kYearly: out.kind = Intervals::Kind::kYearly; break;
    case lang::IntervalKind::kExplicit: out.kind = Intervals::Kind::kExplicit; break;
  }
  out.from = iv.from;
  out.to = iv.to;
  out.last = iv.last;
  out.spans = iv.spans;
  return out;
}

class Lowerer {
 public:
  Lowerer(const lang::CheckedDefinition& d, Model& m, const LowerOptions& o) : d_(d), m_(m), o_(o) {
    for (const auto& [name, list] : d.codelists) {
      Codelist c;
      c.name = name;
      c.file = list.file;
      c.family = list.family == lang::CodeFamily::kSnomed ? CodeSystem::kSnomedCt : CodeSystem::kIcd10;
      c.codes = list.codes.codes;
      c.set.insert(c.codes.begin(), c.codes.end());
      c.with_subcodes = list.with_subcodes;
      // Definitions evaluated together share a list with the same codes (and its row buckets).
      std::uint32_t at = 0;
      while (at < m_.codelists.size() && !(m_.codelists[at].family == c.family && m_.codelists[at].with_subcodes == c.with_subcodes &&
                                           m_.codelists[at].set == c.set))
        ++at;
      if (at == m_.codelists.size()) m_.codelists.push_back(std::move(c));
      codelists_[name] = at;
    }
  }

  void run() {
    const auto& def = d_.definition;
    Definition& out_def = m_.definitions.emplace_back();
    for (const auto& [kind, index] : def.order) {
      if (kind == 'l') lets_[def.lets[index].name] = expr(*def.lets[index].value, kNoTable);
      if (kind == 'v') out_def.variables.push_back({def.variables[index].name, expr(*def.variables[index].value, kNoTable)});
      if (kind == 'p') out_def.population = expr(*def.population, kNoTable);
      if (kind == 'm') out_def.measures.push_back(measure(def.measures[index]));
      if (kind == 'w') {
        const auto& w = def.worklists[index];
        Worklist out;
        out.name = w.name;
        out.when = expr(*w.when, kNoTable);
        for (const auto& [column, e] : w.show) out.show.push_back({column, expr(*e, kNoTable)});
        out_def.worklists.push_back(std::move(out));
      }
    }
    if (!out_def.worklists.empty() && o_.worklists && m_.worklist_practice == kNoNode) {
      m_.worklist_practice = builtin_group(m_, "practice", o_.data_dir);
      m_.worklist_pcn = builtin_group(m_, "pcn", o_.data_dir);
    }
  }

 private:
  // `unit`: a row measure's table, whose columns come before lets and built-in groups.
  std::uint32_t group(const std::string& name, std::uint16_t unit = kNoTable) {
    Group g;
    g.name = name;
    if (const std::int32_t c = unit != kNoTable ? m_.table(unit).find(name) : -1; c >= 0) {
      // The row's value as text, "unknown" when null, as for a let.
      Node column;
      column.op = Op::kRowsColumn;
      column.table = unit;
      column.column = static_cast<std::uint16_t>(c);
      g.value = coalesce({unary(Op::kText, add(std::move(column))), text("unknown")});
    } else if (const auto it = lets_.find(name); it != lets_.end()) {
      // A let's value as text, "unknown" when null (docs/language.md, "Group columns").
      g.value = coalesce({unary(Op::kText, it->second), text("unknown")});
    } else {
      g.value = builtin_group(m_, name, o_.data_dir);
    }
    for (std::size_t at = 0; at < m_.groups.size(); ++at)
      if (m_.groups[at].name == name && m_.groups[at].value == g.value) return static_cast<std::uint32_t>(at);
    m_.groups.push_back(std::move(g));
    return static_cast<std::uint32_t>(m_.groups.size() - 1);
  }

  Measure measure(const lang::Measure& lm) {
    Measure out;
    out.name = lm.name;
    // A row measure's conditions read the row's columns by name, as inside a frame method.
    out.unit = lm.over.empty() ? kNoTable : m_.table_id(lm.over);
    out.numerator = expr(*lm.numerator, out.unit);
    out.denominator = expr(*lm.denominator, out.unit);
    for (const auto& [column, pos] : lm.by) out.by.push_back(group(column, out.unit));
    if (!lm.stats.sii_by.empty()) {
      const std::uint32_t g = group(lm.stats.sii_by);
      bool listed = false;
      for (const auto b : out.by) listed = listed || b == g;
      if (!listed) out.by.push_back(g);
    }
    out.by_age_band = lm.stats.kind == lang::StatKind::kDsr || lm.stats.kind == lang::StatKind::kIsr;
    out.by_sex = lm.stats.kind == lang::StatKind::kIsr;
    if (out.by_age_band) group("age_band");
    if (out.by_sex) group("sex");
    out.intervals = intervals_of(*lm.intervals);
    return out;
  }

  NodeId add(Node n) { return m_.add(std::move(n)); }
  NodeId unary(Op op, NodeId a) {
    Node n;
    n.op = op;
    n.a = a;
    return add(std::move(n));
  }
  NodeId text(const std::string& s) {
    Node n;
    n.literal.type = ValueType::kString;
    n.literal.s = s;
    return add(std::move(n));
  }
  NodeId coalesce(std::vector<NodeId> kids) {
    Node n;
    n.op = Op::kCoalesce;
    n.kids = std::move(kids);
    return add(std::move(n));
  }

  const lang::Type& type(const Expr& e) const { return d_.types.at(&e); }

  NodeId expr(const Expr& e, std::uint16_t frame) {
    Node n;
    switch (e.kind) {
      case ExprKind::kName: return name(e, frame);
      case ExprKind::kInt:
        n.literal.type = ValueType::kInt;
        n.literal.i = lang::int_literal(e.literal).value_or(0);
        return add(std::move(n));
      case ExprKind::kFloat:
        n.literal.type = ValueType::kFloat;
        n.literal.f = lang::float_literal(e.literal).value_or(0);
        return add(std::move(n));
      case ExprKind::kDate:
        n.literal.type = ValueType::kDate;
        n.literal.i = e.date;
        return add(std::move(n));
      case ExprKind::kString: return text(e.literal);
      case ExprKind::kBool:
        n.literal.type = ValueType::kBool;
        n.literal.i = e.literal == "true" ? 1 : 0;
        return add(std::move(n));
      case ExprKind::kNull: return add(std::move(n));
      case ExprKind::kUnary: return unary(e.name == "not" ? Op::kNot : Op::kNegate, expr(*e.args[0], frame));
      case ExprKind::kBinary: return binary(e, frame);
      case ExprKind::kIn: return in(e, frame);
      case ExprKind::kIsNull:
        n.op = Op::kIsNull;
        n.a = expr(*e.args[0], frame);
        n.negated = e.negated;
        return add(std::move(n));
      case ExprKind::kCase:
        n.op = Op::kCase;
        n.has_else = e.has_else;
        for (const auto& a : e.args) n.kids.push_back(expr(*a, frame));
        return add(std::move(n));
      case ExprKind::kMember: return member(e, frame);
      case ExprKind::kCall: return call(e, frame);
      case ExprKind::kDuration:
      case ExprKind::kSet:
      case ExprKind::kRange: break;
    }
    throw std::logic_error("query model: unexpected expression at line " + std::to_string(e.pos.line));
  }

  NodeId name(const Expr& e, std::uint16_t frame) {
    Node n;
    // Inside a frame method a column of the frame's table hides a let of the same name.
    if (frame != kNoTable && type(e).event) {
      const std::int32_t c = m_.table(frame).find(e.name);
      if (c >= 0) {
        n.op = Op::kRowsColumn;
        n.table = frame;
        n.column = static_cast<std::uint16_t>(c);
        return add(std::move(n));
      }
    }
    if (const auto it = lets_.find(e.name); it != lets_.end()) return it->second;
    if (e.name == "index_date" || e.name == "interval_start") {
      n.op = e.name == "index_date" ? Op::kIndexDate : Op::kIntervalStart;
      return add(std::move(n));
    }
    if (e.name != "patients" && lang::find_event_table(e.name) != nullptr) {
      n.op = Op::kTable;
      n.table = m_.table_id(e.name);
      return add(std::move(n));
    }
    throw std::logic_error("query model: unbound name '" + e.name + "'");
  }

  NodeId binary(const Expr& e, std::uint16_t frame) {
    Node n;
    const std::string& op = e.name;
    const Expr& left = *e.args[0];
    const Expr& right = *e.args[1];
    if (op == "and" || op == "or") {
      n.op = op == "and" ? Op::kAnd : Op::kOr;
      n.a = expr(left, frame);
      n.b = expr(right, frame);
      return add(std::move(n));
    }
    if (left.kind == ExprKind::kDuration || right.kind == ExprKind::kDuration) {
      const Expr& date = right.kind == ExprKind::kDuration ? left : right;
      const Expr& duration = right.kind == ExprKind::kDuration ? right : left;
      n.op = Op::kAddDuration;
      n.a = expr(date, frame);
      n.sub = static_cast<std::uint8_t>(unit_of(duration.name));
      n.amount = lang::int_literal(duration.literal).value_or(0) * (op == "-" ? -1 : 1);
      return add(std::move(n));
    }
    n.a = expr(left, frame);
    n.b = expr(right, frame);
    static const char* const kCompare[] = {"==", "!=", "<", "<=", ">", ">="};
    for (std::uint8_t i = 0; i < 6; ++i)
      if (op == kCompare[i]) {
        n.op = Op::kCompare;
        n.sub = i;
        return add(std::move(n));
      }
    n.op = Op::kArith;
    n.sub = static_cast<std::uint8_t>(op == "+" ? Arith::kAdd : op == "-" ? Arith::kSub : op == "*" ? Arith::kMul : Arith::kDiv);
    return add(std::move(n));
  }

  NodeId in(const Expr& e, std::uint16_t frame) {
    Node n;
    const Expr& target = *e.args[1];
    n.a = expr(*e.args[0], frame);
    n.negated = e.negated;
    if (target.kind == ExprKind::kName) {
      n.op = Op::kInCodelist;
      n.codelist = codelists_.at(target.name);
    } else if (target.kind == ExprKind::kSet) {
      n.op = Op::kInSet;
      for (const auto& element : target.args) n.kids.push_back(expr(*element, frame));
    } else {
      n.op = Op::kInRange;
      n.b = expr(*target.args[0], frame);
      n.c = expr(*target.args[1], frame);
      n.low_open = target.low_open;
      n.high_open = target.high_open;
    }
    return add(std::move(n));
  }

  std::uint16_t column_of(std::uint16_t table, const std::string& name) const {
    const std::int32_t c = m_.table(table).find(name);
    if (c < 0) throw std::logic_error("query model: no column " + name);
    return static_cast<std::uint16_t>(c);
  }

  NodeId member(const Expr& e, std::uint16_t frame) {
    Node n;
    const Expr& obj = *e.args[0];
    const lang::Type& ot = type(obj);
    if (ot.base == lang::Base::kPatients) {
      n.op = Op::kPatientColumn;
      n.column = column_of(m_.patients(), e.name);
      return add(std::move(n));
    }
    if (ot.base == lang::Base::kRow) {
      n.op = Op::kPickedColumn;
      n.a = expr(obj, frame);
      n.column = column_of(m_.node(n.a).table, e.name);
      return add(std::move(n));
    }
    if (ot.base == lang::Base::kFrame) {
      // A frame's column is read row by row, on the row of its table being visited.
      n.op = Op::kRowsColumn;
      n.table = m_.table_id(ot.table);
      n.column = column_of(n.table, e.name);
      return add(std::move(n));
    }
    n.op = Op::kDatePart;
    n.a = expr(obj, frame);
    n.sub = static_cast<std::uint8_t>(e.name == "year" ? DatePart::kYear : e.name == "month" ? DatePart::kMonth : DatePart::kDay);
    return add(std::move(n));
  }

  NodeId call(const Expr& e, std::uint16_t frame) {
    Node n;
    if (!e.has_object) {
      n.op = Op::kRegisteredOn;
      n.a = expr(*e.args[0], frame);
      return add(std::move(n));
    }
    const Expr& obj = *e.args[0];
    if (type(obj).base == lang::Base::kPatients) {
      n.op = Op::kAgeOn;
      n.a = expr(*e.args[1], frame);
      return add(std::move(n));
    }
    n.a = expr(obj, frame);
    const std::uint16_t table = m_.node(n.a).table;
    const std::string& m = e.name;
    const auto row_arg = [&] { return expr(*e.args[1], table); };
    if (m == "where" || m == "sort_by") {
      n.op = m == "where" ? Op::kWhere : Op::kSortBy;
      n.b = row_arg();
      return add(std::move(n));
    }
    if (m == "first" || m == "latest") {
      n.op = m == "first" ? Op::kFirst : Op::kLatest;
      return add(std::move(n));
    }
    if (m == "count_episodes") {
      const Expr& gap = *e.args[1];
      n.op = Op::kCountEpisodes;
      n.sub = static_cast<std::uint8_t>(unit_of(gap.name));
      n.amount = lang::int_literal(gap.literal).value_or(0);
      return add(std::move(n));
    }
    static const std::pair<const char*, Op> kAggregates[] = {
        {"exists", Op::kExists}, {"count", Op::kCount}, {"count_distinct", Op::kCountDistinct},
        {"min", Op::kMin},       {"max", Op::kMax},     {"sum", Op::kSum},
        {"mean", Op::kMean}};
    bool known = false;
    for (const auto& [name, op] : kAggregates)
      if (m == name) {
        n.op = op;
        known = true;
      }
    if (!known) throw std::logic_error("query model: unknown method " + m);
    if (e.args.size() > 1) n.b = row_arg();
    return add(std::move(n));
  }

  const lang::CheckedDefinition& d_;
  Model& m_;
  const LowerOptions& o_;
  std::map<std::string, NodeId> lets_;
  std::map<std::string, std::uint32_t> codelists_;
};

NodeId literal_text(Model& m, const std::string& s) {
  Node n;
  n.literal.type = ValueType::kString;
  n.literal.s = s;
  return m.add(std::move(n));
}

NodeId op1(Model& m, Op op, NodeId a) {
  Node n;
  n.op = op;
  n.a = a;
  return m.add(std::move(n));
}

NodeId lookup(Model& m, Reference r, NodeId key, const std::string& data_dir) {
  ensure_reference(m, r, data_dir);
  Node n;
  n.op = Op::kLookup;
  n.sub = static_cast<std::uint8_t>(r);
  n.a = key;
  return m.add(std::move(n));
}

NodeId coalesce_unknown(Model& m, NodeId v) {
  Node n;
  n.op = Op::kCoalesce;
  n.kids = {v, literal_text(m, "unknown")};
  return m.add(std::move(n));
}

NodeId patient_column(Model& m, const std::string& name) {
  Node n;
  n.op = Op::kPatientColumn;
  n.column = static_cast<std::uint16_t>(m.table(m.patients()).find(name));
  return m.add(std::move(n));
}

}  // namespace

NodeId builtin_group(Model& m, const std::string& name, const std::string& data_dir) {
  Node index_date;
  index_date.op = Op::kIndexDate;
  const NodeId day = m.add(index_date);
  if (name == "practice" || name == "pcn" || name == "place") {
    // The registration on the interval's last day: "unregistered" without one, "unknown" for a
    // practice the reference pack does not place.
    const NodeId practice = op1(m, Op::kPracticeOn, day);
    Node c;
    c.op = Op::kCase;
    c.has_else = true;
    c.kids = {op1(m, Op::kIsNull, practice), literal_text(m, "unregistered")};
    if (name == "practice") {
      c.kids.push_back(practice);
    } else {
      const NodeId found = lookup(m, name == "pcn" ? Reference::kPracticePcn : Reference::kPracticePlace, practice, data_dir);
      c.kids.push_back(op1(m, Op::kIsNull, found));
      c.kids.push_back(literal_text(m, "unknown"));
      c.kids.push_back(found);
    }
    return m.add(std::move(c));
  }
  if (name == "imd_decile" || name == "imd_quintile")
    return coalesce_unknown(m, lookup(m, name == "imd_decile" ? Reference::kLsoaImdDecile : Reference::kLsoaImdQuintile,
                                      patient_column(m, "lsoa"), data_dir));
  if (name == "ethnicity_group")
    return coalesce_unknown(m, lookup(m, Reference::kEthnicityGroup, patient_column(m, "ethnic_category"), data_dir));
  if (name == "sex") return coalesce_unknown(m, patient_column(m, "sex"));
  if (name == "age_band") {
    // Age on the interval's last day in ESP 2013 bands; unknown without a date of birth or before it.
    const NodeId age = op1(m, Op::kAgeOn, day);
    Node ninety;
    ninety.literal.type = ValueType::kInt;
    ninety.literal.i = 90;
    Node old;
    old.op = Op::kCompare;
    old.sub = static_cast<std::uint8_t>(Compare::kGe);
    old.a = age;
    old.b = m.add(ninety);
    Node c;
    c.op = Op::kCase;
    c.has_else = true;
    c.kids = {m.add(old), literal_text(m, "90+"), coalesce_unknown(m, lookup(m, Reference::kAgeBand, age, data_dir))};
    return m.add(std::move(c));
  }
  throw std::logic_error("query model: unknown group column " + name);
}

void lower_into(Model& model, const lang::CheckedDefinition& definition, const LowerOptions& options) {
  Lowerer(definition, model, options).run();
}

Model lower(const lang::CheckedDefinition& definition, const LowerOptions& options) {
  Model m;
  lower_into(m, definition, options);
  return m;
}

}  // namespace severn::query
