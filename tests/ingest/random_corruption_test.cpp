// Property: whatever bytes a partner sends, ingest never crashes, never loses a row, and still
// builds a store that opens. Random edits (bytes that matter to CSV: quotes, commas, line breaks,
// invalid UTF-8, digits, letters) are made to the valid extract, many times over.
#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "ingest_fixture.h"
#include "store/store.h"

namespace severn::testing {
namespace {

std::string mutate(std::string text, std::mt19937_64& rng) {
  static const std::string kBytes = "\",\n\r;0123456789-.AZaz \xff\xc0\xe2\x80";
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = rng() % text.size();
    const char b = kBytes[rng() % kBytes.size()];
    switch (rng() % 4) {
      case 0: text[at] = b; break;
      case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), b); break;
      case 2: text.erase(at, 1 + rng() % 3); break;
      default: text.resize(at); break;  // truncation anywhere, even mid-record
    }
  }
  return text;
}

TEST(RandomCorruption, NeverCrashesNeverLosesARowStoreAlwaysOpens) {
  SEVERN_REQUIRE_PACK();
  Scratch s("random-corruption");
  const auto key = write_key(s.dir());
  const auto valid = valid_extract();
  std::vector<std::string> names;
  for (const auto& [name, text] : valid) names.push_back(name);
  std::mt19937_64 rng(20251122);
  int built = 0, refused = 0;
  for (int round = 0; round < 120; ++round) {
    auto files = valid;
    // One to three files damaged per round.
    const int damaged = 1 + static_cast<int>(rng() % 3);
    for (int d = 0; d < damaged; ++d) {
      auto& text = files[names[rng() % names.size()]];
      text = mutate(text, rng);
    }
    const auto src = s.dir() / ("src" + std::to_string(round));
    write_extract(src, files);
    SCOPED_TRACE("round " + std::to_string(round));
    try {
      const auto r = ingest::run_ingest(options_for(src, s.dir() / "store", key));
      ++built;
      for (const auto& e : r.ledger) {
        EXPECT_EQ(e.read, e.accepted() + e.quarantined) << e.source;
        // Every record the file holds was read (records end at line breaks outside quotes, so a
        // file's data lines bound the count from above).
        const std::string& text = files.at(e.source);
        // A lone CR ends a line too when the file's line ends are CR only (csv_source.h).
        auto lines = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
        for (std::size_t i = 0; i < text.size(); ++i)
          lines += text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n') ? 1 : 0;
        EXPECT_LE(e.read, lines + 1) << e.source;
      }
      EXPECT_NO_THROW(store::Store::open(s.dir() / "store")->verify_restricted());
    } catch (const InputError& e) {
      // Only a person list that is missing or empty may stop the build, and then the previous
      // store must still be there and whole.
      ++refused;
      EXPECT_NE(std::string(e.what()).find("gp/patients.csv"), std::string::npos) << e.what();
      if (built > 0) {
        EXPECT_NO_THROW(store::Store::open(s.dir() / "store"));
      }
    }
    std::filesystem::remove_all(src);
  }
  EXPECT_GT(built, 100);
  RecordProperty("built", built);
  RecordProperty("refused", refused);
}

}  // namespace
}  // namespace severn::testing
