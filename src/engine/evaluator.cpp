#include "engine/evaluator.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <cmath>
#include <stdexcept>
#include <string>

namespace severn::engine {
namespace {

using lang::Expr;
using lang::ExprKind;

Value null() { return {}; }

// Three-way comparison of two non-null values of comparable kinds.
int compare(const Value& a, const Value& b) {
  if ((a.kind == VKind::kInt || a.kind == VKind::kFloat || a.kind == VKind::kBool) &&
      (b.kind == VKind::kInt || b.kind == VKind::kFloat || b.kind == VKind::kBool)) {
    if (a.kind != VKind::kFloat && b.kind != VKind::kFloat) return (a.i > b.i) - (a.i < b.i);
    const double x = a.number(), y = b.number();
    return (x > y) - (x < y);
  }
  if (a.kind == VKind::kDate && b.kind == VKind::kDate) return (a.i > b.i) - (a.i < b.i);
  const int c = a.s.compare(b.s);  // codes and strings compare by text
  return (c > 0) - (c < 0);
}

Days add_duration(Days d, const Expr& duration, int sign) {
  std::int64_t n = 0;
  std::from_chars(duration.literal.data(), duration.literal.data() + duration.literal.size(), n);
  n *= sign;
  if (duration.name == "days") return static_cast<Days>(d + n);
  if (duration.name == "months") return add_months(d, static_cast<int>(n));
  return add_years(d, static_cast<int>(n));
}

}  // namespace

Evaluator::Evaluator(const Program& program)
    : p_(program),
      registrations_(&program.table("practice_registrations")),
      reg_start_(registrations_->columns.at("start_date").view),
      reg_end_(registrations_->columns.at("end_date").view),
      reg_practice_(&registrations_->columns.at("practice")) {}

void Evaluator::start(std::uint32_t person, Days index_date, Days interval_start) {
  if (person != person_ || person_generation_ == 0) ++person_generation_;
  person_ = person;
  index_date_ = index_date;
  interval_start_ = interval_start;
  ++generation_;
}

Evaluator::Cached& Evaluator::let(const lang::Binding& b) {
  Cached& c = cache_[&b];
  if (c.generation == generation_) return c;
  c.generation = generation_;
  const Expr& e = *b.value;
  if (e.kind == ExprKind::kName && p_.lets.count(e.name)) {  // another let's name: share it
    const Cached& other = let(*p_.lets.at(e.name));
    c.kind = other.kind;
    c.value = other.value;
    c.frame = other.frame;
    c.row = other.row;
  } else if (e.kind == ExprKind::kName && e.name != "patients" && p_.tables.count(e.name)) {
    c.kind = 2;
    c.frame = frame(e, nullptr);
  } else if (e.kind == ExprKind::kCall && e.has_object && (e.name == "where" || e.name == "sort_by")) {
    c.kind = 2;
    c.frame = frame(e, nullptr);
  } else if (e.kind == ExprKind::kCall && e.has_object && (e.name == "first" || e.name == "latest")) {
    c.kind = 3;
    c.row = row(e, nullptr);
  } else {
    c.kind = 1;
    c.value = eval(e, nullptr);
  }
  return c;
}

Value Evaluator::column_value(const BoundTable& t, const std::string& column, std::uint64_t r) const {
  return column_value(t.columns.at(column), r);
}

Value Evaluator::column_value(const BoundColumn& bound, std::uint64_t r) const {
  const store::ColumnView& col = *bound.view;
  if (!col.valid(r)) return null();
  switch (col.entry().type) {
    case store::ColumnType::kDate: return Value::of_date(col.values<std::int32_t>()[r]);
    case store::ColumnType::kInt32: return Value::of_int(col.values<std::int32_t>()[r]);
    case store::ColumnType::kFloat64: return Value::of_float(col.values<double>()[r]);
    case store::ColumnType::kCode: {
      const auto& dict = *bound.dictionary;
      Value v;
      v.kind = VKind::kCode;
      v.id = col.values<std::uint32_t>()[r];
      v.s = dict[v.id];
      v.dict = &dict;
      return v;
    }
    case store::ColumnType::kCategory:
      return Value::of_string((*bound.dictionary)[col.values<std::uint32_t>()[r]]);
    case store::ColumnType::kCodeList: {
      // As a value: the first code (membership tests read the whole list, see in()).
      const auto offsets = col.list_offsets();
      if (offsets[r] == offsets[r + 1]) return null();
      const auto& dict = *bound.dictionary;
      Value v;
      v.kind = VKind::kCode;
      v.id = col.values<std::uint32_t>()[offsets[r]];
      v.s = dict[v.id];
      v.dict = &dict;
      return v;
    }
    case store::ColumnType::kBytes32: return null();
  }
  return null();
}

Value Evaluator::patient_column(const std::string& column) const {
  return column_value(p_.table("patients"), column, person_);
}

int Evaluator::age_on(Days day) const {
  const Value dob = patient_column("date_of_birth");
  return dob.null() ? -1 : age_in_years(static_cast<Days>(dob.i), day);
}

bool Evaluator::registered_on(Days day) const {
  const auto offsets = registrations_->view->person_offsets();
  const auto& start = *reg_start_;
  const auto& end = *reg_end_;
  for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r)
    if (start.values<std::int32_t>()[r] <= day && (!end.valid(r) || end.values<std::int32_t>()[r] >= day))
      return true;
  return false;
}

std::string_view Evaluator::practice_on(Days day) const {
  const auto offsets = registrations_->view->person_offsets();
  const auto& start = *reg_start_;
  const auto& end = *reg_end_;
  std::string_view found;
  for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r)
    if (start.values<std::int32_t>()[r] <= day && (!end.valid(r) || end.values<std::int32_t>()[r] >= day))
      found = column_value(*reg_practice_, r).s;  // the latest-starting registration wins
  return found;
}

Frame Evaluator::frame(const Expr& e, const RowCtx* ctx) {
  if (e.kind == ExprKind::kName) {
    if (const auto it = p_.lets.find(e.name); it != p_.lets.end()) return let(*it->second).frame;
    Frame f;
    f.table = &p_.table(e.name);
    const auto offsets = f.table->view->person_offsets();
    for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r) f.rows.push_back(r);
    return f;
  }
  if (e.kind == ExprKind::kCall && e.has_object) {
    if (e.name == "where") {
      // The rows passing the date-independent conditions may already be known for this person;
      // then the object frame need not be built at all.
      if (const auto it = where_cache_.find(&e);
          it != where_cache_.end() && it->second.generation == person_generation_) {
        const Program::Split& split = p_.where_splits.at(&e);
        Frame f;
        f.table = it->second.table;
        for (const auto r : it->second.rows) {
          const RowCtx inner{f.table, r};
          bool keep = true;
          for (const Expr* c : split.varying) {
            const Value v = eval(*c, &inner);
            if (v.kind != VKind::kBool || !v.i) {
              keep = false;
              break;
            }
          }
          if (keep) f.rows.push_back(r);
        }
        return f;
      }
    }
    Frame f = frame(*e.args[0], ctx);
    if (e.name == "where") {
      // A row is kept when every conjunct of the condition is true. Conjuncts that do not depend
      // on the dates are tested once per person (when the frame itself does not depend on them
      // either); only the others are tested again for each interval.
      const Program::Split& split = p_.where_splits.at(&e);
      const std::vector<const Expr*>* fixed = &split.fixed;
      const std::vector<const Expr*>& varying = split.varying;
      static const std::vector<const Expr*> kNone;
      const auto passes = [&](const std::vector<const Expr*>& conds, std::uint64_t r) {
        const RowCtx inner{f.table, r};
        for (const Expr* c : conds) {
          const Value v = eval(*c, &inner);
          if (v.kind != VKind::kBool || !v.i) return false;
        }
        return true;
      };
      const std::vector<std::uint64_t>* base = &f.rows;
      if (!fixed->empty() && !p_.date_dependent.count(e.args[0].get())) {
        CachedRows& cached = where_cache_[&e];
        if (cached.generation != person_generation_) {
          cached.generation = person_generation_;
          cached.table = f.table;
          cached.rows.clear();
          for (const auto r : f.rows)
            if (passes(*fixed, r)) cached.rows.push_back(r);
        }
        base = &cached.rows;
        fixed = &kNone;
      }
      std::vector<std::uint64_t> kept;
      for (const auto r : *base)
        if (passes(*fixed, r) && passes(varying, r)) kept.push_back(r);
      f.rows = std::move(kept);
      return f;
    }
    if (e.name == "sort_by") {
      std::vector<std::pair<Value, std::uint64_t>> keyed;
      for (const auto r : f.rows) {
        const RowCtx inner{f.table, r};
        keyed.emplace_back(eval(*e.args[1], &inner), r);
      }
      // Nulls first; ties keep store order.
      std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        if (a.first.null() || b.first.null()) return a.first.null() && !b.first.null();
        return compare(a.first, b.first) < 0;
      });
      for (std::size_t i = 0; i < keyed.size(); ++i) f.rows[i] = keyed[i].second;
      return f;
    }
  }
  throw std::logic_error("not a frame expression");
}

Row Evaluator::row(const Expr& e, const RowCtx* ctx) {
  if (e.kind == ExprKind::kName) return let(*p_.lets.at(e.name)).row;
  const Frame f = frame(*e.args[0], ctx);
  Row r;
  r.table = f.table;
  if (!f.rows.empty()) r.row = static_cast<std::int64_t>(e.name == "first" ? f.rows.front() : f.rows.back());
  return r;
}

Value Evaluator::eval(const Expr& e, const RowCtx* ctx) {
  switch (e.kind) {
    case ExprKind::kName: {
      const Program::NameRef& ref = p_.names.at(&e);
      if (ref.column != nullptr && ctx != nullptr) return column_value(*ref.column, ctx->row);
      if (ref.let != nullptr) return let(*ref.let).value;
      if (e.name == "index_date") return Value::of_date(index_date_);
      if (e.name == "interval_start") return Value::of_date(interval_start_);
      throw std::logic_error("unbound name " + e.name);
    }
    case ExprKind::kInt: {
      std::int64_t v = 0;
      std::from_chars(e.literal.data(), e.literal.data() + e.literal.size(), v);
      return Value::of_int(v);
    }
    case ExprKind::kFloat: return Value::of_float(std::stod(e.literal));
    case ExprKind::kDate: return Value::of_date(e.date);
    case ExprKind::kString: return Value::of_string(e.literal);
    case ExprKind::kBool: return Value::of_bool(e.literal == "true");
    case ExprKind::kNull: return null();
    case ExprKind::kDuration: return null();  // only meaningful beside a date (binary())
    case ExprKind::kUnary: {
      const Value v = eval(*e.args[0], ctx);
      if (v.null()) return null();
      if (e.name == "not") return Value::of_bool(v.i == 0);
      return v.kind == VKind::kFloat ? Value::of_float(-v.f) : Value::of_int(-v.i);
    }
    case ExprKind::kBinary: return binary(e, ctx);
    case ExprKind::kIn: return in(e, ctx);
    case ExprKind::kIsNull: {
      const bool is_null = eval(*e.args[0], ctx).null();
      return Value::of_bool(e.negated ? !is_null : is_null);
    }
    case ExprKind::kCase: {
      const std::size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
      for (std::size_t i = 0; i < pairs; ++i) {
        const Value c = eval(*e.args[2 * i], ctx);
        if (c.kind == VKind::kBool && c.i) return eval(*e.args[2 * i + 1], ctx);
      }
      return e.has_else ? eval(*e.args.back(), ctx) : null();
    }
    case ExprKind::kMember: {
      const Expr& obj = *e.args[0];
      const Program::MemberRef& m = p_.members.at(&e);
      switch (m.kind) {
        case Program::MemberRef::kPatientColumn: return column_value(*m.column, person_);
        case Program::MemberRef::kRowColumn: {
          const Row r = row(obj, ctx);
          return r.row < 0 ? null() : column_value(*m.column, static_cast<std::uint64_t>(r.row));
        }
        case Program::MemberRef::kFrameColumn:
          // A frame's column read at the current row (the checker allows it only there).
          return ctx != nullptr ? column_value(*m.column, ctx->row) : null();
        case Program::MemberRef::kDatePart: {
          const Value d = eval(obj, ctx);
          if (d.null()) return null();
          const CivilDate c = civil_from_days(static_cast<Days>(d.i));
          return Value::of_int(e.name == "year" ? c.year : e.name == "month" ? c.month : c.day);
        }
      }
      return null();
    }
    case ExprKind::kCall: return call(e, ctx);
    case ExprKind::kSet:
    case ExprKind::kRange: break;
  }
  throw std::logic_error("unexpected expression");
}

Value Evaluator::binary(const Expr& e, const RowCtx* ctx) {
  const std::string& op = e.name;
  if (op == "and" || op == "or") {
    const Value a = eval(*e.args[0], ctx);
    const bool is_and = op == "and";
    // Short circuit: false and x = false; true or x = true (x may be null).
    if (!a.null() && (a.i != 0) != is_and) return Value::of_bool(!is_and);
    const Value b = eval(*e.args[1], ctx);
    if (!b.null() && (b.i != 0) != is_and) return Value::of_bool(!is_and);
    if (a.null() || b.null()) return null();
    return Value::of_bool(is_and);
  }
  const Expr& right = *e.args[1];
  const Expr& left = *e.args[0];
  if (right.kind == ExprKind::kDuration || left.kind == ExprKind::kDuration) {
    const Expr& date_side = right.kind == ExprKind::kDuration ? left : right;
    const Expr& duration = right.kind == ExprKind::kDuration ? right : left;
    const Value d = eval(date_side, ctx);
    if (d.null()) return null();
    return Value::of_date(add_duration(static_cast<Days>(d.i), duration, op == "-" ? -1 : 1));
  }
  const Value a = eval(left, ctx);
  const Value b = eval(right, ctx);
  if (a.null() || b.null()) return null();
  if (op == "==") return Value::of_bool(compare(a, b) == 0);
  if (op == "!=") return Value::of_bool(compare(a, b) != 0);
  if (op == "<") return Value::of_bool(compare(a, b) < 0);
  if (op == "<=") return Value::of_bool(compare(a, b) <= 0);
  if (op == ">") return Value::of_bool(compare(a, b) > 0);
  if (op == ">=") return Value::of_bool(compare(a, b) >= 0);
  if (a.kind == VKind::kDate && b.kind == VKind::kDate) return Value::of_int(a.i - b.i);
  if (op == "/") {
    if (b.number() == 0) return null();
    return Value::of_float(a.number() / b.number());
  }
  if (a.kind == VKind::kFloat || b.kind == VKind::kFloat) {
    const double x = a.number(), y = b.number();
    return Value::of_float(op == "+" ? x + y : op == "-" ? x - y : x * y);
  }
  return Value::of_int(op == "+" ? a.i + b.i : op == "-" ? a.i - b.i : a.i * b.i);
}

Value Evaluator::in(const Expr& e, const RowCtx* ctx) {
  const Expr& lhs = *e.args[0];
  const Expr& target = *e.args[1];
  const auto result = [&](const Value& v) {
    if (v.null()) return v;
    return Value::of_bool(e.negated ? v.i == 0 : v.i != 0);
  };
  if (target.kind == ExprKind::kName) {
    const auto& lists = *p_.in_lists.at(&e);
    // A column holding several codes is in the list if any of its codes is.
    if (ctx != nullptr && lhs.kind == ExprKind::kName && ctx->table->columns.count(lhs.name)) {
      const BoundColumn& bound = ctx->table->columns.at(lhs.name);
      const store::ColumnView& col = *bound.view;
      if (col.entry().type == store::ColumnType::kCodeList) {
        const auto& dict = *bound.dictionary;
        const auto& member = lists.at(&dict);
        const auto offsets = col.list_offsets();
        const auto ids = col.values<std::uint32_t>();
        if (!col.valid(ctx->row) || offsets[ctx->row] == offsets[ctx->row + 1]) return null();
        bool any = false;
        for (auto i = offsets[ctx->row]; i < offsets[ctx->row + 1]; ++i) any = any || member[ids[i]];
        return result(Value::of_bool(any));
      }
    }
    const Value v = eval(lhs, ctx);
    if (v.null()) return null();
    const auto it = lists.find(v.dict);
    return result(Value::of_bool(it != lists.end() && it->second[v.id]));
  }
  const Value v = eval(lhs, ctx);
  if (v.null()) return null();
  if (target.kind == ExprKind::kSet) {
    bool saw_null = false;
    for (const auto& element : target.args) {
      const Value x = eval(*element, ctx);
      if (x.null()) {
        saw_null = true;
        continue;
      }
      if (compare(v, x) == 0) return result(Value::of_bool(true));
    }
    return saw_null ? null() : result(Value::of_bool(false));
  }
  const Value lo = eval(*target.args[0], ctx);
  const Value hi = eval(*target.args[1], ctx);
  if (lo.null() || hi.null()) return null();
  const int cl = compare(v, lo), ch = compare(v, hi);
  const bool inside = (target.low_open ? cl > 0 : cl >= 0) && (target.high_open ? ch < 0 : ch <= 0);
  return result(Value::of_bool(inside));
}

Value Evaluator::call(const Expr& e, const RowCtx* ctx) {
  if (!e.has_object) {  // registered_on(date)
    const Value d = eval(*e.args[0], ctx);
    if (d.null()) return null();
    return Value::of_bool(registered_on(static_cast<Days>(d.i)));
  }
  const Expr& obj = *e.args[0];
  if (obj.kind == ExprKind::kName && obj.name == "patients") {  // age_on(date)
    const Value d = eval(*e.args[1], ctx);
    if (d.null()) return null();
    const int age = age_on(static_cast<Days>(d.i));
    return age < 0 ? null() : Value::of_int(age);
  }
  return aggregate(e, frame(obj, ctx));
}

Value Evaluator::aggregate(const Expr& e, const Frame& f) {
  const std::string& m = e.name;
  if (m == "exists") return Value::of_bool(!f.rows.empty());
  if (m == "count") return Value::of_int(static_cast<std::int64_t>(f.rows.size()));
  if (m == "count_episodes") {
    std::int64_t episodes = 0;
    std::int64_t last = 0;
    for (const auto r : f.rows) {
      const Value d = column_value(*f.table, f.table->def->date_column, r);
      if (d.null()) continue;
      if (episodes == 0 || d.i > add_duration(static_cast<Days>(last), *e.args[1], 1)) ++episodes;
      last = d.i;
    }
    return Value::of_int(episodes);
  }
  std::vector<Value> values;
  for (const auto r : f.rows) {
    const RowCtx inner{f.table, r};
    const Value v = eval(*e.args[1], &inner);
    if (!v.null()) values.push_back(v);
  }
  if (m == "count_distinct") {
    std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
    const auto end = std::unique(values.begin(), values.end(),
                                 [](const Value& a, const Value& b) { return compare(a, b) == 0; });
    return Value::of_int(end - values.begin());
  }
  if (m == "min" || m == "max") {
    if (values.empty()) return null();
    Value best = values[0];
    for (const auto& v : values)
      if ((m == "min") == (compare(v, best) < 0) && compare(v, best) != 0) best = v;
    return best;
  }
  if (m == "sum") {
    bool is_float = false;
    for (const auto& v : values) is_float = is_float || v.kind == VKind::kFloat;
    // An empty frame sums to zero of the column's type.
    if (values.empty()) {
      const lang::ColumnDef* c = nullptr;
      if (e.args[1]->kind == ExprKind::kName) c = f.table->def->find(e.args[1]->name);
      return c != nullptr && c->type.base == lang::Base::kFloat ? Value::of_float(0) : Value::of_int(0);
    }
    if (!is_float) {
      std::int64_t s = 0;
      for (const auto& v : values) s += v.i;
      return Value::of_int(s);
    }
    double s = 0;
    for (const auto& v : values) s += v.number();
    return Value::of_float(s);
  }
  if (m == "mean") {
    if (values.empty()) return null();
    double s = 0;
    for (const auto& v : values) s += v.number();
    return Value::of_float(s / static_cast<double>(values.size()));
  }
  throw std::logic_error("unknown aggregation " + m);
}

}  // namespace severn::engine
