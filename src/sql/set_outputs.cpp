// The set-based compiler's outputs (set_compiler.h): a statement's outputs (the population, the
// variables, the group columns, the denominators and numerators) as scalar operators over the
// columns of one query over persons and lanes, each column an atom computed once.
#include "sql/set_compiler.h"
#include "sql/sql_text.h"

namespace severn::sql {

namespace q = query;

bool SetCompiler::is_operator(q::NodeId id) const {
  switch (m_.node(id).op) {
    case q::Op::kNot:
    case q::Op::kNegate:
    case q::Op::kAnd:
    case q::Op::kOr:
    case q::Op::kCompare:
    case q::Op::kArith:
    case q::Op::kAddDuration:
    case q::Op::kDatePart:
    case q::Op::kInCodelist:
    case q::Op::kInSet:
    case q::Op::kInRange:
    case q::Op::kIsNull:
    case q::Op::kCase:
    case q::Op::kCoalesce:
    case q::Op::kText: return true;
    default: return false;
  }
}

// How many outputs and operators read each node: an operator read twice is an atom of its own.
void SetCompiler::count_uses(q::NodeId id) {
  const q::Node& n = m_.node(id);
  if (n.op == q::Op::kLiteral || ++uses_[id] > 1 || !is_operator(id)) return;
  for (const q::NodeId k : {n.a, n.b, n.c})
    if (k != q::kNoNode) count_uses(k);
  for (const q::NodeId k : n.kids) count_uses(k);
}

void SetCompiler::share(const std::vector<q::NodeId>& outputs) {
  for (const q::NodeId id : outputs) count_uses(id);
}

std::string SetCompiler::output(q::NodeId id) {
  if (const auto it = outputs_text_.find(id); it != outputs_text_.end()) return it->second;
  const q::Node& n = m_.node(id);
  const Level lv = level(id);
  std::string text;
  if (n.op == q::Op::kLiteral) {
    text = literal(n.literal);
  } else if (is_operator(id) && (lv == Level::kPerson || lv == Level::kConstant) && uses_[id] < 2) {
    const bool was = outputs_;
    outputs_ = true;
    text = build(id).text;  // its operands through put(), so through output()
    outputs_ = was;
  } else {
    text = atom(id);
  }
  return outputs_text_.emplace(id, std::move(text)).first->second;
}

std::string SetCompiler::atom(q::NodeId id) {
  if (const auto it = atom_of_.find(id); it != atom_of_.end()) return "s." + it->second;
  const bool was = outputs_;
  outputs_ = false;
  std::vector<Join> joins;
  std::string text = put(id, Level::kPerson, joins);
  outputs_ = was;
  add_joins(atom_joins_, joins);
  const std::string name = "x" + std::to_string(atoms_.size());
  atoms_.emplace_back(name, std::move(text));
  atom_of_.emplace(id, name);
  return "s." + name;
}

std::string SetCompiler::atoms(q::NodeId population, const std::string& more_columns) {
  const bool was = outputs_;
  outputs_ = false;
  std::vector<Join> joins;
  const std::string where = put(population, Level::kPerson, joins);
  outputs_ = was;
  Scope scope = persons(true);
  scope.need(atom_joins_);
  scope.need(joins);
  std::string s = "(SELECT p.person_id, l.lane" + more_columns;
  for (const auto& [name, text] : atoms_) s += ",\n    " + text + " AS " + name;
  return s + "\n  " + scope.from() + "\n  WHERE (" + where + ") IS TRUE OFFSET 0) s";
}

}  // namespace severn::sql
