#include "query/model.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <stdexcept>

#include "core/error.h"
#include "query/schema.h"

namespace severn::query {
namespace {

void mix(std::size_t& h, std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); }

// Numbers unify to float; null gives way to anything; otherwise the first known type stands.
ValueType unify(ValueType a, ValueType b) {
  if (a == ValueType::kNull) return b;
  if (b == ValueType::kNull) return a;
  const bool na = a == ValueType::kInt || a == ValueType::kFloat;
  const bool nb = b == ValueType::kInt || b == ValueType::kFloat;
  if (na && nb) return a == ValueType::kFloat || b == ValueType::kFloat ? ValueType::kFloat : ValueType::kInt;
  return a;
}

}  // namespace

std::int32_t Table::find(const std::string& column) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].name == column) return static_cast<std::int32_t>(c);
  return -1;
}

bool Codelist::matches(std::string_view code) const {
  if (set.count(std::string(code))) return true;
  // Stored classification codes put a dot after the category ("K02.1").
  return with_subcodes && code.size() > 4 && code[3] == '.' && set.count(std::string(code.substr(0, 3)));
}

std::vector<std::pair<Days, Days>> expand(const Intervals& spec, Days index_date) {
  using K = Intervals::Kind;
  if (spec.kind == K::kExplicit) return spec.spans;
  const int step = spec.kind == K::kMonthly ? 1 : spec.kind == K::kQuarterly ? 3 : 12;
  std::vector<std::pair<Days, Days>> out;
  if (spec.last > 0) {
    // The period holding the index date: its calendar month, calendar quarter or financial year.
    const CivilDate d = civil_from_days(index_date);
    const Days period = spec.kind == K::kMonthly     ? days_from_civil(d.year, d.month, 1)
                        : spec.kind == K::kQuarterly ? days_from_civil(d.year, (d.month - 1) / 3 * 3 + 1, 1)
                                                     : days_from_civil(d.month >= 4 ? d.year : d.year - 1, 4, 1);
    // Up to 1200 years back from an index date early in the calendar would leave it.
    if (!add_months_checked(period, -(spec.last - 1) * step))
      throw InputError("intervals last " + std::to_string(spec.last) + " " +
                       (step == 1 ? "months" : step == 3 ? "quarters" : "years") + " from the index date " +
                       format_iso_date(index_date) + " would start before 0001-01-01");
    const Days first = add_months(period, -(spec.last - 1) * step);
    for (int k = 0; k < spec.last; ++k)
      out.emplace_back(add_months(first, k * step), std::min<Days>(add_months(first, (k + 1) * step) - 1, index_date));
    return out;
  }
  for (int k = 0;; ++k) {
    const Days start = add_months(spec.from, k * step);
    if (start > spec.to) break;
    const Days next = add_months(spec.from, (k + 1) * step);
    out.emplace_back(start, std::min<Days>(next - 1, spec.to));
  }
  return out;
}

std::size_t Model::Hash::operator()(const Node& n) const {
  std::size_t h = static_cast<std::size_t>(n.op);
  mix(h, n.table);
  mix(h, n.column);
  mix(h, n.a);
  mix(h, n.b);
  mix(h, n.c);
  for (const NodeId k : n.kids) mix(h, k);
  mix(h, static_cast<std::size_t>(n.literal.type));
  mix(h, static_cast<std::size_t>(n.literal.i));
  mix(h, std::hash<double>{}(n.literal.f));
  mix(h, std::hash<std::string>{}(n.literal.s));
  mix(h, n.sub);
  mix(h, static_cast<std::size_t>(n.amount));
  mix(h, (n.negated ? 1U : 0U) | (n.low_open ? 2U : 0U) | (n.high_open ? 4U : 0U) | (n.has_else ? 8U : 0U));
  mix(h, n.codelist);
  return h;
}

Model::Model() : tables_(schema_tables()) { patients_ = table_id("patients"); }

std::uint16_t Model::table_id(const std::string& name) const {
  for (std::size_t t = 0; t < tables_.size(); ++t)
    if (tables_[t].name == name) return static_cast<std::uint16_t>(t);
  throw std::out_of_range("no table " + name);
}

int Model::group(const std::string& name) const {
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (groups[g].name == name) return static_cast<int>(g);
  return -1;
}

NodeId Model::add(Node n) {
  const auto kid = [&](NodeId k) -> const Node& {
    if (k >= nodes_.size()) throw std::logic_error("query model: a node's operand is not in the model");
    return nodes_[k];
  };
  // Derived fields: shape, type, dimension, table, code system and date dependence.
  n.dates = n.op == Op::kIndexDate || n.op == Op::kIntervalStart;
  bool rows = false;
  std::uint16_t rows_table = kNoTable;
  const auto inherit = [&](NodeId k) {
    if (k == kNoNode) return;
    const Node& c = kid(k);
    n.dates = n.dates || c.dates;
    if (c.shape == Shape::kValue && c.dimension == Dimension::kRows) {
      rows = true;
      rows_table = c.table;
    }
  };
  for (const NodeId k : {n.a, n.b, n.c}) inherit(k);
  for (const NodeId k : n.kids) inherit(k);
  const auto type_of = [&](NodeId k) { return k == kNoNode ? ValueType::kNull : kid(k).type; };
  n.shape = Shape::kValue;
  n.dimension = Dimension::kPatient;
  n.system = CodeSystem::kNone;
  switch (n.op) {
    case Op::kLiteral: n.type = n.literal.type; break;
    case Op::kIndexDate:
    case Op::kIntervalStart: n.type = ValueType::kDate; break;
    case Op::kPatientColumn: {
      const Column& c = tables_.at(patients_).columns.at(n.column);
      n.table = patients_;
      n.type = c.type;
      n.system = c.system;
      break;
    }
    case Op::kRowsColumn: {
      const Column& c = tables_.at(n.table).columns.at(n.column);
      n.type = c.type;
      n.system = c.system;
      n.dimension = Dimension::kRows;
      break;
    }
    case Op::kPickedColumn: {
      n.table = kid(n.a).table;
      const Column& c = tables_.at(n.table).columns.at(n.column);
      n.type = c.type;
      n.system = c.system;
      break;
    }
    case Op::kNot:
    case Op::kAnd:
    case Op::kOr:
    case Op::kCompare:
    case Op::kInCodelist:
    case Op::kInSet:
    case Op::kInRange:
    case Op::kIsNull:
    case Op::kRegisteredOn: n.type = ValueType::kBool; break;
    case Op::kNegate: n.type = type_of(n.a); break;
    case Op::kArith: {
      const ValueType x = type_of(n.a), y = type_of(n.b);
      if (x == ValueType::kDate && y == ValueType::kDate) n.type = ValueType::kInt;  // days between
      else if (n.arith() == Arith::kDiv || x == ValueType::kFloat || y == ValueType::kFloat) n.type = ValueType::kFloat;
      else n.type = ValueType::kInt;
      break;
    }
    case Op::kAddDuration: n.type = ValueType::kDate; break;
    case Op::kDatePart:
    case Op::kAgeOn:
    case Op::kCount:
    case Op::kCountDistinct:
    case Op::kCountEpisodes: n.type = ValueType::kInt; break;
    case Op::kCase: {
      n.type = ValueType::kNull;
      const std::size_t pairs = (n.kids.size() - (n.has_else ? 1 : 0)) / 2;
      for (std::size_t i = 0; i < n.kids.size(); ++i)
        if (i >= 2 * pairs || i % 2 == 1) {
          n.type = unify(n.type, type_of(n.kids[i]));
          if (kid(n.kids[i]).system != CodeSystem::kNone) n.system = kid(n.kids[i]).system;
        }
      break;
    }
    case Op::kCoalesce:
      n.type = ValueType::kNull;
      for (const NodeId k : n.kids) n.type = unify(n.type, type_of(k));
      break;
    case Op::kText:
    case Op::kLookup:
    case Op::kPracticeOn: n.type = ValueType::kString; break;
    case Op::kTable: n.shape = Shape::kFrame; break;
    case Op::kWhere:
    case Op::kSortBy:
      n.shape = Shape::kFrame;
      n.table = kid(n.a).table;
      break;
    case Op::kFirst:
    case Op::kLatest:
      n.shape = Shape::kRow;
      n.table = kid(n.a).table;
      break;
    case Op::kExists: n.type = ValueType::kBool; break;
    case Op::kMin:
    case Op::kMax:
    case Op::kSum:
      n.type = type_of(n.b);
      break;
    case Op::kMean: n.type = ValueType::kFloat; break;
  }
  // Row values stay row values through scalar operators; a frame method turns them into one
  // value per patient.
  const bool method = n.op >= Op::kTable;
  if (n.op == Op::kExists || n.op == Op::kCount || n.op == Op::kCountDistinct || n.op == Op::kMin ||
      n.op == Op::kMax || n.op == Op::kSum || n.op == Op::kMean || n.op == Op::kCountEpisodes)
    n.table = kid(n.a).table;
  if (!method && n.op != Op::kRowsColumn && rows) {
    n.dimension = Dimension::kRows;
    n.table = rows_table;
  }
  if (n.op == Op::kNegate || n.op == Op::kCoalesce) n.system = n.a != kNoNode ? kid(n.a).system : n.system;
  if (const auto it = index_.find(n); it != index_.end()) return it->second;
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(n);
  index_.emplace(std::move(n), id);
  return id;
}

const char* op_name(Op op) {
  switch (op) {
    case Op::kLiteral: return "literal";
    case Op::kIndexDate: return "index_date";
    case Op::kIntervalStart: return "interval_start";
    case Op::kPatientColumn: return "patient_column";
    case Op::kRowsColumn: return "rows_column";
    case Op::kNot: return "not";
    case Op::kNegate: return "negate";
    case Op::kAnd: return "and";
    case Op::kOr: return "or";
    case Op::kCompare: return "compare";
    case Op::kArith: return "arith";
    case Op::kAddDuration: return "add_duration";
    case Op::kDatePart: return "date_part";
    case Op::kInCodelist: return "in_codelist";
    case Op::kInSet: return "in_set";
    case Op::kInRange: return "in_range";
    case Op::kIsNull: return "is_null";
    case Op::kCase: return "case";
    case Op::kCoalesce: return "coalesce";
    case Op::kText: return "text";
    case Op::kLookup: return "lookup";
    case Op::kRegisteredOn: return "registered_on";
    case Op::kPracticeOn: return "practice_on";
    case Op::kAgeOn: return "age_on";
    case Op::kTable: return "table";
    case Op::kWhere: return "where";
    case Op::kSortBy: return "sort_by";
    case Op::kFirst: return "first";
    case Op::kLatest: return "latest";
    case Op::kPickedColumn: return "picked_column";
    case Op::kExists: return "exists";
    case Op::kCount: return "count";
    case Op::kCountDistinct: return "count_distinct";
    case Op::kMin: return "min";
    case Op::kMax: return "max";
    case Op::kSum: return "sum";
    case Op::kMean: return "mean";
    case Op::kCountEpisodes: return "count_episodes";
  }
  return "?";
}

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::kNull: return "null";
    case ValueType::kBool: return "bool";
    case ValueType::kInt: return "int";
    case ValueType::kFloat: return "float";
    case ValueType::kDate: return "date";
    case ValueType::kCode: return "code";
    case ValueType::kString: return "string";
  }
  return "?";
}

const char* reference_name(Reference r) {
  switch (r) {
    case Reference::kPracticePcn: return "practice_pcn";
    case Reference::kPracticePlace: return "practice_place";
    case Reference::kLsoaImdDecile: return "lsoa_imd_decile";
    case Reference::kLsoaImdQuintile: return "lsoa_imd_quintile";
    case Reference::kEthnicityGroup: return "ethnicity_group";
    case Reference::kAgeBand: return "age_band";
  }
  return "?";
}

std::string describe(const Model& m, NodeId id) {
  const Node& n = m.node(id);
  std::string s = "(";
  s += op_name(n.op);
  static const char* const kCompare[] = {"==", "!=", "<", "<=", ">", ">="};
  static const char* const kArith[] = {"+", "-", "*", "/"};
  static const char* const kUnit[] = {"days", "months", "years"};
  static const char* const kPart[] = {"year", "month", "day"};
  switch (n.op) {
    case Op::kLiteral:
      s += std::string(" ") + type_name(n.literal.type);
      if (n.literal.type == ValueType::kString) s += " \"" + n.literal.s + "\"";
      else if (n.literal.type == ValueType::kDate) s += " " + format_iso_date(static_cast<Days>(n.literal.i));
      else if (n.literal.type == ValueType::kFloat) {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, n.literal.f);
        s += " " + std::string(buf, r.ptr);
      } else if (n.literal.type != ValueType::kNull) s += " " + std::to_string(n.literal.i);
      break;
    case Op::kPatientColumn:
    case Op::kRowsColumn:
    case Op::kPickedColumn:
      s += " " + m.table(n.table).name + "." + m.table(n.table).columns[n.column].name;
      break;
    case Op::kTable: s += " " + m.table(n.table).name; break;
    case Op::kCompare: s += std::string(" ") + kCompare[n.sub]; break;
    case Op::kArith: s += std::string(" ") + kArith[n.sub]; break;
    case Op::kAddDuration:
    case Op::kCountEpisodes: s += " " + std::to_string(n.amount) + " " + kUnit[n.sub]; break;
    case Op::kDatePart: s += std::string(" ") + kPart[n.sub]; break;
    case Op::kLookup: s += std::string(" ") + reference_name(n.reference()); break;
    case Op::kInCodelist: {
      const Codelist& c = m.codelists.at(n.codelist);
      s += " " + c.name + (c.with_subcodes ? "+subcodes" : "");
      break;
    }
    case Op::kInRange: s += std::string(" ") + (n.low_open ? "(" : "[") + (n.high_open ? ")" : "]"); break;
    default: break;
  }
  if (n.negated) s += " negated";
  if (n.has_else) s += " else";
  for (const NodeId k : {n.a, n.b, n.c})
    if (k != kNoNode) s += " " + describe(m, k);
  for (const NodeId k : n.kids) s += " " + describe(m, k);
  return s + ")";
}

}  // namespace severn::query
