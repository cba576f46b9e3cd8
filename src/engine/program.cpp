#include "engine/program.h"

#include <functional>
#include <unordered_set>

#include "store/store_error.h"

namespace severn::engine {

Program bind(const store::Store& store, const lang::CheckedDefinition& d) {
  Program p;
  p.store = &store;
  p.definition = &d;
  const auto bind_table = [&](const lang::TableDef& def) {
    BoundTable t;
    t.def = &def;
    t.view = &store.table(def.name);
    for (const auto& c : def.columns) {
      BoundColumn b;
      b.view = &t.view->column(c.store_column);
      if (!b.view->entry().dictionary.empty()) b.dictionary = &store.dictionary(b.view->entry().dictionary);
      t.columns[c.name] = b;
    }
    if (!def.date_column.empty()) t.date = t.columns.at(def.date_column).view;
    p.tables[def.name] = t;
  };
  for (const auto& def : lang::event_tables()) bind_table(def);
  bind_table(lang::patients_table());
  for (const auto& l : d.definition.lets) p.lets[l.name] = &l;

  for (const auto& [name, list] : d.codelists) {
    const std::unordered_set<std::string> codes(list.codes.codes.begin(), list.codes.codes.end());
    for (const char* dict_name : {"snomedct", "dmd", "icd10", "opcs4"}) {
      const auto& dict = store.dictionary(dict_name);
      std::vector<bool> member(dict.size(), false);
      for (std::uint32_t id = 0; id < dict.size(); ++id)
        member[id] = lang::codelist_matches(list, codes, dict[id]);
      p.codelists[name][&dict] = std::move(member);
    }
  }
  // Name resolution: a name inside a frame method is a column of that frame's table if it has
  // one, else a let; the frame's table is found by following lets and where/sort_by to a table.
  const std::function<const BoundTable*(const lang::Expr&)> frame_table = [&](const lang::Expr& e) -> const BoundTable* {
    if (e.kind == lang::ExprKind::kName) {
      if (e.name != "patients" && p.tables.count(e.name)) return &p.tables.at(e.name);
      if (p.lets.count(e.name)) return frame_table(*p.lets.at(e.name)->value);
      return nullptr;
    }
    if (e.kind == lang::ExprKind::kCall && e.has_object && (e.name == "where" || e.name == "sort_by"))
      return frame_table(*e.args[0]);
    return nullptr;
  };
  // The frame a row was picked from: first()/latest() of a frame, possibly through lets.
  const std::function<const lang::Expr*(const lang::Expr&)> row_frame = [&](const lang::Expr& e) -> const lang::Expr* {
    if (e.kind == lang::ExprKind::kCall && e.has_object && (e.name == "first" || e.name == "latest"))
      return e.args[0].get();
    if (e.kind == lang::ExprKind::kName && p.lets.count(e.name)) return row_frame(*p.lets.at(e.name)->value);
    return nullptr;
  };
  const auto column_in = [](const BoundTable& t, const std::string& name) -> const BoundColumn* {
    const auto it = t.columns.find(name);
    return it == t.columns.end() ? nullptr : &it->second;
  };
  const std::function<void(const lang::Expr&, const BoundTable*)> resolve =
      [&](const lang::Expr& e, const BoundTable* row_table) {
        if (e.kind == lang::ExprKind::kMember) {
          const lang::Expr& obj = *e.args[0];
          Program::MemberRef ref;
          if (obj.kind == lang::ExprKind::kName && obj.name == "patients") {
            ref = {Program::MemberRef::kPatientColumn, column_in(p.tables.at("patients"), e.name)};
          } else if (const lang::Expr* f = row_frame(obj)) {
            ref = {Program::MemberRef::kRowColumn, column_in(*frame_table(*f), e.name)};
          } else if (const BoundTable* t = frame_table(obj)) {
            ref = {Program::MemberRef::kFrameColumn, column_in(*t, e.name)};
          }
          if (ref.column == nullptr) ref.kind = Program::MemberRef::kDatePart;
          p.members[&e] = ref;
        }
        if (e.kind == lang::ExprKind::kName) {
          Program::NameRef ref;
          if (row_table != nullptr && row_table->columns.count(e.name)) ref.column = &row_table->columns.at(e.name);
          else if (p.lets.count(e.name)) ref.let = p.lets.at(e.name);
          p.names[&e] = ref;
        }
        if (e.kind == lang::ExprKind::kIn && e.args[1]->kind == lang::ExprKind::kName &&
            p.codelists.count(e.args[1]->name))
          p.in_lists[&e] = &p.codelists.at(e.args[1]->name);
        if (e.kind == lang::ExprKind::kCall && e.has_object) {
          resolve(*e.args[0], row_table);
          const BoundTable* inner = frame_table(*e.args[0]);
          for (std::size_t i = 1; i < e.args.size(); ++i) resolve(*e.args[i], inner != nullptr ? inner : row_table);
          return;
        }
        for (const auto& a : e.args) resolve(*a, row_table);
      };

  // Date dependence, bottom up; lets are checked in order, so a let's dependence is known before
  // any later expression names it.
  std::unordered_set<std::string> dependent_lets;
  const std::function<bool(const lang::Expr&)> mark = [&](const lang::Expr& e) {
    bool dep = e.kind == lang::ExprKind::kName &&
               (e.name == "index_date" || e.name == "interval_start" || dependent_lets.count(e.name));
    for (const auto& a : e.args) dep = mark(*a) || dep;
    if (dep) p.date_dependent.insert(&e);
    return dep;
  };
  const std::function<void(const lang::Expr&)> split_wheres = [&](const lang::Expr& e) {
    if (e.kind == lang::ExprKind::kCall && e.has_object && e.name == "where") {
      Program::Split s;
      const std::function<void(const lang::Expr&)> split = [&](const lang::Expr& c) {
        if (c.kind == lang::ExprKind::kBinary && c.name == "and") {
          split(*c.args[0]);
          split(*c.args[1]);
        } else {
          (p.date_dependent.count(&c) ? s.varying : s.fixed).push_back(&c);
        }
      };
      split(*e.args[1]);
      p.where_splits[&e] = std::move(s);
    }
    for (const auto& a : e.args) split_wheres(*a);
  };
  const auto prepare = [&](const lang::Expr& e) {
    resolve(e, nullptr);
    const bool dep = mark(e);
    split_wheres(e);
    return dep;
  };
  for (const auto& [kind, index] : d.definition.order) {
    if (kind == 'l' && prepare(*d.definition.lets[index].value)) dependent_lets.insert(d.definition.lets[index].name);
    if (kind == 'v') prepare(*d.definition.variables[index].value);
    if (kind == 'p') prepare(*d.definition.population);
    if (kind == 'm') {
      prepare(*d.definition.measures[index].numerator);
      prepare(*d.definition.measures[index].denominator);
    }
    if (kind == 'w') {
      prepare(*d.definition.worklists[index].when);
      for (const auto& [column, e] : d.definition.worklists[index].show) prepare(*e);
    }
  }

  return p;
}

}  // namespace severn::engine
