#include "engine/plan.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>


namespace severn::engine {
namespace {

using query::NodeId;
namespace q = query;

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

VKind kind_of(q::ValueType t) {
  switch (t) {
    case q::ValueType::kNull: return VKind::kNull;
    case q::ValueType::kBool: return VKind::kBool;
    case q::ValueType::kInt: return VKind::kInt;
    case q::ValueType::kFloat: return VKind::kFloat;
    case q::ValueType::kDate: return VKind::kDate;
    case q::ValueType::kCode: return VKind::kCode;
    case q::ValueType::kString: return VKind::kString;
  }
  return VKind::kNull;
}

char unit_char(q::Unit u) { return u == q::Unit::kDays ? 'd' : u == q::Unit::kMonths ? 'm' : 'y'; }

class Compiler {
 public:
  explicit Compiler(const Program& p) : p_(p), m_(*p.model) {
    plan_.program = &p;
    for (const auto& lists : p.codelists) {
      PlanCodelist c;
      for (const auto& [dict, member] : lists) c.member[dict] = &member;
      plan_.codelists.push_back(std::move(c));
    }
    plan_.of_model.assign(m_.size(), -1);
  }

  Plan run() {
    for (const auto& d : m_.definitions) {
      Plan::Definition pd;
      pd.population = compile(d.population);
      for (const auto& v : d.variables) pd.variables.push_back(compile(v.value));
      for (const auto& m : d.measures) {
        pd.measures.emplace_back(compile(m.numerator), compile(m.denominator));
        pd.measure_rows.push_back(m.unit == q::kNoTable ? nullptr : &p_.table(m.unit));
      }
      for (const auto& w : d.worklists) {
        std::vector<int> shown;
        for (const auto& s : w.show) shown.push_back(compile(s.value));
        pd.worklists.emplace_back(compile(w.when), std::move(shown));
      }
      plan_.definitions.push_back(std::move(pd));
    }
    for (const auto& g : m_.groups) plan_.groups.push_back(compile(g.value));
    if (m_.worklist_practice != q::kNoNode) plan_.worklist_practice = compile(m_.worklist_practice);
    if (m_.worklist_pcn != q::kNoNode) plan_.worklist_pcn = compile(m_.worklist_pcn);
    build_buckets();
    return std::move(plan_);
  }

 private:
  int add(Node n) {
    // A case's or coalesce's `c` is its has-else flag, not an operand: inheriting from node 0 or 1
    // would give it that node's dependences (a row measure's column makes a group row-level).
    const bool c_is_flag = n.op == Op::kCase || n.op == Op::kCoalesce;
    for (const int k : {n.a, n.b, c_is_flag ? -1 : n.c}) inherit(n, k);
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
  const Node& at(int k) const { return plan_.nodes[static_cast<std::size_t>(k)]; }

  int compile(NodeId id) {
    int& memo = plan_.of_model.at(id);
    if (memo >= 0) return memo;
    const int built = build(id);
    plan_.of_model[id] = built;
    return built;
  }

  const BoundColumn* column(std::uint16_t table, std::uint16_t c) const {
    return &p_.table(table).columns.at(c);
  }

  int build(NodeId id) {
    const q::Node& qn = m_.node(id);
    Node n;
    n.kind = kind_of(qn.type);
    switch (qn.op) {
      case q::Op::kLiteral: {
        const q::Literal& l = qn.literal;
        n.op = Op::kConst;
        switch (l.type) {
          case q::ValueType::kNull: n.lit = Value{}; break;
          case q::ValueType::kBool: n.lit = Value::of_bool(l.i != 0); break;
          case q::ValueType::kInt: n.lit = Value::of_int(l.i); break;
          case q::ValueType::kFloat: n.lit = Value::of_float(l.f); break;
          case q::ValueType::kDate: n.lit = Value::of_date(static_cast<Days>(l.i)); break;
          case q::ValueType::kCode:
          case q::ValueType::kString: n.lit = Value::of_string(l.s); break;  // the model outlives the plan
        }
        n.kind = n.lit.kind;
        return add(std::move(n));
      }
      case q::Op::kIndexDate:
      case q::Op::kIntervalStart:
        n.op = qn.op == q::Op::kIndexDate ? Op::kIndexDate : Op::kIntervalStart;
        n.varying = true;
        return add(std::move(n));
      case q::Op::kPatientColumn:
        n.op = Op::kPatientColumn;
        n.column = column(m_.patients(), qn.column);
        n.kind = kind_of_column(*n.column);
        n.person = true;
        return add(std::move(n));
      case q::Op::kRowsColumn:
        n.op = Op::kColumn;
        n.column = column(qn.table, qn.column);
        n.table = &p_.table(qn.table);
        n.kind = kind_of_column(*n.column);
        n.row = true;
        n.person = true;
        return add(std::move(n));
      case q::Op::kPickedColumn:
        n.op = Op::kRowColumn;
        n.a = compile(qn.a);
        n.column = column(qn.table, qn.column);
        n.kind = kind_of_column(*n.column);
        return add(std::move(n));
      case q::Op::kNot:
        n.op = Op::kNot;
        n.a = compile(qn.a);
        return add(std::move(n));
      case q::Op::kNegate:
        n.op = Op::kNeg;
        n.a = compile(qn.a);
        n.kind = at(n.a).kind;
        return add(std::move(n));
      case q::Op::kAnd:
      case q::Op::kOr:
        n.op = qn.op == q::Op::kAnd ? Op::kAnd : Op::kOr;
        n.a = compile(qn.a);
        n.b = compile(qn.b);
        return add(std::move(n));
      case q::Op::kCompare:
        n.op = Op::kCompare;
        n.cmp = qn.sub;
        n.a = compile(qn.a);
        n.b = compile(qn.b);
        return add(std::move(n));
      case q::Op::kArith: {
        static const char kArith[] = {'+', '-', '*', '/'};
        n.op = Op::kArith;
        n.arith = kArith[qn.sub];
        n.a = compile(qn.a);
        n.b = compile(qn.b);
        const VKind ka = at(n.a).kind, kb = at(n.b).kind;
        if (ka == VKind::kDate && kb == VKind::kDate) n.kind = VKind::kInt;
        else if (n.arith == '/' || ka == VKind::kFloat || kb == VKind::kFloat) n.kind = VKind::kFloat;
        else if (ka == VKind::kInt && kb == VKind::kInt) n.kind = VKind::kInt;
        else n.kind = VKind::kNull;
        return add(std::move(n));
      }
      case q::Op::kAddDuration:
        n.op = Op::kAddDuration;
        n.a = compile(qn.a);
        n.unit = unit_char(qn.unit());
        n.amount = qn.amount;
        return add(std::move(n));
      case q::Op::kDatePart:
        n.op = Op::kDatePart;
        n.a = compile(qn.a);
        n.part = qn.part() == q::DatePart::kYear ? 'y' : qn.part() == q::DatePart::kMonth ? 'm' : 'd';
        return add(std::move(n));
      case q::Op::kInCodelist:
        n.op = Op::kInCodelist;
        n.a = compile(qn.a);
        n.codelist = static_cast<int>(qn.codelist);
        n.negated = qn.negated;
        return add(std::move(n));
      case q::Op::kInSet:
        n.op = Op::kInSet;
        n.a = compile(qn.a);
        for (const NodeId k : qn.kids) n.kids.push_back(compile(k));
        n.negated = qn.negated;
        return add(std::move(n));
      case q::Op::kInRange:
        n.op = Op::kInRange;
        n.a = compile(qn.a);
        n.b = compile(qn.b);
        n.c = compile(qn.c);
        n.negated = qn.negated;
        n.low_open = qn.low_open;
        n.high_open = qn.high_open;
        return add(std::move(n));
      case q::Op::kIsNull:
        n.op = Op::kIsNull;
        n.a = compile(qn.a);
        n.negated = qn.negated;
        return add(std::move(n));
      case q::Op::kCase:
      case q::Op::kCoalesce: {
        n.op = qn.op == q::Op::kCase ? Op::kCase : Op::kCoalesce;
        n.c = qn.has_else ? 1 : 0;
        const std::size_t pairs = qn.op == q::Op::kCase ? (qn.kids.size() - (qn.has_else ? 1 : 0)) / 2 : 0;
        bool first = true;
        n.kind = VKind::kNull;
        for (std::size_t i = 0; i < qn.kids.size(); ++i) {
          const int k = compile(qn.kids[i]);
          n.kids.push_back(k);
          const bool is_result = qn.op == q::Op::kCoalesce || i >= 2 * pairs || i % 2 == 1;
          if (!is_result) continue;
          const VKind rk = at(k).kind;
          if (rk == VKind::kNull) continue;
          // Branches of different kinds (an int and a float) leave the kind to each lane's value.
          if (first) n.kind = rk;
          else if (n.kind != rk) n.kind = VKind::kNull;
          first = false;
        }
        return add(std::move(n));
      }
      case q::Op::kText:
        n.op = Op::kText;
        n.a = compile(qn.a);
        return add(std::move(n));
      case q::Op::kLookup:
        n.op = Op::kLookup;
        n.a = compile(qn.a);
        n.reference = &m_.references.at(qn.sub);
        return add(std::move(n));
      case q::Op::kRegisteredOn:
      case q::Op::kPracticeOn:
      case q::Op::kAgeOn:
        n.op = qn.op == q::Op::kRegisteredOn ? Op::kRegisteredOn : qn.op == q::Op::kPracticeOn ? Op::kPracticeOn : Op::kAgeOn;
        n.a = compile(qn.a);
        n.person = true;
        return add(std::move(n));
      case q::Op::kTable:
        n.op = Op::kTable;
        n.shape = Shape::kFrame;
        n.table = &p_.table(qn.table);
        n.person = true;
        return add(std::move(n));
      case q::Op::kWhere: {
        n.a = compile(qn.a);
        n.table = at(n.a).table;
        n.person = true;
        return where(qn, std::move(n));
      }
      case q::Op::kSortBy:
        n.op = Op::kSortBy;
        n.shape = Shape::kFrame;
        n.a = compile(qn.a);
        n.table = at(n.a).table;
        n.person = true;
        n.b = compile(qn.b);
        return add(std::move(n));
      case q::Op::kFirst:
      case q::Op::kLatest:
        n.op = qn.op == q::Op::kFirst ? Op::kFirst : Op::kLatest;
        n.shape = Shape::kRow;
        n.a = compile(qn.a);
        n.table = at(n.a).table;
        n.person = true;
        return add(std::move(n));
      case q::Op::kCountEpisodes:
        n.op = Op::kCountEpisodes;
        n.a = compile(qn.a);
        n.table = at(n.a).table;
        n.person = true;
        n.unit = unit_char(qn.unit());
        n.amount = qn.amount;
        return add(std::move(n));
      case q::Op::kExists:
      case q::Op::kCount:
      case q::Op::kCountDistinct:
      case q::Op::kMin:
      case q::Op::kMax:
      case q::Op::kSum:
      case q::Op::kMean: {
        static const std::pair<q::Op, Op> kAggregates[] = {
            {q::Op::kExists, Op::kExists}, {q::Op::kCount, Op::kCount}, {q::Op::kCountDistinct, Op::kCountDistinct},
            {q::Op::kMin, Op::kMin},       {q::Op::kMax, Op::kMax},     {q::Op::kSum, Op::kSum},
            {q::Op::kMean, Op::kMean}};
        for (const auto& [from, to] : kAggregates)
          if (qn.op == from) n.op = to;
        n.a = compile(qn.a);
        n.table = at(n.a).table;
        n.person = true;
        if (qn.b != q::kNoNode) n.b = compile(qn.b);
        const VKind arg = n.b >= 0 ? at(n.b).kind : VKind::kNull;
        if (n.op == Op::kMin || n.op == Op::kMax || n.op == Op::kSum) n.kind = arg;
        return add(std::move(n));
      }
    }
    throw std::logic_error("unexpected query node");
  }

  // where(COND): COND split at its top-level `and`s into conjuncts, each tested the cheapest
  // way it allows. Only one bucket conjunct is used per where (it picks the candidate rows).
  int where(const q::Node& qn, Node n) {
    n.op = Op::kWhere;
    n.shape = Shape::kFrame;
    const bool over_table = at(n.a).op == Op::kTable;
    std::vector<NodeId> parts;
    const std::function<void(NodeId)> split = [&](NodeId c) {
      const q::Node& cn = m_.node(c);
      if (cn.op == q::Op::kAnd) {
        split(cn.a);
        split(cn.b);
      } else {
        parts.push_back(c);
      }
    };
    split(qn.b);
    bool bucketed = false;
    for (const NodeId c : parts) {
      Conjunct j;
      if (over_table && !bucketed && bucket(c, *n.table, j)) {
        bucketed = true;
      } else if (!bound(c, j)) {
        j.kind = Conjunct::kGeneric;
        j.node = compile(c);
        j.varying = at(j.node).varying;
      }
      for (const int k : {j.node, j.low, j.high})
        if (k >= 0) n.varying = n.varying || at(k).varying;
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

  // The column of the visited row a node reads, if it is one.
  const BoundColumn* row_column(NodeId id) const {
    const q::Node& n = m_.node(id);
    return n.op == q::Op::kRowsColumn ? column(n.table, n.column) : nullptr;
  }

  // `column in list` or an `or` of such on one code column.
  bool bucket(NodeId c, const BoundTable& table, Conjunct& j) {
    std::vector<std::pair<const BoundColumn*, int>> found;
    const std::function<bool(NodeId)> collect = [&](NodeId x) {
      const q::Node& xn = m_.node(x);
      if (xn.op == q::Op::kOr) return collect(xn.a) && collect(xn.b);
      if (xn.op != q::Op::kInCodelist || xn.negated) return false;
      const BoundColumn* column = row_column(xn.a);
      if (column == nullptr || column->dictionary == nullptr) return false;
      found.emplace_back(column, static_cast<int>(xn.codelist));
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
  bool bound(NodeId c, Conjunct& j) {
    const auto usable = [&](const BoundColumn* col, NodeId other, int& node) {
      if (col == nullptr) return false;
      const auto type = col->view->entry().type;
      if (type != store::ColumnType::kDate && type != store::ColumnType::kInt32) return false;
      node = compile(other);
      const Node& o = at(node);
      const VKind want = type == store::ColumnType::kDate ? VKind::kDate : VKind::kInt;
      return !o.row && o.kind == want && o.shape == Shape::kValue;
    };
    const q::Node& cn = m_.node(c);
    if (cn.op == q::Op::kInRange && !cn.negated) {
      const BoundColumn* col = row_column(cn.a);
      int lo = -1, hi = -1;
      if (!usable(col, cn.b, lo) || !usable(col, cn.c, hi)) return false;
      j = Conjunct{};
      j.kind = Conjunct::kBound;
      j.column = col->view;
      j.low = lo;
      j.high = hi;
      j.low_open = cn.low_open;
      j.high_open = cn.high_open;
      return true;
    }
    if (cn.op != q::Op::kCompare) return false;
    const q::Compare op = cn.compare();
    if (op == q::Compare::kEq || op == q::Compare::kNe) return false;
    int node = -1;
    bool column_left = true;
    const BoundColumn* col = row_column(cn.a);
    if (col == nullptr || !usable(col, cn.b, node)) {
      col = row_column(cn.b);
      column_left = false;
      if (col == nullptr || !usable(col, cn.a, node)) return false;
    }
    // Normalise to: column >/>= low, or column </<= high.
    const bool less_op = op == q::Compare::kLt || op == q::Compare::kLe;
    const bool less = less_op == column_left;
    const bool strict = op == q::Compare::kLt || op == q::Compare::kGt;
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
  const query::Model& m_;
  Plan plan_;
};

}  // namespace

Plan compile(const Program& program) { return Compiler(program).run(); }

}  // namespace severn::engine
