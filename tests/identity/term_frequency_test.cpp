// Term-frequency adjustment: from the data, and from a population table given as a file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "identity/term_frequencies.h"
#include "linkage_fixture.h"

namespace severn::identity {
namespace {

std::string config(const std::string& table) {
  return R"toml(
[fields]
surname = { kind = "name" }
[[comparison]]
field = "surname"
levels = [{ level = "exact", term_frequency = true }, { level = "jaro_winkler", at_least = 0.8, term_frequency = true }]
)toml" + (table.empty() ? std::string() : "term_frequency_table = \"" + table + "\"\n") + R"toml(
[blocking]
rules = ["l.surname = r.surname"]
)toml";
}

// Six SMITHs, two JONESes, one each of SMYTHE and PATEL: 10 non-null values.
const char* kPeople = "id,surname\n1,Smith\n2,Smith\n3,Smith\n4,Smith\n5,Smith\n6,smith\n7,Jones\n8,Jones\n9,Smythe\n10,Patel\n11,\n";

TEST(TermFrequencies, FromTheData) {
  const LinkConfig c = testing::config_from(config(""));
  const RecordTable t = testing::table_from(kPeople);
  PreparedInputs in(c, t, nullptr, NicknameTable::builtin(), 1);
  const auto comparisons = build_comparisons(c, in);
  const TermFrequencies tf(c, comparisons, in);
  ASSERT_TRUE(tf.applies(0));
  const FieldValues& f = in.field(0);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("SMITH")), 0.6);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("JONES")), 0.2);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("PATEL")), 0.1);
}

TEST(TermFrequencies, FromAPopulationTableAndInTheWeights) {
  const auto dir = std::filesystem::temp_directory_path() / ("severn_tf_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // Counts, not frequencies: SMITH 500, JONES 300, SMYTHE 200 of 1000; PATEL is absent.
  std::ofstream(dir / "surnames.csv") << "value,count\nsmith,500\nJones,300\nSMYTHE,200\n";
  const LinkConfig c = testing::config_from(config((dir / "surnames.csv").string()));
  const RecordTable t = testing::table_from(kPeople);
  PreparedInputs in(c, t, nullptr, NicknameTable::builtin(), 1);
  const auto comparisons = build_comparisons(c, in);
  const TermFrequencies tf(c, comparisons, in);
  const FieldValues& f = in.field(0);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("SMITH")), 0.5);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("JONES")), 0.3);
  EXPECT_DOUBLE_EQ(tf.frequency(0, f.dictionary.find("PATEL")), 0.2);  // absent: the smallest frequency

  // In a score: exact SMITH weighs log2(m / 0.5); exact JONES log2(m / 0.3); a fuzzy level uses
  // the larger frequency of the two values (SMITH / SMYTHE: 0.5).
  Model model;
  model.lambda = 0.01;
  model.comparisons = {{"surname", {{"exact", 0.9, 0.1}, {"jaro_winkler >= 0.8", 0.05, 0.2}, {"else", 0.05, 0.7}}, "hand"}};
  const Scorer scorer(model, comparisons, in, tf);
  const auto record = [&](const char* id) { return static_cast<std::uint32_t>(in.find(0, id)); };
  const double prior = std::log2(0.01 / 0.99);
  const Explanation smiths = scorer.explain(record("1"), record("2"));
  EXPECT_NEAR(smiths.match_weight, prior + std::log2(0.9 / 0.5), 1e-12);
  EXPECT_NEAR(smiths.contributions[0].term_frequency_weight, std::log2(0.1 / 0.5), 1e-12);
  EXPECT_NEAR(scorer.explain(record("7"), record("8")).match_weight, prior + std::log2(0.9 / 0.3), 1e-12);
  const Explanation fuzzy = scorer.explain(record("1"), record("9"));
  EXPECT_EQ(fuzzy.contributions[0].label, "jaro_winkler >= 0.8");
  EXPECT_NEAR(fuzzy.match_weight, prior + std::log2(0.05 / 0.5), 1e-12);
  // A null surname contributes nothing.
  EXPECT_NEAR(scorer.explain(record("1"), record("11")).match_weight, prior, 1e-12);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace severn::identity
