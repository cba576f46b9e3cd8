// The wl_pathways reader (ptl_reader.h) on a copy of the small synthetic store given two of the
// WLMDS columns (removal_date, last_validation_date) as a new-format store has them: a removal
// before the day takes a period off the list like a clock stop, and the validation date reaches
// the PTL. The columns are written and listed in the manifest, which is re-covered, so
// Store::open verifies them like any other (tests/store/link_probability_fixture.h's way).
#include <gtest/gtest.h>

#include <unistd.h>

#include "elective/ptl_reader.h"
#include "ingest/ingest_fixture.h"
#include "shared_world.h"
#include "store/checksum.h"
#include "store/link_probability_fixture.h"
#include "store/manifest.h"
#include "store/manifest_cover.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;

void add_date_column(const fs::path& dir, const std::string& table, const std::string& name, const std::vector<Days>& values) {
  store::Manifest m = store::parse_manifest(dir / store::kManifestName);
  for (auto& t : m.tables) {
    if (t.name != table) continue;
    const std::string rel = store::column_path(table, name);
    const std::string_view bytes(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(Days));
    testing::write_store_file(dir / rel, bytes);
    m.files[rel] = {bytes.size(), store::xxh3_hex(bytes)};
    store::ColumnEntry c;
    c.name = name;
    c.type = store::ColumnType::kDate;
    c.unit = "days since 1970-01-01";
    t.columns.push_back(c);
  }
  const std::string json = store::to_json(m);
  testing::write_store_file(dir / store::kManifestName, json);
  testing::write_store_file(dir / store::kManifestCoverName, store::manifest_cover(json));
}

TEST(PtlReader, RemovalsLeaveTheListAndValidationDatesReachThePtl) {
  SEVERN_REQUIRE_PACK();
  const fs::path world = testing::shared_world("elective-ptl-world", [](const fs::path& d) {
    testing::synthesize_small(d / "src", 3000, 20261207);
    ingest::run_ingest(testing::options_for(d / "src", d / "store", testing::write_key(d)));
  });
  const fs::path dir = fs::temp_directory_path() / ("severn_ptl_reader_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(world / "store", dir, fs::copy_options::recursive);
  std::vector<Days> starts;
  {
    const auto s = store::Store::open(dir);
    const auto v = s->table("wl_pathways").column("clock_start_date").values<Days>();
    starts.assign(v.begin(), v.end());
  }
  const Days far = days_from_civil(2100, 1, 1);
  std::vector<Days> removal(starts.size()), validation(starts.size());
  for (std::size_t r = 0; r < starts.size(); ++r) {
    removal[r] = r % 5 == 0 ? starts[r] + 10 : far;
    validation[r] = starts[r] + 90;
  }
  add_date_column(dir, "wl_pathways", "removal_date", removal);
  add_date_column(dir, "wl_pathways", "last_validation_date", validation);
  const auto s = store::Store::open(dir);
  const Days on = default_list_date(*s);
  ReportedListInfo info;
  const auto open = read_open_periods(*s, "", on, &info);
  EXPECT_FALSE(info.has_wlmds_columns);
  for (const auto& c : info.missing_columns) {
    EXPECT_NE(c, "removal_date");
    EXPECT_NE(c, "last_validation_date");
  }
  ASSERT_FALSE(open.empty());
  std::size_t kept_removed = 0, without_removal = 0;
  for (const PtlPeriod& p : open) {
    EXPECT_TRUE(p.has_validation_data);
    EXPECT_EQ(p.last_validation, p.clock_start + 90);
    if (p.row % 5 == 0) {
      EXPECT_GT(p.clock_start + 10, on) << "a period removed on or before the day is not on the list";
      ++kept_removed;
    }
  }
  // The same list without the removals: more periods, the removed ones among them.
  const auto original = store::Store::open(world / "store");
  for (const PtlPeriod& p : read_open_periods(*original, "", on)) without_removal += p.row % 5 == 0;
  EXPECT_GT(without_removal, kept_removed);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace severn::elective
