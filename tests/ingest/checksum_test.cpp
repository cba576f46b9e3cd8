// A store whose files do not match the manifest is refused, with the file named.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <vector>

#include "ingest_fixture.h"
#include "run_severn.h"
#include "store/checksum.h"
#include "store/manifest_cover.h"
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
  // Writes a manifest together with a matching cover, as a build (or a determined editor) would.
  void write_manifest(const std::string& text) {
    write_text(store_ / "manifest.json", text);
    write_text(store_ / "manifest.sha256", store::manifest_cover(text));
  }
  std::string manifest() const { return read_text(store_ / "manifest.json"); }
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
  EXPECT_NE(open_error().find("manifest.json does not match manifest.sha256"), std::string::npos) << open_error();
  write_manifest(m.substr(0, m.size() / 2));  // damaged, but covered: the parser says what is wrong
  EXPECT_NE(open_error().find("not valid JSON"), std::string::npos) << open_error();
  const auto at = m.find("\"schema_version\": 1");
  ASSERT_NE(at, std::string::npos);
  m.replace(at, 19, "\"schema_version\": 99");
  write_manifest(m);
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

// ---- The manifest's cover ---------------------------------------------------------------------

// Replaces the first occurrence of `from` after the first `key` in text.
std::string replaced(std::string text, const std::string& key, const std::string& from, const std::string& to) {
  const auto k = text.find(key);
  EXPECT_NE(k, std::string::npos) << key;
  const auto at = text.find(from, k + key.size());
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// Replaces the first occurrence of `from`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST_F(Checksums, CoverIsTheManifestsSha256InSha256sumForm) {
  const std::string cover = read_text(store_ / "manifest.sha256");
  EXPECT_EQ(cover, store::manifest_cover(manifest()));
  EXPECT_EQ(cover.size(), 64U + 2 + 13 + 1);
  EXPECT_TRUE(cover.ends_with("  manifest.json\n")) << cover;
}

TEST_F(Checksums, EditedManifestIsRefused) {
  const std::string original = manifest();
  const std::string input_checksum_key = "\"inputs\": [";
  const std::vector<std::string> edits{
      replaced(original, "\"as_of\"", "2025-06-30", "2026-12-02"),
      replaced(original, "\"pseudonym_key_id\": \"", "\"pseudonym_key_id\": \"0"),
      replaced(original, input_checksum_key, "\"xxh3\": \"", "\"xxh3\": \"f"),
      replaced(original, "\"data_end\": \"", "\"data_end\": null, \"data_end_was\": \""),
  };
  for (const auto& edited : edits) {
    ASSERT_NE(edited, original);
    write_text(store_ / "manifest.json", edited);
    EXPECT_NE(open_error().find("manifest.json does not match manifest.sha256: the manifest was changed after the "
                                "store was built; rebuild the store with severn ingest"),
              std::string::npos)
        << open_error();
  }
  write_text(store_ / "manifest.json", original);
  EXPECT_EQ(open_error(), "");
}

TEST_F(Checksums, StoreWithoutCoverIsRefused) {
  std::filesystem::remove(store_ / "manifest.sha256");
  EXPECT_NE(open_error().find("manifest.sha256 is missing, so manifest.json cannot be checked"), std::string::npos)
      << open_error();
  const CommandResult r = run_severn("info --store " + store_.string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("manifest.sha256 is missing"), std::string::npos) << r.output;
}

TEST_F(Checksums, EditedManifestGivesExitCodeOne) {
  write_text(store_ / "manifest.json", replaced(manifest(), "\"as_of\"", "2025-06-30", "2026-12-02"));
  const CommandResult r = run_severn("info --store " + store_.string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("manifest.json does not match manifest.sha256"), std::string::npos) << r.output;
}

// ---- The manifest and the store as hostile input ----------------------------------------------
// Each manifest below is covered (as if its editor rewrote the cover too), so the reader's own
// checks are what refuse it: with a message, never a crash.

TEST_F(Checksums, HostileManifestsAreRefusedWithAMessage) {
  const std::string m = manifest();
  const std::vector<std::pair<std::string, std::string>> cases{
      {replaced(m, "\"persons\": ", "3", "\"3\""), "field 'persons' missing or not a count"},
      {replaced(m, "\"persons\": ", "3", "18446744073709551615"), "field 'persons' is 18446744073709551615, more than"},
      {replaced(m, "\"persons\": ", "3", "18446744073709551616"), "manifest.json"},
      {replaced(m, "\"persons\": ", "3", "-3"), "field 'persons' missing or not a count"},
      {replaced(m, "\"persons\": ", "3", "3.5"), "field 'persons' missing or not a count"},
      {replaced(m, "\"schema_version\": ", "1", "4294967297"), "schema version 4294967297"},
      {replaced(m, "\"as_of\": ", "\"2025-06-30\"", "20250630"), "field 'as_of' missing or not text"},
      {replaced(m, "\"as_of\": ", "2025-06-30", "2025-02-30"), "field 'as_of' is not a date"},
      {replaced(m, "\"data_end\": \"", "\"data_end\": 7, \"x\": \""), "field 'data_end' missing or not text"},
      {replaced(m, "\"tables\": [", "\"tablez\": ["), "field 'tables' missing"},
      {replaced(m, "\"name\": \"clinical_events\", \"rows\": ", "4", "281474976710657"),
       "field 'rows' is 281474976710657, more than"},
      {replaced(m, "\"name\": \"clinical_events\", \"rows\": ", "4", "5"), "clinical_events"},
      {replaced(m, "\"name\": \"patients\", \"rows\": ", "3", "2"), "has 2 rows, one per person"},
      {replaced(m, "\"name\": \"clinical_events\"", "\"name\": \"../clinical_events\""),
       "field 'name' is not a plain name: '../clinical_events'"},
      {replaced(m, "\"files\": {", "\"ledger.csv\"", "\"../ledger.csv\""), "files: '../ledger.csv' is not a plain path"},
      {replaced(m, "\"files\": {", "\"ledger.csv\"", "\"/etc/passwd\""), "files: '/etc/passwd' is not a plain path"},
      {replaced(m, "\"type\": ", "\"date\"", "\"dates\""), "unknown type"},
      {"[]", "not a Severn store manifest"},
      {"", "not valid JSON"},
  };
  for (const auto& [text, expected] : cases) {
    write_manifest(text);
    const std::string error = open_error();
    EXPECT_NE(error.find(expected), std::string::npos) << "expected '" << expected << "', got: " << error;
  }
  write_manifest(m);
  EXPECT_EQ(open_error(), "");
}

// A column file rewritten with its checksum updated in a covered manifest: offsets that go
// backwards and ids past a dictionary's end are still refused.
TEST_F(Checksums, OffsetsAndIdsOutOfRangeAreRefused) {
  const std::string m = manifest();
  const auto rewrite = [&](const std::string& rel, const std::string& bytes) {
    const std::string old_hash = store::xxh3_hex(read_text(store_ / rel));
    write_text(store_ / rel, bytes);
    write_manifest(replaced(m, "\"" + rel + "\"", old_hash, store::xxh3_hex(bytes)));
  };
  const std::string offsets_rel = "tables/clinical_events/person_offsets.bin";
  const std::string offsets = read_text(store_ / offsets_rel);
  std::vector<std::uint64_t> o(offsets.size() / 8);
  std::memcpy(o.data(), offsets.data(), offsets.size());
  ASSERT_EQ(o.size(), 4U);
  o[1] = 1000;  // past the end of the table, then back
  rewrite(offsets_rel, std::string(reinterpret_cast<const char*>(o.data()), offsets.size()));
  EXPECT_NE(open_error().find("table clinical_events: person offsets do not match"), std::string::npos)
      << open_error();
  write_text(store_ / offsets_rel, offsets);
  write_manifest(m);
  ASSERT_EQ(open_error(), "");

  const std::string codes_rel = "tables/clinical_events/snomedct_code.bin";
  const std::string codes = read_text(store_ / codes_rel);
  std::string bad = codes;
  const std::uint32_t id = 999;
  std::memcpy(bad.data() + 4, &id, 4);
  rewrite(codes_rel, bad);
  EXPECT_NE(open_error().find("clinical_events.snomedct_code holds id 999 but dictionary 'snomedct' has"),
            std::string::npos)
      << open_error();
}

// Every analytic file of the store, cut short or emptied in turn: refused, naming the file.
TEST_F(Checksums, EveryTruncatedFileIsRefused) {
  const auto files = store::Store::open(store_)->manifest().files;
  for (const auto& [rel, entry] : files) {
    if (store::is_restricted_path(rel)) continue;
    const std::string original = read_text(store_ / rel);
    for (const std::size_t size : {original.size() / 2, std::size_t{0}}) {
      if (size == original.size()) continue;
      std::filesystem::resize_file(store_ / rel, size);
      const std::string error = open_error();
      EXPECT_NE(error.find(rel + " has " + std::to_string(size) + " bytes but the manifest says"), std::string::npos)
          << rel << ": " << error;
    }
    write_text(store_ / rel, original);
  }
  EXPECT_EQ(open_error(), "");
}

TEST_F(Checksums, TruncatedColumnGivesExitCodeOne) {
  std::filesystem::resize_file(store_ / "tables/clinical_events/date.bin", 3);
  const CommandResult r = run_severn("info --store " + store_.string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("tables/clinical_events/date.bin has 3 bytes but the manifest says 16"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace severn::testing
