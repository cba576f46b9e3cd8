#include "engine/plan.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>

#include "lang/literals.h"

namespace severn::engine {
namespace {

using lang::Expr;
using lang::ExprKind;

VKind kind_of_column(const BoundColumn& c) {
  switch (c.view->entry().type) {
    case store::ColumnType::kDate: return VKind::kDate;
    case store::ColumnType::kInt32: return VKind::kInt;
    case store::ColumnType::kFloat64: return VKind::kFloat;
    case store::ColumnType::kCode:
    case store::ColumnType::kCodeList: return VKind::kCode;
    case store::ColumnType::kCategory: return VKind::kString;
    case store::ColumnType::kBytes32: return VKind::kNull;
  }
  return VKind::kNull;
}

// Literals as the checker read them: it refused any out of range (lang/literals.h).
std::int64_t parse_int(const std::string& s) { return lang::int_literal(s).value_or(0); }
double parse_float(const std::string& s) { return lang::float_literal(s).value_or(0); }

class Compiler {
 public:
  explicit Compiler(const Program& p) : p_(p) {
    plan_.program = &p;
    for (const auto& [name, lists] : p.codelists) {
      PlanCodelist c;
      for (const auto& [dict, member] : lists) c.member[dict] = &member;
      codelist_index_[name] = static_cast<int>(plan_.codelists.size());
      plan_.codelists.push_back(std::move(c));
    }
  }

  Plan run() {
    const auto& d = p_.definition->definition;
    for (const auto& l : d.lets) plan_.lets[l.name] = compile(*l.value);
    plan_.population = compile(*d.population);
    for (const auto& v : d.variables) plan_.variables.push_back(compile(*v.value));
    for (const auto& m : d.measures) plan_.measures.emplace_back(compile(*m.numerator), compile(*m.denominator));
    for (const auto& w : d.worklists) {
      std::vector<int> shown;
      for (const auto& [column, e] : w.show) shown.push_back(compile(*e));
      plan_.worklists.emplace_back(compile(*w.when), std::move(shown));
    }
    build_buckets();
    return std::move(plan_);
  }

 private:
  int add(Node n) {
    for (const int k : {n.a, n.b, n.c}) inherit(n, k);
    for (const int k : n.kids) inherit(n, k);
    plan_.nodes.push_back(std::move(n));
    return static_cast<int>(plan_.nodes.size()) - 1;
  }
  void inherit(Node& n, int k) {
    if (k < 0) return;
    const Node& c = plan_.nodes[static_cast<std::size_t>(k)];
    n.varying = n.varying || c.varying;
    n.person = n.person || c.person;
    // A frame method's arguments are read per row of its own frame: the method's result is one
    // value per person, so row dependence stops there.
    if (n.shape == Shape::kValue && !is_method(n.op)) n.row = n.row || c.row;
  }
  static bool is_method(Op op) { return op >= Op::kTable; }

  int compile(const Expr& e) {
    if (const auto it = memo_.find(&e); it != memo_.end()) return it->second;
    const int id = build(e);
    memo_[&e] = id;
    return id;
  }

  int constant(Value v) {
    Node n;
    n.op = Op::kConst;
    n.kind = v.kind;
    n.lit = v;
    return add(std::move(n));
  }

  const Expr& duration_literal(const Expr& e) {
    if (e.kind == ExprKind::kDuration) return e;
    if (e.kind == ExprKind::kName && p_.lets.count(e.name)) return duration_literal(*p_.lets.at(e.name)->value);
    throw std::logic_error("a duration was expected");
  }
  static char unit_of(const Expr& duration) {
    return duration.name == "days" ? 'd' : duration.name == "months" ? 'm' : 'y';
  }

  int build(const Expr& e) {
    Node n;
    switch (e.kind) {
      case ExprKind::kName: {
        if (const auto it = p_.names.find(&e); it != p_.names.end()) {
          if (it->second.column != nullptr) {
            n.op = Op::kColumn;
            n.column = it->second.column;
            n.kind = kind_of_column(*n.column);
            n.row = true;
            n.person = true;
            return add(std::move(n));
          }
          if (it->second.let != nullptr) return compile(*it->second.let->value);
        }
        if (e.name == "index_date" || e.name == "interval_start") {
          n.op = e.name == "index_date" ? Op::kIndexDate : Op::kIntervalStart;
          n.kind = VKind::kDate;
          n.varying = true;
          return add(std::move(n));
        }
        if (e.name != "patients" && p_.tables.count(e.name)) {
          n.op = Op::kTable;
          n.shape = Shape::kFrame;
          n.table = &p_.table(e.name);
          n.person = true;
          return add(std::move(n));
        }
        if (p_.lets.count(e.name)) return compile(*p_.lets.at(e.name)->value);
        throw std::logic_error("unbound name " + e.name);
      }
      case ExprKind::kInt: return constant(Value::of_int(parse_int(e.literal)));
      case ExprKind::kFloat: return constant(Value::of_float(parse_float(e.literal)));
      case ExprKind::kDate: return constant(Value::of_date(e.date));
      case ExprKind::kString: return constant(Value::of_string(e.literal));
      case ExprKind::kBool: return constant(Value::of_bool(e.literal == "true"));
      case ExprKind::kNull:
      case ExprKind::kDuration: return constant(Value{});
      case ExprKind::kUnary: {
        n.op = e.name == "not" ? Op::kNot : Op::kNeg;
        n.a = compile(*e.args[0]);
        n.kind = n.op == Op::kNot ? VKind::kBool : plan_.nodes[static_cast<std::size_t>(n.a)].kind;
        return add(std::move(n));
      }
      case ExprKind::kBinary: return binary(e);
      case ExprKind::kIn: return in(e);
      case ExprKind::kIsNull: {
        n.op = Op::kIsNull;
        n.a = compile(*e.args[0]);
        n.negated = e.negated;
        n.kind = VKind::kBool;
        return add(std::move(n));
      }
      case ExprKind::kCase: {
        n.op = Op::kCase;
        n.c = e.has_else ? 1 : 0;
        bool first = true;
        const std::size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          const int k = compile(*e.args[i]);
          n.kids.push_back(k);
          const bool is_result = (i < 2 * pairs) ? (i % 2 == 1) : true;
          if (!is_result) continue;
          const VKind rk = plan_.nodes[static_cast<std::size_t>(k)].kind;
          if (rk == VKind::kNull) continue;
          // Branches of different kinds (an int and a float) leave the kind to each lane's value.
          if (first) n.kind = rk;
          else if (n.kind != rk) n.kind = VKind::kNull;
          first = false;
        }
        return add(std::move(n));
      }
      case ExprKind::kMember: return member(e);
      case ExprKind::kCall: return call(e);
      case ExprKind::kSet:
      case ExprKind::kRange: break;
    }
    throw std::logic_error("unexpected expression");
  }

  int binary(const Expr& e) {
    Node n;
    const std::string& op = e.name;
    if (op == "and" || op == "or") {
      n.op = op == "and" ? Op::kAnd : Op::kOr;
      n.a = compile(*e.args[0]);
      n.b = compile(*e.args[1]);
      n.kind = VKind::kBool;
      return add(std::move(n));
    }
    const Expr& left = *e.args[0];
    const Expr& right = *e.args[1];
    if (left.kind == ExprKind::kDuration || right.kind == ExprKind::kDuration) {
      const Expr& date_side = right.kind == ExprKind::kDuration ? left : right;
      const Expr& duration = right.kind == ExprKind::kDuration ? right : left;
      n.op = Op::kAddDuration;
      n.a = compile(date_side);
      n.unit = unit_of(duration);
      n.amount = parse_int(duration.literal) * (op == "-" ? -1 : 1);
      n.kind = VKind::kDate;
      return add(std::move(n));
    }
    n.a = compile(left);
    n.b = compile(right);
    static const char* const kCompare[] = {"==", "!=", "<", "<=", ">", ">="};
    for (std::uint8_t i = 0; i < 6; ++i)
      if (op == kCompare[i]) {
        n.op = Op::kCompare;
        n.cmp = i;
        n.kind = VKind::kBool;
        return add(std::move(n));
      }
    n.op = Op::kArith;
    n.arith = op[0];
    const VKind ka = plan_.nodes[static_cast<std::size_t>(n.a)].kind;
    const VKind kb = plan_.nodes[static_cast<std::size_t>(n.b)].kind;
    if (ka == VKind::kDate && kb == VKind::kDate) n.kind = VKind::kInt;
    else if (n.arith == '/' || ka == VKind::kFloat || kb == VKind::kFloat) n.kind = VKind::kFloat;
    else if (ka == VKind::kInt && kb == VKind::kInt) n.kind = VKind::kInt;
    return add(std::move(n));
  }

  int in(const Expr& e) {
    Node n;
    const Expr& target = *e.args[1];
    n.a = compile(*e.args[0]);
    n.negated = e.negated;
    n.kind = VKind::kBool;
    if (target.kind == ExprKind::kName) {
      n.op = Op::kInCodelist;
      n.codelist = codelist_index_.at(target.name);
    } else if (target.kind == ExprKind::kSet) {
      n.op = Op::kInSet;
      for (const auto& element : target.args) n.kids.push_back(compile(*element));
    } else {
      n.op = Op::kInRange;
      n.b = compile(*target.args[0]);
      n.c = compile(*target.args[1]);
      n.low_open = target.low_open;
      n.high_open = target.high_open;
    }
    return add(std::move(n));
  }

  int member(const Expr& e) {
    Node n;
    const Program::MemberRef& m = p_.members.at(&e);
    switch (m.kind) {
      case Program::MemberRef::kPatientColumn:
        n.op = Op::kPatientColumn;
        n.column = m.column;
        n.kind = kind_of_column(*m.column);
        n.person = true;
        return add(std::move(n));
      case Program::MemberRef::kRowColumn:
        n.op = Op::kRowColumn;
        n.a = compile(*e.args[0]);
        n.column = m.column;
        n.kind = kind_of_column(*m.column);
        return add(std::move(n));
      case Program::MemberRef::kFrameColumn:
        n.op = Op::kColumn;
        n.column = m.column;
        n.kind = kind_of_column(*m.column);
        n.row = true;
        n.person = true;
        return add(std::move(n));
      case Program::MemberRef::kDatePart:
        n.op = Op::kDatePart;
        n.a = compile(*e.args[0]);
        n.part = e.name == "year" ? 'y' : e.name == "month" ? 'm' : 'd';
        n.kind = VKind::kInt;
        return add(std::move(n));
    }
    throw std::logic_error("unexpected member");
  }

  int call(const Expr& e) {
    Node n;
    if (!e.has_object) {
      n.op = Op::kRegisteredOn;
      n.a = compile(*e.args[0]);
      n.kind = VKind::kBool;
      n.person = true;
      return add(std::move(n));
    }
    const Expr& obj = *e.args[0];
    if (obj.kind == ExprKind::kName && obj.name == "patients") {
      n.op = Op::kAgeOn;
      n.a = compile(*e.args[1]);
      n.kind = VKind::kInt;
      n.person = true;
      return add(std::move(n));
    }
    n.a = compile(obj);
    const Node& frame = plan_.nodes[static_cast<std::size_t>(n.a)];
    n.table = frame.table;
    n.person = true;
    const std::string& m = e.name;
    if (m == "where") return where(e, std::move(n));
    if (m == "sort_by") {
      n.op = Op::kSortBy;
      n.shape = Shape::kFrame;
      n.b = compile(*e.args[1]);
      return add(std::move(n));
    }
    if (m == "first" || m == "latest") {
      n.op = m == "first" ? Op::kFirst : Op::kLatest;
      n.shape = Shape::kRow;
      return add(std::move(n));
    }
    if (m == "count_episodes") {
      n.op = Op::kCountEpisodes;
      const Expr& gap = duration_literal(*e.args[1]);
      n.unit = unit_of(gap);
      n.amount = parse_int(gap.literal);
      n.kind = VKind::kInt;
      return add(std::move(n));
    }
    static const std::pair<const char*, Op> kAggregates[] = {
        {"exists", Op::kExists}, {"count", Op::kCount}, {"count_distinct", Op::kCountDistinct},
        {"min", Op::kMin},       {"max", Op::kMax},     {"sum", Op::kSum},
        {"mean", Op::kMean}};
    for (const auto& [name, op] : kAggregates)
      if (m == name) n.op = op;
    if (e.args.size() > 1) n.b = compile(*e.args[1]);
    const VKind arg = n.b >= 0 ? plan_.nodes[static_cast<std::size_t>(n.b)].kind : VKind::kNull;
    switch (n.op) {
      case Op::kExists: n.kind = VKind::kBool; break;
      case Op::kCount:
      case Op::kCountDistinct: n.kind = VKind::kInt; break;
      case Op::kMean: n.kind = VKind::kFloat; break;
      default: n.kind = arg;
    }
    return add(std::move(n));
  }

  // where(COND): COND split at its top-level `and`s into conjuncts, each tested the cheapest
  // way it allows. Only one bucket conjunct is used per where (it picks the candidate rows).
  int where(const Expr& e, Node n) {
    n.op = Op::kWhere;
    n.shape = Shape::kFrame;
    const bool over_table = plan_.nodes[static_cast<std::size_t>(n.a)].op == Op::kTable;
    std::vector<const Expr*> parts;
    const std::function<void(const Expr&)> split = [&](const Expr& c) {
      if (c.kind == ExprKind::kBinary && c.name == "and") {
        split(*c.args[0]);
        split(*c.args[1]);
      } else {
        parts.push_back(&c);
      }
    };
    split(*e.args[1]);
    bool bucketed = false;
    for (const Expr* c : parts) {
      Conjunct j;
      if (over_table && !bucketed && bucket(*c, *n.table, j)) {
        bucketed = true;
      } else if (!bound(*c, j)) {
        j.kind = Conjunct::kGeneric;
        j.node = compile(*c);
        j.varying = plan_.nodes[static_cast<std::size_t>(j.node)].varying;
      }
      for (const int k : {j.node, j.low, j.high})
        if (k >= 0) {
          const Node& kn = plan_.nodes[static_cast<std::size_t>(k)];
          n.varying = n.varying || kn.varying;
        }
      n.conjuncts.push_back(std::move(j));
    }
    // The bucket picks the rows; then tests that do not depend on the dates drop rows before any
    // lane work; then the cheap lane-wise bounds; then the rest.
    const auto rank = [](const Conjunct& j) {
      if (j.kind == Conjunct::kBucket) return 0;
      if (j.kind == Conjunct::kGeneric && !j.varying) return 1;
      return j.kind == Conjunct::kBound ? 2 : 3;
    };
    std::stable_sort(n.conjuncts.begin(), n.conjuncts.end(),
                     [&](const Conjunct& x, const Conjunct& y) { return rank(x) < rank(y); });
    return add(std::move(n));
  }

  // The frame column a name reads, if `e` is a plain column of the row (not a list of codes for
  // a bound, which needs a single value).
  const BoundColumn* row_column(const Expr& e) const {
    if (e.kind == ExprKind::kName) {
      const auto it = p_.names.find(&e);
      if (it != p_.names.end()) return it->second.column;
    }
    if (e.kind == ExprKind::kMember) {
      const auto it = p_.members.find(&e);
      if (it != p_.members.end() && it->second.kind == Program::MemberRef::kFrameColumn) return it->second.column;
    }
    return nullptr;
  }

  // `column in list` or an `or` of such on one code column.
  bool bucket(const Expr& c, const BoundTable& table, Conjunct& j) {
    std::vector<std::pair<const BoundColumn*, int>> found;
    const std::function<bool(const Expr&)> collect = [&](const Expr& x) {
      if (x.kind == ExprKind::kBinary && x.name == "or") return collect(*x.args[0]) && collect(*x.args[1]);
      if (x.kind != ExprKind::kIn || x.negated || x.args[1]->kind != ExprKind::kName) return false;
      const auto list = codelist_index_.find(x.args[1]->name);
      const BoundColumn* column = row_column(*x.args[0]);
      if (list == codelist_index_.end() || column == nullptr || column->dictionary == nullptr) return false;
      found.emplace_back(column, list->second);
      return true;
    };
    if (!collect(c) || found.empty()) return false;
    for (const auto& f : found)
      if (f.first != found[0].first) return false;
    int at = 0;
    while (at < static_cast<int>(plan_.bucket_columns.size()) &&
           plan_.bucket_columns[static_cast<std::size_t>(at)].column != found[0].first)
      ++at;
    if (at == static_cast<int>(plan_.bucket_columns.size())) {
      BucketColumn b;
      b.table = &table;
      b.column = found[0].first;
      plan_.bucket_columns.push_back(std::move(b));
    }
    BucketColumn& b = plan_.bucket_columns[static_cast<std::size_t>(at)];
    j.kind = Conjunct::kBucket;
    j.bucket_column = at;
    for (const auto& f : found) {
      int index = 0;
      while (index < static_cast<int>(b.lists.size()) && b.lists[static_cast<std::size_t>(index)] != f.second) ++index;
      if (index == static_cast<int>(b.lists.size())) b.lists.push_back(f.second);
      if (std::find(j.lists.begin(), j.lists.end(), index) == j.lists.end()) j.lists.push_back(index);
    }
    return true;
  }

  // `column <op> expr`, `expr <op> column` or `column in (lo, hi]` where the column is a date or
  // int column of the row and the other sides are the same kind and not row level.
  bool bound(const Expr& c, Conjunct& j) {
    const auto usable = [&](const BoundColumn* col, const Expr& other, int& node) {
      if (col == nullptr) return false;
      const auto type = col->view->entry().type;
      if (type != store::ColumnType::kDate && type != store::ColumnType::kInt32) return false;
      node = compile(other);
      const Node& o = plan_.nodes[static_cast<std::size_t>(node)];
      const VKind want = type == store::ColumnType::kDate ? VKind::kDate : VKind::kInt;
      return !o.row && o.kind == want && o.shape == Shape::kValue;
    };
    if (c.kind == ExprKind::kIn && !c.negated && c.args[1]->kind == ExprKind::kRange) {
      const BoundColumn* col = row_column(*c.args[0]);
      int lo = -1, hi = -1;
      if (!usable(col, *c.args[1]->args[0], lo) || !usable(col, *c.args[1]->args[1], hi)) return false;
      j = Conjunct{};
      j.kind = Conjunct::kBound;
      j.column = col->view;
      j.low = lo;
      j.high = hi;
      j.low_open = c.args[1]->low_open;
      j.high_open = c.args[1]->high_open;
      return true;
    }
    if (c.kind != ExprKind::kBinary) return false;
    const std::string& op = c.name;
    if (op != "<" && op != "<=" && op != ">" && op != ">=") return false;
    const Expr& l = *c.args[0];
    const Expr& r = *c.args[1];
    if (l.kind == ExprKind::kDuration || r.kind == ExprKind::kDuration) return false;
    int node = -1;
    bool column_left = true;
    const BoundColumn* col = row_column(l);
    if (col == nullptr || !usable(col, r, node)) {
      col = row_column(r);
      column_left = false;
      if (col == nullptr || !usable(col, l, node)) return false;
    }
    // Normalise to: column >/>= low, or column </<= high.
    const bool less = (op[0] == '<') == column_left;
    const bool strict = op.size() == 1;
    j = Conjunct{};
    j.kind = Conjunct::kBound;
    j.column = col->view;
    if (less) {
      j.high = node;
      j.high_open = strict;
    } else {
      j.low = node;
      j.low_open = strict;
    }
    return true;
  }

  void build_buckets() {
    for (auto& b : plan_.bucket_columns) {
      const auto* dict = b.column->dictionary;
      b.lists_of_code.assign(dict->size(), {});
      for (std::size_t index = 0; index < b.lists.size(); ++index) {
        const auto& lists = plan_.codelists[static_cast<std::size_t>(b.lists[index])].member;
        const auto it = lists.find(dict);
        if (it == lists.end()) continue;
        for (std::uint32_t id = 0; id < dict->size(); ++id)
          if ((*it->second)[id]) b.lists_of_code[id].push_back(static_cast<std::uint16_t>(index));
      }
    }
  }

  const Program& p_;
  Plan plan_;
  std::unordered_map<const Expr*, int> memo_;
  std::unordered_map<std::string, int> codelist_index_;
};

}  // namespace

Plan compile(const Program& program) { return Compiler(program).run(); }

}  // namespace severn::engine
