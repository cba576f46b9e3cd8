// The SII's sample quantiles against R's type 7 computed the plain way (sort, then interpolate):
// the fast selection must give exactly the same doubles, whatever the values (ties, constant
// runs, heavy tails) and wherever the quantiles are.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "stats/sample_quantile.h"

namespace severn::stats {
namespace {

double sorted_type7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= v.size()) return v.back();
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

TEST(SampleQuantiles, EqualThePlainComputationExactly) {
  Rng rng(20261207, 0, "quantile-test");
  const std::vector<std::pair<double, double>> ps = {{0.025, 0.975}, {0.005, 0.995}, {0.0005, 0.9995}, {0, 1},
                                                     {0.5, 0.5},     {0.1, 0.9},     {0.2, 0.25},       {0.97, 0.99}};
  std::size_t cases = 0;
  for (const std::size_t n : {1, 2, 3, 10, 999, 4095, 4096, 5000, 100000}) {
    for (int shape = 0; shape < 4; ++shape) {
      std::vector<double> v(n);
      for (auto& x : v) {
        const double z = rng.normal();
        switch (shape) {
          case 0: x = z; break;
          case 1: x = std::round(z * 3);  break;           // few distinct values: many ties
          case 2: x = 7; break;                              // constant
          default: x = std::exp(3 * z) * (rng.uniform() < 0.5 ? -1 : 1);  // heavy tails both sides
        }
      }
      for (const auto& [lo, hi] : ps) {
        std::vector<double> w = v;
        const Limits got = sample_quantiles(w, lo, hi);
        EXPECT_EQ(got.lower, sorted_type7(v, lo)) << "n " << n << " shape " << shape << " p " << lo;
        EXPECT_EQ(got.upper, sorted_type7(v, hi)) << "n " << n << " shape " << shape << " p " << hi;
        std::vector<double> u = v;
        EXPECT_EQ(type7(u, hi), sorted_type7(v, hi));
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 9u * 4u * 8u);
}

}  // namespace
}  // namespace severn::stats
