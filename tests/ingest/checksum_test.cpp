// A store whose files do not match the manifest is refused, with the file named.
#include <gtest/gtest.h>

#include <fstream>

#include "ingest_fixture.h"
#include "run_severn.h"
#include "store/store.h"
#include "store/store_error.h"

namespace severn::testing {
namespace {

class Checksums : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR)) GTEST_SKIP() << "reference pack absent";
    write_extract(s_.dir() / "src", valid_extract());
    ingest::run_ingest(options_for(s_.dir() / "src", store_, write_key(s_.dir())));
  }
  void flip_byte(const std::string& rel, std::size_t at) {
    std::fstream f(store_ / rel, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(static_cast<char>(c ^ 0x01));
  }
  std::string open_error() {
    try {
      store::Store::open(store_);
    } catch (const store::StoreError& e) {
      return e.what();
    }
    return "";
  }
  Scratch s_{"checksums"};
  std::filesystem::path store_ = s_.dir() / "store";
};

TEST_F(Checksums, IntactStoreOpens) { EXPECT_EQ(open_error(), ""); }

TEST_F(Checksums, FlippedBitInAColumnIsRefused) {
  flip_byte("tables/clinical_events/date.bin", 5);
  EXPECT_NE(open_error().find("checksum mismatch in tables/clinical_events/date.bin"), std::string::npos)
      << open_error();
  EXPECT_NE(open_error().find("rebuild it with severn ingest"), std::string::npos);
}

TEST_F(Checksums, TruncatedColumnIsRefused) {
  std::filesystem::resize_file(store_ / "tables/medications/dmd_code.bin", 4);
  EXPECT_NE(open_error().find("tables/medications/dmd_code.bin has 4 bytes but the manifest says 8"),
            std::string::npos)
      << open_error();
}

TEST_F(Checksums, MissingFileIsRefused) {
  std::filesystem::remove(store_ / "dictionaries/snomedct.txt");
  EXPECT_NE(open_error().find("dictionaries/snomedct.txt is missing"), std::string::npos) << open_error();
}

TEST_F(Checksums, EditedDictionaryIsRefused) {
  flip_byte("dictionaries/icd10.txt", 0);
  EXPECT_NE(open_error().find("checksum mismatch in dictionaries/icd10.txt"), std::string::npos);
}

TEST_F(Checksums, DamagedManifestOrOtherVersionIsRefused) {
  std::string m = read_text(store_ / "manifest.json");
  write_text(store_ / "manifest.json", m.substr(0, m.size() / 2));
  EXPECT_NE(open_error().find("not valid JSON"), std::string::npos) << open_error();
  const auto at = m.find("\"schema_version\": 1");
  ASSERT_NE(at, std::string::npos);
  m.replace(at, 19, "\"schema_version\": 99");
  write_text(store_ / "manifest.json", m);
  EXPECT_NE(open_error().find("schema version 99"), std::string::npos) << open_error();
  std::filesystem::remove(store_ / "manifest.json");
  EXPECT_NE(open_error().find("not a Severn store"), std::string::npos) << open_error();
}

TEST_F(Checksums, RestrictedFilesAreCheckedOnRequest) {
  flip_byte("identity/persons.csv", 20);
  const auto s = store::Store::open(store_);  // analysts cannot read identity; open does not need it
  EXPECT_THROW(s->verify_restricted(), store::StoreError);
}

TEST_F(Checksums, CommandLineRefusesWithExitCodeOne) {
  flip_byte("tables/patients/sex.bin", 0);
  const CommandResult r = run_severn("info --store " + store_.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("checksum mismatch in tables/patients/sex.bin"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace severn::testing
