// The data's end: recorded in the manifest at ingest (ingest/data_end.h) and the default index
// date of `severn run`, which says which date it used and why, and records it in run.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ingest_fixture.h"
#include "run_severn.h"
#include "store/store.h"

namespace severn::testing {
namespace {

struct Built {
  store::Manifest manifest;
  std::string warnings;
};

// Ingests the valid extract (as of 2025-06-30), with SRC/manifest.json holding `source_manifest`
// unless it is empty.
Built ingest_with(const Scratch& s, const std::string& source_manifest,
                  std::map<std::string, std::string> files = valid_extract()) {
  write_extract(s.dir() / "src", files);
  if (!source_manifest.empty()) write_text(s.dir() / "src" / "manifest.json", source_manifest);
  ::testing::internal::CaptureStderr();
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  Built b;
  b.warnings = ::testing::internal::GetCapturedStderr();
  b.manifest = store::Store::open(s.dir() / "store")->manifest();
  return b;
}

// The latest sort date in the valid extract's tables (social care, 2024-12-19).
std::string latest_in_tables(const store::Manifest& m) {
  Days latest = 0;
  for (const auto& t : m.tables)
    if (t.max_date) latest = std::max(latest, *t.max_date);
  return format_iso_date(latest);
}

TEST(DataEnd, IsTheLatestDateInTheTablesWhenTheExtractDeclaresNone) {
  SEVERN_REQUIRE_PACK();
  Scratch s("data-end-latest");
  const Built b = ingest_with(s, "");
  EXPECT_EQ(b.manifest.data_end, latest_in_tables(b.manifest));
  EXPECT_EQ(b.manifest.data_end, "2024-12-19");
  EXPECT_EQ(b.manifest.data_end_source, "the latest date in the tables (social_care.start_date)");
  EXPECT_EQ(b.manifest.as_of, "2025-06-30");
}

TEST(DataEnd, IsTheExtractsDeclaredEndDate) {
  SEVERN_REQUIRE_PACK();
  Scratch s("data-end-declared");
  const Built b = ingest_with(s, "{\"generator\": \"severn synth\", \"end_date\": \"2025-03-31\"}");
  EXPECT_EQ(b.manifest.data_end, "2025-03-31");
  EXPECT_EQ(b.manifest.data_end_source, "declared by the extract (end_date in SRC/manifest.json)");
  EXPECT_EQ(b.warnings, "");
}

// A declared end is never trusted past the as-of date, nor before data the tables hold.
TEST(DataEnd, ADeclaredEndOutsideTheDataIsNotUsed) {
  SEVERN_REQUIRE_PACK();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{\"end_date\": \"2025-07-01\"}", "end_date 2025-07-01 is after the as-of date 2025-06-30; it is not used"},
      {"{\"end_date\": \"2024-01-01\"}",
       "end_date 2024-01-01 is before the latest date in the tables (2024-12-19 in social_care.start_date); it is not "
       "used"},
      {"{\"end_date\": \"2025-02-30\"}", "end_date '2025-02-30' is not a date (YYYY-MM-DD); it is not used"},
      {"{\"end_date\": 20250331}", "end_date is not text; it is not used"},
      {"{\"end_date\": ", "is not valid JSON; its end_date is not used"},
  };
  for (const auto& [text, warning] : cases) {
    Scratch s("data-end-refused");
    const Built b = ingest_with(s, text);
    EXPECT_EQ(b.manifest.data_end, "2024-12-19") << text;
    EXPECT_NE(b.warnings.find("severn ingest: warning: "), std::string::npos) << b.warnings;
    EXPECT_NE(b.warnings.find(warning), std::string::npos) << text << ": " << b.warnings;
  }
}

TEST(DataEnd, IsNoneWithoutDatedRows) {
  SEVERN_REQUIRE_PACK();
  Scratch s("data-end-none");
  const Built b = ingest_with(s, "", {{"gp/patients.csv", valid_extract()["gp/patients.csv"]}});
  EXPECT_EQ(b.manifest.data_end, "");
  EXPECT_EQ(b.manifest.data_end_source, "none: no extract declares an end date and no table holds a dated row");
}

// `severn run` without --index-date uses the data's end (not the day of ingest), says so, and
// records it in run.json; --index-date still overrides it.
TEST(DataEnd, IsTheDefaultIndexDateOfSevernRun) {
  SEVERN_REQUIRE_PACK();
  Scratch s("data-end-run");
  ingest_with(s, "{\"end_date\": \"2025-03-31\"}");
  write_text(s.dir() / "def.sev",
             "population registered_on(index_date)\n"
             "variable events = clinical_events.where(date <= index_date).count()\n");
  const std::string base = "run " + (s.dir() / "def.sev").string() + " --store " + (s.dir() / "store").string() +
                           " --data " SEVERN_TEST_DATA_DIR " --threads 1 --out ";
  auto r = run_severn(base + (s.dir() / "out").string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("index date 2025-03-31 (the data's end, from the manifest)\n"), std::string::npos)
      << r.output;
  const std::string run_json = read_text(s.dir() / "out" / "run.json");
  EXPECT_NE(run_json.find("\"index_date\": \"2025-03-31\", \"index_date_source\": \"the data's end, from the "
                          "manifest: declared by the extract (end_date in SRC/manifest.json)\""),
            std::string::npos)
      << run_json;

  r = run_severn(base + (s.dir() / "out2").string() + " --index-date 2024-12-31");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("index date 2024-12-31 (--index-date)\n"), std::string::npos) << r.output;
  EXPECT_NE(read_text(s.dir() / "out2" / "run.json").find("\"index_date\": \"2024-12-31\", \"index_date_source\": "
                                                          "\"--index-date\""),
            std::string::npos);
}

}  // namespace
}  // namespace severn::testing
