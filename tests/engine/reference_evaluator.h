// A deliberately simple reference evaluator for the property tests: it reads the CSV extracts
// directly (no store, no ingest), keeps every person's rows as plain cells and walks the syntax
// tree row by row, one interval at a time. It covers the part of the language the random
// definitions use: patients, registrations, clinical_events, medications, the hospital tables
// apcs, ec and opa, wl_pathways (for measures of rows), and the group columns of measures. It shares nothing with the engine except
// the parser, the table schema of lang/tables.h, the literal readers of lang/literals.h, the
// calendar functions of core/date.h and the reference-data readers.
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
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
#include "lang/literals.h"
#include "lang/tables.h"
#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "refdata/organisations.h"

namespace severn::testing::reference {

struct V {
  enum K { kNull, kBool, kInt, kFloat, kDate, kStr, kList } k = kNull;
  long long i = 0;
  double f = 0;
  std::string s;
  std::vector<std::string> items;  // kList: the codes of a list column
  double num() const { return k == kFloat ? f : static_cast<double>(i); }
};

inline V vnull() { return {}; }
inline V vbool(bool b) { V v; v.k = V::kBool; v.i = b; return v; }
inline V vint(long long x) { V v; v.k = V::kInt; v.i = x; return v; }
inline V vfloat(double x) { V v; v.k = V::kFloat; v.f = x; return v; }
inline V vdate(long long d) { V v; v.k = V::kDate; v.i = d; return v; }
inline V vstr(std::string s) { V v; v.k = V::kStr; v.s = std::move(s); return v; }

// The overflow rule of docs/language.md ("Limits and overflow"): a whole number outside int64,
// or a number that is not finite, is null. Worked out here in 128 bits, independently of the engine.
inline V vwide(__int128 x) {
  const __int128 lo = std::numeric_limits<long long>::min(), hi = std::numeric_limits<long long>::max();
  return x < lo || x > hi ? vnull() : vint(static_cast<long long>(x));
}
inline V vfinite(double x) { return std::isfinite(x) ? vfloat(x) : vnull(); }

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
    case V::kList: break;
  }
  throw std::logic_error("reference: a list has no text");
}

inline Days date_of(const std::string& s) { return *parse_iso_date(s); }

// One event row: a cell per column of the table's schema (lang/tables.h), in schema order.
struct Row {
  std::vector<V> cells;
};

struct Registration {
  Days start;
  std::optional<Days> end;
  std::string practice;
};

struct Person {
  std::string sex, ethnic, lsoa, practice;
  Days dob_month;  // first day of the month of birth, as the store keeps it
  std::optional<Days> dod;
  std::vector<Registration> registrations;       // by start date, stable on file order
  std::map<std::string, std::vector<Row>> rows;  // table -> rows by date, stable on file order
};

// Where each table of the language comes from in the extracts, and the CSV column of each of its
// columns (docs/data-model.md).
struct Source {
  std::string table, file;
  std::map<std::string, std::string> csv_column;  // language column -> CSV header
};

inline const std::vector<Source>& sources() {
  static const std::vector<Source> s{
      {"clinical_events", "gp/events.csv", {{"date", "event_date"}, {"code", "snomedct_code"}, {"value", "numeric_value"}}},
      {"medications", "gp/medications.csv", {{"date", "issue_date"}, {"code", "dmd_code"}}},
      {"apcs", "sus/apc_spells.csv",
       {{"admission_date", "admission_date"}, {"discharge_date", "discharge_date"},
        {"admission_method", "admission_method"}, {"primary_diagnosis", "primary_diagnosis"},
        {"secondary_diagnoses", "secondary_diagnoses"}, {"primary_procedure", "primary_procedure"},
        {"provider", "provider_code"}}},
      {"ec", "ecds/attendances.csv",
       {{"arrival_date", "arrival_date"}, {"acuity", "acuity_code"}, {"diagnosis", "diagnosis_code"},
        {"admitted", "admitted"}, {"provider", "provider_code"}}},
      {"opa", "sus/outpatients.csv",
       {{"appointment_date", "appointment_date"}, {"treatment_function", "treatment_function_code"},
        {"first_attendance", "first_attendance"}, {"attendance_status", "attendance_status"},
        {"provider", "provider_code"}}},
      {"wl_pathways", "wlmds/rtt_pathways.csv",
       {{"clock_start_date", "clock_start_date"}, {"clock_stop_date", "clock_stop_date"}, {"rtt_status", "rtt_status"},
        {"treatment_function", "treatment_function_code"}, {"priority", "priority"}, {"provider", "provider_code"},
        {"removal_date", "removal_date"}}},
  };
  return s;
}

inline V parse_cell(const std::string& text, const lang::Type& t) {
  if (t.list) {
    V v;
    v.k = V::kList;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t semi = std::min(text.find(';', at), text.size());
      v.items.push_back(text.substr(at, semi - at));
      at = semi + 1;
    }
    return v;
  }
  if (text.empty()) return vnull();
  switch (t.base) {
    case lang::Base::kDate: return vdate(date_of(text));
    case lang::Base::kInt: return vint(std::stoll(text));
    case lang::Base::kFloat: return vfloat(std::stod(text));
    default: return vstr(text);
  }
}

// `store_dir`: the store built from `dir`. Its identity/partner_links.csv says which person each
// partner record is (the partner linking stage decides that, not the activity row's own NHS
// number); identity/persons.csv maps its person_ids back to NHS numbers.
inline std::vector<Person> load(const std::string& dir, const std::string& store_dir) {
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
    people[index.at(g.cell(r, "nhs_number"))].registrations.push_back(
        {date_of(g.cell(r, "start_date")), end, g.cell(r, "practice_code")});
  }
  for (auto& person : people)
    std::stable_sort(person.registrations.begin(), person.registrations.end(),
                     [](const Registration& a, const Registration& b) { return a.start < b.start; });
  std::map<std::string, std::string> nhs_of_person_id, nhs_of_record;  // partner \x1f local id -> NHS number
  const CsvTable stored = CsvTable::read_file(store_dir + "/identity/persons.csv");
  for (std::size_t r = 0; r < stored.rows(); ++r) nhs_of_person_id[stored.cell(r, "person_id")] = stored.cell(r, "nhs_number");
  const CsvTable links = CsvTable::read_file(store_dir + "/identity/partner_links.csv");
  for (std::size_t r = 0; r < links.rows(); ++r)
    if (!links.cell(r, "person_id").empty())
      nhs_of_record[links.cell(r, "partner_code") + '\x1f' + links.cell(r, "local_patient_id")] =
          nhs_of_person_id.at(links.cell(r, "person_id"));
  for (const Source& src : sources()) {
    const lang::TableDef& def = *lang::find_event_table(src.table);
    const CsvTable t = CsvTable::read_file(dir + "/" + src.file);
    const bool partner = t.has_column("local_patient_id");
    for (std::size_t r = 0; r < t.rows(); ++r) {
      // A GP row belongs to the patient with its NHS number. A partner activity row belongs to the
      // person its partner record is linked to; rows whose record is unlinked stay out of every
      // person's record.
      std::string nhs = t.cell(r, "nhs_number");
      if (partner) {
        const auto linked = nhs_of_record.find(t.cell(r, "provider_code") + '\x1f' + t.cell(r, "local_patient_id"));
        if (linked == nhs_of_record.end()) continue;
        nhs = linked->second;
      }
      const auto who = index.find(nhs);
      if (who == index.end()) continue;
      Row row;
      for (const auto& c : def.columns) row.cells.push_back(parse_cell(t.cell(r, src.csv_column.at(c.name)), c.type));
      people[who->second].rows[src.table].push_back(std::move(row));
    }
    for (auto& person : people) {
      auto& rows = person.rows[src.table];
      std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.cells[0].i < b.cells[0].i; });
    }
  }
  return people;
}

// What every evaluation of one definition shares: its lets by name and its code lists as sets.
struct Context {
  explicit Context(const lang::CheckedDefinition& d) {
    for (const auto& l : d.definition.lets) lets[l.name] = l.value.get();
    for (const auto& [name, list] : d.codelists) {
      auto& set = codes[name];
      set.insert(list.codes.codes.begin(), list.codes.codes.end());
      // `with subcodes`: also every subdivision, written here as a "CAT." prefix entry that
      // member() below looks up by the code's first four characters.
      if (list.with_subcodes)
        for (const auto& c : list.codes.codes)
          if (c.size() == 3) set.insert(c + ".");
    }
  }
  std::map<std::string, const lang::Expr*> lets;
  std::map<std::string, std::set<std::string>> codes;
};

// A code is in a list if it is listed, or if its "CAT." prefix is (see Context).
inline bool member(const std::set<std::string>& list, const std::string& code) {
  return list.count(code) > 0 || (code.size() > 4 && list.count(code.substr(0, 4)) > 0);
}

class Evaluator {
 public:
  Evaluator(const Context& c, const Person& p, Days index_date, Days interval_start)
      : p_(p), index_(index_date), start_(interval_start), lets_(c.lets), codes_(c.codes) {}
  Evaluator(const Context& c, const Person& p, Days index_date) : Evaluator(c, p, index_date, index_date) {}

  V eval(const lang::Expr& e) { return ev(e, nullptr, nullptr); }
  // A measure of rows' condition on one row of `table` (its columns by name, as in a frame method).
  V eval_at(const lang::Expr& e, const Row& row, const lang::TableDef* table) { return ev(e, &row, table); }
  V let(const std::string& name) { return eval(*lets_.at(name)); }

 private:
  struct Frame {
    const lang::TableDef* table = nullptr;
    std::vector<const Row*> rows;          // store order: by the table's date
    std::vector<const lang::Expr*> keys;   // sort_by keys, earliest first
  };
  struct Cursor {  // the row a per-row expression is evaluated on
    const Row* row;
    const lang::TableDef* table;
  };

  Frame frame(const lang::Expr& e) {
    if (e.kind == lang::ExprKind::kName) {
      if (lets_.count(e.name)) return frame(*lets_.at(e.name));
      Frame f;
      f.table = lang::find_event_table(e.name);
      const auto it = p_.rows.find(e.name);
      if (it != p_.rows.end())
        for (const Row& r : it->second) f.rows.push_back(&r);
      return f;
    }
    Frame f = frame(*e.args[0]);
    if (e.name == "sort_by") {
      f.keys.push_back(e.args[1].get());
      return f;
    }
    std::vector<const Row*> kept;  // where()
    for (const Row* r : f.rows) {
      const V c = ev(*e.args[1], r, f.table);
      if (c.k == V::kBool && c.i) kept.push_back(r);
    }
    f.rows = kept;
    return f;
  }
  // first()/latest(), possibly through a let: sort by each key in turn, stably, so that the last
  // sort_by is the primary key and ties fall back to the earlier keys and then store order.
  std::optional<Cursor> row_of(const lang::Expr& e) {
    if (e.kind == lang::ExprKind::kName) return row_of(*lets_.at(e.name));
    Frame f = frame(*e.args[0]);
    if (f.rows.empty()) return std::nullopt;
    for (const lang::Expr* key : f.keys) {
      std::vector<std::pair<V, const Row*>> keyed;
      for (const Row* r : f.rows) keyed.emplace_back(ev(*key, r, f.table), r);
      std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        if (a.first.k == V::kNull || b.first.k == V::kNull) return a.first.k == V::kNull && b.first.k != V::kNull;
        return cmp(a.first, b.first) < 0;
      });
      for (std::size_t i = 0; i < keyed.size(); ++i) f.rows[i] = keyed[i].second;
    }
    return Cursor{e.name == "first" ? f.rows.front() : f.rows.back(), f.table};
  }
  static std::optional<std::size_t> column_index(const lang::TableDef* t, const std::string& name) {
    for (std::size_t c = 0; c < t->columns.size(); ++c)
      if (t->columns[c].name == name) return c;
    return std::nullopt;
  }

  V ev(const lang::Expr& e, const Row* row, const lang::TableDef* table) {
    using lang::ExprKind;
    switch (e.kind) {
      case ExprKind::kName: {
        if (row != nullptr)
          if (const auto c = column_index(table, e.name)) return row->cells[*c];
        if (e.name == "index_date") return vdate(index_);
        if (e.name == "interval_start") return vdate(start_);
        return ev(*lets_.at(e.name), nullptr, nullptr);
      }
      case ExprKind::kInt: return vint(*lang::int_literal(e.literal));
      case ExprKind::kFloat: return vfloat(*lang::float_literal(e.literal));
      case ExprKind::kDate: return vdate(e.date);
      case ExprKind::kString: return vstr(e.literal);
      case ExprKind::kBool: return vbool(e.literal == "true");
      case ExprKind::kNull: return vnull();
      case ExprKind::kUnary: {
        const V v = ev(*e.args[0], row, table);
        if (v.k == V::kNull) return v;
        if (e.name == "not") return vbool(!v.i);
        return v.k == V::kFloat ? vfloat(-v.f) : vwide(-static_cast<__int128>(v.i));
      }
      case ExprKind::kBinary: {
        if (e.name == "and" || e.name == "or") {
          const V a = ev(*e.args[0], row, table), b = ev(*e.args[1], row, table);
          const bool is_and = e.name == "and";
          if ((a.k != V::kNull && bool(a.i) != is_and) || (b.k != V::kNull && bool(b.i) != is_and)) return vbool(!is_and);
          if (a.k == V::kNull || b.k == V::kNull) return vnull();
          return vbool(is_and);
        }
        if (e.args[1]->kind == ExprKind::kDuration) {
          const V a = ev(*e.args[0], row, table);
          if (a.k == V::kNull) return a;
          const auto moved = shift(static_cast<Days>(a.i), *e.args[1], e.name == "-" ? -1 : 1);
          return moved ? vdate(*moved) : vnull();  // off the calendar
        }
        const V a = ev(*e.args[0], row, table), b = ev(*e.args[1], row, table);
        if (a.k == V::kNull || b.k == V::kNull) return vnull();
        const std::string& op = e.name;
        if (op == "==") return vbool(cmp(a, b) == 0);
        if (op == "!=") return vbool(cmp(a, b) != 0);
        if (op == "<") return vbool(cmp(a, b) < 0);
        if (op == "<=") return vbool(cmp(a, b) <= 0);
        if (op == ">") return vbool(cmp(a, b) > 0);
        if (op == ">=") return vbool(cmp(a, b) >= 0);
        if (a.k == V::kDate && b.k == V::kDate) return vint(a.i - b.i);
        if (op == "/") return b.num() == 0 ? vnull() : vfinite(a.num() / b.num());
        if (a.k == V::kFloat || b.k == V::kFloat)
          return vfinite(op == "+" ? a.num() + b.num() : op == "-" ? a.num() - b.num() : a.num() * b.num());
        const __int128 x = a.i, y = b.i;
        return vwide(op == "+" ? x + y : op == "-" ? x - y : x * y);
      }
      case ExprKind::kIn: {
        const V v = ev(*e.args[0], row, table);
        if (v.k == V::kNull) return v;
        const lang::Expr& t = *e.args[1];
        bool inside = false;
        if (t.kind == ExprKind::kName) {
          const auto& list = codes_.at(t.name);
          if (v.k == V::kList) {
            if (v.items.empty()) return vnull();  // no codes at all: unknown, as a null code is
            for (const auto& c : v.items) inside = inside || member(list, c);
          } else {
            inside = member(list, v.s);
          }
        } else if (t.kind == ExprKind::kSet) {
          for (const auto& element : t.args) inside = inside || cmp(v, ev(*element, row, table)) == 0;
        } else {
          const V lo = ev(*t.args[0], row, table), hi = ev(*t.args[1], row, table);
          if (lo.k == V::kNull || hi.k == V::kNull) return vnull();
          inside = (t.low_open ? cmp(v, lo) > 0 : cmp(v, lo) >= 0) && (t.high_open ? cmp(v, hi) < 0 : cmp(v, hi) <= 0);
        }
        return vbool(e.negated ? !inside : inside);
      }
      case ExprKind::kIsNull: {
        const bool n = ev(*e.args[0], row, table).k == V::kNull;
        return vbool(e.negated ? !n : n);
      }
      case ExprKind::kCase: {
        const std::size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
        for (std::size_t i = 0; i < pairs; ++i) {
          const V c = ev(*e.args[2 * i], row, table);
          if (c.k == V::kBool && c.i) return ev(*e.args[2 * i + 1], row, table);
        }
        return e.has_else ? ev(*e.args.back(), row, table) : vnull();
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
          const V d = ev(obj, row, table);
          if (d.k == V::kNull) return d;
          const CivilDate c = civil_from_days(static_cast<Days>(d.i));
          return vint(e.name == "year" ? c.year : e.name == "month" ? c.month : c.day);
        }
        const auto r = row_of(obj);  // an empty frame's row has every column null
        if (!r) return vnull();
        return r->row->cells[*column_index(r->table, e.name)];
      }
      case ExprKind::kCall: return call(e, row, table);
      default:
        throw std::logic_error("reference: unsupported expression");
    }
  }

  // nullopt: the date leaves 0001-01-01..9999-12-31.
  static std::optional<Days> shift(Days d, const lang::Expr& duration, int sign) {
    const long long n = *lang::int_literal(duration.literal) * sign;
    const std::string& u = duration.name;
    return u == "days" ? add_days_checked(d, n) : u == "months" ? add_months_checked(d, n) : add_years_checked(d, n);
  }

  V call(const lang::Expr& e, const Row* row, const lang::TableDef* table) {
    if (!e.has_object) {  // registered_on
      const V d = ev(*e.args[0], row, table);
      if (d.k == V::kNull) return d;
      for (const auto& r : p_.registrations)
        if (r.start <= d.i && (!r.end || *r.end >= d.i)) return vbool(true);
      return vbool(false);
    }
    if (e.args[0]->kind == lang::ExprKind::kName && e.args[0]->name == "patients") {  // age_on
      const V d = ev(*e.args[1], row, table);
      if (d.k == V::kNull) return d;
      const CivilDate b = civil_from_days(p_.dob_month), o = civil_from_days(static_cast<Days>(d.i));
      int age = o.year - b.year;
      if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
      return age < 0 ? vnull() : vint(age);  // not born yet
    }
    const Frame f = frame(*e.args[0]);
    if (e.name == "exists") return vbool(!f.rows.empty());
    if (e.name == "count") return vint(static_cast<long long>(f.rows.size()));
    if (e.name == "count_episodes") {  // in date order; a gap longer than GAP starts an episode
      long long episodes = 0;
      std::optional<Days> last;
      for (const Row* r : f.rows) {
        if (r->cells[0].k == V::kNull) continue;
        const auto d = static_cast<Days>(r->cells[0].i);
        if (!last) {
          ++episodes;
        } else if (const auto gap_end = shift(*last, *e.args[1], 1); gap_end && d > *gap_end) {
          ++episodes;  // a gap past 9999-12-31 never ends
        }
        last = d;
      }
      return vint(episodes);
    }
    std::vector<V> vals;
    for (const Row* r : f.rows) {
      V v = ev(*e.args[1], r, f.table);
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
    if (e.name == "sum") {  // of a column: an int column sums to an int, and to 0 when empty
      const auto c = e.args[1]->kind == lang::ExprKind::kName ? column_index(f.table, e.args[1]->name) : std::nullopt;
      if (!c) throw std::logic_error("reference: sum of a column only");
      if (f.table->columns[*c].type.base == lang::Base::kInt) {
        __int128 s = 0;
        for (const auto& v : vals) s += v.i;
        return vwide(s);
      }
      double s = 0;
      for (const auto& v : vals) s += v.num();
      return vfinite(s);
    }
    if (e.name == "mean") {
      if (vals.empty()) return vnull();
      double s = 0;
      for (const auto& v : vals) s += v.num();
      return vfloat(s / static_cast<double>(vals.size()));
    }
    throw std::logic_error("reference: unsupported method " + e.name);
  }

  const Person& p_;
  Days index_, start_;
  const std::map<std::string, const lang::Expr*>& lets_;
  const std::map<std::string, std::set<std::string>>& codes_;
};

// The label of a person in one group column of a measure on one interval, from the reference data
// directly: registration on the interval's last day (the latest-starting one that covers it) for
// practice, PCN and Place; the LSOA's IMD decile; the ethnic category's 2001-census group; the
// five-year age band on the last day; sex; or a let's value.
class Groups {
 public:
  explicit Groups(const std::string& data_dir) {
    const refdata::DataDir dir{std::filesystem::path(data_dir)};
    for (const auto& l : refdata::load_geography(dir).lsoas) decile_[l.code] = l.imd_decile;
    for (const auto& p : refdata::load_organisations(dir).practices) org_[p.code] = {p.pcn_code, p.place};
  }

  std::string label(const std::string& column, const Person& p, Evaluator& ev, Days index_date) const {
    if (column == "practice" || column == "pcn" || column == "place") {
      const Registration* reg = nullptr;
      for (const auto& r : p.registrations)
        if (r.start <= index_date && (!r.end || *r.end >= index_date)) reg = &r;
      if (reg == nullptr) return "unregistered";
      if (column == "practice") return reg->practice;
      const auto it = org_.find(reg->practice);
      if (it == org_.end()) return "unknown";
      return column == "pcn" ? it->second.first : it->second.second;
    }
    if (column == "imd_decile" || column == "imd_quintile") {
      const auto it = decile_.find(p.lsoa);
      if (it == decile_.end() || it->second == 0) return "unknown";
      return std::to_string(column == "imd_decile" ? it->second : (it->second + 1) / 2);
    }
    if (column == "ethnicity_group") return ethnicity(p.ethnic);
    if (column == "sex") return p.sex.empty() ? "unknown" : p.sex;
    if (column == "age_band") {
      const CivilDate b = civil_from_days(p.dob_month), o = civil_from_days(index_date);
      const int age = o.year - b.year - ((o.month < b.month || (o.month == b.month && o.day < b.day)) ? 1 : 0);
      if (age < 0) return "unknown";
      if (age >= 90) return "90+";
      return std::to_string(age / 5 * 5) + "-" + std::to_string(age / 5 * 5 + 4);
    }
    const V v = ev.let(column);
    return v.k == V::kNull ? "unknown" : show(v);
  }

 private:
  // NHS Data Dictionary ETHNIC CATEGORY (16+1) into the ONS 2001 census groups.
  static std::string ethnicity(const std::string& c) {
    static const std::map<std::string, std::string> group{
        {"A", "White"}, {"B", "White"}, {"C", "White"}, {"D", "Mixed"}, {"E", "Mixed"}, {"F", "Mixed"},
        {"G", "Mixed"}, {"H", "Asian or Asian British"}, {"J", "Asian or Asian British"},
        {"K", "Asian or Asian British"}, {"L", "Asian or Asian British"}, {"M", "Black or Black British"},
        {"N", "Black or Black British"}, {"P", "Black or Black British"}, {"R", "Other ethnic groups"},
        {"S", "Other ethnic groups"}, {"Z", "Not stated"}};
    const auto it = group.find(c);
    return it == group.end() ? "unknown" : it->second;
  }
  std::map<std::string, int> decile_;
  std::map<std::string, std::pair<std::string, std::string>> org_;  // practice -> (PCN, Place)
};

}  // namespace severn::testing::reference
