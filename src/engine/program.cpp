#include "engine/program.h"

#include <stdexcept>

#include "store/store_error.h"

namespace severn::engine {

const BoundColumn& BoundTable::column(const std::string& name) const {
  const std::int32_t c = def->find(name);
  if (c < 0) throw std::logic_error(def->name + " has no column " + name);
  return columns[static_cast<std::size_t>(c)];
}

Program bind(const store::Store& store, const query::Model& model) {
  Program p;
  p.store = &store;
  p.model = &model;
  for (const auto& def : model.tables()) {
    BoundTable t;
    t.def = &def;
    t.view = &store.table(def.name);
    for (const auto& c : def.columns) {
      BoundColumn b;
      b.view = &t.view->column(c.store_column);
      if (!b.view->entry().dictionary.empty()) b.dictionary = &store.dictionary(b.view->entry().dictionary);
      t.columns.push_back(b);
    }
    if (def.date_column >= 0) t.date = t.columns[static_cast<std::size_t>(def.date_column)].view;
    p.tables.push_back(std::move(t));
  }
  for (const auto& list : model.codelists) {
    CodelistMembers members;
    for (const char* dict_name : {"snomedct", "dmd", "icd10", "opcs4"}) {
      const auto& dict = store.dictionary(dict_name);
      std::vector<bool> member(dict.size(), false);
      for (std::uint32_t id = 0; id < dict.size(); ++id) member[id] = list.matches(dict[id]);
      members[&dict] = std::move(member);
    }
    p.codelists.push_back(std::move(members));
  }
  return p;
}

}  // namespace severn::engine
