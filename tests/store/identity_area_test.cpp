// The identity area's API (store/identity_area.h): checksums verified before any read, every read
// seen by the access observer with the ids and purpose the caller gave, unknown ids refused.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/identity_area.h"
#include "store/store_error.h"
#include "store/store_writer.h"

namespace severn::store {
namespace {

namespace fs = std::filesystem;

const char* kPersons =
    "person_id,nhs_number,family_name,given_name,date_of_birth,postcode\n"
    "0,9992002743,SMITH,ANNE,1950-01-02,SY1 1AA\n"
    "1,9992001372,JONES,BEN,1961-03-04,TF1 2BB\n"
    "2,9992000007,PATEL,CHAND,1972-05-06,SY2 3CC\n";

class IdentityAreaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("severn_identity_area_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    StoreWriter w(dir_ / "store");
    w.make_restricted_dir("identity");
    w.write_file("identity/persons.csv", kPersons, true);
    w.write_file("identity/partner_records.csv", "partner_code,local_patient_id\nGP1,A\n", true);
    w.manifest().persons = 3;
    w.manifest().as_of = "2025-03-31";
    w.commit();
    store_ = Store::open(dir_ / "store");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Overwrites one byte of a store file, keeping its size.
  void flip_byte(const std::string& rel, std::size_t at) {
    std::fstream f(dir_ / "store" / rel, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    const char c = static_cast<char>(f.get());
    f.seekp(static_cast<std::streamoff>(at));
    f.put(c == 'X' ? 'Y' : 'X');
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityAreaTest, LooksPeopleUpByPersonIdWithOnlyTheFieldsAskedFor) {
  const IdentityArea area = IdentityArea::open(*store_);
  EXPECT_EQ(area.persons(), 3u);
  const auto people = area.lookup({2, 0}, IdentityField::kNhsNumber | IdentityField::kFamilyName | IdentityField::kDateOfBirth,
                                  {"test", "a lookup"});
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].person_id, 2u);
  EXPECT_EQ(people[0].nhs_number, "9992000007");
  EXPECT_EQ(people[0].family_name, "PATEL");
  EXPECT_EQ(people[0].date_of_birth, "1972-05-06");
  EXPECT_EQ(people[0].given_name, "");  // not asked for
  EXPECT_EQ(people[0].postcode, "");
  EXPECT_EQ(people[1].family_name, "SMITH");
}

TEST_F(IdentityAreaTest, TheObserverSeesEveryReadWithWhoWhatAndWhose) {
  std::vector<std::string> seen;
  std::vector<std::vector<std::uint32_t>> ids;
  const IdentityArea area = IdentityArea::open(*store_, [&](const IdentityAccess& a) {
    std::string fields;
    for (const auto& f : field_names(a.fields)) fields += f + ";";
    seen.push_back(a.context->who + "|" + a.context->purpose + "|" + fields);
    ids.push_back(*a.person_ids);
  });
  EXPECT_TRUE(seen.empty()) << "opening reads no one's fields";
  area.lookup({1}, IdentityField::kNhsNumber, {"severn run", "worklist one"});
  area.lookup({0, 2, 0}, kAllIdentityFields, {"clinician 42", "direct care"});
  area.lookup({}, IdentityField::kGivenName, {"severn run", "worklist empty"});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "severn run|worklist one|nhs_number;");
  EXPECT_EQ(seen[1], "clinician 42|direct care|nhs_number;family_name;given_name;date_of_birth;postcode;");
  EXPECT_EQ(seen[2], "severn run|worklist empty|given_name;");
  EXPECT_EQ(ids[0], (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(ids[1], (std::vector<std::uint32_t>{0, 2, 0}));
  EXPECT_TRUE(ids[2].empty());
}

TEST_F(IdentityAreaTest, NoFieldLeavesWithoutTheObserverSeeingIt) {
  // The observer is told before anything is returned: one that refuses (throws) stops the read.
  const IdentityArea area = IdentityArea::open(*store_, [](const IdentityAccess& a) {
    if (a.context->purpose != "allowed") throw std::runtime_error("refused: " + a.context->purpose);
  });
  EXPECT_THROW(area.lookup({0}, kAllIdentityFields, {"x", "not allowed"}), std::runtime_error);
  EXPECT_EQ(area.lookup({0}, kAllIdentityFields, {"x", "allowed"}).at(0).given_name, "ANNE");
}

TEST_F(IdentityAreaTest, AnUnknownPersonIdIsAClearErrorAndNothingIsRead) {
  int calls = 0;
  const IdentityArea area = IdentityArea::open(*store_, [&](const IdentityAccess&) { ++calls; });
  try {
    area.lookup({0, 3}, kAllIdentityFields, {"severn run", "worklist x"});
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no person_id 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("identity/persons.csv"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(IdentityAreaTest, AChecksumMismatchIsRefusedNamingTheFile) {
  flip_byte("identity/persons.csv", 70);
  try {
    IdentityArea::open(*store_);
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("checksum mismatch in identity/persons.csv"), std::string::npos) << e.what();
  }
}

TEST_F(IdentityAreaTest, EveryFileOfTheAreaIsVerifiedNotOnlyTheOneRead) {
  flip_byte("identity/partner_records.csv", 35);
  try {
    IdentityArea::open(*store_);
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("identity/partner_records.csv"), std::string::npos) << e.what();
  }
}

TEST_F(IdentityAreaTest, AFileOfAnotherSizeIsRefused) {
  std::ofstream(dir_ / "store/identity/persons.csv", std::ios::app) << "3,9991234578,LEE,DEE,1980-01-01,SY3 4DD\n";
  EXPECT_THROW(IdentityArea::open(*store_), StoreError);
}

}  // namespace
}  // namespace severn::store
