// A deliberately simple reference evaluator for the property tests: it reads the CSV extracts
// directly (no store, no ingest), keeps every person's rows as plain structs and walks the syntax
// tree row by row. It covers the part of the language the random definitions use: patients,
// registrations, clinical_events and medications. It shares nothing with the engine except the
// parser and the calendar functions of core/date.h.
#pragma once
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "lang/ast.h"
#include "lang/checker.h"

namespace severn::testing::reference {

struct Event {
  Days date;
  std::string code;
  std::optional<double> value;
};

struct Person {
  std::string sex, ethnic, lsoa, practice;
  Days dob_month;  // first day of the month of birth, as the store keeps it
  std::optional<Days> dod;
  std::vector<std::pair<Days, std::optional<Days>>> registrations;
  std::vector<Event> events, medications;  // in file order (date order)
};

inline Days date_of(const std::string& s) { return *parse_iso_date(s); }

inline std::vector<Person> load(const std::string& dir) {
  std::vector<Person> people;
  std::map<std::string, std::size_t> index;
  const CsvTable p = CsvTable::read_file(dir + "/gp/patients.csv");
  for (std::size_t r = 0; r < p.rows(); ++r) {
    Person x;
    x.sex = p.cell(r, "sex");
    x.ethnic = p.cell(r, "ethnic_category");
    x.lsoa = p.cell(r, "lsoa21_code");
    x.practice = p.cell(r, "practice_code");
    const CivilDate b = civil_from_days(date_of(p.cell(r, "date_of_birth")));
    x.dob_month = days_from_civil(b.year, b.month, 1);
    if (!p.cell(r, "date_of_death").empty()) x.dod = date_of(p.cell(r, "date_of_death"));
    index[p.cell(r, "nhs_number")] = people.size();
    people.push_back(std::move(x));
  }
  const CsvTable g = CsvTable::read_file(dir + "/gp/registrations.csv");
  for (std::size_t r = 0; r < g.rows(); ++r) {
    std::optional<Days> end;
    if (!g.cell(r, "end_date").empty()) end = date_of(g.cell(r, "end_date"));
    people[index.at(g.cell(r, "nhs_number"))].registrations.emplace_back(date_of(g.cell(r, "start_date")), end);
  }
  const CsvTable e = CsvTable::read_file(dir + "/gp/events.csv");
  for (std::size_t r = 0; r < e.rows(); ++r) {
    std::optional<double> v;
    if (!e.cell(r, "numeric_value").empty()) v = std::stod(e.cell(r, "numeric_value"));
    people[index.at(e.cell(r, "nhs_number"))].events.push_back({date_of(e.cell(r, "event_date")), e.cell(r, "snomedct_code"), v});
  }
  const CsvTable m = CsvTable::read_file(dir + "/gp/medications.csv");
  for (std::size_t r = 0; r < m.rows(); ++r)
    people[index.at(m.cell(r, "nhs_number"))].medications.push_back({date_of(m.cell(r, "issue_date")), m.cell(r, "dmd_code"), std::nullopt});
  return people;
}

struct V {
  enum K { kNull, kBool, kInt, kFloat, kDate, kStr } k = kNull;
  long long i = 0;
  double f = 0;
  std::string s;
  double num() const { return k == kFloat ? f : static_cast<double>(i); }
};

inline V vnull() { return {}; }
inline V vbool(bool b) { V v; v.k = V::kBool; v.i = b; return v; }
inline V vint(long long x) { V v; v.k = V::kInt; v.i = x; return v; }
inline V vfloat(double x) { V v; v.k = V::kFloat; v.f = x; return v; }
inline V vdate(long long d) { V v; v.k = V::kDate; v.i = d; return v; }
inline V vstr(std::string s) { V v; v.k = V::kStr; v.s = std::move(s); return v; }

inline int cmp(const V& a, const V& b) {
  if (a.k == V::kStr) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  if (a.k == V::kFloat || b.k == V::kFloat) return a.num() < b.num() ? -1 : a.num() > b.num() ? 1 : 0;
  return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
}

inline std::string show(const V& v) {
  switch (v.k) {
    case V::kNull: return "";
    case V::kBool: return v.i ? "true" : "false";
    case V::kInt: return std::to_string(v.i);
    case V::kFloat: {
      char buf[32];
      return std::string(buf, std::to_chars(buf, buf + sizeof buf, v.f).ptr);
    }
    case V::kDate: return format_iso_date(static_cast<Days>(v.i));
    case V::kStr: return v.s;
  }
  return "";
}

class Evaluator {
 public:
  Evaluator(const lang::CheckedDefinition& d, const Person& p, Days index_date)
      : d_(d), p_(p), index_(index_date) {
    for (const auto& l : d.definition.lets) lets_[l.name] = l.value.get();
    for (const auto& [name, list] : d.codelists) codes_[name] = std::set<std::string>(list.codes.codes.begin(), list.codes.codes.end());
  }

  V eval(const lang::Expr& e) { return ev(e, nullptr, nullptr); }

 private:
  using Rows = std::vector<const Event*>;
  struct Frame {
    bool clinical = true;
    Rows rows;
  };
  const Event* row_of(const lang::Expr& e) {  // first()/latest(), possibly through a let
    if (e.kind == lang::ExprKind::kName) return row_of(*lets_.at(e.name));
    const Frame f = frame(*e.args[0]);
    if (f.rows.empty()) return nullptr;
    return e.name == "first" ? f.rows.front() : f.rows.back();
  }
  Frame frame(const lang::Expr& e) {
    if (e.kind == lang::ExprKind::kName) {
      if (lets_.count(e.name)) return frame(*lets_.at(e.name));
      Frame f;
      f.clinical = e.name == "clinical_events";
      for (const auto& r : f.clinical ? p_.events : p_.medications) f.rows.push_back(&r);
      return f;
    }
    Frame f = frame(*e.args[0]);  // where()
    Rows kept;
    for (const Event* r : f.rows) {
      const V c = ev(*e.args[1], r, &f);
      if (c.k == V::kBool && c.i) kept.push_back(r);
    }
    f.rows = kept;
    return f;
  }
  V column(const Event* r, const std::string& name) {
    if (name == "date") return vdate(r->date);
    if (name == "code") return vstr(r->code);
    return r->value ? vfloat(*r->value) : vnull();
  }
  V ev(const lang::Expr& e, const Event* row, const Frame* in_frame) {
    using lang::ExprKind;
    switch (e.kind) {
      case ExprKind::kName:
        if (row != nullptr && (e.name == "date" || e.name == "code" || (e.name == "value" && in_frame->clinical)))
          return column(row, e.name);
        if (e.name == "index_date" || e.name == "interval_start") return vdate(index_);
        return ev(*lets_.at(e.name), nullptr, nullptr);
      case ExprKind::kInt: return vint(std::stoll(e.literal));
      case ExprKind::kFloat: return vfloat(std::stod(e.literal));
      case ExprKind::kDate: return vdate(e.date);
      case ExprKind::kString: return vstr(e.literal);
      case ExprKind::kBool: return vbool(e.literal == "true");
      case ExprKind::kNull: return vnull();
      case ExprKind::kUnary: {
        const V v = ev(*e.args[0], row, in_frame);
        if (v.k == V::kNull) return v;
        if (e.name == "not") return vbool(!v.i);
        return v.k == V::kFloat ? vfloat(-v.f) : vint(-v.i);
      }
      case ExprKind::kBinary: {
        if (e.name == "and" || e.name == "or") {
          const V a = ev(*e.args[0], row, in_frame), b = ev(*e.args[1], row, in_frame);
          const bool is_and = e.name == "and";
          if ((a.k != V::kNull && bool(a.i) != is_and) || (b.k != V::kNull && bool(b.i) != is_and)) return vbool(!is_and);
          if (a.k == V::kNull || b.k == V::kNull) return vnull();
          return vbool(is_and);
        }
        if (e.args[1]->kind == ExprKind::kDuration) {
          const V a = ev(*e.args[0], row, in_frame);
          if (a.k == V::kNull) return a;
          const int n = std::stoi(e.args[1]->literal) * (e.name == "-" ? -1 : 1);
          const std::string& u = e.args[1]->name;
          return vdate(u == "days" ? a.i + n : u == "months" ? add_months(static_cast<Days>(a.i), n) : add_years(static_cast<Days>(a.i), n));
        }
        const V a = ev(*e.args[0], row, in_frame), b = ev(*e.args[1], row, in_frame);
        if (a.k == V::kNull || b.k == V::kNull) return vnull();
        const std::string& op = e.name;
        if (op == "==") return vbool(cmp(a, b) == 0);
        if (op == "!=") return vbool(cmp(a, b) != 0);
        if (op == "<") return vbool(cmp(a, b) < 0);
        if (op == "<=") return vbool(cmp(a, b) <= 0);
        if (op == ">") return vbool(cmp(a, b) > 0);
        if (op == ">=") return vbool(cmp(a, b) >= 0);
        if (a.k == V::kDate && b.k == V::kDate) return vint(a.i - b.i);
        if (op == "/") return b.num() == 0 ? vnull() : vfloat(a.num() / b.num());
        if (a.k == V::kFloat || b.k == V::kFloat)
          return vfloat(op == "+" ? a.num() + b.num() : op == "-" ? a.num() - b.num() : a.num() * b.num());
        return vint(op == "+" ? a.i + b.i : op == "-" ? a.i - b.i : a.i * b.i);
      }
      case ExprKind::kIn: {
        const V v = ev(*e.args[0], row, in_frame);
        if (v.k == V::kNull) return v;
        const lang::Expr& t = *e.args[1];
        bool inside = false;
        if (t.kind == ExprKind::kName) {
          inside = codes_.at(t.name).count(v.s) > 0;
        } else {
          const V lo = ev(*t.args[0], row, in_frame), hi = ev(*t.args[1], row, in_frame);
          if (lo.k == V::kNull || hi.k == V::kNull) return vnull();
          inside = (t.low_open ? cmp(v, lo) > 0 : cmp(v, lo) >= 0) && (t.high_open ? cmp(v, hi) < 0 : cmp(v, hi) <= 0);
        }
        return vbool(e.negated ? !inside : inside);
      }
      case ExprKind::kIsNull: {
        const bool n = ev(*e.args[0], row, in_frame).k == V::kNull;
        return vbool(e.negated ? !n : n);
      }
      case ExprKind::kCase: {
        const std::size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
        for (std::size_t i = 0; i < pairs; ++i) {
          const V c = ev(*e.args[2 * i], row, in_frame);
          if (c.k == V::kBool && c.i) return ev(*e.args[2 * i + 1], row, in_frame);
        }
        return e.has_else ? ev(*e.args.back(), row, in_frame) : vnull();
      }
      case ExprKind::kMember: {
        const lang::Expr& obj = *e.args[0];
        if (obj.kind == ExprKind::kName && obj.name == "patients") {
          if (e.name == "sex") return vstr(p_.sex);
          if (e.name == "date_of_birth") return vdate(p_.dob_month);
          if (e.name == "date_of_death") return p_.dod ? vdate(*p_.dod) : vnull();
          if (e.name == "ethnic_category") return vstr(p_.ethnic);
          if (e.name == "lsoa") return vstr(p_.lsoa);
          return vstr(p_.practice);
        }
        if (e.name == "year" || e.name == "month" || e.name == "day") {
          const V d = ev(obj, row, in_frame);
          if (d.k == V::kNull) return d;
          const CivilDate c = civil_from_days(static_cast<Days>(d.i));
          return vint(e.name == "year" ? c.year : e.name == "month" ? c.month : c.day);
        }
        const Event* r = row_of(obj);
        return r == nullptr ? vnull() : column(r, e.name);
      }
      case ExprKind::kCall: {
        if (!e.has_object) {  // registered_on
          const V d = ev(*e.args[0], row, in_frame);
          if (d.k == V::kNull) return d;
          for (const auto& [s, end] : p_.registrations)
            if (s <= d.i && (!end || *end >= d.i)) return vbool(true);
          return vbool(false);
        }
        if (e.args[0]->kind == ExprKind::kName && e.args[0]->name == "patients") {
          const V d = ev(*e.args[1], row, in_frame);
          if (d.k == V::kNull) return d;
          const CivilDate b = civil_from_days(p_.dob_month), o = civil_from_days(static_cast<Days>(d.i));
          int age = o.year - b.year;
          if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
          return age < 0 ? vnull() : vint(age);  // not born yet
        }
        const Frame f = frame(*e.args[0]);
        if (e.name == "exists") return vbool(!f.rows.empty());
        if (e.name == "count") return vint(static_cast<long long>(f.rows.size()));
        std::vector<V> vals;
        for (const Event* r : f.rows) {
          V v = ev(*e.args[1], r, &f);
          if (v.k != V::kNull) vals.push_back(v);
        }
        if (e.name == "count_distinct") {
          std::set<std::string> seen;
          for (const auto& v : vals) seen.insert(show(v));
          return vint(static_cast<long long>(seen.size()));
        }
        if (e.name == "min" || e.name == "max") {
          if (vals.empty()) return vnull();
          V best = vals[0];
          for (const auto& v : vals)
            if (e.name == "min" ? cmp(v, best) < 0 : cmp(v, best) > 0) best = v;
          return best;
        }
        if (e.name == "sum") {
          double s = 0;
          for (const auto& v : vals) s += v.num();
          return vfloat(s);  // the random definitions only sum value (a float column)
        }
        if (e.name == "mean") {
          if (vals.empty()) return vnull();
          double s = 0;
          for (const auto& v : vals) s += v.num();
          return vfloat(s / static_cast<double>(vals.size()));
        }
        throw std::logic_error("reference: unsupported method " + e.name);
      }
      default:
        throw std::logic_error("reference: unsupported expression");
    }
  }

  const lang::CheckedDefinition& d_;
  const Person& p_;
  Days index_;
  std::map<std::string, const lang::Expr*> lets_;
  std::map<std::string, std::set<std::string>> codes_;
};

}  // namespace severn::testing::reference
