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
  for (const auto& [kind, index] : d.definition.order) {
    if (kind == 'l' && mark(*d.definition.lets[index].value)) dependent_lets.insert(d.definition.lets[index].name);
    if (kind == 'v') mark(*d.definition.variables[index].value);
    if (kind == 'p') mark(*d.definition.population);
    if (kind == 'm') {
      mark(*d.definition.measures[index].numerator);
      mark(*d.definition.measures[index].denominator);
    }
  }

  for (const auto& [name, list] : d.codelists) {
    const std::unordered_set<std::string> codes(list.codes.codes.begin(), list.codes.codes.end());
    for (const char* dict_name : {"snomedct", "dmd", "icd10", "opcs4"}) {
      const auto& dict = store.dictionary(dict_name);
      std::vector<bool> member(dict.size(), false);
      for (std::uint32_t id = 0; id < dict.size(); ++id)
        member[id] = codes.count(std::string(dict[id])) > 0;
      p.codelists[name][&dict] = std::move(member);
    }
  }
  return p;
}

}  // namespace severn::engine
