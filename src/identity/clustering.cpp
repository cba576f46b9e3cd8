#include "identity/clustering.h"

#include <algorithm>
#include <numeric>

#include "core/nhs_number.h"

namespace severn::identity {

namespace {

class Components {
 public:
  Components(const PreparedInputs& inputs, const ClusterOptions& options)
      : inputs_(inputs), options_(options), left_size_(static_cast<std::uint32_t>(inputs.size(0))) {
    const std::size_t nodes = inputs.size(0) + (inputs.linking() ? inputs.size(1) : 0);
    parent_.resize(nodes);
    std::iota(parent_.begin(), parent_.end(), 0u);
    has_left_.assign(nodes, 0);
    has_right_.assign(nodes, 0);
    for (std::uint32_t n = 0; n < nodes; ++n) (n < left_size_ || !inputs.linking() ? has_left_ : has_right_)[n] = 1;
    values_.resize(options.never_together.size());
    for (std::size_t k = 0; k < options.never_together.size(); ++k) {
      const int f = options.never_together[k];
      const FieldValues& fv = inputs.field(f);
      values_[k].resize(nodes);
      for (std::uint32_t n = 0; n < nodes; ++n) {
        const std::uint32_t v = n < left_size_ ? fv.ids[0][n] : fv.ids[1][n - left_size_];
        const bool counts = v != 0 && (fv.spec->kind != FieldKind::kNhsNumber || is_valid_nhs_number(fv.dictionary.value(v)));
        values_[k][n] = counts ? v : 0;
      }
    }
  }

  std::uint32_t find(std::uint32_t n) {
    while (parent_[n] != n) {
      parent_[n] = parent_[parent_[n]];
      n = parent_[n];
    }
    return n;
  }

  // Joins the clusters of x and y unless a constraint forbids it; the smaller node becomes the
  // root, so a root is always its cluster's smallest record.
  bool join(std::uint32_t x, std::uint32_t y) {
    x = find(x);
    y = find(y);
    if (x == y) return true;
    if (options_.one_to_one && ((has_left_[x] && has_left_[y]) || (has_right_[x] && has_right_[y]))) return false;
    for (const auto& v : values_)
      if (v[x] != 0 && v[y] != 0 && v[x] != v[y]) return false;
    if (y < x) std::swap(x, y);
    parent_[y] = x;
    has_left_[x] |= has_left_[y];
    has_right_[x] |= has_right_[y];
    for (auto& v : values_)
      if (v[x] == 0) v[x] = v[y];
    return true;
  }

  std::uint32_t node_of_right(std::uint32_t b) const { return inputs_.linking() ? left_size_ + b : b; }
  std::size_t nodes() const { return parent_.size(); }

 private:
  const PreparedInputs& inputs_;
  const ClusterOptions& options_;
  std::uint32_t left_size_;
  std::vector<std::uint32_t> parent_;
  std::vector<char> has_left_, has_right_;
  std::vector<std::vector<std::uint32_t>> values_;  // constraint -> node (root) -> value id
};

}  // namespace

Clustering cluster_links(std::vector<ScoredPair> accepted, const PreparedInputs& inputs, const ClusterOptions& options) {
  std::sort(accepted.begin(), accepted.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.match_weight != y.match_weight) return x.match_weight > y.match_weight;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  Components comp(inputs, options);
  Clustering out;
  for (const ScoredPair& p : accepted) {
    if (comp.join(p.a, comp.node_of_right(p.b))) out.links.push_back(p);
    else out.refused.push_back(p);
  }
  const auto canonical = [](const ScoredPair& x, const ScoredPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; };
  std::sort(out.links.begin(), out.links.end(), canonical);
  std::sort(out.refused.begin(), out.refused.end(), canonical);
  out.root.resize(comp.nodes());
  for (std::uint32_t n = 0; n < comp.nodes(); ++n) {
    out.root[n] = comp.find(n);
    if (out.root[n] == n) ++out.clusters;
  }
  return out;
}

std::string cluster_id(const PreparedInputs& inputs, std::uint32_t root) {
  if (!inputs.linking()) return std::string(inputs.id(0, root));
  const auto left = static_cast<std::uint32_t>(inputs.size(0));
  return root < left ? "left:" + std::string(inputs.id(0, root)) : "right:" + std::string(inputs.id(1, root - left));
}

}  // namespace severn::identity
