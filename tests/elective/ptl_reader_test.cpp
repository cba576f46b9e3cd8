// The wl_pathways reader (ptl_reader.h) on the small synthetic store, whose extract now carries
// the WLMDS columns: a period removed on or before the day is off the list like a stopped one,
// every open period's validation date is the store's, and the list is exactly the rows a direct
// scan of the columns finds open.
#include <gtest/gtest.h>

#include <set>

#include "elective/ptl_reader.h"
#include "ingest/ingest_fixture.h"
#include "shared_world.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;

TEST(PtlReader, RemovalsLeaveTheListAndValidationDatesReachThePtl) {
  SEVERN_REQUIRE_PACK();
  const fs::path world = testing::shared_world("elective-ptl-world", [](const fs::path& d) {
    testing::synthesize_small(d / "src", 3000, 20261207);
    ingest::run_ingest(testing::options_for(d / "src", d / "store", testing::write_key(d)));
  });
  const auto s = store::Store::open(world / "store");
  const Days on = default_list_date(*s);
  ReportedListInfo info;
  const auto open = read_open_periods(*s, "", on, &info);
  EXPECT_TRUE(info.has_wlmds_columns);
  ASSERT_FALSE(open.empty());

  const store::TableView& t = s->table("wl_pathways");
  const auto start = t.column("clock_start_date").values<Days>();
  const store::ColumnView& stop = t.column("clock_stop_date");
  const store::ColumnView& removal = t.column("removal_date");
  const store::ColumnView& validation = t.column("last_validation_date");
  std::set<std::int64_t> rows;
  std::size_t with_validation = 0;
  for (const PtlPeriod& p : open) {
    rows.insert(p.row);
    const auto r = static_cast<std::size_t>(p.row);
    EXPECT_TRUE(p.has_validation_data);
    EXPECT_LE(start[r], on);
    if (removal.valid(r)) {
      EXPECT_GT(removal.values<Days>()[r], on) << "a period removed on or before the day is not on the list";
    }
    if (stop.valid(r)) {
      EXPECT_GT(stop.values<Days>()[r], on);
    }
    if (validation.valid(r)) {
      EXPECT_EQ(p.last_validation, validation.values<Days>()[r]);
      ++with_validation;
    } else {
      EXPECT_EQ(p.last_validation, kNoDate);
    }
  }
  EXPECT_GT(with_validation, 0u);
  // The removals matter: some rows are open but for their removal date.
  std::size_t removed_by_then = 0;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (start[r] <= on && !(stop.valid(r) && stop.values<Days>()[r] <= on) && removal.valid(r) &&
        removal.values<Days>()[r] <= on) {
      ++removed_by_then;
      EXPECT_EQ(rows.count(static_cast<std::int64_t>(r)), 0u);
    }
  EXPECT_GT(removed_by_then, 0u);
}

}  // namespace
}  // namespace severn::elective
