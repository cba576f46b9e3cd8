// A bound query model compiled to a flat array of nodes, evaluated for many index dates at once.
//
// The engine answers every interval of every measure for one person in a single visit: each
// interval is a *lane* (its index date and interval start), and a node's value is one value per
// lane, or one value shared by all lanes when the node does not depend on the dates. Frames carry
// a lane mask per row, so `where(code in hyp and date <= index_date)` reads the person's rows once
// and marks, per row, the lanes in which it is kept.
//
// Each node knows what it depends on, which decides how often it is computed:
//   constant       literals                           once per run
//   lane-only      index_date - 12 months ...         once per set of lanes
//   person         has_hyp, age, .latest().value      once per person (then reused by every
//                                                     measure and let that names it)
//   row            date <= index_date inside where()  once per row of the frame being filtered
#pragma once
#include <cstdint>
#include <vector>

#include "engine/program.h"
#include "engine/value.h"
#include "query/model.h"

namespace severn::engine {

enum class Op : std::uint8_t {
  kConst,          // lit
  kIndexDate,      // the lane's index date
  kIntervalStart,  // the lane's interval start
  kColumn,         // a column of the row being visited (row level)
  kPatientColumn,  // a patients column
  kRowColumn,      // a column of the row picked by node a (first/latest)
  kNot, kNeg,
  kAnd, kOr,
  kCompare,        // a op b, cmp = 0 ==, 1 !=, 2 <, 3 <=, 4 >, 5 >=
  kArith,          // a op b, arith = '+', '-', '*', '/'
  kAddDuration,    // date a + duration (amount, unit)
  kInCodelist,     // a in the code list `codelist` (index into Plan::codelists)
  kInSet,          // a in {kids}
  kInRange,        // a in (b, c) with low_open / high_open
  kIsNull,         // negated: is not null
  kCase,           // kids: when, then, ..., else?
  kDatePart,       // a.year / .month / .day: part = 'y', 'm', 'd'
  kRegisteredOn,   // registered_on(a)
  kAgeOn,          // patients.age_on(a)
  kPracticeOn,     // the practice of the registration on date a
  kCoalesce,       // the first of kids not null
  kText,           // a as text (query::Op::kText)
  kLookup,         // reference table `reference` at key a
  // Frames (rows of one table with a lane mask each).
  kTable,          // all of the person's rows of `table`
  kWhere,          // frame a filtered: see Conjunct
  kSortBy,         // frame a ordered for first/latest by key b (row level)
  // Rows: one picked row per lane.
  kFirst, kLatest,  // of frame a
  // Aggregations of frame a; b is the per-row argument where there is one.
  kExists, kCount, kCountDistinct, kMin, kMax, kSum, kMean, kCountEpisodes,
};

enum class Shape : std::uint8_t { kValue, kFrame, kRow };

// One conjunct of a where(): how it is tested.
struct Conjunct {
  enum Kind : std::uint8_t {
    kBucket,  // `column in codelist` (or an `or` of them): the candidate rows come from the
              // person's per-list row buckets, so no other row is looked at
    kBound,   // `column <op> expr` or `column in (lo, hi]` with expr not row level: lane-wise
              // integer comparisons of a date or int column
    kGeneric, // anything else, evaluated per row
  } kind = kGeneric;
  int node = -1;                 // kGeneric: the condition
  std::vector<int> lists;        // kBucket: code list indices (any of them)
  int bucket_column = -1;        // kBucket: index into Plan::bucket_columns
  const store::ColumnView* column = nullptr;  // kBound: the int or date column
  int low = -1, high = -1;       // kBound: bound nodes (-1: no bound on that side)
  bool low_open = false, high_open = false;
  bool varying = false;          // depends on the lanes
};

struct Node {
  Op op = Op::kConst;
  Shape shape = Shape::kValue;
  VKind kind = VKind::kNull;  // static kind of the value, when known (kNull: mixed or null)
  bool varying = false;       // can differ between lanes
  bool person = false;        // reads the person's data
  bool row = false;           // reads the current row of a frame
  int a = -1, b = -1, c = -1;
  std::vector<int> kids;
  Value lit;                  // kConst
  std::uint8_t cmp = 0;       // kCompare
  char arith = 0;             // kArith
  char part = 0;              // kDatePart
  char unit = 0;              // kAddDuration and kCountEpisodes: 'd', 'm', 'y'
  std::int64_t amount = 0;    // kAddDuration and kCountEpisodes (signed)
  bool negated = false;       // kInCodelist, kInSet, kInRange, kIsNull
  bool low_open = false, high_open = false;
  int codelist = -1;          // kInCodelist
  const std::unordered_map<std::string, std::string>* reference = nullptr;  // kLookup
  const BoundColumn* column = nullptr;  // kColumn, kPatientColumn, kRowColumn
  const BoundTable* table = nullptr;    // frames, rows, aggregations: the table; kColumn too
  std::vector<Conjunct> conjuncts;      // kWhere
};

// Membership of each code list, by dictionary: member[dictionary][code id].
struct PlanCodelist {
  std::unordered_map<const void*, const std::vector<bool>*> member;
};

// A (table, code column) pair some where() buckets its rows by.
struct BucketColumn {
  const BoundTable* table = nullptr;
  const BoundColumn* column = nullptr;
  // For each code id of the column's dictionary, the code lists (bucket indices) it belongs to.
  std::vector<std::vector<std::uint16_t>> lists_of_code;
  std::vector<int> lists;  // the code lists bucketed, in bucket order
};

struct Plan {
  const Program* program = nullptr;
  std::vector<Node> nodes;
  std::vector<PlanCodelist> codelists;
  std::vector<BucketColumn> bucket_columns;
  struct Definition {
    int population = -1;
    std::vector<int> variables;                         // in the model's order
    std::vector<std::pair<int, int>> measures;          // (numerator, denominator)
    // Per measure: the table whose rows it counts (query::Measure::unit), or null for persons.
    std::vector<const BoundTable*> measure_rows;
    std::vector<std::pair<int, std::vector<int>>> worklists;  // (condition, the lets shown)
  };
  std::vector<Definition> definitions;                  // the model's
  std::vector<int> groups;                            // the model's group columns
  int worklist_practice = -1, worklist_pcn = -1;      // when the model has them
  std::vector<int> of_model;                          // model node -> plan node (-1: not compiled)
};

// Compiles every expression of the bound model. Shared read-only by all threads.
Plan compile(const Program& program);

}  // namespace severn::engine
