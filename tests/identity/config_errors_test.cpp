// A malformed configuration names the file, the line, the key and the reason.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "identity/link_config.h"

namespace severn::identity {
namespace {

const std::string kGood = R"toml(
[input]
id = "id"
[fields]
surname = { kind = "name" }
dob = { kind = "date", format = "DD/MM/YYYY" }
[[comparison]]
field = "surname"
levels = [{ level = "exact", term_frequency = true }, { level = "jaro_winkler", at_least = 0.9 }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }]
[blocking]
rules = ["l.surname = r.surname"]
[decision]
auto_link = 0.95
review = 0.6
)toml";

std::string error_of(const std::string& text) {
  try {
    parse_link_config(text, "cfg.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(LinkConfig, ReadsAGoodConfiguration) {
  const LinkConfig c = parse_link_config(kGood, "cfg.toml");
  ASSERT_EQ(c.fields.size(), 2u);
  EXPECT_EQ(c.comparisons.size(), 2u);
  EXPECT_EQ(c.comparisons[0].levels[1].threshold, 0.9);
  EXPECT_TRUE(c.comparisons[0].levels[0].term_frequency);
  EXPECT_EQ(c.decision.auto_link_probability, 0.95);
  EXPECT_EQ(c.decision.review_probability, 0.6);
  EXPECT_EQ(c.find_field("dob")->date_format->read("04/03/1980"), days_from_civil(1980, 3, 4));
}

TEST(LinkConfig, ErrorsNameFileLineKeyAndReason) {
  EXPECT_EQ(error_of(replace(kGood, "kind = \"name\"", "kind = \"nam\"")),
            "cfg.toml:5: field 'fields.surname.kind': unknown kind 'nam'; expected one of text, name, date, nhs_number, postcode, sex");
  EXPECT_EQ(error_of(replace(kGood, "at_least = 0.9", "at_least = 1.5")),
            "cfg.toml:9: field 'comparison.surname.levels.at_least': must be above 0 and at most 1");
  EXPECT_EQ(error_of(replace(kGood, "review = 0.6", "review = 0.99")),
            "cfg.toml:17: field 'decision.review': the review threshold must not be above auto_link");
  EXPECT_EQ(error_of(replace(kGood, "auto_link = 0.95", "auto_link = 1")),
            "cfg.toml:16: field 'decision.auto_link': must be a probability strictly between 0 and 1");
  EXPECT_EQ(error_of(replace(kGood, "field = \"dob\"", "field = \"dobb\"")),
            "cfg.toml:11: field 'comparison.field': no field 'dobb' in [fields]");
  EXPECT_EQ(error_of(replace(kGood, "format = \"DD/MM/YYYY\"", "format = \"DD/MM\"")),
            "cfg.toml:6: field 'fields.dob.format': 'DD/MM' must contain YYYY, MM and DD once each (e.g. YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY)");
}

TEST(LinkConfig, UnknownKeysAndTypesAreErrors) {
  EXPECT_EQ(error_of(replace(kGood, "review = 0.6", "reveiw = 0.6")),
            "cfg.toml:17: field 'decision.reveiw': unknown key (docs/linkage.md lists the keys of this table)");
  EXPECT_EQ(error_of(replace(kGood, "id = \"id\"", "id = 3")), "cfg.toml:3: field 'input.id': expected a string");
  EXPECT_EQ(error_of(replace(kGood, "{ level = \"exact\" }]", "{ level = \"nickname\" }]")),
            "cfg.toml:12: field 'comparison.dob.levels.level': 'nickname' does not apply to field 'dob' of kind date");
  EXPECT_EQ(error_of(replace(kGood, "[blocking]\nrules = [\"l.surname = r.surname\"]\n", "")),
            "cfg.toml:1: field 'blocking': the configuration needs a [blocking] table with rules = [...]");
}

TEST(LinkConfig, SyntaxErrorsCarryTheLine) {
  const std::string e = error_of(replace(kGood, "review = 0.6", "review = = 0.6"));
  EXPECT_EQ(e.rfind("cfg.toml:17: TOML syntax: ", 0), 0u) << e;
  EXPECT_EQ(error_of(""), "cfg.toml:1: field 'fields': the configuration needs a [fields] table naming the columns to compare");
}

}  // namespace
}  // namespace severn::identity
