// Hostile definitions (an outside fuzzing audit): deep nesting, long chains, huge literals,
// impossible durations, unbounded intervals, file names the system refuses, stray bytes. Each is
// a located error (docs/language.md, "Limits and overflow"), never a crash.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "lang/ast.h"
#include "lang/literals.h"
#include "lang/parser.h"
#include "lang_fixture.h"
#include "run_severn.h"

namespace severn::lang::testing {
namespace {

// Whether `text` holds `part`, showing the text when not.
::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' is not in:\n" << text;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The first line of the rendered errors: "DIR/def.sev:LINE:COLUMN: error: ...".
std::string first_line(const std::string& errors) { return errors.substr(0, errors.find('\n')); }

const std::string kTooDeep = "error: expression is nested more than 200 levels deep";

TEST(Limits, TenThousandBracketsAreALocatedError) {
  LangScratch s;
  const std::string errors = s.check("population " + repeat("(", 10000) + "true" + repeat(")", 10000) + "\n");
  // The 201st bracket from the left is one level too many.
  EXPECT_EQ(first_line(errors), "DIR/def.sev:1:212: " + kTooDeep);
  EXPECT_LT(errors.size(), 1000u) << "a 20,000-character line is shown as a window around the column";
}

TEST(Limits, TenThousandMinusSignsAndNotsAreLocatedErrors) {
  LangScratch s;
  EXPECT_EQ(first_line(s.check("let x = " + repeat("-", 10000) + "1\npopulation true\n")), "DIR/def.sev:1:208: " + kTooDeep);
  EXPECT_EQ(first_line(s.check("population " + repeat("not ", 10000) + "true\n")), "DIR/def.sev:1:808: " + kTooDeep);
  EXPECT_EQ(first_line(s.check("population " + repeat("not (", 10000) + "true" + repeat(")", 10000) + "\n")),
            "DIR/def.sev:1:512: " + kTooDeep);
}

TEST(Limits, NestingUpToTheBoundChecks) {
  LangScratch s;
  EXPECT_EQ(s.check("population " + repeat("(", 199) + "true" + repeat(")", 199) + "\n"), "");
  EXPECT_EQ(s.check("let x = " + repeat("-", 198) + "1\npopulation true\n"), "");
}

TEST(Limits, LongFlatChainsAreALocatedErrorAtTheOperatorPastTheBound) {
  LangScratch s;
  for (const std::size_t terms : {7000, 100000}) {
    // 1 + 1 + ...: the 200th '+' makes the tree 201 levels deep.
    EXPECT_EQ(first_line(s.check("let x = 1" + repeat(" + 1", terms - 1) + "\npopulation true\n")),
              "DIR/def.sev:1:807: " + kTooDeep)
        << terms;
    EXPECT_EQ(first_line(s.check("population true" + repeat(" and true", terms - 1) + "\n")),
              "DIR/def.sev:1:1808: " + kTooDeep)
        << terms;
    EXPECT_EQ(first_line(s.check("population true" + repeat(" or false", terms - 1) + "\n")),
              "DIR/def.sev:1:1808: " + kTooDeep)
        << terms;
    EXPECT_TRUE(Contains(first_line(s.check("let x = index_date" + repeat(".year", terms) + "\npopulation true\n")), kTooDeep));
  }
  EXPECT_EQ(s.check("let x = 1" + repeat(" + 1", 198) + "\npopulation true\n"), "");
}

TEST(Limits, ChainsOfLetsAreBoundedThroughTheLetsTheyName) {
  LangScratch s;
  // a0 is 1 level deep, each later let one more: a1000 (line 1001) is the first past 1000.
  std::string text = "let a0 = 1\n";
  for (int k = 1; k <= 1200; ++k) text += "let a" + std::to_string(k) + " = a" + std::to_string(k - 1) + " + 1\n";
  const std::string errors = s.check(text + "population a1200 > 0\n");
  EXPECT_EQ(first_line(errors),
            "DIR/def.sev:1001:18: error: expression is nested more than 1000 levels deep, counting the lets it names");
  EXPECT_EQ(errors.find("error:", errors.find('\n')), std::string::npos) << "one error, not one per later let:\n" << errors;
  std::string fits = "let a0 = 1\n";
  for (int k = 1; k <= 998; ++k) fits += "let a" + std::to_string(k) + " = a" + std::to_string(k - 1) + " + 1\n";
  EXPECT_EQ(s.check(fits + "population a998 > 0\n"), "");
}

TEST(Limits, WholeNumbersBeyondInt64AreLocatedErrors) {
  LangScratch s;
  EXPECT_EQ(s.check("let x = 9223372036854775807\npopulation x > 0\n"), "");
  EXPECT_EQ(s.check("let x = 9223372036854775808\npopulation x > 0\n"),
            "DIR/def.sev:1:9: error: the number 9223372036854775808 is too large\n"
            " 1 | let x = 9223372036854775808\n"
            "   |         ^\n"
            "  whole numbers run from -9223372036854775808 to 9223372036854775807\n");
  const std::string megabyte(1 << 20, '9');
  const auto start = std::chrono::steady_clock::now();
  const std::string errors = s.check("population " + megabyte + " > 0\n");
  EXPECT_EQ(first_line(errors), "DIR/def.sev:1:12: error: the number 99999999999999999999...9999999999 is too large");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Decimals: too large for a double is an error; too small reads as 0.
  EXPECT_TRUE(Contains(s.check("population 1" + std::string(400, '0') + ".5 > 0\n"), "1:12: error: the number 1000"));
  EXPECT_EQ(s.check("population 0." + std::string(400, '0') + "1 >= 0\n"), "");
  EXPECT_EQ(s.check("population 0.5 * 2.0 > 0\n"), "");
}

TEST(Limits, DurationsThatLeaveEveryDateOffTheCalendarAreLocatedErrors) {
  LangScratch s;
  const auto duration_error = [&](const std::string& expr) {
    return s.check("population registered_on(" + expr + ")\n");
  };
  EXPECT_EQ(first_line(duration_error("index_date + 999999999 years")),
            "DIR/def.sev:1:39: error: the duration 999999999 years is longer than any two dates are apart");
  EXPECT_TRUE(Contains(duration_error("index_date + 2147483647 months"), "error: the duration 2147483647 months is longer"));
  EXPECT_TRUE(Contains(duration_error("index_date - 2147483647 days"), "error: the duration 2147483647 days is longer"));
  EXPECT_TRUE(Contains(duration_error("index_date + 2147483647 days"), "error: the duration 2147483647 days is longer"));
  EXPECT_TRUE(Contains(duration_error("index_date + 3652059 days"), "at most 3652058 days"));
  EXPECT_TRUE(Contains(duration_error("index_date + 119988 months"), "at most 119987 months"));
  EXPECT_TRUE(Contains(duration_error("index_date + 9999 years"), "at most 9998 years"));
  EXPECT_TRUE(Contains(duration_error("index_date + 99999999999999999999999 days"), "error: the duration"));
  EXPECT_EQ(s.check("population registered_on(index_date - 3652058 days)\n"), "");
  EXPECT_EQ(s.check("population registered_on(index_date + 119987 months)\n"), "");
  EXPECT_EQ(s.check("population registered_on(index_date + 9998 years)\n"), "");
  EXPECT_TRUE(Contains(s.check("population clinical_events.count_episodes(99999999 days) > 0\n"), "1:43: error: the duration 99999999 days is longer"));
}

TEST(Limits, DurationBoundsAreTheCalendarsSpan) {
  EXPECT_EQ(max_duration(DurationUnit::kDays), *parse_iso_date("9999-12-31") - *parse_iso_date("0001-01-01"));
  EXPECT_EQ(max_duration(DurationUnit::kMonths), 119987);
  EXPECT_EQ(max_duration(DurationUnit::kYears), 9998);
  EXPECT_EQ(int_literal("9223372036854775807"), std::optional<std::int64_t>(9223372036854775807));
  EXPECT_EQ(int_literal("9223372036854775808"), std::nullopt);
}

const std::string kMeasure = "population true\nmeasure m numerator true denominator true intervals ";

TEST(Limits, AMeasureHasAtMost1200Intervals) {
  LangScratch s;
  EXPECT_EQ(s.check(kMeasure + "monthly from 0001-01-01 to 9999-12-31\n"),
            "DIR/def.sev:2:43: error: measure 'm' has more than 1200 intervals\n"
            " 2 | measure m numerator true denominator true intervals monthly from 0001-01-01 to 9999-12-31\n"
            "   |                                           ^\n"
            "  every interval is evaluated for every person: shorten the span, or count quarterly or yearly\n");
  EXPECT_EQ(s.check(kMeasure + "monthly from 2000-01-01 to 2099-12-31\n"), "");  // exactly 1200
  EXPECT_TRUE(Contains(s.check(kMeasure + "monthly from 2000-01-01 to 2100-01-01\n"), "more than 1200 intervals"));
  EXPECT_TRUE(Contains(s.check(kMeasure + "quarterly from 0001-01-01 to 9999-12-31\n"), "more than 1200 intervals"));
  EXPECT_TRUE(Contains(s.check(kMeasure + "yearly from 0001-01-01 to 9999-12-31\n"), "more than 1200 intervals"));
  EXPECT_EQ(s.check(kMeasure + "yearly from 0001-01-01 to 1200-12-31\n"), "");
  EXPECT_EQ(s.check(kMeasure + "last 1200 months\n"), "");
  EXPECT_TRUE(Contains(s.check(kMeasure + "last 1201 months\n"), "expected how many periods after 'intervals last'"));
  EXPECT_TRUE(Contains(s.check(kMeasure + "last 99999999999999999999999999 years\n"), "expected how many periods"));
  std::string spans;
  for (int i = 0; i < 1201; ++i) spans += (i ? ", " : "") + std::string("2024-01-01 to 2024-01-31");
  EXPECT_TRUE(Contains(s.check(kMeasure + spans + "\n"), "more than 1200 intervals"));
}

TEST(Limits, ACodeListFileTheSystemCannotOpenIsALocatedError) {
  LangScratch s;
  const std::string long_name(300, 'a');
  EXPECT_TRUE(Contains(s.check("codelist c = \"" + long_name + ".csv\"\npopulation true\n"), "DIR/def.sev:1:14: error: code list file 'aaaaaaaaaaaaaaaaaaaa...aaaaaa.csv' cannot be opened: File name too long"));
  EXPECT_TRUE(Contains(s.check("codelist c = \"snomed.csv/x\"\npopulation true\n"), "1:14: error: code list file 'snomed.csv/x' not found"));
  EXPECT_TRUE(Contains(s.check("codelist c = \"" + std::string(5000, 'd') + "/x.csv\"\npopulation true\n"), "1:14: error: code list file"));
  // A long code list *name* is only a name.
  EXPECT_EQ(s.check("codelist " + long_name + " = \"snomed.csv\"\npopulation clinical_events.where(code in " + long_name + ").exists()\n"), "");
  EXPECT_TRUE(Contains(s.check("population true\nmeasure m numerator true denominator true stats isr \"" + long_name +
                      "\" intervals last 1 month\n"), "2:53: error: reference rates file 'aaaaaaaaaaaaaaaaaaaa...aaaaaaaaaa' cannot be opened: File name too long"));
}

TEST(Limits, StrayBytesAndUnclosedStringsAreLocatedErrors) {
  LangScratch s;
  EXPECT_EQ(first_line(s.check(std::string("population true\0\n", 17))), "DIR/def.sev:1:16: error: unexpected character byte 0x00");
  EXPECT_EQ(s.check("population \xC3\xA9t\xC3\xA9\n"),
            "DIR/def.sev:1:12: error: unexpected character byte 0xC3\n"
            " 1 | population \xC3\xA9t\xC3\xA9\n"
            "   |            ^\n"
            "  definitions are ASCII outside comments and strings\n");
  EXPECT_EQ(s.check("# comment \xFF\xFE\npopulation true\n"), "");
  EXPECT_EQ(first_line(s.check("let s = \"abc\npopulation true\n")), "DIR/def.sev:1:9: error: string is not closed on its line");
  EXPECT_EQ(first_line(s.check("let s = \"abc")), "DIR/def.sev:1:9: error: string is not closed on its line");
  EXPECT_EQ(first_line(s.check(std::string("codelist c = \"snomed.csv\0x\"\npopulation true\n", 43))),
            "DIR/def.sev:1:14: error: code list file name contains a NUL byte");
}

TEST(Limits, AMegabyteNameIsAnUnknownNameQuickly) {
  LangScratch s;
  const std::string name(1 << 20, 'a');
  const auto start = std::chrono::steady_clock::now();
  const std::string errors = s.check("population " + name + "\n");
  EXPECT_EQ(first_line(errors), "DIR/def.sev:1:12: error: unknown name 'aaaaaaaaaaaaaaaaaaaa...aaaaaaaaaa'");
  EXPECT_LT(errors.size(), 1000u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Limits, ADirectoryIsNotADefinition) {
  LangScratch s;
  try {
    check_file(s.dir().string(), CheckOptions{});
    ADD_FAILURE() << "a directory checked";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), s.dir().string() + ": is a directory, not a definition file");
  }
}

// As a user meets them: `severn check` exits 1 with a located message, not 139 (a crash) or 2
// (an internal error).
TEST(Limits, SevernCheckExitsOneOnHostileFiles) {
  LangScratch s;
  const std::pair<const char*, std::string> files[] = {
      {"brackets", "population " + repeat("(", 10000) + "true" + repeat(")", 10000) + "\n"},
      {"chain", "let x = 1" + repeat(" + 1", 99999) + "\npopulation true\n"},
      {"years", "population registered_on(index_date + 999999999 years)\n"},
      {"literal", "population 9223372036854775808 > 0\n"},
      {"codelist", "codelist c = \"" + std::string(300, 'a') + ".csv\"\npopulation true\n"},
      {"intervals", kMeasure + "monthly from 0001-01-01 to 9999-12-31\n"},
      {"per", "population true\nmeasure m numerator true denominator true stats rate per " + std::string(400, '9') +
                  " intervals last 1 month\n"},
  };
  for (const auto& [name, text] : files) {
    s.write(std::string(name) + ".sev", text);
    const auto result = severn::testing::run_severn("check " + (s.dir() / (std::string(name) + ".sev")).string(),
                                                    {.env = "", .stderr_only = true});
    EXPECT_EQ(result.code, 1) << name << ": " << result.output.substr(0, 400);
    EXPECT_TRUE(Contains(result.output.substr(0, 2000), std::string(name) + ".sev:")) << name;
    EXPECT_TRUE(Contains(result.output.substr(0, 2000), ": error: ")) << name;
  }
}

}  // namespace
}  // namespace severn::lang::testing
