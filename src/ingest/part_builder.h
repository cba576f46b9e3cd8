// Validates the records of one part of a source, row by row, and sorts each into accepted
// column buffers, quarantine (with the field, value and reason) or unlinked.
#pragma once
#include <string>
#include <vector>

#include "ingest/part_output.h"
#include "ingest/source_reader.h"
#include "ingest/table_plan.h"
#include "ingest/validation_context.h"

namespace severn::ingest {

class PartBuilder final : public RecordSink {
 public:
  PartBuilder(const TablePlan& plan, const ValidationContext& context, std::string source);
  void record(const SourceRecord& record) override;
  void problem(const SourceProblem& problem) override;
  PartOutput take() { return std::move(out_); }

 private:
  // Checks field i; on failure fills reason_ and returns false.
  bool check_field(std::size_t i, std::string_view value);
  bool check_date(std::size_t i, std::string_view value);
  void quarantine(const SourceRecord& r, std::size_t field, std::string reason);
  void append_row(std::uint32_t person);
  std::string field_text(const SourceRecord& r, int field) const;
  // `field_name`: how reports name the key (default: the field's name); it must outlive the part.
  void add_key(const SourceRecord& r, std::string_view value, bool unlinked, std::size_t field,
               std::string_view field_name = {});
  // The row's unique key (record id, or TableSpec::unique_key's values joined by commas).
  void add_unique_key(const SourceRecord& r, bool unlinked);
  void unlinked(const SourceRecord& r, std::string reason);
  // `value` as a view that outlives the part: into the source text, or a copy kept in the output.
  std::string_view stable_view(const SourceRecord& r, std::string_view value);

  const TablePlan& plan_;
  const TableSpec& spec_;
  const ValidationContext& ctx_;
  std::string source_;
  PartOutput out_;
  std::vector<const std::unordered_set<std::string>*> allowed_;

  // Parsed values of the current record, per field.
  std::vector<bool> present_;
  std::vector<std::int32_t> i32_;
  std::vector<double> f64_;
  std::vector<std::uint64_t> u64_;
  std::vector<std::string_view> text_;
  std::vector<std::string> normalised_;
  std::vector<std::vector<std::string>> list_;
  // Identity fields, by name once (-1 where the table has none).
  int family_i_ = -1, given_i_ = -1, sex_i_ = -1, dob_i_ = -1, postcode_i_ = -1, previous_family_i_ = -1,
      previous_postcode_i_ = -1;
  double link_probability_ = 1.0;  // of the current partner activity row
  std::string reason_;
  std::string nhs_problem_;  // soft NHS number problem where the number may be missing
};

}  // namespace severn::ingest
