// A query model bound to a store: every table and column it reads resolved to the mapped store
// files, and every code list turned into a membership bitmap over each code dictionary. Shared
// read-only by all evaluation threads.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "query/model.h"
#include "store/store.h"

namespace severn::engine {

struct BoundColumn {
  const store::ColumnView* view = nullptr;
  const store::Dictionary* dictionary = nullptr;  // codes and categories
};

struct BoundTable {
  const query::Table* def = nullptr;
  const store::TableView* view = nullptr;
  std::vector<BoundColumn> columns;       // by the model's column index
  const store::ColumnView* date = nullptr;  // the ordering date
  const BoundColumn& column(const std::string& name) const;
};

// Membership of one code list, by dictionary (store object address): member[dictionary][code id].
using CodelistMembers = std::unordered_map<const void*, std::vector<bool>>;

struct Program {
  const store::Store* store = nullptr;
  const query::Model* model = nullptr;
  std::vector<BoundTable> tables;          // by the model's table id
  std::vector<CodelistMembers> codelists;  // by the model's code list index

  const BoundTable& table(std::uint16_t id) const { return tables.at(id); }
  const BoundTable& table(const std::string& name) const { return tables.at(model->table_id(name)); }
};

// Throws StoreError if the store lacks a table or column the model reads.
Program bind(const store::Store& store, const query::Model& model);

}  // namespace severn::engine
