#include "engine/evaluator.h"

#include <charconv>

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <limits>
#include <stdexcept>

namespace severn::engine {
namespace {

// Date arithmetic, integer arithmetic and negation leave null where the result would leave the
// calendar (0001-01-01..9999-12-31) or int64, as SQL does (docs/language.md, "Limits and
// overflow"); a float result that is not finite is null too.
std::optional<Days> add_duration(Days d, char unit, std::int64_t amount) {
  if (unit == 'd') return add_days_checked(d, amount);
  if (unit == 'm') return add_months_checked(d, amount);
  return add_years_checked(d, amount);
}

Value float_result(double x) { return std::isfinite(x) ? Value::of_float(x) : Value{}; }

Value int_result(char op, std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  const bool overflow = op == '+'   ? __builtin_add_overflow(a, b, &r)
                        : op == '-' ? __builtin_sub_overflow(a, b, &r)
                                    : __builtin_mul_overflow(a, b, &r);
  return overflow ? Value{} : Value::of_int(r);
}

// Calls fn(l) for each set bit l of m, lowest first.
template <class Fn>
void each_lane(LaneMask m, Fn fn) {
  while (m != 0) {
    fn(std::countr_zero(m));
    m &= m - 1;
  }
}

Value compare_op(std::uint8_t cmp, const Value& a, const Value& b) {
  if (a.null() || b.null()) return {};
  const int c = compare(a, b);
  switch (cmp) {
    case 0: return Value::of_bool(c == 0);
    case 1: return Value::of_bool(c != 0);
    case 2: return Value::of_bool(c < 0);
    case 3: return Value::of_bool(c <= 0);
    case 4: return Value::of_bool(c > 0);
    default: return Value::of_bool(c >= 0);
  }
}

Value arith_op(char op, const Value& a, const Value& b) {
  if (a.null() || b.null()) return {};
  if (a.kind == VKind::kDate && b.kind == VKind::kDate) return Value::of_int(a.i - b.i);
  if (op == '/') {
    if (b.number() == 0) return {};
    return float_result(a.number() / b.number());
  }
  if (a.kind == VKind::kFloat || b.kind == VKind::kFloat) {
    const double x = a.number(), y = b.number();
    return float_result(op == '+' ? x + y : op == '-' ? x - y : x * y);
  }
  return int_result(op, a.i, b.i);
}

}  // namespace

Evaluator::Evaluator(const Plan& plan, std::vector<Lane> lanes)
    : plan_(plan),
      lanes_(std::move(lanes)),
      n_(static_cast<int>(lanes_.size())),
      registrations_(&plan.program->table("practice_registrations")),
      reg_start_(registrations_->column("start_date").view),
      reg_end_(registrations_->column("end_date").view),
      reg_practice_(&registrations_->column("practice")),
      date_of_birth_(&plan.program->table("patients").column("date_of_birth")) {
  if (n_ < 1 || n_ > kMaxLanes) throw std::invalid_argument("an evaluator needs 1 to 64 lanes");
  full_ = mask_of(n_);
  const std::size_t nodes = plan.nodes.size();
  vals_.resize(nodes * static_cast<std::size_t>(n_));
  uniform_.assign(nodes, 1);
  stamp_.assign(nodes, 0);
  frames_.resize(nodes);
  picks_.resize(nodes);
  bounds_.resize(nodes);
  merged_.resize(nodes);
  distinct_.resize(nodes);
  distinct_masks_.resize(nodes);
  texts_.resize(nodes);
  buckets_.resize(plan.bucket_columns.size());
  for (std::size_t id = 0; id < nodes; ++id) {
    const Node& nd = plan.nodes[id];
    if (nd.op == Op::kConst) out(static_cast<int>(id))[0] = nd.lit;
    if (nd.op == Op::kWhere) bounds_[id].resize(nd.conjuncts.size());
    if (nd.shape == Shape::kRow) picks_[id].row.resize(static_cast<std::size_t>(n_));
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) buckets_[b].rows.resize(plan.bucket_columns[b].lists.size());
}

void Evaluator::start(std::uint32_t person) {
  person_ = person;
  ++person_stamp_;
}

LaneMask Evaluator::truth(int id) {
  eval(id);
  return truth_of_slot(id);
}

const Value& Evaluator::value(int id, int l) {
  eval(id);
  return at(id, l);
}

LaneMask Evaluator::truth_of_slot(int id) const {
  if (uniform(id)) return at(id, 0).is_true() ? full_ : 0;
  LaneMask m = 0;
  const Value* v = &vals_[static_cast<std::size_t>(id) * static_cast<std::size_t>(n_)];
  for (int l = 0; l < n_; ++l)
    if (v[l].is_true()) m |= LaneMask{1} << l;
  return m;
}

Value Evaluator::column_value(const BoundColumn& bound, std::uint64_t r) const {
  const store::ColumnView& col = *bound.view;
  if (!col.valid(r)) return {};
  switch (col.entry().type) {
    case store::ColumnType::kDate: return Value::of_date(col.values<std::int32_t>()[r]);
    case store::ColumnType::kInt32: return Value::of_int(col.values<std::int32_t>()[r]);
    case store::ColumnType::kFloat64: return Value::of_float(col.values<double>()[r]);
    case store::ColumnType::kCode: {
      const std::uint32_t id = col.values<std::uint32_t>()[r];
      return Value::of_code(id, (*bound.dictionary)[id], bound.dictionary);
    }
    case store::ColumnType::kCategory: return Value::of_string((*bound.dictionary)[col.values<std::uint32_t>()[r]]);
    case store::ColumnType::kCodeList: {
      // As a value: the first code (membership tests read the whole list, see code_in_list()).
      const auto offsets = col.list_offsets();
      if (offsets[r] == offsets[r + 1]) return {};
      const std::uint32_t id = col.values<std::uint32_t>()[offsets[r]];
      return Value::of_code(id, (*bound.dictionary)[id], bound.dictionary);
    }
    case store::ColumnType::kBytes32: return {};
  }
  return {};
}

const CivilDate& Evaluator::civil_of(Days day) {
  CivilCache& c = civil_cache_[static_cast<std::uint32_t>(day) % civil_cache_.size()];
  if (!c.set || c.day != day) c = {day, civil_from_days(day), true};
  return c.date;
}

bool Evaluator::registered_on(Days day) const { return registration_on(day) >= 0; }

std::int64_t Evaluator::registration_on(Days day) const {
  const auto offsets = registrations_->view->person_offsets();
  const auto start = reg_start_->values<std::int32_t>();
  const auto end = reg_end_->values<std::int32_t>();
  std::int64_t found = -1;
  for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r)
    if (start[r] <= day && (!reg_end_->valid(r) || end[r] >= day)) found = static_cast<std::int64_t>(r);
  return found;
}

void Evaluator::eval(int id) {
  const Node& nd = node(id);
  if (nd.op == Op::kConst || nd.shape != Shape::kValue) return;
  if (!nd.row) {
    const std::uint64_t want = nd.person ? person_stamp_ : 1;
    auto& stamp = stamp_[static_cast<std::size_t>(id)];
    if (stamp == want) return;
    stamp = want;
  }
  compute(id, nd);
}

void Evaluator::compute(int id, const Node& nd) {
  auto& uni = uniform_[static_cast<std::size_t>(id)];
  Value* o = out(id);
  // Applies fn lane by lane; one value when every input is one value.
  const auto map1 = [&](int a, auto fn) {
    eval(a);
    const int w = uniform(a) ? 1 : n_;
    uni = w == 1;
    for (int l = 0; l < w; ++l) o[l] = fn(at(a, l));
  };
  const auto map2 = [&](int a, int b, auto fn) {
    eval(a);
    eval(b);
    const int w = uniform(a) && uniform(b) ? 1 : n_;
    uni = w == 1;
    for (int l = 0; l < w; ++l) o[l] = fn(at(a, l), at(b, l));
  };
  switch (nd.op) {
    case Op::kConst: return;
    case Op::kIndexDate:
    case Op::kIntervalStart:
      uni = n_ == 1;
      for (int l = 0; l < n_; ++l)
        o[l] = Value::of_date(nd.op == Op::kIndexDate ? lanes_[static_cast<std::size_t>(l)].index_date
                                                      : lanes_[static_cast<std::size_t>(l)].interval_start);
      return;
    case Op::kColumn:
      uni = 1;
      o[0] = column_value(*nd.column, row_);
      return;
    case Op::kPatientColumn:
      uni = 1;
      o[0] = column_value(*nd.column, person_);
      return;
    case Op::kRowColumn: {
      const RowPick& p = pick(nd.a);
      const int w = p.uniform ? 1 : n_;
      uni = w == 1;
      for (int l = 0; l < w; ++l) {
        const std::int64_t r = p.row[static_cast<std::size_t>(l)];
        o[l] = r < 0 ? Value{} : column_value(*nd.column, static_cast<std::uint64_t>(r));
      }
      return;
    }
    case Op::kNot:
      map1(nd.a, [](const Value& v) { return v.null() ? Value{} : Value::of_bool(v.i == 0); });
      return;
    case Op::kNeg:
      map1(nd.a, [](const Value& v) {
        if (v.null()) return Value{};
        if (v.kind == VKind::kFloat) return Value::of_float(-v.f);
        return v.i == std::numeric_limits<std::int64_t>::min() ? Value{} : Value::of_int(-v.i);
      });
      return;
    case Op::kAnd:
    case Op::kOr: logic(id, nd); return;
    case Op::kCompare: map2(nd.a, nd.b, [&](const Value& a, const Value& b) { return compare_op(nd.cmp, a, b); }); return;
    case Op::kArith: map2(nd.a, nd.b, [&](const Value& a, const Value& b) { return arith_op(nd.arith, a, b); }); return;
    case Op::kAddDuration:
      map1(nd.a, [&](const Value& d) {
        if (d.null()) return Value{};
        const auto moved = add_duration(static_cast<Days>(d.i), nd.unit, nd.amount);
        return moved ? Value::of_date(*moved) : Value{};
      });
      return;
    case Op::kInCodelist: {
      const Node& a = node(nd.a);
      if (a.op == Op::kColumn && a.column->view->entry().type == store::ColumnType::kCodeList) {
        uni = 1;
        o[0] = code_in_list(nd);
        return;
      }
      const auto& lists = plan_.codelists[static_cast<std::size_t>(nd.codelist)].member;
      map1(nd.a, [&](const Value& v) {
        if (v.null()) return Value{};
        const auto it = lists.find(v.dict);
        const bool in = it != lists.end() && (*it->second)[v.id()];
        return Value::of_bool(in != nd.negated);
      });
      return;
    }
    case Op::kInSet: in_set(id, nd); return;
    case Op::kInRange: {
      eval(nd.a);
      eval(nd.b);
      eval(nd.c);
      const int w = uniform(nd.a) && uniform(nd.b) && uniform(nd.c) ? 1 : n_;
      uni = w == 1;
      for (int l = 0; l < w; ++l) {
        const Value& v = at(nd.a, l);
        const Value& lo = at(nd.b, l);
        const Value& hi = at(nd.c, l);
        if (v.null() || lo.null() || hi.null()) {
          o[l] = {};
          continue;
        }
        const int cl = compare(v, lo), ch = compare(v, hi);
        const bool inside = (nd.low_open ? cl > 0 : cl >= 0) && (nd.high_open ? ch < 0 : ch <= 0);
        o[l] = Value::of_bool(inside != nd.negated);
      }
      return;
    }
    case Op::kIsNull: map1(nd.a, [&](const Value& v) { return Value::of_bool(v.null() != nd.negated); }); return;
    case Op::kCase: case_when(id, nd); return;
    case Op::kCoalesce: {
      for (const int k : nd.kids) eval(k);
      bool all_uniform = true;
      for (const int k : nd.kids) all_uniform = all_uniform && uniform(k);
      const int w = all_uniform ? 1 : n_;
      uni = w == 1;
      for (int l = 0; l < w; ++l) {
        o[l] = Value{};
        for (const int k : nd.kids)
          if (!at(k, l).null()) {
            o[l] = at(k, l);
            break;
          }
      }
      return;
    }
    case Op::kText: {
      auto& texts = texts_[static_cast<std::size_t>(id)];
      texts.resize(static_cast<std::size_t>(n_));
      int l = 0;
      map1(nd.a, [&](const Value& v) {
        std::string& t = texts[static_cast<std::size_t>(l++)];
        if (!text_of(v, t)) return Value{};
        return Value::of_string(t);
      });
      return;
    }
    case Op::kLookup: {
      map1(nd.a, [&](const Value& v) {
        std::string& key = lookup_key_;
        if (!text_of(v, key)) return Value{};
        const auto it = nd.reference->find(key);
        return it == nd.reference->end() ? Value{} : Value::of_string(it->second);
      });
      return;
    }
    case Op::kPracticeOn:
      map1(nd.a, [&](const Value& d) {
        if (d.null()) return Value{};
        const std::int64_t r = registration_on(static_cast<Days>(d.i));
        return r < 0 ? Value{} : column_value(*reg_practice_, static_cast<std::uint64_t>(r));
      });
      return;
    case Op::kDatePart:
      map1(nd.a, [&](const Value& d) {
        if (d.null()) return Value{};
        const CivilDate c = civil_from_days(static_cast<Days>(d.i));
        return Value::of_int(nd.part == 'y' ? c.year : nd.part == 'm' ? c.month : c.day);
      });
      return;
    case Op::kRegisteredOn:
      map1(nd.a, [&](const Value& d) {
        return d.null() ? Value{} : Value::of_bool(registered_on(static_cast<Days>(d.i)));
      });
      return;
    case Op::kAgeOn: {
      // age_in_years(), with the birth date's calendar date worked out once per person and the
      // dates it is asked on (mostly the lanes' index dates) remembered.
      const Value dob = column_value(*date_of_birth_, person_);
      const CivilDate b = dob.null() ? CivilDate{} : civil_from_days(static_cast<Days>(dob.i));
      map1(nd.a, [&](const Value& d) {
        if (d.null() || dob.null() || d.i < dob.i) return Value{};
        const CivilDate& o = civil_of(static_cast<Days>(d.i));
        return Value::of_int(o.year - b.year - (o.month < b.month || (o.month == b.month && o.day < b.day) ? 1 : 0));
      });
      return;
    }
    default: aggregate(id, nd); return;
  }
}

void Evaluator::logic(int id, const Node& nd) {
  const bool is_and = nd.op == Op::kAnd;
  auto& uni = uniform_[static_cast<std::size_t>(id)];
  Value* o = out(id);
  eval(nd.a);
  // false and x = false, true or x = true, whatever x is (even null): x is not looked at.
  if (uniform(nd.a)) {
    const Value& a = at(nd.a, 0);
    if (!a.null() && (a.i != 0) != is_and) {
      uni = 1;
      o[0] = Value::of_bool(!is_and);
      return;
    }
  }
  eval(nd.b);
  const int w = uniform(nd.a) && uniform(nd.b) ? 1 : n_;
  uni = w == 1;
  for (int l = 0; l < w; ++l) {
    const Value& a = at(nd.a, l);
    const Value& b = at(nd.b, l);
    if ((!a.null() && (a.i != 0) != is_and) || (!b.null() && (b.i != 0) != is_and)) o[l] = Value::of_bool(!is_and);
    else if (a.null() || b.null()) o[l] = {};
    else o[l] = Value::of_bool(is_and);
  }
}

bool Evaluator::text_of(const Value& v, std::string& out) {
  char buf[32];
  switch (v.kind) {
    case VKind::kNull: return false;
    case VKind::kBool: out = v.i ? "true" : "false"; return true;
    case VKind::kInt: {
      const auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      out.assign(buf, r.ptr);
      return true;
    }
    case VKind::kFloat: {
      const auto r = std::to_chars(buf, buf + sizeof buf, v.f);
      out.assign(buf, r.ptr);
      return true;
    }
    case VKind::kDate: out = format_iso_date(static_cast<Days>(v.i)); return true;
    case VKind::kCode:
    case VKind::kString: out.assign(v.s()); return true;
  }
  return false;
}

void Evaluator::case_when(int id, const Node& nd) {
  auto& uni = uniform_[static_cast<std::size_t>(id)];
  Value* o = out(id);
  const bool has_else = nd.c == 1;
  const std::size_t pairs = (nd.kids.size() - (has_else ? 1 : 0)) / 2;
  LaneMask left = full_;
  bool all_uniform = true;  // then every lane takes the same branch
  for (int l = 0; l < n_; ++l) o[l] = {};
  const auto take = [&](int from, LaneMask lanes) {
    all_uniform = all_uniform && uniform(from);
    each_lane(lanes, [&](int l) { o[l] = at(from, l); });
  };
  for (std::size_t i = 0; i < pairs && left != 0; ++i) {
    const int when = nd.kids[2 * i];
    eval(when);
    all_uniform = all_uniform && uniform(when);
    const LaneMask hit = truth_of_slot(when) & left;
    if (hit != 0) {
      eval(nd.kids[2 * i + 1]);
      take(nd.kids[2 * i + 1], hit);
    }
    left &= ~hit;
  }
  if (left != 0 && has_else) {
    eval(nd.kids.back());
    take(nd.kids.back(), left);
  }
  uni = all_uniform || n_ == 1;
}

void Evaluator::in_set(int id, const Node& nd) {
  auto& uni = uniform_[static_cast<std::size_t>(id)];
  Value* o = out(id);
  eval(nd.a);
  bool w1 = uniform(nd.a);
  for (const int k : nd.kids) {
    eval(k);
    w1 = w1 && uniform(k);
  }
  const int w = w1 ? 1 : n_;
  uni = w1;
  for (int l = 0; l < w; ++l) {
    const Value& v = at(nd.a, l);
    if (v.null()) {
      o[l] = {};
      continue;
    }
    bool found = false, saw_null = false;
    for (const int k : nd.kids) {
      const Value& x = at(k, l);
      if (x.null()) saw_null = true;
      else if (compare(v, x) == 0) found = true;
    }
    // A miss against a set holding null is unknown, as in SQL.
    o[l] = found ? Value::of_bool(!nd.negated) : saw_null ? Value{} : Value::of_bool(nd.negated);
  }
}

// A row's list of codes (secondary diagnoses) is in the list if any of its codes is; an empty or
// null list is null.
Value Evaluator::code_in_list(const Node& nd) {
  const BoundColumn& bound = *node(nd.a).column;
  const store::ColumnView& col = *bound.view;
  const auto& lists = plan_.codelists[static_cast<std::size_t>(nd.codelist)].member;
  const auto it = lists.find(bound.dictionary);
  const auto offsets = col.list_offsets();
  if (!col.valid(row_) || offsets[row_] == offsets[row_ + 1]) return {};
  const auto ids = col.values<std::uint32_t>();
  bool any = false;
  if (it != lists.end())
    for (auto i = offsets[row_]; i < offsets[row_ + 1]; ++i) any = any || (*it->second)[ids[i]];
  return Value::of_bool(any != nd.negated);
}

const std::vector<std::uint64_t>& Evaluator::bucket_rows(int id, const Conjunct& j) {
  const BucketColumn& bc = plan_.bucket_columns[static_cast<std::size_t>(j.bucket_column)];
  Bucket& b = buckets_[static_cast<std::size_t>(j.bucket_column)];
  if (b.stamp != person_stamp_) {
    // One pass over the person's rows files each row under every bucketed list its code is in.
    b.stamp = person_stamp_;
    for (auto& rows : b.rows) rows.clear();
    const store::ColumnView& col = *bc.column->view;
    const auto offsets = bc.table->view->person_offsets();
    const auto ids = col.values<std::uint32_t>();
    const bool is_list = col.entry().type == store::ColumnType::kCodeList;
    for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r) {
      if (!col.valid(r)) continue;
      if (!is_list) {
        for (const auto list : bc.lists_of_code[ids[r]]) b.rows[list].push_back(r);
        continue;
      }
      const auto lo = col.list_offsets();
      for (auto i = lo[r]; i < lo[r + 1]; ++i)
        for (const auto list : bc.lists_of_code[ids[i]])
          if (b.rows[list].empty() || b.rows[list].back() != r) b.rows[list].push_back(r);
    }
  }
  if (j.lists.size() == 1) return b.rows[static_cast<std::size_t>(j.lists[0])];
  auto& merged = merged_[static_cast<std::size_t>(id)];
  merged.clear();
  for (const int list : j.lists) {
    const auto& rows = b.rows[static_cast<std::size_t>(list)];
    merged.insert(merged.end(), rows.begin(), rows.end());
  }
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  return merged;
}

const Evaluator::FrameData& Evaluator::frame(int id) {
  FrameData& f = frames_[static_cast<std::size_t>(id)];
  if (f.stamp == person_stamp_) return f;
  const Node& nd = node(id);
  f.table = nd.table;
  f.rows.clear();
  f.masks.clear();
  f.keys.clear();
  switch (nd.op) {
    case Op::kTable: {
      const auto offsets = nd.table->view->person_offsets();
      for (auto r = offsets[person_]; r < offsets[person_ + 1]; ++r) {
        f.rows.push_back(r);
        f.masks.push_back(full_);
      }
      break;
    }
    case Op::kSortBy: {
      const FrameData& base = frame(nd.a);
      f.rows.assign(base.rows.begin(), base.rows.end());
      f.masks.assign(base.masks.begin(), base.masks.end());
      f.keys.assign(base.keys.begin(), base.keys.end());
      f.keys.push_back(nd.b);
      break;
    }
    case Op::kWhere: where(id, nd, f); break;
    default: throw std::logic_error("not a frame");
  }
  f.stamp = person_stamp_;
  return f;
}

void Evaluator::where(int id, const Node& nd, FrameData& f) {
  const std::vector<std::uint64_t>* rows = nullptr;
  const std::vector<LaneMask>* masks = nullptr;  // null: every row in every lane
  std::size_t first = 0;
  if (!nd.conjuncts.empty() && nd.conjuncts[0].kind == Conjunct::kBucket) {
    rows = &bucket_rows(id, nd.conjuncts[0]);
    first = 1;
  } else {
    const FrameData& base = frame(nd.a);
    rows = &base.rows;
    masks = &base.masks;
    f.keys.assign(base.keys.begin(), base.keys.end());
  }
  // Bounds are worked out once per person, as inclusive integer limits per lane.
  auto& bounds = bounds_[static_cast<std::size_t>(id)];
  for (std::size_t c = first; c < nd.conjuncts.size(); ++c) {
    const Conjunct& j = nd.conjuncts[c];
    if (j.kind != Conjunct::kBound) continue;
    BoundLanes& b = bounds[c];
    b.uniform = true;
    for (const int k : {j.low, j.high})
      if (k >= 0) {
        eval(k);
        b.uniform = b.uniform && uniform(k);
      }
    const int w = b.uniform ? 1 : n_;
    b.valid = 0;
    for (int l = 0; l < w; ++l) {
      b.low[l] = std::numeric_limits<std::int64_t>::min();
      b.high[l] = std::numeric_limits<std::int64_t>::max();
      bool ok = true;
      if (j.low >= 0) {
        const Value& v = at(j.low, l);
        // Nothing is above the largest int64 (nor below the smallest): the lane keeps no row.
        ok = ok && !v.null() && !__builtin_add_overflow(v.i, j.low_open ? 1 : 0, &b.low[l]);
      }
      if (j.high >= 0) {
        const Value& v = at(j.high, l);
        ok = ok && !v.null() && !__builtin_sub_overflow(v.i, j.high_open ? 1 : 0, &b.high[l]);
      }
      if (ok) b.valid |= LaneMask{1} << l;
    }
    if (b.uniform) b.valid = (b.valid & 1) ? full_ : 0;
  }
  const std::uint64_t saved_row = row_;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const std::uint64_t r = (*rows)[i];
    LaneMask m = masks != nullptr ? (*masks)[i] : full_;
    row_ = r;
    for (std::size_t c = first; c < nd.conjuncts.size() && m != 0; ++c) {
      const Conjunct& j = nd.conjuncts[c];
      if (j.kind == Conjunct::kBound) {
        if (!j.column->valid(r)) {
          m = 0;
          break;
        }
        const std::int64_t x = j.column->values<std::int32_t>()[r];
        const BoundLanes& b = bounds[c];
        if (b.uniform) {
          if (x < b.low[0] || x > b.high[0]) m = 0;
          m &= b.valid;
          continue;
        }
        LaneMask in = 0;
        for (int l = 0; l < n_; ++l) in |= static_cast<LaneMask>(b.low[l] <= x && x <= b.high[l]) << l;
        m &= in & b.valid;
        continue;
      }
      eval(j.node);
      m &= truth_of_slot(j.node);
    }
    if (m != 0) {
      f.rows.push_back(r);
      f.masks.push_back(m);
    }
  }
  row_ = saved_row;
}

namespace {
// Sort keys of two rows, key k at a[k * stride]: the key added last decides first; nulls sort first.
bool keys_less(const Value* a, const Value* b, std::size_t nkeys, std::size_t stride) {
  for (std::size_t k = nkeys; k-- > 0;) {
    const Value& x = a[k * stride];
    const Value& y = b[k * stride];
    if (x.null() || y.null()) {
      if (x.null() != y.null()) return x.null();
      continue;
    }
    const int c = compare(x, y);
    if (c != 0) return c < 0;
  }
  return false;
}
}  // namespace

const Evaluator::RowPick& Evaluator::pick(int id) {
  RowPick& p = picks_[static_cast<std::size_t>(id)];
  if (p.stamp == person_stamp_) return p;
  const Node& nd = node(id);
  const FrameData& f = frame(nd.a);
  const bool latest = nd.op == Op::kLatest;
  bool varying = node(nd.a).varying;
  for (const int k : f.keys) varying = varying || node(k).varying;
  const int w = varying ? n_ : 1;
  p.uniform = !varying;
  std::fill(p.row.begin(), p.row.begin() + w, -1);
  const std::size_t rows = f.rows.size();
  const std::size_t nkeys = f.keys.size();
  const std::uint64_t saved_row = row_;
  if (nkeys == 0 || !varying) {
    // One order for every lane: date order, or the sort keys' order with ties in date order.
    p.order.resize(rows);
    for (std::uint32_t i = 0; i < rows; ++i) p.order[i] = i;
    if (nkeys != 0) {
      p.keys.resize(rows * nkeys);
      for (std::size_t i = 0; i < rows; ++i) {
        row_ = f.rows[i];
        for (std::size_t k = 0; k < nkeys; ++k) {
          eval(f.keys[k]);
          p.keys[i * nkeys + k] = at(f.keys[k], 0);
        }
      }
      std::stable_sort(p.order.begin(), p.order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return keys_less(&p.keys[x * nkeys], &p.keys[y * nkeys], nkeys, 1);
      });
    }
    LaneMask left = mask_of(w);
    for (std::size_t step = 0; step < rows && left != 0; ++step) {
      const std::uint32_t i = p.order[latest ? rows - 1 - step : step];
      const LaneMask take = f.masks[i] & left;
      each_lane(take, [&](int l) { p.row[static_cast<std::size_t>(l)] = static_cast<std::int64_t>(f.rows[i]); });
      left &= ~take;
    }
  } else {
    // Keys that differ between lanes: each lane looks for its own first or last row.
    p.keys.resize(rows * nkeys * static_cast<std::size_t>(n_));
    for (std::size_t i = 0; i < rows; ++i) {
      row_ = f.rows[i];
      for (std::size_t k = 0; k < nkeys; ++k) {
        eval(f.keys[k]);
        for (int l = 0; l < n_; ++l) p.keys[(i * nkeys + k) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(l)] = at(f.keys[k], l);
      }
    }
    const auto stride = static_cast<std::size_t>(n_);
    const auto less = [&](std::size_t x, std::size_t y, int l) {
      const auto lane = static_cast<std::size_t>(l);
      return keys_less(&p.keys[x * nkeys * stride + lane], &p.keys[y * nkeys * stride + lane], nkeys, stride);
    };
    for (int l = 0; l < n_; ++l) {
      std::int64_t best = -1;
      for (std::size_t i = 0; i < rows; ++i) {
        if (!((f.masks[i] >> l) & 1)) continue;
        // first: a strictly smaller key wins (ties keep the earlier row); latest: a key at least
        // as large wins (ties go to the later row).
        if (best < 0 || (latest ? !less(i, static_cast<std::size_t>(best), l) : less(i, static_cast<std::size_t>(best), l)))
          best = static_cast<std::int64_t>(i);
      }
      p.row[static_cast<std::size_t>(l)] = best < 0 ? -1 : static_cast<std::int64_t>(f.rows[static_cast<std::size_t>(best)]);
    }
  }
  row_ = saved_row;
  p.stamp = person_stamp_;
  return p;
}

void Evaluator::aggregate(int id, const Node& nd) {
  const FrameData& f = frame(nd.a);
  auto& uni = uniform_[static_cast<std::size_t>(id)];
  Value* o = out(id);
  const bool varying = node(nd.a).varying || (nd.b >= 0 && node(nd.b).varying);
  const int w = varying ? n_ : 1;
  const LaneMask lanes = mask_of(w);
  uni = !varying;
  const std::size_t rows = f.rows.size();
  switch (nd.op) {
    case Op::kExists: {
      LaneMask any = 0;
      for (const LaneMask m : f.masks) any |= m;
      for (int l = 0; l < w; ++l) o[l] = Value::of_bool((any >> l) & 1);
      return;
    }
    case Op::kCount: {
      std::int64_t count[kMaxLanes] = {};
      for (const LaneMask m : f.masks) each_lane(m & lanes, [&](int l) { ++count[l]; });
      for (int l = 0; l < w; ++l) o[l] = Value::of_int(count[l]);
      return;
    }
    case Op::kCountEpisodes: {
      std::int64_t episodes[kMaxLanes] = {};
      std::int64_t last[kMaxLanes] = {};
      const store::ColumnView& date = *f.table->date;
      for (std::size_t i = 0; i < rows; ++i) {
        const std::uint64_t r = f.rows[i];
        if (!date.valid(r)) continue;
        const std::int64_t d = date.values<std::int32_t>()[r];
        each_lane(f.masks[i] & lanes, [&](int l) {
          // A gap that runs past 9999-12-31 never ends: no later row starts an episode.
          const auto gap_end = episodes[l] == 0 ? std::nullopt : add_duration(static_cast<Days>(last[l]), nd.unit, nd.amount);
          if (episodes[l] == 0 || (gap_end && d > *gap_end)) ++episodes[l];
          last[l] = d;
        });
      }
      for (int l = 0; l < w; ++l) o[l] = Value::of_int(episodes[l]);
      return;
    }
    default: break;
  }
  if (nd.op == Op::kCountDistinct && !node(nd.b).varying) {
    count_distinct_by_value(id, nd, f, w);
    return;
  }
  // Aggregations of a per-row argument, accumulated lane by lane.
  Value best[kMaxLanes];
  __int128 isum[kMaxLanes] = {};  // wide: only the total must fit in int64, else null
  double fsum[kMaxLanes] = {};
  std::int64_t n[kMaxLanes] = {};
  bool any_float[kMaxLanes] = {};
  auto& distinct = distinct_[static_cast<std::size_t>(id)];
  distinct.clear();
  const std::uint64_t saved_row = row_;
  for (std::size_t i = 0; i < rows; ++i) {
    const LaneMask m = f.masks[i] & lanes;
    if (m == 0) continue;
    row_ = f.rows[i];
    eval(nd.b);
    each_lane(m, [&](int l) {
      const Value& v = at(nd.b, l);
      if (v.null()) return;
      switch (nd.op) {
        case Op::kMin:
        case Op::kMax: {
          const int c = best[l].null() ? 0 : compare(v, best[l]);
          if (best[l].null() || (nd.op == Op::kMin ? c < 0 : c > 0)) best[l] = v;
          break;
        }
        case Op::kCountDistinct: distinct.emplace_back(l, v); break;
        default:
          // Both sums are kept so that a mix of ints and floats sums, as floats, in row order.
          isum[l] += v.i;
          fsum[l] += v.number();
          any_float[l] = any_float[l] || v.kind == VKind::kFloat;
          ++n[l];
      }
    });
  }
  row_ = saved_row;
  for (int l = 0; l < w; ++l) {
    switch (nd.op) {
      case Op::kMin:
      case Op::kMax: o[l] = best[l]; break;
      case Op::kSum:
        if (n[l] == 0) o[l] = nd.kind == VKind::kFloat ? Value::of_float(0) : Value::of_int(0);
        else if (any_float[l]) o[l] = float_result(fsum[l]);
        else if (isum[l] < std::numeric_limits<std::int64_t>::min() || isum[l] > std::numeric_limits<std::int64_t>::max()) o[l] = Value{};
        else o[l] = Value::of_int(static_cast<std::int64_t>(isum[l]));
        break;
      case Op::kMean: o[l] = n[l] == 0 ? Value{} : Value::of_float(fsum[l] / static_cast<double>(n[l])); break;
      default: o[l] = Value::of_int(0);
    }
  }
  if (nd.op == Op::kCountDistinct) {
    std::sort(distinct.begin(), distinct.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first : compare(x.second, y.second) < 0;
    });
    for (std::size_t i = 0; i < distinct.size(); ++i)
      if (i == 0 || distinct[i].first != distinct[i - 1].first || compare(distinct[i].second, distinct[i - 1].second) != 0)
        ++o[distinct[i].first].i;
  }
}

// count_distinct of an argument that is the same in every lane (a row's code): the rows' values
// are sorted once, not once per lane, and each run of equal values counts once in every lane one
// of its rows is in. Codes of one dictionary are equal exactly when their ids are, so they sort by
// id; anything else sorts by compare().
void Evaluator::count_distinct_by_value(int id, const Node& nd, const FrameData& f, int w) {
  Value* o = out(id);
  const LaneMask lanes = mask_of(w);
  auto& seen = distinct_masks_[static_cast<std::size_t>(id)];
  seen.clear();
  const std::uint64_t saved_row = row_;
  bool one_dictionary = true;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const LaneMask m = f.masks[i] & lanes;
    if (m == 0) continue;
    row_ = f.rows[i];
    eval(nd.b);
    const Value& v = at(nd.b, 0);
    if (v.null()) continue;
    one_dictionary = one_dictionary && v.kind == VKind::kCode && (seen.empty() || seen.front().first.dict == v.dict);
    seen.emplace_back(v, m);
  }
  row_ = saved_row;
  const auto equal = [&](const Value& x, const Value& y) { return one_dictionary ? x.i == y.i : compare(x, y) == 0; };
  if (one_dictionary)
    std::sort(seen.begin(), seen.end(), [](const auto& x, const auto& y) { return x.first.i < y.first.i; });
  else
    std::sort(seen.begin(), seen.end(), [](const auto& x, const auto& y) { return compare(x.first, y.first) < 0; });
  std::int64_t count[kMaxLanes] = {};
  for (std::size_t i = 0; i < seen.size();) {
    LaneMask in = 0;
    std::size_t j = i;
    for (; j < seen.size() && equal(seen[j].first, seen[i].first); ++j) in |= seen[j].second;
    each_lane(in, [&](int l) { ++count[l]; });
    i = j;
  }
  for (int l = 0; l < w; ++l) o[l] = Value::of_int(count[l]);
}

}  // namespace severn::engine
