// Evaluates a compiled plan (plan.h) for one person at a time over a fixed set of lanes: up to
// 64 (index date, interval start) pairs answered together. One Evaluator per thread and lane set.
//
// Nothing is allocated per row: every node has its own value slots, frames and scratch space,
// sized when the evaluator is made and reused for every person (vectors only grow).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/plan.h"
#include "engine/value.h"

namespace severn::engine {

using LaneMask = std::uint64_t;  // bit l: lane l
constexpr int kMaxLanes = 64;

struct Lane {
  Days index_date = 0;      // days since 1970-01-01
  Days interval_start = 0;  // first day of the interval (the index date for a dataset)
};

class Evaluator {
 public:
  // Throws std::invalid_argument for no lanes or more than kMaxLanes.
  Evaluator(const Plan& plan, std::vector<Lane> lanes);

  // A new person: everything computed for the previous one is forgotten.
  void start(std::uint32_t person);
  std::uint32_t person() const { return person_; }
  int lanes() const { return n_; }
  LaneMask all_lanes() const { return full_; }
  const Lane& lane(int l) const { return lanes_[static_cast<std::size_t>(l)]; }

  // Row measures (query::Measure::unit): the row of their table being counted, which their
  // row-level conditions and group columns read (a row of the person being visited).
  void visit_row(std::uint64_t row) { row_ = row; }

  // The lanes in which a person-level condition is true (null counts as false).
  LaneMask truth(int node);
  // A person-level value in lane l.
  const Value& value(int node, int l);

  // The practice registration covering `day` (the latest-starting one if several, ties to the
  // last loaded), as a row of practice_registrations, or -1.
  std::int64_t registration_on(Days day) const;
  const Plan& plan() const { return plan_; }
  // The text query::Op::kText makes of a value, into `out`; false for null.
  static bool text_of(const Value& v, std::string& out);

 private:
  struct FrameData {
    std::uint64_t stamp = 0;
    const BoundTable* table = nullptr;
    std::vector<std::uint64_t> rows;   // in store order (person, then date, then load order)
    std::vector<LaneMask> masks;       // the lanes each row is in
    std::vector<int> keys;             // sort_by keys, last one first in precedence
  };
  struct RowPick {
    std::uint64_t stamp = 0;
    bool uniform = true;
    std::vector<std::int64_t> row;     // per lane (or [0] when uniform); -1: no row
    std::vector<Value> keys;           // scratch: key values per row (and lane)
    std::vector<std::uint32_t> order;  // scratch: rows in sort order
  };
  struct Bucket {
    std::uint64_t stamp = 0;
    std::vector<std::vector<std::uint64_t>> rows;  // per code list of the bucket column
  };
  struct BoundLanes {
    std::int64_t low[kMaxLanes];   // inclusive
    std::int64_t high[kMaxLanes];  // inclusive
    LaneMask valid = 0;            // lanes whose bounds are not null
    bool uniform = true;
  };

  const Node& node(int id) const { return plan_.nodes[static_cast<std::size_t>(id)]; }
  Value* out(int id) { return &vals_[static_cast<std::size_t>(id) * static_cast<std::size_t>(n_)]; }
  const Value& at(int id, int l) const {
    return vals_[static_cast<std::size_t>(id) * static_cast<std::size_t>(n_) +
                 (uniform_[static_cast<std::size_t>(id)] ? 0 : static_cast<std::size_t>(l))];
  }
  bool uniform(int id) const { return uniform_[static_cast<std::size_t>(id)] != 0; }
  LaneMask mask_of(int width) const { return width >= 64 ? ~LaneMask{0} : (LaneMask{1} << width) - 1; }
  LaneMask truth_of_slot(int id) const;  // after eval(id)

  void eval(int id);
  void compute(int id, const Node& nd);
  const FrameData& frame(int id);
  void where(int id, const Node& nd, FrameData& f);
  const std::vector<std::uint64_t>& bucket_rows(int id, const Conjunct& j);
  const RowPick& pick(int id);
  void aggregate(int id, const Node& nd);
  void count_distinct_by_value(int id, const Node& nd, const FrameData& f, int w);
  void logic(int id, const Node& nd);
  void case_when(int id, const Node& nd);
  void in_set(int id, const Node& nd);
  Value code_in_list(const Node& nd);
  Value column_value(const BoundColumn& column, std::uint64_t row) const;
  bool registered_on(Days day) const;
  const CivilDate& civil_of(Days day);

  const Plan& plan_;
  std::vector<Lane> lanes_;
  int n_ = 0;
  LaneMask full_ = 0;
  std::uint32_t person_ = 0;
  std::uint64_t person_stamp_ = 1;  // 1 is "computed once" for nodes that read no person data
  std::uint64_t row_ = 0;           // the row being visited by the innermost frame loop

  std::vector<Value> vals_;             // node x lane
  std::vector<std::uint8_t> uniform_;   // per node: one value for all lanes (slot 0)
  std::vector<std::uint64_t> stamp_;    // per node: the person stamp it was computed for
  std::vector<FrameData> frames_;       // per node (frame nodes only)
  std::vector<RowPick> picks_;          // per node (row nodes only)
  std::vector<std::vector<BoundLanes>> bounds_;  // per where node, per conjunct
  std::vector<std::vector<std::uint64_t>> merged_;  // per where node: union of bucket lists
  std::vector<std::vector<std::pair<int, Value>>> distinct_;  // per count_distinct node
  std::vector<std::vector<std::pair<Value, LaneMask>>> distinct_masks_;  // per count_distinct node
  std::vector<Bucket> buckets_;         // per Plan::bucket_columns
  std::vector<std::vector<std::string>> texts_;  // per kText node, per lane: the text its values point to
  std::string lookup_key_;              // scratch for kLookup
  struct CivilCache {
    Days day = 0;
    CivilDate date;
    bool set = false;
  };
  std::array<CivilCache, 64> civil_cache_{};  // calendar dates of days seen, by day modulo 64

  const BoundTable* registrations_;
  const store::ColumnView* reg_start_;
  const store::ColumnView* reg_end_;
  const BoundColumn* reg_practice_;
  const BoundColumn* date_of_birth_;
};

}  // namespace severn::engine
