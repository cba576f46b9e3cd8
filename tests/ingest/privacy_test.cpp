// Identity stays apart from the analytic store: the key is never written, NHS numbers and names
// appear only in the restricted areas, and those areas are owner-only.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>

#include "core/error.h"
#include "ingest_fixture.h"
#include "store/store.h"

namespace severn::testing {
namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Privacy, KeyNeverWrittenAndIdentifiersOnlyInRestrictedAreas) {
  SEVERN_REQUIRE_PACK();
  Scratch s("privacy");
  write_extract(s.dir() / "src", valid_extract());
  const auto key_path = write_key(s.dir());
  const std::string key = read_text(key_path);
  const auto r = ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", key_path));
  ASSERT_EQ(r.persons, 3U);

  std::string key_hex;
  for (const unsigned char c : key) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", c);
    key_hex += b;
  }
  const std::vector<std::string> numbers{"9996125483", "9990434174", "9997366956"};
  for (const auto& e : std::filesystem::recursive_directory_iterator(s.dir() / "store")) {
    if (!e.is_regular_file()) continue;
    const std::string rel = std::filesystem::relative(e.path(), s.dir() / "store").string();
    const std::string text = read_text(e.path());
    SCOPED_TRACE(rel);
    EXPECT_FALSE(contains(text, key));
    EXPECT_FALSE(contains(text, key_hex));
    if (store::is_restricted_path(rel)) {
      EXPECT_EQ(mode_of(e.path()), 0600U);
      continue;
    }
    for (const auto& n : numbers) {
      EXPECT_FALSE(contains(text, n));
      const std::uint64_t v = std::stoull(n);
      EXPECT_FALSE(contains(text, std::string(reinterpret_cast<const char*>(&v), sizeof v)));
    }
    EXPECT_FALSE(contains(text, "Marion"));
    EXPECT_FALSE(contains(text, "TF2 6FH"));
    EXPECT_FALSE(contains(text, "1942-07-06"));  // full date of birth: month only in the store
  }
  for (const char* dir : {"identity", "quarantine", "unlinked"})
    EXPECT_EQ(mode_of(s.dir() / "store" / dir), 0700U) << dir;
  EXPECT_TRUE(contains(read_text(s.dir() / "store/identity/persons.csv"), "9996125483"));
}

TEST(Privacy, SameKeySamePseudonymsOtherKeyOthers) {
  SEVERN_REQUIRE_PACK();
  Scratch s("pseudonyms");
  write_extract(s.dir() / "src", valid_extract());
  const auto key = write_key(s.dir());
  const auto other = s.dir() / "other.key";
  write_text(other, std::string(40, 'z'));
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "a", key));
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "b", key));
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "c", other));
  const auto pseudonyms = [&](const char* store) {
    return read_text(s.dir() / store / "tables/patients/pseudonym.bin");
  };
  EXPECT_EQ(pseudonyms("a"), pseudonyms("b"));
  EXPECT_NE(pseudonyms("a"), pseudonyms("c"));
  EXPECT_EQ(pseudonyms("a").size(), 3U * 32U);
  EXPECT_EQ(store::Store::open(s.dir() / "a")->manifest().pseudonym_key_id,
            store::Store::open(s.dir() / "b")->manifest().pseudonym_key_id);
  EXPECT_NE(store::Store::open(s.dir() / "a")->manifest().pseudonym_key_id,
            store::Store::open(s.dir() / "c")->manifest().pseudonym_key_id);
}

TEST(Privacy, NoKeyOrShortKeyIsRefusedBeforeAnythingIsWritten) {
  SEVERN_REQUIRE_PACK();
  Scratch s("nokey");
  write_extract(s.dir() / "src", valid_extract());
  const auto short_key = s.dir() / "short.key";
  write_text(short_key, "too short");
  EXPECT_THROW(ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", short_key)),
               InputError);
  auto o = options_for(s.dir() / "src", s.dir() / "store", short_key);
  o.key_file.clear();
  ::unsetenv("SEVERN_PSEUDONYM_KEY");
  EXPECT_THROW(ingest::run_ingest(o), InputError);
  EXPECT_FALSE(std::filesystem::exists(s.dir() / "store"));
  ::setenv("SEVERN_PSEUDONYM_KEY", std::string(64, 'a').c_str(), 1);
  EXPECT_NO_THROW(ingest::run_ingest(o));
  ::unsetenv("SEVERN_PSEUDONYM_KEY");
}

}  // namespace
}  // namespace severn::testing
