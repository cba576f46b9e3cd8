// A checked definition bound to a store: every table and column it names resolved to the mapped
// store files, and every code list turned into a membership bitmap over each code dictionary.
// Shared read-only by all evaluation threads.
#pragma once
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <string>
#include <vector>

#include "lang/checker.h"
#include "lang/tables.h"
#include "store/store.h"

namespace severn::engine {

struct BoundColumn {
  const store::ColumnView* view = nullptr;
  const store::Dictionary* dictionary = nullptr;  // codes and categories
};

struct BoundTable {
  const lang::TableDef* def = nullptr;
  const store::TableView* view = nullptr;
  std::unordered_map<std::string, BoundColumn> columns;  // language name -> store column
  const store::ColumnView* date = nullptr;               // the ordering date
};

struct Program {
  const store::Store* store = nullptr;
  const lang::CheckedDefinition* definition = nullptr;
  std::unordered_map<std::string, BoundTable> tables;  // event tables and "patients"
  std::unordered_map<std::string, const lang::Binding*> lets;
  // code list name -> dictionary (store object address) -> membership by code id
  std::unordered_map<std::string, std::unordered_map<const void*, std::vector<bool>>> codelists;

  // Expressions whose value can change with index_date or interval_start (directly or through
  // a let). Everything else is computed once per person and reused across a measure's intervals.
  std::unordered_set<const lang::Expr*> date_dependent;

  // Resolved once at bind time, looked up by node while evaluating.
  struct NameRef {
    const BoundColumn* column = nullptr;  // a column of the frame the name is read in
    const lang::Binding* let = nullptr;
  };
  std::unordered_map<const lang::Expr*, NameRef> names;  // kName nodes
  std::unordered_map<const lang::Expr*, const std::unordered_map<const void*, std::vector<bool>>*>
      in_lists;  // kIn nodes whose target is a code list
  struct Split {
    std::vector<const lang::Expr*> fixed, varying;  // conjuncts without / with the dates
  };
  std::unordered_map<const lang::Expr*, Split> where_splits;  // where() nodes
  struct MemberRef {
    enum Kind { kPatientColumn, kRowColumn, kFrameColumn, kDatePart } kind = kDatePart;
    const BoundColumn* column = nullptr;
  };
  std::unordered_map<const lang::Expr*, MemberRef> members;  // kMember nodes

  const BoundTable& table(const std::string& name) const { return tables.at(name); }
};

// Throws StoreError if the store lacks a table or column the language needs.
Program bind(const store::Store& store, const lang::CheckedDefinition& definition);

}  // namespace severn::engine
