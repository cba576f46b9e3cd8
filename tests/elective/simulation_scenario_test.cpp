// Scenario files: what a good one sets, and that every mistake is reported as FILE:LINE with the
// field and the reason, through the library and through `severn elective simulate`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/date.h"
#include "core/error.h"
#include "elective/scenario.h"
#include "run_severn.h"

namespace severn::elective {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "s.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SimulationScenario, ReadsEveryField) {
  const Scenario s = parse_scenario(R"(name = "sprint and growth"
referral_growth_per_year = 0.05
capacity_uplift = 0.1
capacity_extra_per_week = 200
policy = "wait_over_target"
[[validation]]
start = 2025-04-01
end = "2025-09-30"
min_weeks = 12
removal_rate_per_week = 0.01
[[validation]]
start = 2026-01-01
end = 2026-01-31
removal_rate_per_week = 0.02
)",
                                    "s.toml");
  EXPECT_EQ(s.name, "sprint and growth");
  EXPECT_DOUBLE_EQ(s.referral_growth_per_year, 0.05);
  EXPECT_DOUBLE_EQ(s.capacity_uplift, 0.1);
  EXPECT_DOUBLE_EQ(s.capacity_extra_per_week, 200);
  EXPECT_EQ(s.policy, SelectionPolicy::kWaitOverTarget);
  ASSERT_EQ(s.validation.size(), 2u);
  EXPECT_EQ(s.validation[0].start, days_from_civil(2025, 4, 1));
  EXPECT_EQ(s.validation[0].end, days_from_civil(2025, 9, 30));
  EXPECT_EQ(s.validation[0].min_weeks, 12);
  EXPECT_DOUBLE_EQ(s.validation[1].removal_rate_per_week, 0.02);
  EXPECT_EQ(s.validation[1].min_weeks, 0);
}

TEST(SimulationScenario, ErrorsNameFileLineFieldAndReason) {
  EXPECT_EQ(error_of("name = \"x\"\n\ncapacity_uplfit = 0.1\n"),
            "s.toml:3: field 'capacity_uplfit': unknown key (expected name, referral_growth_per_year, capacity_uplift, "
            "capacity_extra_per_week, policy, validation)");
  EXPECT_EQ(error_of("name = \"x\"\npolicy = \"fastest\"\n"),
            "s.toml:2: field 'policy': expected \"fitted\", \"longest_wait_first\" or \"wait_over_target\"");
  EXPECT_EQ(error_of("name = \"x\"\nreferral_growth_per_year = \"5%\"\n"),
            "s.toml:2: field 'referral_growth_per_year': expected a number");
  EXPECT_EQ(error_of("name = \"x\"\ncapacity_uplift = -1.5\n"),
            "s.toml:2: field 'capacity_uplift': must be a fraction between -1 (exclusive) and 10");
  EXPECT_EQ(error_of("referral_growth_per_year = 0.1\n"), "s.toml:1: field 'name': missing: every scenario needs a name");
  EXPECT_EQ(error_of("name = \"x\"\n[[validation]]\nstart = 2025-04-01\nend = 2025-03-01\nremoval_rate_per_week = 0.1\n"),
            "s.toml:2: field 'validation.end': is before validation.start");
  EXPECT_EQ(error_of("name = \"x\"\n[[validation]]\nstart = \"2025-02-30\"\nend = 2025-03-01\nremoval_rate_per_week = 0.1\n"),
            "s.toml:3: field 'validation.start': expected a date YYYY-MM-DD, got \"2025-02-30\"");
  EXPECT_EQ(error_of("name = \"x\"\n[[validation]]\nstart = 2025-01-01\nend = 2025-03-01\nremoval_rate_per_week = 1.5\n"),
            "s.toml:5: field 'validation.removal_rate_per_week': must be a share between 0 and 1");
  EXPECT_EQ(error_of("name = \"x\"\n[[validation]]\nstart = 2025-01-01\nend = 2025-03-01\n"),
            "s.toml:2: field 'validation.removal_rate_per_week': missing");
  EXPECT_EQ(error_of("name = \"x\"\n[[validation]]\nstart = 2025-01-01\nend = 2025-03-01\nremoval_rate_per_week = 0.1\n"
                     "weeks = 3\n"),
            "s.toml:6: field 'validation.weeks': unknown key (expected start, end, min_weeks, removal_rate_per_week)");
  // A TOML syntax error: the parser's own description, at its line.
  const std::string syntax = error_of("name = \"x\"\ncapacity_uplift = = 3\n");
  EXPECT_EQ(syntax.rfind("s.toml:2: ", 0), 0u) << syntax;
}

TEST(SimulationScenario, DefaultsAreTheFourNamedScenarios) {
  const auto d = default_scenarios(days_from_civil(2025, 3, 31));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].name, "status quo");
  EXPECT_DOUBLE_EQ(d[1].referral_growth_per_year, 0.05);
  EXPECT_DOUBLE_EQ(d[2].capacity_uplift, 0.10);
  ASSERT_EQ(d[3].validation.size(), 1u);
  EXPECT_EQ(format_iso_date(d[3].validation[0].start), "2025-04-01");
  EXPECT_EQ(format_iso_date(d[3].validation[0].end), "2025-09-30");
}

TEST(SimulationScenario, TheCommandReportsAScenarioErrorBeforeReadingTheStore) {
  const auto dir = std::filesystem::temp_directory_path() / ("severn-scenario-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "bad.toml";
  std::ofstream(file) << "name = \"bad\"\npolicy = 3\n";
  const auto r = testing::run_severn("elective simulate --store " + (dir / "no-store").string() + " --out " +
                                     (dir / "out").string() + " --scenario " + file.string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find(file.string() + ":2: field 'policy': expected"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace severn::elective
