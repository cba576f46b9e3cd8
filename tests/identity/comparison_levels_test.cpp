// Every level of the level library on crafted pairs: the first level that holds wins, a null
// value gives the null level.
#include <gtest/gtest.h>

#include "linkage_fixture.h"

namespace severn::identity {
namespace {

using testing::PairFixture;

const char* kConfig = R"toml(
[input]
id = "id"
[fields]
first_name = { kind = "name" }
surname = { kind = "name" }
previous_surname = { kind = "name" }
dob = { kind = "date" }
nhs = { kind = "nhs_number" }
postcode = { kind = "postcode" }
previous_postcode = { kind = "postcode" }
sex = { kind = "sex" }

[[comparison]]
field = "first_name"
levels = [{ level = "exact" }, { level = "nickname" }, { level = "phonetic", code = "nysiis" },
          { level = "jaro_winkler", at_least = 0.9 }, { level = "swapped", field = "surname" }]
[[comparison]]
field = "surname"
levels = [{ level = "exact" }, { level = "previous", field = "previous_surname" }, { level = "any_part" },
          { level = "phonetic", code = "soundex" }, { level = "edit_distance", at_most = 2 }]
[[comparison]]
field = "nhs"
levels = [{ level = "exact" }, { level = "transposition" }, { level = "one_character" }]
[[comparison]]
field = "dob"
levels = [{ level = "exact" }, { level = "day_month_swapped" }, { level = "days_apart", at_most = 1 },
          { level = "year_differs" }, { level = "days_apart", at_most = 366, label = "within a year" }]
[[comparison]]
field = "sex"
levels = [{ level = "exact" }]
[[comparison]]
field = "postcode"
levels = [{ level = "exact" }, { level = "previous", field = "previous_postcode" }, { level = "postcode_sector" },
          { level = "postcode_district" }, { level = "postcode_area" }]

[blocking]
rules = ["l.surname = r.surname"]
)toml";

const char* kLeft =
    "id,first_name,surname,previous_surname,dob,nhs,postcode,previous_postcode,sex\n"
    "L1,William,Smith,,1980-03-04,9991234578,SY1 2AB,,M\n"
    "L2,,O'Brien,,1980-02-30,,not a postcode,,\n";

const char* kRight =
    "id,first_name,surname,previous_surname,dob,nhs,postcode,previous_postcode,sex\n"
    "R1,WILLIAM,smith,,1980-03-04,999 123 4578,sy12ab,,male\n"
    "R2,Bill,Smyth,,1980-04-03,9991234587,SY1 2XY,,F\n"
    "R3,Wiliam,Jones-Smith,,1980-03-05,9991234579,SY1 5AB,,U\n"
    "R4,Smith,William,,1981-03-04,,TF1 1AA,SY1 2AB,\n"
    "R5,Ronald,Brown,Smith,1970-06-01,9990000000,SY2 1AB,,F\n"
    "R6,Wilhelmina,Amith,,1980-12-04,9991234578,LD1 1AA,,2\n";

enum { kFirst, kSurname, kNhs, kDob, kSex, kPostcode };

TEST(ComparisonLevels, ExactAfterNormalisation) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kFirst, "L1", "R1"), "exact");
  EXPECT_EQ(f.level(kSurname, "L1", "R1"), "exact");
  EXPECT_EQ(f.level(kNhs, "L1", "R1"), "exact");      // spaces dropped
  EXPECT_EQ(f.level(kDob, "L1", "R1"), "exact");
  EXPECT_EQ(f.level(kSex, "L1", "R1"), "exact");      // male = M
  EXPECT_EQ(f.level(kPostcode, "L1", "R1"), "exact"); // sy12ab = SY1 2AB
}

TEST(ComparisonLevels, NicknamesPhoneticAndTypos) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kFirst, "L1", "R2"), "nickname");          // William / Bill
  EXPECT_EQ(f.level(kSurname, "L1", "R2"), "phonetic soundex"); // Smith / Smyth: S530
  EXPECT_EQ(f.level(kNhs, "L1", "R2"), "transposition");        // ...5919 / ...5991
  EXPECT_EQ(f.level(kDob, "L1", "R2"), "day_month_swapped");    // 03-04 / 04-03
  EXPECT_EQ(f.level(kSex, "L1", "R2"), "else");
  EXPECT_EQ(f.level(kPostcode, "L1", "R2"), "postcode_sector");
}

TEST(ComparisonLevels, HyphenatedSurnameOneDigitOneDay) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kFirst, "L1", "R3"), "phonetic nysiis");  // WILLIAM / WILIAM: both WALAN
  EXPECT_EQ(f.level(kSurname, "L1", "R3"), "any_part");       // SMITH / JONES SMITH
  EXPECT_EQ(f.level(kNhs, "L1", "R3"), "one_character");
  EXPECT_EQ(f.level(kDob, "L1", "R3"), "days_apart <= 1");
  EXPECT_EQ(f.level(kSex, "L1", "R3"), "null");               // U is unknown
  EXPECT_EQ(f.level(kPostcode, "L1", "R3"), "postcode_district");
}

TEST(ComparisonLevels, SwappedNamesYearAndPreviousPostcode) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kFirst, "L1", "R4"), "swapped surname");
  EXPECT_EQ(f.level(kDob, "L1", "R4"), "year_differs");
  EXPECT_EQ(f.level(kNhs, "L1", "R4"), "null");
  EXPECT_EQ(f.level(kPostcode, "L1", "R4"), "previous previous_postcode");
}

TEST(ComparisonLevels, PreviousSurnameAreaAndElse) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kSurname, "L1", "R5"), "previous previous_surname");  // Brown, formerly Smith
  EXPECT_EQ(f.level(kFirst, "L1", "R5"), "else");
  EXPECT_EQ(f.level(kNhs, "L1", "R5"), "else");
  EXPECT_EQ(f.level(kDob, "L1", "R5"), "else");                            // more than a year apart
  EXPECT_EQ(f.level(kPostcode, "L1", "R5"), "postcode_area");
  EXPECT_EQ(f.level(kSurname, "L1", "R6"), "edit_distance <= 2");  // SMITH / AMITH: A530 is not S530
}

TEST(ComparisonLevels, WithinAYearAndSexCodes) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kDob, "L1", "R6"), "within a year");  // 1980-03-04 / 1980-12-04: 275 days
  EXPECT_EQ(f.level(kSex, "L1", "R6"), "else");           // 2 = F
  EXPECT_EQ(f.level(kPostcode, "L1", "R6"), "else");
}

TEST(ComparisonLevels, NullsContributeNothing) {
  const PairFixture f(kConfig, kLeft, kRight);
  EXPECT_EQ(f.level(kFirst, "L2", "R1"), "null");     // blank
  EXPECT_EQ(f.level(kDob, "L2", "R1"), "null");       // 30 February is no date
  EXPECT_EQ(f.level(kNhs, "L2", "R1"), "null");
  EXPECT_EQ(f.level(kSex, "L2", "R1"), "null");
  EXPECT_EQ(f.level(kPostcode, "L2", "R1"), "else");  // text that is not a postcode is still a value
  EXPECT_EQ(f.inputs->field(f.inputs->field_index("dob")).invalid, 1u);
}

}  // namespace
}  // namespace severn::identity
