// The store's pathway numbers: one dense number per patient pathway identifier (PPI), assigned
// 0, 1, 2, ... in order of first appearance among the accepted rows of the waiting-list tables in
// load order (wl_pathways, wl_activity, wl_snapshots; within a table, file order). A pathway
// transferred between the trusts keeps its PPI, so it keeps one number in every table. Numbers
// belong to one build, like person_id: the same extract gives the same numbers whatever the
// threads or part size, but a rebuild of a changed extract may number pathways differently.
// The identifiers themselves are identifiable (a PPI holds the provider's local patient id), so
// they go to the restricted identity file identity/pathways.csv only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace severn::ingest {

class PathwayNumbers {
 public:
  // `key`: patient_pathway_id + '\x1f' + provider_code + '\x1f' + local_patient_id (as a
  // PartBuilder forms it). Returns the PPI's number, assigning the next one on first sight, and
  // remembers each (provider, local id) the pathway is held under.
  std::int32_t number(std::string_view key);
  std::size_t size() const { return by_ppi_.size(); }

  // identity/pathways.csv: pathway,provider_code,patient_pathway_id,local_patient_id; one row per
  // pathway and provider record it appears under, by pathway number, then first appearance.
  std::string identity_csv() const;

 private:
  struct Row {
    std::int32_t pathway;
    std::string provider, ppi, local_id;
  };
  std::unordered_map<std::string, std::int32_t> by_ppi_;
  std::unordered_set<std::string> seen_keys_;
  std::vector<Row> rows_;  // in order of first appearance
};

}  // namespace severn::ingest
