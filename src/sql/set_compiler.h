// The set-based SQL compiler behind query_compiler.h (private to src/sql): model nodes become SQL
// that a database evaluates as a few large joins and grouped scans instead of a subquery per
// person and interval (docs/sql.md, "How a definition becomes SQL").
//
// Every value is computed at one of four levels, from what it reads:
//   constant  literals and what is computed from them: written inline;
//   lane      reads the index date or interval start but nothing of a person: a column of the
//             `lanes` CTE, computed once per lane (index_date - 12 months is `l.e0`);
//   person    reads a person's record: one value per person, or per person and lane when it
//             reads the dates too (the model's `dates` flag). Frame aggregations, picked rows
//             and registrations are CTEs keyed by person_id (and lane), one grouped query each,
//             LEFT JOINed where they are read; scalar operators over them are written inline;
//   row       inside a frame method: one value per row of the frame's table (alias r), read in
//             that frame's grouped query.
// A value's SQL is the same text wherever it is read; what it needs from the query around it is
// a list of joins (Join), which each query (Scope) adds once.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/date.h"
#include "query/model.h"
#include "sql/dialect.h"
#include "sql/query_compiler.h"

namespace severn::sql {

enum class Level : std::uint8_t { kConstant, kLane, kPerson, kRow };

// A join that the SQL of a value needs in the query that reads it.
struct Join {
  enum class Kind : std::uint8_t {
    kPatients,  // patients p, by person (the query over persons has it already)
    kPerson,    // a CTE keyed by person_id (and lane): LEFT JOIN alias ON alias.person_id = ...
    kLookup,    // a reference table at a key: LEFT JOIN source alias ON alias.k = on
    kRow,       // by the row visited: LEFT JOIN source alias ON alias.row_id = r.row_id<on>
  };
  Kind kind = Kind::kPerson;
  std::string alias;
  std::string source;
  std::string on;
  bool lanes = false;  // reads the lane l (a CTE keyed by lane, a key that reads the dates)
};

// The SQL of a value and the joins it reads, in dependency order (each alias once).
struct Sql {
  std::string text;
  std::vector<Join> joins;
};

void add_joins(std::vector<Join>& into, const std::vector<Join>& joins);

// The FROM clause of one query and the joins its values need. Joins that do not read the lane
// come before the lanes are crossed in, so that a person-level join is made once per person.
class Scope {
 public:
  enum class Kind : std::uint8_t { kPersons, kRows, kLanes };
  // kPersons: FROM patients p; kRows: FROM <table> r; kLanes: FROM lanes0 l (the lanes CTE).
  Scope(Kind kind, std::string from, std::string patients, bool lanes);
  void need(const std::vector<Join>& joins) { add_joins(joins_, joins); }
  std::string from() const;
  std::string person() const { return kind_ == Kind::kPersons ? "p.person_id" : "r.person_id"; }

 private:
  std::string render(const Join& j) const;
  Kind kind_;
  std::string from_, patients_;
  bool lanes_;
  std::vector<Join> joins_;
};

class SetCompiler {
 public:
  SetCompiler(const query::Model& model, const SqlTarget& target, std::vector<std::pair<Days, Days>> lanes);

  std::string table(const std::string& name) const;
  // A query over persons (FROM patients p), crossed with the lanes when `lanes`.
  Scope persons(bool lanes) const { return Scope(Scope::Kind::kPersons, table("patients") + " p", table("patients"), lanes); }
  // The outputs of a statement (set_outputs.cpp) are read from one query over persons and lanes,
  // `atoms`: every value an output is made of that is not a scalar operator (an aggregate, a
  // picked column, a lookup, an age, a lane value ...) and every operator that two outputs or
  // operands share is one of its columns, computed once per person and lane. The outputs are
  // scalar operators over those columns (alias s). So `age` in fifteen denominators and a group
  // column is computed once, not thirty times (PostgreSQL does not share common subexpressions).
  // First name every output with share(), then write them with output(), then atoms().
  void share(const std::vector<query::NodeId>& outputs);
  std::string output(query::NodeId id);
  // (SELECT p.person_id, l.lane[, more], <atoms> FROM patients p ... WHERE (<population>) IS TRUE
  // OFFSET 0) s: fenced, so that the database computes each column once rather than writing its
  // expression back into every reader.
  std::string atoms(query::NodeId population, const std::string& more_columns);
  // WITH <reference tables>, <lanes>, <every CTE made so far, in dependency order>.
  std::string with() const;

 private:
  // set_values.cpp: scalar operators and the facts of the record.
  Level level(query::NodeId id);
  bool reads_person(query::NodeId id);
  const Sql& value(query::NodeId id);
  Sql build(query::NodeId id);
  // The text of operand `id` in a value computed at level `at`, its joins added to `joins`: a
  // lane value read per person or row is a column of the lanes CTE.
  std::string put(query::NodeId id, Level at, std::vector<Join>& joins);
  std::string lane_column(query::NodeId id);
  std::string typed(query::NodeId id, query::ValueType want, Level at, std::vector<Join>& joins);
  std::string text_of(query::NodeId id, Level at, std::vector<Join>& joins);
  std::string compare(const query::Node& n, Level at, std::vector<Join>& joins);
  std::string arith(const query::Node& n, Level at, std::vector<Join>& joins);
  std::string in_codelist(const query::Node& n, Level at, std::vector<Join>& joins);
  std::string codes(std::uint32_t codelist);
  std::string member(std::uint32_t codelist, const std::string& code);
  std::string moved_days(const std::string& date, std::int64_t days) const;
  std::string moved_months(const std::string& date, std::int64_t months) const;
  std::string age_on(const std::string& date) const;
  std::string row_column(std::uint16_t table, std::uint16_t column, std::vector<Join>& joins);
  Join patients_join() const { return {Join::Kind::kPatients, "p", "", "", false}; }
  // A person-level value whose SQL has grown large, computed once in a CTE of its own.
  Sql materialise(query::NodeId id, Sql sql);

  // set_outputs.cpp
  bool is_operator(query::NodeId id) const;
  void count_uses(query::NodeId id);
  std::string atom(query::NodeId id);

  // set_frames.cpp: frames, their picks and other aggregations, and registrations, as grouped CTEs.
  struct Condition {
    std::string text;
    bool lanes = false;  // reads the index date or interval start
    std::vector<Join> joins;
    query::NodeId node = query::kNoNode;
  };
  struct Frame {
    std::uint16_t table = query::kNoTable;
    std::vector<Condition> conditions;               // conjuncts: a row is kept when all are true
    std::vector<std::pair<std::string, bool>> keys;  // (expression, is text), in the order added
    std::vector<Join> joins;                         // of every condition and key
  };
  const Frame& frame(query::NodeId id);
  void add_condition(Frame& f, query::NodeId id);
  // FROM <table> r [CROSS JOIN lanes l] <joins> WHERE <conditions>
  std::string frame_from(const Frame& f, bool lanes, const std::vector<Join>& joins,
                         const std::vector<std::string>& more_conditions = {}) const;
  Sql aggregate(query::NodeId id);
  std::string episodes(const query::Node& n, const Frame& f, bool lanes, std::vector<Join>& joins, const std::string& keys);
  Sql picked(const query::Node& n);
  Sql registration(query::NodeId id);
  // A CTE named `name` whose body reads `joins`; `fenced`: computed once as it stands (AS
  // MATERIALIZED), so that the database does not substitute its expression wherever its column
  // is read.
  std::string make_cte(std::string name, std::string body, const std::vector<Join>& joins, bool fenced = false);
  // 0 for a query that reads no CTE, else one more than the deepest CTE it reads: CTEs are
  // written in this order, so that each follows what it reads.
  int depth_of(const std::vector<Join>& joins) const;

  // set_passes.cpp: the aggregations that one grouped query can compute side by side (exists,
  // count, count_distinct, min, max) share one query per table, keyed as they are and as deep as
  // what they read: a table pass. Each is a column computed over the rows its own frame keeps
  // (FILTER (WHERE ...)), so one scan of clinical_events answers every register.
  struct PassColumn {
    std::string aggregate;  // the call, FILTER (WHERE ...) written after it
    bool count = false;     // a count, as a 64-bit integer
    int keep = -1;       // lane-keyed passes: the index of the static conditions (-1: none)
    std::string filter;  // person-keyed: every condition; lane-keyed: those that read the lanes
  };
  struct Pass {
    std::string name;
    std::uint16_t table = query::kNoTable;
    bool lanes = false;
    std::vector<std::string> keeps;  // lane-keyed: the static conditions of each member, computed once per row
    std::vector<Join> row_joins;     // lane-keyed: what the static conditions read
    std::vector<Join> joins;         // what the rest reads
    std::vector<PassColumn> columns;
  };
  // The column of `aggregate` over the rows of frame `f` in the pass for its table, keying and
  // depth: "pass.vK", its joins added to `joins`.
  std::string pass_column(const Frame& f, bool lanes, const std::string& aggregate, bool count,
                          const std::vector<Condition>& conditions, const std::vector<Join>& argument_joins,
                          std::vector<Join>& joins);
  // exists() of a frame whose only condition that reads the dates bounds a column by a lane
  // value (date <= index_date): the earliest (or latest) value kept, compared per lane. A
  // person-keyed pass column, so the frame is never crossed with the lanes.
  bool bounded_exists(const Frame& f, Sql& out);
  std::string render(const Pass& pass) const;
  bool mergeable(query::Op op) const;

  Join person_join(const std::string& cte, bool lanes) const { return {Join::Kind::kPerson, cte, "", "", lanes}; }

  const query::Model& m_;
  const SqlTarget& t_;
  const DialectHooks& d_;
  std::vector<std::pair<Days, Days>> lanes_;
  std::unordered_map<query::NodeId, Sql> values_;
  std::unordered_map<query::NodeId, Frame> frames_;
  std::unordered_map<query::NodeId, Level> levels_;
  std::unordered_map<query::NodeId, bool> reads_person_;
  std::map<query::NodeId, std::set<std::uint16_t>> pick_columns_;  // pick node -> columns read
  std::map<std::uint32_t, std::string> codelist_sql_;
  std::map<std::string, std::string> list_any_;                   // (codelist, child table) -> CTE
  std::set<std::uint8_t> references_;
  std::vector<std::pair<std::string, std::string>> lane_columns_;  // (name, SQL over lanes0 l)
  std::unordered_map<query::NodeId, std::string> lane_column_of_;
  std::vector<Join> lane_joins_;
  bool outputs_ = false;  // writing outputs: operands are read from the atoms (put() -> output())
  std::unordered_map<query::NodeId, int> uses_;
  std::unordered_map<query::NodeId, std::string> outputs_text_, atom_of_;
  std::vector<std::pair<std::string, std::string>> atoms_;  // (column, SQL over persons and lanes)
  std::vector<Join> atom_joins_;
  struct Cte {
    std::string name, body;
    bool fenced = false;
    int depth = 0;
  };
  std::map<std::string, int> depth_;  // of every CTE and pass, by name
  std::vector<Pass> passes_;
  std::vector<Cte> ctes_;  // in the order made, which is an order of their dependencies
};

}  // namespace severn::sql
