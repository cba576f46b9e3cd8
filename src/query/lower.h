// Lowering: a checked definition (lang/checker.h) turned into the query model (query/model.h).
// Names are resolved with the types the checker kept, lets are inlined and shared, and the built-in
// group columns a measure or worklist names become expressions over reference tables loaded from
// the reference pack.
#pragma once
#include <string>

#include "lang/checker.h"
#include "query/model.h"

namespace severn::query {

struct LowerOptions {
  // The reference pack (refdata/data_dir.h: --data, $SEVERN_DATA or ../shared/data), read only
  // when a group column needs one of its tables.
  std::string data_dir;
  // Add the practice and PCN of worklist rows (Model::worklist_practice, worklist_pcn).
  bool worklists = false;
};

// Throws InputError if a reference table a group column needs cannot be read.
Model lower(const lang::CheckedDefinition& definition, const LowerOptions& options);

// Adds a definition to a model (Model::definitions), sharing what it can with those already there.
void lower_into(Model& model, const lang::CheckedDefinition& definition, const LowerOptions& options);

// The expression of a built-in group column (lang::group_columns()), added to `model`, its
// reference tables loaded from `data_dir` if not yet loaded.
NodeId builtin_group(Model& model, const std::string& name, const std::string& data_dir);

}  // namespace severn::query
