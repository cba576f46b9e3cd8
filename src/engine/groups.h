// Group columns of measures and worklists, evaluated per person and lane as small integer codes.
// What a group means is the query model's (query/lower.h builds Place, PCN, IMD, ethnicity and age
// band as expressions over reference tables); this file only makes it fast. A group whose value
// depends on one input with few values (a dictionary-coded patient column, the practice of the
// registration on the index date, or the age on it) is tabulated over that input once, by folding
// the model's expression (query/fold.h); any other group is evaluated and its text interned.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/evaluator.h"

namespace severn::engine {

// Labels of one group column, interned per thread; tabulated labels are seeded first.
class LetGroups {
 public:
  std::uint32_t code(const Value& v);
  std::uint32_t code(const std::string& label);
  const std::string& label(std::uint32_t code) const { return labels_[code]; }
  std::size_t size() const { return labels_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t> codes_;
  std::vector<std::string> labels_;
  std::string text_;
};

// The label a row-level group column (a row measure's `by provider`) takes when a person, not a
// row, is counted: persons' combinations carry it, no breakdown ever writes it, and nestings
// are not looked for in it.
inline constexpr const char* kNoRowGroup = "\x1f(not a row)";

class GroupColumns {
 public:
  // `columns`: (name, model node) of each group column, in output order; the plan has compiled
  // every node named.
  GroupColumns(const Plan& plan, const std::vector<std::pair<std::string, query::NodeId>>& columns);

  std::size_t size() const { return columns_.size(); }
  const std::string& name(std::size_t c) const { return columns_[c].name; }
  std::size_t index(const std::string& name) const;
  // A thread's interners, one per column, seeded with the tabulated labels.
  std::vector<LetGroups> interners() const;
  // Codes of every column for the evaluator's person in lane l; `at_row`: at the row the
  // evaluator visits (Evaluator::visit_row), else row-level columns read kNoRowGroup.
  void codes(Evaluator& ev, int l, std::vector<LetGroups>& lets, std::uint32_t* out, bool at_row = false) const;
  std::size_t cardinality(std::size_t c, const std::vector<LetGroups>& lets) const { return lets[c].size(); }
  const std::string& label(std::size_t c, std::uint32_t code, const std::vector<LetGroups>& lets) const {
    return lets[c].label(code);
  }

 private:
  enum class Source { kEvaluated, kPatientColumn, kPractice, kAge };
  static constexpr std::uint32_t kEvaluate = 0xFFFFFFFFu;  // in a table: evaluate this one
  struct Column {
    std::string name;
    int node = -1;
    bool row = false;  // reads the row a row measure counts
    Source source = Source::kEvaluated;
    const BoundColumn* leaf = nullptr;   // kPatientColumn, kPractice: the column tabulated over
    std::vector<std::uint32_t> by_id;    // code by dictionary id (kPatientColumn, kPractice) or age (kAge)
    std::uint32_t null_code = kEvaluate; // the code when the input is null
    std::vector<std::string> labels;     // seeded labels, code order
  };
  void tabulate(const Plan& plan, Column& c, query::NodeId model_node);
  std::vector<Column> columns_;
  const BoundColumn* dob_ = nullptr;
};

// The ESP 2013 band label of an age in whole years ("0-4" ... "85-89", "90+"; "unknown" below
// 0), as measures' notes name the bands.
std::string age_band(int age);

}  // namespace severn::engine
