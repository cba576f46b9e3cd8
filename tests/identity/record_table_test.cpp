// Hostile CSV input: every structural problem is an error naming file, line and field; nothing
// crashes.
#include "identity/record_table.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace severn::identity {
namespace {

std::string error_of(const std::string& text, CsvReadOptions options = {}) {
  try {
    RecordTable::parse(text, "in.csv", options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RecordTable, QuotesEscapesAndLineEndings) {
  const RecordTable t = RecordTable::parse(
      "\xEF\xBB\xBFid,name,note\r\n1,\"Smith, John\",\"said \"\"hi\"\"\"\r\n\r\n2,Jones,\"two\nlines\"\n3,,\n", "in.csv", {});
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.header()[0], "id");  // byte-order mark dropped
  EXPECT_EQ(t.cell(0, 1), "Smith, John");
  EXPECT_EQ(t.cell(0, 2), "said \"hi\"");
  EXPECT_EQ(t.cell(1, 2), "two\nlines");
  EXPECT_EQ(t.line(1), 4);  // the blank line 3 is skipped
  EXPECT_EQ(t.line(2), 6);  // the quoted newline moved the count on
  EXPECT_EQ(t.cell(2, 1), "");
}

TEST(RecordTable, TrimsFebrlStyleSeparators) {
  CsvReadOptions o;
  o.trim_spaces = true;
  const RecordTable t = RecordTable::parse("rec_id, given_name, surname\nrec-1-org, michaela , \"neumann\"\n", "f.csv", o);
  EXPECT_EQ(t.header()[1], "given_name");
  EXPECT_EQ(t.cell(0, 1), "michaela");
  EXPECT_EQ(t.cell(0, 2), "neumann");
}

TEST(RecordTable, StructuralErrors) {
  EXPECT_EQ(error_of(""), "in.csv: file is empty (expected a header row)");
  EXPECT_EQ(error_of("\n\n"), "in.csv: file is empty (expected a header row)");
  EXPECT_EQ(error_of("id,name\n1,\"Smith\n2,Jones\n"),
            "in.csv:2: field 'name': unterminated quoted field (the quote opened here is never closed)");
  EXPECT_EQ(error_of("id,name\n1,Smith\n2,Jones,extra\n"), "in.csv:3: expected 2 fields (as in the header), found 3");
  EXPECT_EQ(error_of("id,name\n1\n"), "in.csv:2: expected 2 fields (as in the header), found 1");
  EXPECT_EQ(error_of("id,name\n1,Sm\"ith\n"),
            "in.csv:2: field 'name': quote inside an unquoted field (quote the whole field and double the quote)");
  EXPECT_EQ(error_of("id,name\n1,\"Smith\"x\n"), "in.csv:2: field 'name': unexpected character after a closing quote");
  EXPECT_EQ(error_of("id,id\n1,2\n"), "in.csv:1: field 'id': column name appears twice in the header");
  EXPECT_EQ(error_of("id,,x\n1,2,3\n"), "in.csv:1: column 2 of the header has no name");
}

TEST(RecordTable, HugeFieldsAreRefused) {
  CsvReadOptions o;
  o.max_field_bytes = 100;
  EXPECT_EQ(error_of("id,name\n1," + std::string(101, 'x') + "\n", o), "in.csv:2: field 'name': field longer than 100 bytes");
  EXPECT_EQ(error_of("id,name\n1,\"" + std::string(5000, 'x'), o), "in.csv:2: field 'name': field longer than 100 bytes");
  EXPECT_EQ(error_of("id,name\n1," + std::string(100, 'x') + "\n", o), "no error");
}

TEST(RecordTable, BinaryGarbageDoesNotCrash) {
  // Bytes of every value, NULs included, in unquoted fields: read as data.
  std::string text = "id,name\n";
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    if (c == ',' || c == '"' || c == '\n' || c == '\r') continue;
    text += std::to_string(i) + "," + std::string(3, c) + "\n";
  }
  const RecordTable t = RecordTable::parse(text, "in.csv", {});
  EXPECT_EQ(t.rows(), 252u);
  EXPECT_EQ(t.cell(0, 1), std::string(3, '\0'));
}

}  // namespace
}  // namespace severn::identity
