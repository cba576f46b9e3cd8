// `severn link` as a user runs it: outputs, exit codes and messages for bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_severn.h"

namespace severn::identity {
namespace {

using severn::testing::run_severn;

class LinkCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("severn_link_cli_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write("link.toml", R"toml(
[fields]
name = { kind = "name" }
dob = { kind = "date" }
[[comparison]]
field = "name"
levels = [{ level = "exact" }, { level = "jaro_winkler", at_least = 0.85 }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }]
[blocking]
rules = ["initial(l.name) = initial(r.name)", "l.dob = r.dob"]
[training]
u_sample_pairs = 20000
)toml");
    std::string people = "id,name,dob\n";
    const char* names[] = {"ANN", "BOB", "CAROL", "DAVID", "EVE", "FRANK", "GRACE", "HENRY", "IRIS", "JACK"};
    for (int i = 0; i < 200; ++i)
      people += "r" + std::to_string(i) + "," + names[i % 10] + std::to_string(i / 20) + ",19" + std::to_string(40 + i % 50) +
                "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9) + "\n";
    // Each of the first 40 people twice more, one with a typo.
    for (int i = 0; i < 40; ++i) {
      const std::string name = std::string(names[i % 10]) + std::to_string(i / 20);
      const std::string dob = "19" + std::to_string(40 + i % 50) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
      people += "d" + std::to_string(i) + "," + name + "," + dob + "\n";
      people += "t" + std::to_string(i) + "," + name.substr(0, name.size() - 1) + "X" + name.back() + "," + dob + "\n";
    }
    write("people.csv", people);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(LinkCommand, DedupesAndWritesEveryOutput) {
  const auto r = run_severn("link --config " + path("link.toml") + " " + path("people.csv") + " --out " + path("out"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("deduplicated 280 records"), std::string::npos) << r.output;
  const std::string pairs = read("out/pairs.csv");
  EXPECT_EQ(pairs.rfind("left_id,right_id,match_probability,match_weight\n", 0), 0u);
  EXPECT_NE(pairs.find("\nd0,r0,"), std::string::npos) << pairs.substr(0, 400);
  const std::string clusters = read("out/clusters.csv");
  EXPECT_EQ(clusters.rfind("id,cluster_id\n", 0), 0u);
  EXPECT_NE(clusters.find("\nr0,d0\n"), std::string::npos);  // d0 < r0 bytewise: d0 names the cluster
  EXPECT_EQ(std::count(clusters.begin(), clusters.end(), '\n'), 281);
  for (const char* f : {"review.csv", "explanations.csv", "refused_links.csv", "model.toml", "summary.json"})
    EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / f)) << f;
  EXPECT_NE(read("out/summary.json").find("\"peak_memory_bytes\""), std::string::npos);

  const auto e = run_severn("link explain --config " + path("link.toml") + " --model " + path("out/model.toml") + " " +
                            path("people.csv") + " --pair d0 r0");
  ASSERT_EQ(e.code, 0) << e.output;
  EXPECT_NE(e.output.find("match probability"), std::string::npos) << e.output;
  EXPECT_NE(e.output.find("prior (lambda)"), std::string::npos);

  // Scoring again with the saved model gives the same links.
  const auto again = run_severn("link --config " + path("link.toml") + " " + path("people.csv") + " --out " + path("out2") +
                                " --model " + path("out/model.toml"));
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(read("out2/pairs.csv"), pairs);
}

TEST_F(LinkCommand, BadInputExitsOneWithFileLineAndField) {
  write("dup.csv", "id,name,dob\n1,ANN,1980-01-01\n1,BOB,1980-01-01\n");
  auto r = run_severn("link --config " + path("link.toml") + " " + path("dup.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("dup.csv:3: field 'id': duplicate record id '1' (also on line 2)"), std::string::npos) << r.output;

  write("nocol.csv", "id,name\n1,ANN\n");
  r = run_severn("link --config " + path("link.toml") + " " + path("nocol.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("nocol.csv:1: field 'dob': column is missing from the header"), std::string::npos) << r.output;

  write("quote.csv", "id,name,dob\n1,\"ANN,1980-01-01\n");
  r = run_severn("link --config " + path("link.toml") + " " + path("quote.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("quote.csv:2: field 'name': unterminated quoted field"), std::string::npos) << r.output;

  write("empty.csv", "");
  r = run_severn("link --config " + path("link.toml") + " " + path("empty.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("empty.csv: file is empty"), std::string::npos) << r.output;

  write("bad.toml", "[fields]\nname = { kind = \"name\" }\n[[comparison]]\nfield = \"nme\"\nlevels = [{ level = \"exact\" }]\n");
  r = run_severn("link --config " + path("bad.toml") + " " + path("people.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("bad.toml:4: field 'comparison.field': no field 'nme' in [fields]"), std::string::npos) << r.output;

  r = run_severn("link --config " + path("missing.toml") + " " + path("people.csv") + " --out " + path("o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("cannot open the configuration file"), std::string::npos) << r.output;

  // A header-only file links to nothing but is not an error.
  write("header.csv", "id,name,dob\n");
  r = run_severn("link --config " + path("link.toml") + " " + path("header.csv") + " --out " + path("h"));
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(read("h/clusters.csv"), "id,cluster_id\n");
}

TEST_F(LinkCommand, EvaluateScoresAgainstTruth) {
  write("truth.csv", "id,cluster\na,1\nb,1\nc,2\nd,2\ne,3\n");
  write("pairs.csv", "left_id,right_id,match_probability,match_weight\na,b,0.99,7\na,c,0.99,7\n");
  const auto r = run_severn("link evaluate --pairs " + path("pairs.csv") + " --truth " + path("truth.csv"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("true_pairs 2 predicted_pairs 2 correct_pairs 1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("precision 0.500000 recall 0.500000 f1 0.500000"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace severn::identity
