// The query model: what a checked definition means, as small typed nodes that every engine (the
// native one, the SQL compiler, later the server) consumes. Nothing here is syntax: names are
// resolved, lets are inlined (a let named twice is one node), operators, units and date parts are
// enums, and the built-in group columns (Place, PCN, IMD quintile, ethnicity group, age band) are
// ordinary expressions over reference tables that the model carries with it.
//
// Nodes are hash-consed: building a node equal to one already in the model returns the existing
// id, so common subexpressions are shared and equal meanings have equal ids.
//
// Every node has
//   shape      a value, a frame (rows of one event table per person) or a row (one picked row
//              of a frame per person, or none);
//   dimension  for values: one per patient, or one per row of `table` (inside a frame method);
//   type       for values: bool, int, float, date (days since 1970-01-01), code (with its code
//              system) or string;
//   dates      whether it reads the index date or the interval start, so can differ between the
//              intervals of a measure.
// Null rules are SQL's three-valued logic (docs/language.md, "Nulls").
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/date.h"

namespace severn::query {

enum class Shape : std::uint8_t { kValue, kFrame, kRow };
enum class Dimension : std::uint8_t { kPatient, kRows };
enum class ValueType : std::uint8_t { kNull, kBool, kInt, kFloat, kDate, kCode, kString };
enum class CodeSystem : std::uint8_t { kNone, kSnomedCt, kDmd, kIcd10, kOpcs4 };

enum class Op : std::uint8_t {
  // Leaves.
  kLiteral,        // literal
  kIndexDate,      // the interval's last day (the run's index date for a dataset)
  kIntervalStart,  // the interval's first day
  kPatientColumn,  // column `column` of the patients table
  kRowsColumn,     // column `column` of the row of `table` being visited (dimension kRows)
  // Scalar operators, lane by lane (and row by row at dimension kRows).
  kNot, kNegate, kAnd, kOr,
  kCompare,        // a cmp b
  kArith,          // a arith b; int / int is a float
  kAddDuration,    // date a moved by `amount` `unit`s (signed); months and years clip to the month's end
  kDatePart,       // part of date a
  kInCodelist,     // code a in codelist `codelist` (any code of a list column)
  kInSet,          // a in {kids}
  kInRange,        // a in (b, c) with low_open / high_open
  kIsNull,         // a is null (negated: is not null)
  kCase,           // kids: when, then, ..., [else]; has_else
  kCoalesce,       // the first of kids that is not null
  kText,           // a as text: true/false, decimal integers, ISO dates, codes and strings as they are
  kLookup,         // reference table `reference` at key a (as text), or null
  // Per-person facts from the record.
  kRegisteredOn,   // a registration covers date a
  kPracticeOn,     // the practice of the registration covering date a (the latest-starting, ties to
                   // the later row in store order), as a string; null if none
  kAgeOn,          // whole years from the date of birth to date a; null before birth
  // Frames and rows.
  kTable,          // every row of `table` for the person
  kWhere,          // the rows of frame a for which b (dimension kRows of the same table) is true
  kSortBy,         // frame a ordered by b (a row value) for first / latest, then by the table's date
  kFirst, kLatest, // the first or last row of frame a in its order (date, then store order); ties
                   // on a sort key keep store order
  kPickedColumn,   // column `column` of row a
  // Aggregations of frame a to one value per patient; b is the row value where there is one.
  kExists, kCount, kCountDistinct, kMin, kMax, kSum, kMean,
  kCountEpisodes,  // episodes of frame a's dates separated by more than `amount` `unit`s
};

enum class Compare : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class Arith : std::uint8_t { kAdd, kSub, kMul, kDiv };
enum class Unit : std::uint8_t { kDays, kMonths, kYears };
enum class DatePart : std::uint8_t { kYear, kMonth, kDay };

// Reference tables the model looks values up in (src/query/reference.h): text key -> text value.
enum class Reference : std::uint8_t {
  kPracticePcn,      // practice ODS code -> PCN code
  kPracticePlace,    // practice ODS code -> Place name
  kLsoaImdDecile,    // LSOA 2021 code -> IoD 2025 decile "1" (most deprived) .. "10"
  kLsoaImdQuintile,  // LSOA 2021 code -> quintile "1" .. "5"
  kEthnicityGroup,   // NHS 16+1 ethnic category letter -> ONS 5+1 group
  kAgeBand,          // whole years 0..89 -> "0-4" .. "85-89" (90 and over are "90+" by a case)
};
inline constexpr int kReferences = 6;

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFu;
inline constexpr std::uint16_t kNoTable = 0xFFFF;

struct Literal {
  ValueType type = ValueType::kNull;
  std::int64_t i = 0;  // bool (0/1), int, date (days)
  double f = 0;        // float
  std::string s;       // string
  bool operator==(const Literal&) const = default;
};

struct Node {
  Op op = Op::kLiteral;
  Shape shape = Shape::kValue;
  Dimension dimension = Dimension::kPatient;
  ValueType type = ValueType::kNull;
  CodeSystem system = CodeSystem::kNone;  // codes: their system
  bool dates = false;                     // reads the index date or interval start
  std::uint16_t table = kNoTable;         // frames, rows, row columns, aggregations: the event table
  std::uint16_t column = 0;               // kPatientColumn, kRowsColumn, kPickedColumn
  NodeId a = kNoNode, b = kNoNode, c = kNoNode;
  std::vector<NodeId> kids;
  Literal literal;
  std::uint8_t sub = 0;   // Compare, Arith, Unit, DatePart or Reference, by op
  std::int64_t amount = 0;
  bool negated = false, low_open = false, high_open = false, has_else = false;
  std::uint32_t codelist = 0;

  Compare compare() const { return static_cast<Compare>(sub); }
  Arith arith() const { return static_cast<Arith>(sub); }
  Unit unit() const { return static_cast<Unit>(sub); }
  DatePart part() const { return static_cast<DatePart>(sub); }
  Reference reference() const { return static_cast<Reference>(sub); }
  bool operator==(const Node&) const = default;
};

// The tables a model reads, as the store holds them. Column types are value types; a code list
// column (several codes per row, such as secondary diagnoses) has `list` set.
struct Column {
  std::string name;          // as definitions write it
  std::string store_column;  // in the store
  ValueType type = ValueType::kNull;
  CodeSystem system = CodeSystem::kNone;
  bool list = false;
};
struct Table {
  std::string name;           // store table; "patients" for the patient table
  std::int32_t date_column = -1;  // the column ordering first()/latest(); -1 for patients
  std::vector<Column> columns;
  std::int32_t find(const std::string& column) const;
};

// A code list as loaded: its codes and whether a three-character ICD-10/OPCS-4 category also
// matches its subdivisions ("K02" matches "K02.1").
struct Codelist {
  std::string name;
  std::string file;
  CodeSystem family = CodeSystem::kNone;  // kSnomedCt for SNOMED CT and dm+d, kIcd10 for classifications
  std::vector<std::string> codes;
  std::unordered_set<std::string> set;
  bool with_subcodes = false;
  bool matches(std::string_view code) const;
};

// `intervals ...` of a measure (lang/ast.h describes the forms).
struct Intervals {
  enum class Kind : std::uint8_t { kMonthly, kQuarterly, kYearly, kExplicit } kind = Kind::kMonthly;
  Days from = 0, to = 0;
  int last = 0;
  std::vector<std::pair<Days, Days>> spans;
};
// The [start, end] intervals (inclusive) for a run's index date. Throws InputError when
// `last N` would reach before 0001-01-01.
std::vector<std::pair<Days, Days>> expand(const Intervals& spec, Days index_date);

// A group column: a string value per person and interval, never null (unknowns have a label).
struct Group {
  std::string name;
  NodeId value = kNoNode;
};

// A measure counts persons, or rows of one event table (`measure NAME over TABLE`): then `unit`
// is that table, numerator and denominator are at dimension kRows of it (or one value per
// patient, the same for each of the person's rows), and a group may be too (a column of the
// row). A row counts in an interval when its person is in the population on the interval's last
// day and the denominator is true for the row; the numerator is counted within the denominator.
struct Measure {
  std::string name;
  std::uint16_t unit = kNoTable;  // kNoTable: persons; else the event table whose rows are counted
  NodeId numerator = kNoNode, denominator = kNoNode;
  std::vector<std::uint32_t> by;  // group indices: the `by` list, then the SII's group if not in it
  Intervals intervals;
  // Standardising: the measures stage needs counts by age band (dsr) or age band and sex (isr).
  bool by_age_band = false, by_sex = false;
};

struct Variable {
  std::string name;
  NodeId value = kNoNode;
};

struct Worklist {
  std::string name;
  NodeId when = kNoNode;
  std::vector<Variable> show;
};

// One definition's outputs. A model may hold several definitions evaluated in one pass over the
// store; they share nodes, code lists and group columns wherever their meanings are equal.
struct Definition {
  NodeId population = kNoNode;
  std::vector<Variable> variables;
  std::vector<Measure> measures;
  std::vector<Worklist> worklists;
};

class Model {
 public:
  Model();
  const Node& node(NodeId id) const { return nodes_[id]; }
  std::size_t size() const { return nodes_.size(); }
  const std::vector<Node>& nodes() const { return nodes_; }
  // The id of the node equal to `n` (derived fields filled in), added if new. Children must
  // already be in the model.
  NodeId add(Node n);

  const std::vector<Table>& tables() const { return tables_; }
  const Table& table(std::uint16_t t) const { return tables_[t]; }
  std::uint16_t table_id(const std::string& name) const;  // throws std::out_of_range
  std::uint16_t patients() const { return patients_; }

  std::vector<Codelist> codelists;
  // Reference tables, loaded only if a node looks them up: key -> value.
  std::vector<std::unordered_map<std::string, std::string>> references =
      std::vector<std::unordered_map<std::string, std::string>>(kReferences);

  std::vector<Definition> definitions;
  // Group columns of every definition's measures; two are one when name and meaning agree.
  std::vector<Group> groups;
  // The practice and PCN of every worklist row: group columns of their own.
  NodeId worklist_practice = kNoNode, worklist_pcn = kNoNode;

  // Index of the first group of that name, or -1.
  int group(const std::string& name) const;

 private:
  struct Hash {
    std::size_t operator()(const Node& n) const;
  };
  std::vector<Node> nodes_;
  std::unordered_map<Node, NodeId, Hash> index_;
  std::vector<Table> tables_;
  std::uint16_t patients_ = 0;
};

const char* op_name(Op op);
const char* type_name(ValueType t);
const char* reference_name(Reference r);
// A readable rendering of a node and what it reads, for `severn check --model` and messages.
std::string describe(const Model& model, NodeId id);

}  // namespace severn::query
