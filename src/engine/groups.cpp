#include "engine/groups.h"

#include <charconv>
#include <optional>
#include <stdexcept>

#include "query/fold.h"

namespace severn::engine {
namespace {

namespace q = query;

// Ages tabulated; an older age (a date of birth centuries back) is evaluated.
constexpr std::uint32_t kTabulatedAges = 151;

// The one input a scalar expression reads per person, if it reads just one that can be tabulated:
// a patients column, or the practice or age on the index date. Nothing if it reads anything else.
bool single_input(const q::Model& m, q::NodeId id, std::optional<q::NodeId>& input) {
  const q::Node& n = m.node(id);
  const auto take = [&](q::NodeId leaf) {
    if (input && *input != leaf) return false;
    input = leaf;
    return true;
  };
  switch (n.op) {
    case q::Op::kLiteral: return true;
    case q::Op::kPatientColumn: return take(id);
    case q::Op::kPracticeOn:
    case q::Op::kAgeOn: return m.node(n.a).op == q::Op::kIndexDate && take(id);
    case q::Op::kNot: case q::Op::kAnd: case q::Op::kOr: case q::Op::kCompare: case q::Op::kIsNull:
    case q::Op::kInSet: case q::Op::kCase: case q::Op::kCoalesce: case q::Op::kText: case q::Op::kLookup:
      for (const q::NodeId k : {n.a, n.b, n.c})
        if (k != q::kNoNode && !single_input(m, k, input)) return false;
      for (const q::NodeId k : n.kids)
        if (!single_input(m, k, input)) return false;
      return true;
    default: return false;
  }
}

}  // namespace

std::uint32_t LetGroups::code(const std::string& label) {
  const auto [it, added] = codes_.emplace(label, static_cast<std::uint32_t>(labels_.size()));
  if (added) labels_.push_back(label);
  return it->second;
}

std::uint32_t LetGroups::code(const Value& v) {
  // Group expressions are never null (the model gives unknowns a label); null reads "unknown".
  if (!Evaluator::text_of(v, text_)) text_ = "unknown";
  return code(text_);
}

std::string age_band(int age) {
  if (age < 0) return "unknown";
  if (age >= 90) return "90+";
  const int lo = age / 5 * 5;
  return std::to_string(lo) + "-" + std::to_string(lo + 4);
}

void GroupColumns::tabulate(const Plan& plan, Column& c, q::NodeId model_node) {
  const q::Model& m = *plan.program->model;
  std::optional<q::NodeId> input;
  if (!single_input(m, model_node, input) || !input) return;
  const q::Node& in = m.node(*input);
  std::vector<std::string> labels;
  std::unordered_map<std::string, std::uint32_t> codes;
  const auto label_of = [&](const q::Literal& given) -> std::optional<std::uint32_t> {
    const auto v = q::fold(m, model_node, {{*input, given}});
    if (!v) return std::nullopt;
    const auto text = q::literal_text(*v);
    if (!text) return std::nullopt;
    const auto [it, added] = codes.emplace(*text, static_cast<std::uint32_t>(labels.size()));
    if (added) labels.push_back(*text);
    return it->second;
  };
  Column t = c;
  const auto null_code = label_of(q::Literal{});
  if (!null_code) return;
  t.null_code = *null_code;
  if (in.op == q::Op::kAgeOn) {
    t.source = Source::kAge;
    for (std::uint32_t age = 0; age < kTabulatedAges; ++age) {
      q::Literal v;
      v.type = q::ValueType::kInt;
      v.i = age;
      const auto code = label_of(v);
      if (!code) return;
      t.by_id.push_back(*code);
    }
  } else {
    const BoundColumn* leaf = in.op == q::Op::kPracticeOn ? &plan.program->table("practice_registrations").column("practice")
                                                          : &plan.program->table(m.patients()).columns.at(in.column);
    if (leaf->dictionary == nullptr) return;
    t.source = in.op == q::Op::kPracticeOn ? Source::kPractice : Source::kPatientColumn;
    t.leaf = leaf;
    const auto type = in.op == q::Op::kPracticeOn ? q::ValueType::kString : in.type;
    for (std::uint32_t id = 0; id < leaf->dictionary->size(); ++id) {
      q::Literal v;
      v.type = type;
      v.s = std::string((*leaf->dictionary)[id]);
      const auto code = label_of(v);
      if (!code) return;
      t.by_id.push_back(*code);
    }
  }
  t.labels = std::move(labels);
  c = std::move(t);
}

GroupColumns::GroupColumns(const Plan& plan, const std::vector<std::pair<std::string, q::NodeId>>& columns)
    : dob_(&plan.program->table("patients").column("date_of_birth")) {
  for (const auto& [name, node] : columns) {
    Column c;
    c.name = name;
    c.node = plan.of_model.at(node);
    if (c.node < 0) throw std::logic_error("group column not compiled: " + name);
    c.row = plan.nodes[static_cast<std::size_t>(c.node)].row;
    tabulate(plan, c, node);
    columns_.push_back(std::move(c));
  }
}

std::size_t GroupColumns::index(const std::string& name) const {
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (columns_[c].name == name) return c;
  throw std::logic_error("group column not prepared: " + name);
}

std::vector<LetGroups> GroupColumns::interners() const {
  std::vector<LetGroups> out(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].row) out[c].code(std::string(kNoRowGroup));  // code 0 (row columns are never tabulated)
    for (const auto& label : columns_[c].labels) out[c].code(label);
  }
  return out;
}

void GroupColumns::codes(Evaluator& ev, int l, std::vector<LetGroups>& lets, std::uint32_t* out, bool at_row) const {
  const std::uint32_t person = ev.person();
  const Days day = ev.lane(l).index_date;
  bool looked_up = false;
  std::int64_t registration = -1;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    std::uint32_t code = kEvaluate;
    if (c.row && !at_row) {
      out[i] = 0;  // kNoRowGroup, seeded first by interners()
      continue;
    }
    switch (c.source) {
      case Source::kEvaluated: break;
      case Source::kPatientColumn:
        code = c.leaf->view->valid(person) ? c.by_id[c.leaf->view->values<std::uint32_t>()[person]] : c.null_code;
        break;
      case Source::kPractice: {
        if (!looked_up) {
          looked_up = true;
          registration = ev.registration_on(day);
        }
        const bool known = registration >= 0 && c.leaf->view->valid(static_cast<std::uint64_t>(registration));
        code = known ? c.by_id[c.leaf->view->values<std::uint32_t>()[static_cast<std::uint64_t>(registration)]] : c.null_code;
        break;
      }
      case Source::kAge: {
        code = c.null_code;
        if (dob_->view->valid(person)) {
          const Days dob = dob_->view->values<std::int32_t>()[person];
          if (day >= dob) {
            const auto age = static_cast<std::uint32_t>(age_in_years(dob, day));
            code = age < c.by_id.size() ? c.by_id[age] : kEvaluate;
          }
        }
        break;
      }
    }
    out[i] = code != kEvaluate ? code : lets[i].code(ev.value(c.node, l));
  }
}

}  // namespace severn::engine
