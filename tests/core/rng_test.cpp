#include "core/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace severn {
namespace {

TEST(Rng, StreamsAreReproducibleAndIndependent) {
  Rng a(7, 1, "x"), b(7, 1, "x"), c(7, 2, "x"), d(7, 1, "y");
  for (int i = 0; i < 100; ++i) {
    const auto va = a.next();
    EXPECT_EQ(va, b.next());
    EXPECT_NE(va, c.next());
    EXPECT_NE(va, d.next());
  }
}

TEST(Rng, DistributionsHaveTheRightMoments) {
  Rng r(1, 0, "moments");
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0, sp = 0;
  for (int i = 0; i < n; ++i) {
    su += r.uniform();
    const double z = r.normal();
    sn += z;
    sn2 += z * z;
    sp += r.poisson(3.5);
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.02);
  EXPECT_NEAR(sp / n, 3.5, 0.03);
}

TEST(AliasTable, DrawsInProportion) {
  const std::vector<double> w = {1, 0, 3, 6};
  AliasTable t(w);
  Rng r(3, 0, "alias");
  std::vector<int> count(4, 0);
  for (int i = 0; i < 100000; ++i) ++count[t.draw(r)];
  EXPECT_EQ(count[1], 0);
  EXPECT_NEAR(count[0] / 1e5, 0.1, 0.01);
  EXPECT_NEAR(count[3] / 1e5, 0.6, 0.01);
  EXPECT_THROW(AliasTable(std::vector<double>{0, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace severn
