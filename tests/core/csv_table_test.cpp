#include "core/csv_table.h"

#include <gtest/gtest.h>

#include "core/csv_writer.h"
#include "core/error.h"

namespace severn {
namespace {

TEST(CsvTable, ParsesQuotesAndReportsLines) {
  const auto t = CsvTable::parse("code,term\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n", "x.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(0, "term"), "a, b");
  EXPECT_EQ(t.cell(1, 1), "say \"hi\"");
  EXPECT_EQ(t.line(1), 3);
}

TEST(CsvTable, ErrorsNameFileLineAndField) {
  try {
    CsvTable::parse("a,b\n1,2\n3\n", "f.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.csv:3: expected 2 fields, found 1");
  }
  const auto t = CsvTable::parse("a,b\n1,x\n", "g.csv");
  try {
    t.get_int(0, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "g.csv:2: field 'b': expected a whole number, found 'x'");
  }
  EXPECT_THROW(CsvTable::parse("a\n\"open\n", "h.csv"), InputError);
  EXPECT_THROW(CsvTable::parse("", "e.csv"), InputError);
  EXPECT_THROW(CsvTable::read_file("/nonexistent/file.csv"), InputError);
}

TEST(CsvRow, WritesMinimalQuoting) {
  std::string out;
  {
    CsvRow r(out);
    r.text("plain").text("a,b").text("q\"").integer(-42).decimal(5.25, 1).date(0).empty();
  }
  EXPECT_EQ(out, "plain,\"a,b\",\"q\"\"\",-42,5.2,1970-01-01,\n");
  const auto t = CsvTable::parse("a,b,c,d,e,f,g\n" + out, "round trip");
  EXPECT_EQ(t.cell(0, 1), "a,b");
  EXPECT_EQ(t.cell(0, 2), "q\"");
}

}  // namespace
}  // namespace severn
