#include "query/fold.h"

#include <charconv>

namespace severn::query {
namespace {

bool is_number(const Literal& v) {
  return v.type == ValueType::kInt || v.type == ValueType::kFloat || v.type == ValueType::kBool;
}
double number(const Literal& v) { return v.type == ValueType::kFloat ? v.f : static_cast<double>(v.i); }

// Three-way comparison of two non-null literals, as the engines compare values.
int compare(const Literal& a, const Literal& b) {
  if (is_number(a) && is_number(b)) {
    if (a.type != ValueType::kFloat && b.type != ValueType::kFloat) return (a.i > b.i) - (a.i < b.i);
    const double x = number(a), y = number(b);
    return (x > y) - (x < y);
  }
  if (a.type == ValueType::kDate && b.type == ValueType::kDate) return (a.i > b.i) - (a.i < b.i);
  const int c = a.s.compare(b.s);
  return (c > 0) - (c < 0);
}

Literal boolean(bool b) {
  Literal v;
  v.type = ValueType::kBool;
  v.i = b ? 1 : 0;
  return v;
}

class Folder {
 public:
  Folder(const Model& m, const std::unordered_map<NodeId, Literal>& given) : m_(m), given_(given) {}

  std::optional<Literal> at(NodeId id) {
    if (const auto it = given_.find(id); it != given_.end()) return it->second;
    const Node& n = m_.node(id);
    switch (n.op) {
      case Op::kLiteral: return n.literal;
      case Op::kNot: {
        const auto a = at(n.a);
        if (!a) return {};
        return a->type == ValueType::kNull ? Literal{} : boolean(a->i == 0);
      }
      case Op::kAnd:
      case Op::kOr: {
        const bool is_and = n.op == Op::kAnd;
        const auto a = at(n.a), b = at(n.b);
        if (!a || !b) return {};
        const auto decides = [&](const Literal& v) { return v.type != ValueType::kNull && (v.i != 0) != is_and; };
        if (decides(*a) || decides(*b)) return boolean(!is_and);
        if (a->type == ValueType::kNull || b->type == ValueType::kNull) return Literal{};
        return boolean(is_and);
      }
      case Op::kCompare: {
        const auto a = at(n.a), b = at(n.b);
        if (!a || !b) return {};
        if (a->type == ValueType::kNull || b->type == ValueType::kNull) return Literal{};
        const int c = compare(*a, *b);
        switch (n.compare()) {
          case Compare::kEq: return boolean(c == 0);
          case Compare::kNe: return boolean(c != 0);
          case Compare::kLt: return boolean(c < 0);
          case Compare::kLe: return boolean(c <= 0);
          case Compare::kGt: return boolean(c > 0);
          case Compare::kGe: return boolean(c >= 0);
        }
        return {};
      }
      case Op::kIsNull: {
        const auto a = at(n.a);
        if (!a) return {};
        return boolean((a->type == ValueType::kNull) != n.negated);
      }
      case Op::kInSet: {
        const auto a = at(n.a);
        if (!a) return {};
        if (a->type == ValueType::kNull) return Literal{};
        bool found = false, unknown = false;
        for (const NodeId k : n.kids) {
          const auto e = at(k);
          if (!e) return {};
          if (e->type == ValueType::kNull) unknown = true;
          else if (compare(*a, *e) == 0) found = true;
        }
        if (found) return boolean(!n.negated);
        if (unknown) return Literal{};
        return boolean(n.negated);
      }
      case Op::kCase: {
        const std::size_t pairs = (n.kids.size() - (n.has_else ? 1 : 0)) / 2;
        for (std::size_t i = 0; i < pairs; ++i) {
          const auto w = at(n.kids[2 * i]);
          if (!w) return {};
          if (w->type == ValueType::kBool && w->i != 0) return at(n.kids[2 * i + 1]);
        }
        return n.has_else ? at(n.kids.back()) : Literal{};
      }
      case Op::kCoalesce:
        for (const NodeId k : n.kids) {
          const auto v = at(k);
          if (!v) return {};
          if (v->type != ValueType::kNull) return v;
        }
        return Literal{};
      case Op::kText: {
        const auto a = at(n.a);
        if (!a) return {};
        const auto t = literal_text(*a);
        if (!t) return Literal{};
        Literal v;
        v.type = ValueType::kString;
        v.s = *t;
        return v;
      }
      case Op::kLookup: {
        const auto a = at(n.a);
        if (!a) return {};
        const auto key = literal_text(*a);
        if (!key) return Literal{};
        const auto& table = m_.references[static_cast<std::size_t>(n.reference())];
        const auto it = table.find(*key);
        if (it == table.end()) return Literal{};
        Literal v;
        v.type = ValueType::kString;
        v.s = it->second;
        return v;
      }
      default: return {};  // reads the record, a frame or the dates: not foldable
    }
  }

 private:
  const Model& m_;
  const std::unordered_map<NodeId, Literal>& given_;
};

}  // namespace

std::optional<std::string> literal_text(const Literal& v) {
  switch (v.type) {
    case ValueType::kNull: return {};
    case ValueType::kBool: return std::string(v.i ? "true" : "false");
    case ValueType::kInt: return std::to_string(v.i);
    case ValueType::kFloat: {
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.f);
      return std::string(buf, r.ptr);
    }
    case ValueType::kDate: return format_iso_date(static_cast<Days>(v.i));
    case ValueType::kCode:
    case ValueType::kString: return v.s;
  }
  return {};
}

std::optional<Literal> fold(const Model& model, NodeId id, const std::unordered_map<NodeId, Literal>& given) {
  return Folder(model, given).at(id);
}

}  // namespace severn::query
