// The tables and columns the query model reads, with their code systems: the language's tables
// (lang/tables.h) as the model sees them.
#pragma once
#include <vector>

#include "query/model.h"

namespace severn::query {

// Every event table, then "patients".
std::vector<Table> schema_tables();

}  // namespace severn::query
