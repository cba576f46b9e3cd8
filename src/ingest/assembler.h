// Turns the validated parts of one source into store files: drops rows whose unique key repeats,
// maps part-local dictionary ids to store-wide ids, orders rows by (person_id, sort date) and
// writes columns, validity bitmaps, person offsets and the quarantine and unlinked files.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "identity/person_index.h"
#include "identity/partner_index.h"
#include "identity/pseudonymiser.h"
#include "ingest/part_output.h"
#include "ingest/pathway_numbers.h"
#include "ingest/table_plan.h"
#include "store/store_writer.h"

namespace severn::ingest {

// Store-wide dictionaries, ids in order of first appearance across the sources in load order.
class Dictionaries {
 public:
  LocalDictionary& get(const std::string& name) { return dicts_[name]; }
  void write(store::StoreWriter& writer);

 private:
  std::map<std::string, LocalDictionary> dicts_;
};

struct TableCounts {
  std::uint64_t read = 0, linked = 0, unlinked = 0, quarantined = 0;
};

class Assembler {
 public:
  Assembler(const TablePlan& plan, std::vector<PartOutput> parts, std::string source,
            std::size_t persons);

  // Finds repeated unique keys (the first occurrence is kept) and moves repeats to quarantine.
  void drop_duplicates();

  // gp/patients.csv: assigns person_ids in file order, fills the person index and writes the
  // patients table (with pseudonyms) and identity/persons.csv; `people` gets each person's
  // identifying fields for the partner linking.
  void write_persons(store::StoreWriter& w, Dictionaries& dicts, const identity::Pseudonymiser& pseudonymiser,
                     identity::PersonIndex& index, std::vector<identity::GpPerson>& people);
  // partners/patients.csv: fills the partner index and returns its records (row = index value)
  // for the linking stage; writes the quarantine.
  std::vector<identity::PartnerRecord> write_partner_index(store::StoreWriter& w, identity::PartnerIndex& index);
  // After linking: how many partner index rows found a person (the ledger's linked/unlinked).
  void count_partner_links(std::uint64_t linked, std::uint64_t unlinked);
  // Any other table. A table with a pathway column numbers its pathways in `pathways`, shared by
  // the waiting-list tables (pathway_numbers.h); it may be null for tables without one.
  void write_table(store::StoreWriter& w, Dictionaries& dicts, PathwayNumbers* pathways = nullptr);

  TableCounts counts() const;
  // Every quarantined row's source (SourceRecord::source, "" for the table's) and line.
  void for_each_quarantined(const std::function<void(std::string_view, std::int64_t)>& fn) const;

 private:
  void write_quarantine_and_unlinked(store::StoreWriter& w);
  // Concatenates kept rows of every part into parts_[0]-shaped buffers with store-wide ids.
  void concatenate(Dictionaries& dicts, PathwayNumbers* pathways = nullptr);

  const TablePlan& plan_;
  std::vector<PartOutput> parts_;
  std::string source_;
  std::size_t persons_;
  std::vector<std::vector<std::uint8_t>> drop_;           // per part, per accepted row
  std::vector<std::vector<std::uint8_t>> drop_unlinked_;  // per part, per unlinked row
  std::vector<QuarantineRow> duplicates_;
  // After concatenate():
  std::vector<std::uint32_t> person_;
  std::vector<ColumnBuffer> columns_;
  std::uint64_t kept_ = 0;
  std::uint64_t kept_unlinked_ = 0;
};

}  // namespace severn::ingest
