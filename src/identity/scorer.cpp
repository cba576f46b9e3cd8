#include "identity/scorer.h"

#include <algorithm>
#include <cmath>

namespace severn::identity {

Scorer::Scorer(const Model& model, const std::vector<Comparison>& comparisons, const PreparedInputs& inputs,
               const TermFrequencies& frequencies)
    : model_(model), comparisons_(comparisons), inputs_(inputs), frequencies_(frequencies) {
  weights_.resize(comparisons.size());
  adjusted_.resize(comparisons.size());
  for (std::size_t c = 0; c < comparisons.size(); ++c) {
    for (std::size_t l = 0; l < comparisons[c].level_count(); ++l) {
      weights_[c].push_back(model.level_weight(c, static_cast<int>(l)));
      const bool tf = l < comparisons[c].levels.size() && comparisons[c].levels[l].spec.term_frequency &&
                      frequencies.applies(c);
      adjusted_[c].push_back(tf ? 1 : 0);
    }
  }
}

double Scorer::term_frequency_adjustment(std::size_t c, int level, std::uint32_t a, std::uint32_t b) const {
  const int field = comparisons_[c].field;
  const std::uint32_t va = inputs_.value_id(field, 0, a), vb = inputs_.value_id(field, inputs_.right_side(), b);
  const double f = std::max({frequencies_.frequency(c, va), frequencies_.frequency(c, vb), kProbabilityFloor});
  const double u = std::max(model_.comparisons[c].levels[static_cast<std::size_t>(level)].u, kProbabilityFloor);
  return std::log2(u / f);
}

double Scorer::weight(Pattern pattern, std::uint32_t a, std::uint32_t b) const {
  double w = model_.prior_weight();
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    const int level = pattern_level(pattern, c);
    if (level == kNullLevel) continue;
    w += weights_[c][static_cast<std::size_t>(level)];
    if (adjusted_[c][static_cast<std::size_t>(level)]) w += term_frequency_adjustment(c, level, a, b);
  }
  return w;
}

double Scorer::weight_against_copy(Pattern pattern, std::uint32_t a) const {
  double w = model_.prior_weight();
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    const int level = pattern_level(pattern, c);
    if (level == kNullLevel) continue;
    w += weights_[c][static_cast<std::size_t>(level)];
    if (!adjusted_[c][static_cast<std::size_t>(level)]) continue;
    const double f = std::max(frequencies_.frequency(c, inputs_.value_id(comparisons_[c].field, 0, a)), kProbabilityFloor);
    w += std::log2(std::max(model_.comparisons[c].levels[static_cast<std::size_t>(level)].u, kProbabilityFloor) / f);
  }
  return w;
}

Explanation Scorer::explain(std::uint32_t a, std::uint32_t b) const { return explain(a, b, nullptr); }

Explanation Scorer::explain(std::uint32_t a, std::uint32_t b, Pattern pattern) const { return explain(a, b, &pattern); }

Explanation Scorer::explain(std::uint32_t a, std::uint32_t b, const Pattern* pattern) const {
  Explanation e;
  e.prior_weight = model_.prior_weight();
  e.match_weight = e.prior_weight;
  const int right = inputs_.right_side();
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    Contribution x;
    x.comparison = comparisons_[c].name;
    if (pattern != nullptr) {
      x.level = pattern_level(*pattern, c);
    } else {
      x.left_value = std::string(inputs_.value(comparisons_[c].field, 0, a));
      x.right_value = std::string(inputs_.value(comparisons_[c].field, right, b));
      x.level = compare(comparisons_[c], inputs_, 0, a, right, b);
    }
    if (x.level == kNullLevel) {
      x.label = "null";
    } else {
      const auto& lp = model_.comparisons[c].levels[static_cast<std::size_t>(x.level)];
      x.label = lp.label;
      x.m = lp.m;
      x.u = lp.u;
      x.level_weight = weights_[c][static_cast<std::size_t>(x.level)];
      if (adjusted_[c][static_cast<std::size_t>(x.level)]) x.term_frequency_weight = term_frequency_adjustment(c, x.level, a, b);
    }
    e.match_weight += x.weight();
    e.contributions.push_back(std::move(x));
  }
  e.match_probability = probability_from_weight(e.match_weight);
  return e;
}

}  // namespace severn::identity
