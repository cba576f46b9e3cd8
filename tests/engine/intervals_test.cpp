// Measure intervals, including `intervals last N months|quarters|years` counted back from the
// run's index date.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "engine/run.h"
#include "lang/parser.h"

namespace severn::engine {
namespace {

// The intervals of the one measure in `clause`, at the index date, as "start..end" strings.
std::vector<std::string> spans(const std::string& clause, const std::string& index_date) {
  const lang::SourceFile file("def.sev", "population true\nmeasure m numerator true denominator true " + clause + "\n");
  const lang::Definition d = lang::parse(file);
  std::vector<std::string> out;
  for (const auto& [start, end] : expand_intervals(*d.measures.at(0).intervals, *parse_iso_date(index_date)))
    out.push_back(format_iso_date(start) + ".." + format_iso_date(end));
  return out;
}

TEST(Intervals, LastTwelveMonthsToAMonthEndAreTheFinancialYearsMonths) {
  const auto last = spans("intervals last 12 months", "2025-03-31");
  EXPECT_EQ(last, spans("intervals monthly from 2024-04-01 to 2025-03-31", "2025-03-31"));
  ASSERT_EQ(last.size(), 12u);
  EXPECT_EQ(last.front(), "2024-04-01..2024-04-30");
  EXPECT_EQ(last[10], "2025-02-01..2025-02-28");
  EXPECT_EQ(last.back(), "2025-03-01..2025-03-31");
}

TEST(Intervals, TheLastPeriodEndsOnTheIndexDate) {
  EXPECT_EQ(spans("intervals last 3 months", "2024-02-29"),
            (std::vector<std::string>{"2023-12-01..2023-12-31", "2024-01-01..2024-01-31", "2024-02-01..2024-02-29"}));
  EXPECT_EQ(spans("intervals last 2 months", "2025-03-15"),
            (std::vector<std::string>{"2025-02-01..2025-02-28", "2025-03-01..2025-03-15"}));
  EXPECT_EQ(spans("intervals last 1 month", "2025-01-01"), (std::vector<std::string>{"2025-01-01..2025-01-01"}));
}

TEST(Intervals, QuartersAreCalendarQuartersAndYearsFinancialYears) {
  EXPECT_EQ(spans("intervals last 4 quarters", "2025-03-31"),
            (std::vector<std::string>{"2024-04-01..2024-06-30", "2024-07-01..2024-09-30", "2024-10-01..2024-12-31",
                                      "2025-01-01..2025-03-31"}));
  EXPECT_EQ(spans("intervals last 2 quarters", "2025-05-10"),
            (std::vector<std::string>{"2025-01-01..2025-03-31", "2025-04-01..2025-05-10"}));
  EXPECT_EQ(spans("intervals last 2 years", "2025-03-31"),
            (std::vector<std::string>{"2023-04-01..2024-03-31", "2024-04-01..2025-03-31"}));
  // An index date in April starts a new financial year; one in March is still in the old one.
  EXPECT_EQ(spans("intervals last 1 year", "2025-04-01"), (std::vector<std::string>{"2025-04-01..2025-04-01"}));
  EXPECT_EQ(spans("intervals last 1 year", "2025-03-01"), (std::vector<std::string>{"2024-04-01..2025-03-01"}));
}

TEST(Intervals, LastPeriodsThatWouldStartBeforeTheCalendarAreAnInputError) {
  EXPECT_EQ(spans("intervals last 1200 months", "2025-03-31").size(), 1200u);
  EXPECT_EQ(spans("intervals last 1200 years", "2025-03-31").front(), "0825-04-01..0826-03-31");
  EXPECT_THROW(spans("intervals last 1200 years", "0500-01-01"), InputError);
  EXPECT_THROW(spans("intervals last 2 months", "0001-01-15"), InputError);
  EXPECT_EQ(spans("intervals last 1 month", "0001-01-15"), (std::vector<std::string>{"0001-01-01..0001-01-15"}));
}

}  // namespace
}  // namespace severn::engine
