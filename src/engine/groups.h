// Built-in group columns for measures (docs/language.md): place, pcn, practice (the registration
// on the index date), imd_decile and imd_quintile (IoD 2025 of the person's LSOA), ethnicity_group
// (ONS 5+1 from the 16+1 category), age_band (five-year bands to 90+), sex. A `by` may also name
// a let, whose value (as text) is the group.
//
// Each group is a small integer code with a label, worked out per person and lane without any
// string handling; labels are only looked at when the counts are written.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/evaluator.h"
#include "refdata/data_dir.h"

namespace severn::engine {

// Codes of a let used as a group column, interned per thread.
class LetGroups {
 public:
  std::uint32_t code(const Value& v);
  const std::string& label(std::uint32_t code) const { return labels_[code]; }
  std::size_t size() const { return labels_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t> codes_;
  std::vector<std::string> labels_;
  std::string text_;
};

class GroupColumns {
 public:
  // `columns`: the group columns the measures name, built-in or let names.
  GroupColumns(const refdata::DataDir& data, const Plan& plan, std::vector<std::string> columns);

  std::size_t size() const { return columns_.size(); }
  const std::string& name(std::size_t c) const { return columns_[c].name; }
  std::size_t index(const std::string& name) const;
  // Codes of every column for the evaluator's person in lane l; `lets` has one interner per
  // let column (in column order, unused for built-ins).
  void codes(Evaluator& ev, int l, std::vector<LetGroups>& lets, std::uint32_t* out) const;
  // Number of codes a column can have (lets: as interned so far).
  std::size_t cardinality(std::size_t c, const std::vector<LetGroups>& lets) const;
  const std::string& label(std::size_t c, std::uint32_t code, const std::vector<LetGroups>& lets) const;

 private:
  enum class Kind { kPractice, kPcn, kPlace, kImdDecile, kImdQuintile, kEthnicity, kAgeBand, kSex, kLet };
  struct Column {
    std::string name;
    Kind kind = Kind::kLet;
    int let_node = -1;
    std::vector<std::string> labels;        // built-ins: code -> label
    std::vector<std::uint32_t> by_dict_id;  // built-ins read from a dictionary: id -> code
  };
  std::vector<Column> columns_;
  const BoundColumn* practice_ = nullptr;  // practice_registrations.practice
  const BoundColumn* sex_ = nullptr;
  const BoundColumn* lsoa_ = nullptr;
  const BoundColumn* ethnic_ = nullptr;
  const BoundColumn* dob_ = nullptr;
};

std::string ethnicity_group(std::string_view category);
std::string age_band(int age);

}  // namespace severn::engine
