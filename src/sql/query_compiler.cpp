// The two statements of a definition (query_compiler.h), assembled from the set-based compiler's
// values (set_compiler.h): a query over persons crossed with the lanes, which reads every value
// through joins to CTEs, then the counts grouped by lane and group labels.
#include "sql/query_compiler.h"

#include <algorithm>

#include "core/error.h"
#include "sql/set_compiler.h"

namespace severn::sql {
namespace {

namespace q = query;

// Generated SQL past this size is refused rather than sent.
constexpr std::size_t kMaxSqlBytes = 64u << 20;

std::string checked_size(std::string sql) {
  if (sql.size() > kMaxSqlBytes)
    throw InputError("the definition's SQL would exceed " + std::to_string(kMaxSqlBytes >> 20) +
                     " MiB: its lets are named too many times over for one SQL statement; evaluate it with the native engine");
  return sql;
}

// The lanes a measure counts in, as ranges of lane numbers: "" when it counts in every lane.
// Ranges, not an IN list: DuckDB turns each IN list into a join, one per measure's denominator
// and numerator.
std::string lanes_condition(std::vector<std::uint32_t> lanes, std::size_t all) {
  std::sort(lanes.begin(), lanes.end());
  lanes.erase(std::unique(lanes.begin(), lanes.end()), lanes.end());
  if (lanes.size() == all) return "";
  std::string s;
  for (std::size_t i = 0; i < lanes.size();) {
    std::size_t j = i;
    while (j + 1 < lanes.size() && lanes[j + 1] == lanes[j] + 1) ++j;
    s += (s.empty() ? "" : " OR ") + std::string("s.lane BETWEEN ") + std::to_string(lanes[i]) + " AND " + std::to_string(lanes[j]);
    i = j + 1;
  }
  return s.empty() ? "FALSE" : "(" + s + ")";
}

}  // namespace

std::string row_measure_refusal(const std::string& measure, const std::string& table) {
  return "measure '" + measure + "' counts rows of " + table + " ('over " + table +
         "'), which the SQL engine does not compile yet: it counts persons only; evaluate the definition "
         "with the native engine (severn run --store ...)";
}

std::string compile_measures(const q::Model& model, std::size_t definition, const MeasuresQuery& query,
                             const SqlTarget& target) {
  const q::Definition& def = model.definitions.at(definition);
  SetCompiler c(model, target, query.lanes);
  std::vector<q::NodeId> outputs = query.groups;
  for (const q::Measure& m : def.measures) {
    if (m.unit != q::kNoTable) throw InputError(row_measure_refusal(m.name, model.table(m.unit).name));
    outputs.push_back(m.denominator);
    outputs.push_back(m.numerator);
  }
  c.share(outputs);
  // The group labels are compared byte by byte for grouping: the same groups as in any
  // deterministic collation, sorted far faster than in a locale's.
  std::string select = "SELECT s.lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g)
    select += ",\n    " + target.dialect->binary_collation(c.output(query.groups[g])) + " AS g" + std::to_string(g);
  std::string any_denominator;
  for (std::size_t m = 0; m < def.measures.size(); ++m) {
    const std::string lanes = lanes_condition(query.lanes_of[m], query.lanes.size());
    // IS TRUE: a null denominator or numerator counts as false, as in the native engine.
    const std::string den = (lanes.empty() ? "" : lanes + " AND ") + "(" + c.output(def.measures[m].denominator) + ") IS TRUE";
    const std::string num = "(" + c.output(def.measures[m].numerator) + ") IS TRUE";
    select += ",\n    CASE WHEN " + den + " THEN 1 ELSE 0 END AS d" + std::to_string(m);
    select += ",\n    CASE WHEN " + num + " THEN 1 ELSE 0 END AS n" + std::to_string(m);
  }
  // counted: one row per person and lane in the population, fenced (OFFSET 0) so that its
  // columns are computed once, not again in the filter and in the sums.
  const std::string from = c.atoms(def.population, "");
  std::string out = c.with() + ",\n  counted AS (\n  " + select + "\n  FROM " + from + " OFFSET 0)\nSELECT lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  for (std::size_t m = 0; m < def.measures.size(); ++m) {
    const std::string k = std::to_string(m);
    out += ", CAST(SUM(d" + k + ") AS BIGINT) AS d" + k + ", CAST(SUM(d" + k + " * n" + k + ") AS BIGINT) AS n" + k;
    any_denominator += (m ? " OR d" : "d") + k + " = 1";
  }
  out += "\nFROM counted";
  if (!any_denominator.empty()) out += "\nWHERE " + any_denominator;
  out += "\nGROUP BY lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  out += "\nORDER BY lane";
  for (std::size_t g = 0; g < query.groups.size(); ++g) out += ", g" + std::to_string(g);
  return checked_size(std::move(out));
}

std::string compile_dataset(const q::Model& model, std::size_t definition, Days index_date, const SqlTarget& target) {
  const q::Definition& def = model.definitions.at(definition);
  SetCompiler c(model, target, {{index_date, index_date}});
  std::vector<q::NodeId> outputs;
  for (const q::Variable& v : def.variables) outputs.push_back(v.value);
  c.share(outputs);
  std::string select = "SELECT s.person_id, s.pseudonym";
  for (std::size_t v = 0; v < def.variables.size(); ++v) select += ",\n  " + c.output(def.variables[v].value) + " AS v" + std::to_string(v);
  const std::string from = c.atoms(def.population, ", p.pseudonym");
  return checked_size(c.with() + "\n" + select + "\nFROM " + from + "\nORDER BY s.person_id");
}

}  // namespace severn::sql
