#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/measure_counts.h"

namespace severn::engine {
namespace {

TEST(GroupOrder, DecilesAndAgeBandsReadAsNumbers) {
  std::vector<std::string> labels{"10", "2", "unknown", "1", "9", "90+", "85-89", "5-9", "0-4", "10-14", "Asian", "U", "U13205"};
  std::sort(labels.begin(), labels.end(), GroupOrder{});
  const std::vector<std::string> want{"0-4", "1", "2", "5-9", "9", "10", "10-14", "85-89", "90+", "Asian", "U", "U13205", "unknown"};
  EXPECT_EQ(labels, want);
}

TEST(GroupOrder, LongNumbersAndLeadingZerosKeepATotalOrder) {
  const GroupOrder less;
  EXPECT_TRUE(less("99999999999999999999", "100000000000000000000"));  // beyond 64 bits
  EXPECT_TRUE(less("1", "01") != less("01", "1"));                    // equal as numbers, still ordered
  EXPECT_FALSE(less("7", "7"));
  EXPECT_TRUE(less("", "0"));
  EXPECT_TRUE(less("a2", "a10"));
}

// A strict weak order (irreflexive, asymmetric, transitive, total here) on random labels made
// of digits, letters and punctuation: std::map relies on it.
TEST(GroupOrder, IsAStrictTotalOrderOnRandomLabels) {
  std::mt19937 rng(7);
  const std::string alphabet = "0019a+- Z";
  std::vector<std::string> labels;
  for (int n = 0; n < 300; ++n) {
    std::string s;
    for (int k = static_cast<int>(rng() % 5); k > 0; --k) s += alphabet[rng() % alphabet.size()];
    labels.push_back(s);
  }
  const GroupOrder less;
  for (const auto& a : labels)
    for (const auto& b : labels) {
      EXPECT_FALSE(less(a, b) && less(b, a)) << a << " / " << b;
      if (a != b) {
        EXPECT_TRUE(less(a, b) || less(b, a)) << a << " / " << b;
      } else {
        EXPECT_FALSE(less(a, b));
      }
    }
  for (std::size_t i = 0; i < 60; ++i)
    for (std::size_t j = 0; j < 60; ++j)
      for (std::size_t k = 0; k < 60; ++k)
        if (less(labels[i], labels[j]) && less(labels[j], labels[k])) {
          EXPECT_TRUE(less(labels[i], labels[k]));
        }
}

}  // namespace
}  // namespace severn::engine
