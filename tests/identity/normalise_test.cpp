// Cleaning raw cells into comparable values: names, dates, postcodes, sex codes, NHS numbers;
// nickname equivalence.
#include "identity/normalise.h"

#include <gtest/gtest.h>

#include "identity/nicknames.h"
#include "identity/postcode.h"

namespace severn::identity {
namespace {

TEST(Normalise, Names) {
  EXPECT_EQ(normalise_value(FieldKind::kName, "  o'Brien ", nullptr), "OBRIEN");
  EXPECT_EQ(normalise_value(FieldKind::kName, "Smith-Jones", nullptr), "SMITH JONES");
  EXPECT_EQ(normalise_value(FieldKind::kName, "St. John  Smythe", nullptr), "ST JOHN SMYTHE");
  EXPECT_EQ(normalise_value(FieldKind::kName, " - ", nullptr), "");
  const auto parts = name_parts("SMITH JONES");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "JONES");
}

TEST(Normalise, DatesWithFormats) {
  const auto iso = DateFormat::parse("YYYY-MM-DD");
  const auto compact = DateFormat::parse("YYYYMMDD");
  const auto uk = DateFormat::parse("DD/MM/YYYY");
  ASSERT_TRUE(iso && compact && uk);
  EXPECT_EQ(normalise_value(FieldKind::kDate, "19800304", &*compact), "1980-03-04");
  EXPECT_EQ(normalise_value(FieldKind::kDate, "04/03/1980", &*uk), "1980-03-04");
  EXPECT_EQ(normalise_value(FieldKind::kDate, "1980-02-29", &*iso), "1980-02-29");
  EXPECT_EQ(normalise_value(FieldKind::kDate, "1981-02-29", &*iso), "");  // not a leap year
  EXPECT_EQ(normalise_value(FieldKind::kDate, "19319924", &*compact), "");
  EXPECT_EQ(normalise_value(FieldKind::kDate, "1980-3-4", &*iso), "");
  EXPECT_FALSE(DateFormat::parse("YYYY-MM"));
  EXPECT_FALSE(DateFormat::parse("YYYY-MM-DD-DD"));
}

TEST(Normalise, PostcodesSectorsDistricts) {
  const auto p = parse_postcode("sy1 2ab");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->full, "SY1 2AB");
  EXPECT_EQ(p->sector, "SY1 2");
  EXPECT_EQ(p->district, "SY1");
  EXPECT_EQ(p->area, "SY");
  EXPECT_EQ(parse_postcode("EC1A1BB")->district, "EC1A");
  EXPECT_EQ(parse_postcode("W1A 0AX")->sector, "W1A 0");
  EXPECT_EQ(parse_postcode("TF10 7AA")->district, "TF10");
  EXPECT_EQ(parse_postcode("M1 1AE")->area, "M");
  EXPECT_FALSE(parse_postcode("SY1"));
  EXPECT_FALSE(parse_postcode("12345"));
  EXPECT_FALSE(parse_postcode("SY1 2A1"));
  EXPECT_EQ(normalise_value(FieldKind::kPostcode, "not a postcode", nullptr), "NOTAPOSTCODE");
}

TEST(Normalise, SexAndNhsNumber) {
  EXPECT_EQ(normalise_value(FieldKind::kSex, "female", nullptr), "F");
  EXPECT_EQ(normalise_value(FieldKind::kSex, "1", nullptr), "M");
  EXPECT_EQ(normalise_value(FieldKind::kSex, "9", nullptr), "");
  EXPECT_EQ(normalise_value(FieldKind::kSex, "I", nullptr), "I");
  EXPECT_EQ(normalise_value(FieldKind::kNhsNumber, "999-123-4578", nullptr), "9991234578");
  EXPECT_EQ(normalise_value(FieldKind::kNhsNumber, "unknown", nullptr), "UNKNOWN");
}

TEST(Nicknames, BuiltinTableIsData) {
  const NicknameTable& t = NicknameTable::builtin();
  EXPECT_GT(t.names(), 1000u);
  EXPECT_TRUE(t.equivalent("WILLIAM", "BILL"));
  EXPECT_TRUE(t.equivalent("BILL", "WILLIAM"));
  EXPECT_TRUE(t.equivalent("BILL", "WILL"));        // both nicknames of William
  EXPECT_TRUE(t.equivalent("ELIZABETH", "BETH"));
  EXPECT_TRUE(t.equivalent("MARGARET", "PEGGY"));
  EXPECT_FALSE(t.equivalent("WILLIAM", "WILLIAM"));  // the exact level's job
  EXPECT_FALSE(t.equivalent("WILLIAM", "MARGARET"));
  EXPECT_FALSE(t.equivalent("WILLIAM", "ZZZ"));
}

TEST(Nicknames, ReadsAnotherTable) {
  const NicknameTable t = NicknameTable::parse("name1,name2\nAlexander,Sandy\nAlexander,Alex\n", "mine.csv");
  EXPECT_TRUE(t.equivalent("SANDY", "ALEX"));
  EXPECT_FALSE(t.equivalent("SANDY", "BILL"));
  EXPECT_THROW(NicknameTable::parse("first,second\na,b\n", "bad.csv"), std::exception);
}

}  // namespace
}  // namespace severn::identity
