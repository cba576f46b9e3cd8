// The SQL engine's compiler: one definition of a query model (query/model.h) as SQL over the
// warehouse layout (warehouse_layout.h), in a dialect (dialect.h). The SQL returns what the native
// engine's scan returns, so the measures stage above treats both alike:
//   measures: one row per interval (lane) and combination of group labels with anyone in some
//     measure's denominator: lane, g0 .. g(k-1) (the group labels), then d0, n0, d1, n1, ... (persons
//     in each measure's denominator and numerator);
//   dataset: person_id, pseudonym and each variable, for the persons in the population on the
//     index date, by person_id.
// A person is one row of `patients`. The SQL is set-based (set_compiler.h): each aggregation of a
// frame, each picked row and each registration fact is one grouped query over its table (joined
// to the lanes when it reads the dates), a CTE keyed by person_id (and lane); the outputs read
// them through joins to the persons crossed with the lanes (docs/sql.md).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "query/model.h"
#include "sql/dialect.h"

namespace severn::sql {

struct SqlTarget {
  const DialectHooks* dialect = nullptr;
  std::string schema;  // "" : unqualified table names
};

struct MeasuresQuery {
  std::vector<std::pair<Days, Days>> lanes;             // (index date, interval start), lane order
  std::vector<std::vector<std::uint32_t>> lanes_of;     // per measure of the definition: its lanes
  std::vector<query::NodeId> groups;                    // the group columns, g0 .. g(k-1)
};

// Why the SQL engine refuses a measure that counts rows of an event table (`measure NAME over
// TABLE`, query::Measure::unit): it compiles person measures only, so far (docs/sql.md).
std::string row_measure_refusal(const std::string& measure, const std::string& table);

// Throws InputError naming the construct if the dialect cannot express it, and for a row measure.
std::string compile_measures(const query::Model& model, std::size_t definition, const MeasuresQuery& query,
                             const SqlTarget& target);
std::string compile_dataset(const query::Model& model, std::size_t definition, Days index_date, const SqlTarget& target);

}  // namespace severn::sql
