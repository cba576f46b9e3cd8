// Arithmetic at run time that leaves int64 or the calendar (0001-01-01..9999-12-31) is null, as
// in SQL, never a wrapped value or a garbage date; and the deepest definitions the checker
// accepts run without exhausting the stack (docs/language.md, "Limits and overflow").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv_table.h"
#include "measures/run_definition.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::testing {
namespace {

class EngineOverflow : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR)) GTEST_SKIP() << "reference pack absent";
    write_extract(scratch_.dir() / "src", valid_extract());
    ingest::run_ingest(options_for(scratch_.dir() / "src", scratch_.dir() / "store", write_key(scratch_.dir())));
  }
  // The dataset of `definition` (population true) at 2025-03-31: per person, column -> value.
  std::vector<std::map<std::string, std::string>> dataset(const std::string& definition) {
    write_text(scratch_.dir() / "def.sev", definition + "\npopulation true\n");
    const auto checked = lang::check_file((scratch_.dir() / "def.sev").string(), lang::CheckOptions{});
    const auto store = store::Store::open(scratch_.dir() / "store");
    measures::RunOptions o;
    o.out = scratch_.dir() / "out";
    o.index_date = *parse_iso_date("2025-03-31");
    o.threads = 2;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    o.disclosure_control = false;
    measures::run_definition(*store, checked, o);
    const CsvTable t = CsvTable::read_file(o.out / "dataset.csv");
    std::vector<std::map<std::string, std::string>> rows(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r)
      for (std::size_t c = 0; c < t.header().size(); ++c) rows[r][t.header()[c]] = t.cell(r, c);
    return rows;
  }
  Scratch scratch_{"engine-overflow"};
};

TEST_F(EngineOverflow, WholeNumbersThatLeaveInt64AreNull) {
  const auto rows = dataset(
      "variable n = clinical_events.count()\n"
      "variable twice = clinical_events.count() * 4611686018427387904\n"
      "variable flipped = -(clinical_events.count() - 9223372036854775807 - 1)\n"
      "variable max_plus_one = 9223372036854775807 + 1\n"
      "variable min = -9223372036854775807 - 1\n"
      "variable min_minus_one = -9223372036854775807 - 2\n"
      "variable negated_min = -(-9223372036854775807 - 1)\n"
      "variable squared = 3037000500 * 3037000500\n"
      "variable not_quite = 3037000499 * 3037000499\n"
      "variable huge_float = 1" + std::string(308, '0') + ".0 * 10.0\n"
      "variable none_above = clinical_events.where(date > index_date + 8000 years).count()\n"
      "variable none_below = clinical_events.where(date < index_date + 8000 years).count()\n");
  ASSERT_EQ(rows.size(), 3u);
  bool saw_two = false;
  for (const auto& row : rows) {
    const long long n = std::stoll(row.at("n"));
    saw_two = saw_two || n >= 2;
    EXPECT_EQ(row.at("twice"), n >= 2 ? "" : std::to_string(n * 4611686018427387904LL)) << n;
    EXPECT_EQ(row.at("flipped"), n == 0 ? "" : std::to_string(9223372036854775807LL - (n - 1))) << n;
    EXPECT_EQ(row.at("max_plus_one"), "");
    EXPECT_EQ(row.at("min"), "-9223372036854775808");
    EXPECT_EQ(row.at("min_minus_one"), "");
    EXPECT_EQ(row.at("negated_min"), "");
    EXPECT_EQ(row.at("squared"), "");
    EXPECT_EQ(row.at("not_quite"), "9223372030926249001");
    EXPECT_EQ(row.at("huge_float"), "");
    // A bound that is off the calendar is null, and a comparison with null keeps no row.
    EXPECT_EQ(row.at("none_above"), "0");
    EXPECT_EQ(row.at("none_below"), "0");
  }
  EXPECT_TRUE(saw_two) << "the extract should give someone two events";
}

TEST_F(EngineOverflow, DatesOffTheCalendarAreNull) {
  const auto rows = dataset(
      "variable after_9999 = index_date + 7975 years\n"
      "variable in_9999 = index_date + 7974 years\n"
      "variable before_0001 = index_date - 2025 years\n"
      "variable in_0001 = index_date - 2024 years\n"
      "variable day_after = 9999-12-31 + 1 day\n"
      "variable day_before = 0001-01-01 - 1 day\n"
      "variable whole_span = 0001-01-01 + 3652058 days\n"
      "variable back_months = 9999-12-31 - 119987 months\n"
      "variable months_too_far = 9999-12-31 - 119987 months - 1 month\n"
      "variable most_days = index_date - 3652058 days\n"
      "variable year_of_null = (index_date + 9998 years).year\n"
      "variable episodes = clinical_events.count_episodes(3652058 days)\n"
      "variable n = clinical_events.count()\n");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("after_9999"), "");
    EXPECT_EQ(row.at("in_9999"), "9999-03-31");
    EXPECT_EQ(row.at("before_0001"), "");
    EXPECT_EQ(row.at("in_0001"), "0001-03-31");
    EXPECT_EQ(row.at("day_after"), "");
    EXPECT_EQ(row.at("day_before"), "");
    EXPECT_EQ(row.at("whole_span"), "9999-12-31");
    EXPECT_EQ(row.at("back_months"), "0001-01-31");
    EXPECT_EQ(row.at("months_too_far"), "");
    EXPECT_EQ(row.at("most_days"), "");
    EXPECT_EQ(row.at("year_of_null"), "");
    // A gap that runs off the calendar never ends: everything is one episode.
    EXPECT_EQ(row.at("episodes"), std::stoll(row.at("n")) > 0 ? "1" : "0");
  }
}

TEST_F(EngineOverflow, TheDeepestDefinitionsTheCheckerAcceptsRun) {
  // 1000 levels through 999 lets, and a chain of 198 operators (200 levels).
  std::string text = "let a0 = clinical_events.count()\n";
  for (int k = 1; k <= 998; ++k) text += "let a" + std::to_string(k) + " = a" + std::to_string(k - 1) + " + 1\n";
  text += "variable n = a0\nvariable through_lets = a998\nvariable chain = clinical_events.count()";
  for (int k = 0; k < 198; ++k) text += " + 1";
  text += "\nvariable nots = " + std::string(198, '-') + "clinical_events.count()\n";
  const auto rows = dataset(text);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    const long long n = std::stoll(row.at("n"));
    EXPECT_EQ(row.at("through_lets"), std::to_string(n + 998));
    EXPECT_EQ(row.at("chain"), std::to_string(n + 198));
    EXPECT_EQ(row.at("nots"), std::to_string(n));
  }
}

// The heaviest levels for the stack: each let aggregates a frame filtered by the let before it,
// so evaluating the last one nests a where and an aggregation per let, 1000 levels in all.
TEST_F(EngineOverflow, TheDeepestChainsOfAggregationsRun) {
  std::string text = "let a0 = clinical_events.count()\nlet b0 = a0\n";
  for (int k = 1; k <= 332; ++k)  // 3 levels each
    text += "let a" + std::to_string(k) + " = clinical_events.where(value > a" + std::to_string(k - 1) + ").count()\n";
  for (int k = 1; k <= 199; ++k)  // 5 levels each
    text += "let b" + std::to_string(k) + " = clinical_events.where(value > b" + std::to_string(k - 1) +
            ").sort_by(value).first().value\n";
  const auto rows = dataset(text + "variable counted = a332\nvariable picked = b199\n");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_FALSE(row.at("counted").empty());
}

}  // namespace
}  // namespace severn::testing
