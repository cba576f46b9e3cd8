// Clusters: connected components of the accepted links, built greedily from the strongest link
// down (ties broken by the records' canonical order), so the result depends on the data alone,
// never on the order of rows in the files or on thread scheduling. Constraints refuse a link
// that would join two clusters that must stay apart:
//   - never_together: two different values of a field (both present) in one cluster. For an
//     nhs_number field only valid numbers (modulus 11) count, so a mistyped number never blocks.
//   - one_to_one (linking two files): at most one record of each file in a cluster.
// A cluster's id is its smallest record: deduplicating, that record's id; linking, the id of its
// smallest left record prefixed "left:", else of its smallest right record prefixed "right:".
// Records sort by id (bytewise), so ids survive re-runs, re-ordered input and added records
// that do not join the cluster.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "identity/comparison.h"
#include "identity/prepared_inputs.h"

namespace severn::identity {

struct ScoredPair {
  std::uint32_t a = 0, b = 0;  // a from input 0, b from the right input
  double match_weight = 0.0;
  double match_probability = 0.0;
  Pattern pattern = 0;
};

struct ClusterOptions {
  bool one_to_one = false;
  std::vector<int> never_together;  // field indexes
};

struct Clustering {
  std::vector<ScoredPair> links;    // accepted links kept, in the canonical order (a, b)
  std::vector<ScoredPair> refused;  // accepted by weight, refused by a constraint
  // Per record of input 0, then per record of input 1 when linking: the representative record
  // (a node number: input 0's records first, then input 1's).
  std::vector<std::uint32_t> root;
  std::size_t clusters = 0;
};

Clustering cluster_links(std::vector<ScoredPair> accepted, const PreparedInputs& inputs, const ClusterOptions& options);

// The id written for a node's cluster.
std::string cluster_id(const PreparedInputs& inputs, std::uint32_t root);

}  // namespace severn::identity
