// Small linkage runs built from text, for the identity tests: a configuration written as TOML
// in the test, records as CSV text.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "identity/comparison.h"
#include "identity/link_config.h"
#include "identity/linker.h"
#include "identity/prepared_inputs.h"
#include "identity/record_table.h"

namespace severn::identity::testing {

inline LinkConfig config_from(const std::string& toml) { return parse_link_config(toml, "test.toml"); }

inline RecordTable table_from(const std::string& csv, const std::string& name = "test.csv") {
  return RecordTable::parse(csv, name, CsvReadOptions{});
}

// The linkage test data (FEBRL4, fake_1000), read in place; empty when absent.
inline std::filesystem::path linkage_testdata() {
  const std::filesystem::path dir = SEVERN_LINKAGE_TESTDATA_DIR;
  return std::filesystem::exists(dir / "dataset4a.csv") ? dir : std::filesystem::path();
}

// Two files prepared for comparing one pair: record "a" of the left file against record "b" of
// the right file.
struct PairFixture {
  LinkConfig config;
  RecordTable left, right;
  std::unique_ptr<PreparedInputs> inputs;
  std::vector<Comparison> comparisons;

  PairFixture(const std::string& toml, const std::string& left_csv, const std::string& right_csv)
      : config(config_from(toml)), left(table_from(left_csv, "left.csv")), right(table_from(right_csv, "right.csv")) {
    inputs = std::make_unique<PreparedInputs>(config, left, &right, NicknameTable::builtin(), 1);
    comparisons = build_comparisons(config, *inputs);
  }
  // The label of comparison c's level for left record `a` and right record `b` ("null" when null).
  std::string level(std::size_t c, const std::string& a, const std::string& b) const {
    const auto x = inputs->find(0, a), y = inputs->find(1, b);
    EXPECT_GE(x, 0);
    EXPECT_GE(y, 0);
    const int l = compare(comparisons[c], *inputs, 0, static_cast<std::uint32_t>(x), 1, static_cast<std::uint32_t>(y));
    return l == kNullLevel ? "null" : comparisons[c].labels[static_cast<std::size_t>(l)];
  }
};

}  // namespace severn::identity::testing
