// Thresholds, the clerical-review band, cluster constraints and stable cluster ids, with a model
// written by hand so every weight is known.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "identity/model.h"
#include "linkage_fixture.h"
#include "synthetic_people.h"

namespace severn::identity {
namespace {

const char* kConfig = R"toml(
[input]
id = "id"
[fields]
name = { kind = "name" }
dob = { kind = "date" }
nhs = { kind = "nhs_number" }
[[comparison]]
field = "name"
levels = [{ level = "exact" }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }]
[[comparison]]
field = "nhs"
levels = [{ level = "exact" }]
[blocking]
rules = ["l.name = r.name"]
[decision]
auto_link = 0.99
review = 0.4
)toml";

// A two-level comparison whose levels weigh exactly `agree` and `disagree` bits: m/u = 2^agree
// and (1-m)/(1-u) = 2^disagree.
ComparisonParameters two_levels(const char* name, double agree, double disagree) {
  const double r_agree = std::exp2(agree), r_else = std::exp2(disagree);
  const double m = (1 - r_else) / (1 - r_else / r_agree);
  const double u = m / r_agree;
  return {name, {{"exact", m, u}, {"else", 1 - m, 1 - u}}, "hand"};
}

// prior -10; name: exact +10, else -5; dob: exact +10, else -5; nhs: exact +15, else -10.
Model hand_model() {
  Model m;
  m.lambda = 1.0 / (1.0 + 1024.0);
  m.comparisons = {two_levels("name", 10, -5), two_levels("dob", 10, -5), two_levels("nhs", 15, -10)};
  return m;
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("severn_identity_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

struct HandRun {
  std::unique_ptr<LinkResult> result;
  std::map<std::string, std::string> cluster_of;  // id -> cluster id
  std::vector<std::string> links;                 // "a-b"
  std::vector<std::string> review;
};

HandRun hand_run(const std::string& toml, const std::string& csv, unsigned threads = 1) {
  const auto dir = temp_dir("decisions");
  write_model(hand_model(), dir / "model.toml");
  const LinkConfig config = testing::config_from(toml);
  const RecordTable t = testing::table_from(csv);
  LinkOptions o;
  o.model = dir / "model.toml";
  o.threads = threads;
  HandRun r;
  r.result = run_linkage(config, t, nullptr, o);
  const PreparedInputs& in = *r.result->inputs;
  for (std::uint32_t n = 0; n < r.result->clustering.root.size(); ++n)
    r.cluster_of[std::string(in.id(0, n))] = cluster_id(in, r.result->clustering.root[n]);
  for (const auto& p : r.result->clustering.links) r.links.push_back(std::string(in.id(0, p.a)) + "-" + std::string(in.id(0, p.b)));
  for (const auto& p : r.result->review) r.review.push_back(std::string(in.id(0, p.a)) + "-" + std::string(in.id(0, p.b)));
  std::filesystem::remove_all(dir);
  return r;
}

TEST(Decisions, ThresholdsAndReviewBand) {
  const HandRun r = hand_run(kConfig,
                    "id,name,dob,nhs\n"
                    "a,ANN,1980-01-01,9991234578\n"
                    "b,ANN,1980-01-01,9991234578\n"   // a-b: -10+10+10+15 = 25: accepted
                    "c,BOB,1990-01-01,\n"
                    "d,BOB,1990-01-01,\n"             // c-d: -10+10+10 = 10: accepted (p 0.999)
                    "e,CAT,1970-01-01,\n"
                    "f,CAT,1971-01-01,\n"             // e-f: -10+10-5 = -5: below review (p 0.03)
                    "g,DAN,,\n"
                    "h,DAN,,\n");                     // g-h: -10+10 = 0: p = 0.5, review
  EXPECT_EQ(r.links, (std::vector<std::string>{"a-b", "c-d"}));
  EXPECT_EQ(r.review, (std::vector<std::string>{"g-h"}));
  EXPECT_EQ(r.result->below_review, 1u);
  EXPECT_NEAR(r.result->clustering.links[1].match_weight, 10.0, 1e-9);
  EXPECT_NEAR(r.result->clustering.links[1].match_probability, 1024.0 / 1025.0, 1e-12);
  EXPECT_EQ(r.cluster_of.at("b"), "a");
  EXPECT_EQ(r.cluster_of.at("d"), "c");
  EXPECT_EQ(r.cluster_of.at("f"), "f");
  EXPECT_EQ(r.cluster_of.at("h"), "h");  // review pairs never join clusters
  // The waterfall adds up to the weight.
  const Explanation e = r.result->scorer->explain(0, 1);
  double sum = e.prior_weight;
  for (const auto& c : e.contributions) sum += c.weight();
  EXPECT_NEAR(sum, 25.0, 1e-9);
  EXPECT_NEAR(e.match_weight, 25.0, 1e-9);
  EXPECT_EQ(e.contributions[2].label, "exact");
  // The bulk form (from the stored pattern) gives the same waterfall.
  const Explanation bulk = r.result->scorer->explain(0, 1, r.result->clustering.links[0].pattern);
  EXPECT_EQ(bulk.match_weight, e.match_weight);
  EXPECT_EQ(bulk.contributions[1].label, e.contributions[1].label);
}

TEST(Decisions, ReviewThresholdMovesTheBand) {
  std::string toml = kConfig;
  toml.replace(toml.find("review = 0.4"), 12, "review = 0.6");
  const HandRun r = hand_run(toml, "id,name,dob,nhs\ng,DAN,,\nh,DAN,,\n");
  EXPECT_TRUE(r.review.empty());
  EXPECT_EQ(r.result->below_review, 1u);
}

// b has no NHS number and matches both a and c on name and date of birth; a and c carry two
// different valid numbers, so the constraint keeps them apart.
const char* kChain =
    "id,name,dob,nhs\n"
    "a,ANN,1980-01-01,9991234578\n"
    "b,ANN,1980-01-01,\n"
    "c,ANN,1980-01-01,9997654307\n";

TEST(Clusters, NeverTogetherKeepsTwoNhsNumbersApart) {
  const HandRun without = hand_run(kConfig, kChain);
  EXPECT_EQ(without.cluster_of.at("c"), "a");  // chained through b
  std::string toml = kConfig;
  toml.replace(toml.find("review = 0.4"), 12, "review = 0.4\nnever_together = [\"nhs\"]");
  const HandRun with = hand_run(toml, kChain);
  EXPECT_EQ(with.cluster_of.at("a"), "a");
  EXPECT_EQ(with.cluster_of.at("b"), "a");  // a-b comes first (equal weights, a before c)
  EXPECT_EQ(with.cluster_of.at("c"), "c");
  EXPECT_EQ(with.links, (std::vector<std::string>{"a-b"}));
  EXPECT_EQ(with.result->clustering.refused.size(), 1u);
}

TEST(Clusters, InvalidNhsNumbersDoNotBlock) {
  std::string toml = kConfig;
  toml.replace(toml.find("review = 0.4"), 12, "review = 0.4\nnever_together = [\"nhs\"]");
  // 9991234579 fails the modulus-11 check: a typo, not a second person.
  const HandRun r = hand_run(toml, "id,name,dob,nhs\na,ANN,1980-01-01,9991234578\nb,ANN,1980-01-01,\nc,ANN,1980-01-01,9991234579\n");
  EXPECT_EQ(r.cluster_of.at("c"), "a");
}

TEST(Clusters, IdsAreStableAcrossInputOrderAndThreads) {
  const std::string csv = testing::synthetic_people(300, 3, testing::SyntheticRates{}, 9);
  // The same rows shuffled.
  std::vector<std::string> lines;
  std::size_t start = csv.find('\n') + 1;
  while (start < csv.size()) {
    const std::size_t end = csv.find('\n', start);
    lines.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  Rng rng(4, 0, "shuffle");
  for (std::size_t i = lines.size() - 1; i > 0; --i) std::swap(lines[i], lines[rng.below(i + 1)]);
  std::string shuffled = csv.substr(0, csv.find('\n') + 1);
  for (const auto& l : lines) shuffled += l + "\n";

  const char* toml = R"toml(
[fields]
first_name = { kind = "name" }
surname = { kind = "name" }
dob = { kind = "date" }
[[comparison]]
field = "first_name"
levels = [{ level = "exact", term_frequency = true }, { level = "jaro_winkler", at_least = 0.9 }]
[[comparison]]
field = "surname"
levels = [{ level = "exact" }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }, { level = "days_apart", at_most = 400 }]
[blocking]
rules = ["l.surname = r.surname", "l.dob = r.dob", "l.first_name = r.first_name"]
[training]
u_sample_pairs = 200000
lost_match_sample_pairs = 20000
)toml";
  const auto cluster_map = [&](const std::string& text, unsigned threads) {
    const LinkConfig config = testing::config_from(toml);
    const RecordTable t = testing::table_from(text);
    LinkOptions o;
    o.threads = threads;
    const auto r = run_linkage(config, t, nullptr, o);
    std::map<std::string, std::string> out;
    for (std::uint32_t n = 0; n < r->clustering.root.size(); ++n)
      out[std::string(r->inputs->id(0, n))] = cluster_id(*r->inputs, r->clustering.root[n]);
    std::vector<std::pair<std::string, double>> links;
    for (const auto& p : r->clustering.links)
      out["link " + std::string(r->inputs->id(0, p.a)) + " " + std::string(r->inputs->id(0, p.b))] = std::to_string(p.match_weight);
    return out;
  };
  const auto first = cluster_map(csv, 1);
  EXPECT_EQ(first, cluster_map(csv, 1));       // re-run
  EXPECT_EQ(first, cluster_map(shuffled, 1));  // rows in another order
  EXPECT_EQ(first, cluster_map(shuffled, 2));  // two threads
  // Clusters are named after their smallest member.
  for (const auto& [id, cluster] : first) {
    if (id.rfind("link", 0) != 0) {
      EXPECT_LE(cluster, id);
    }
  }
}

TEST(Model, RoundTripsThroughTomlAndRefusesAnotherConfiguration) {
  const auto dir = temp_dir("model");
  const LinkConfig config = testing::config_from(kConfig);
  const RecordTable t = testing::table_from("id,name,dob,nhs\na,ANN,,\n");
  PreparedInputs inputs(config, t, nullptr, NicknameTable::builtin(), 1);
  const auto comparisons = build_comparisons(config, inputs);
  Model m = hand_model();
  m.comparisons[0].levels[0].m = 0.123456789012345678;
  write_model(m, dir / "model.toml");
  const Model back = read_model(dir / "model.toml", comparisons);
  EXPECT_EQ(back.lambda, m.lambda);
  for (std::size_t c = 0; c < m.comparisons.size(); ++c)
    for (std::size_t l = 0; l < m.comparisons[c].levels.size(); ++l) {
      EXPECT_EQ(back.comparisons[c].levels[l].m, m.comparisons[c].levels[l].m);
      EXPECT_EQ(back.comparisons[c].levels[l].u, m.comparisons[c].levels[l].u);
    }
  m.comparisons[1].levels[0].label = "days_apart <= 1";
  write_model(m, dir / "other.toml");
  try {
    read_model(dir / "other.toml", comparisons);
    ADD_FAILURE() << "a model of another configuration was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'dob' level 1 is 'days_apart <= 1' in the model but 'exact' in the configuration"),
              std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace severn::identity
