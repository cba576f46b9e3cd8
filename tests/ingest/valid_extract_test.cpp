#include <gtest/gtest.h>

#include "ingest_fixture.h"
#include "store/store.h"

namespace severn::testing {
namespace {

TEST(ValidExtract, EveryRowIsAcceptedAndTheLedgerBalances) {
  SEVERN_REQUIRE_PACK();
  Scratch s("valid");
  write_extract(s.dir() / "src", valid_extract());
  const auto key = write_key(s.dir());
  const auto r = ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", key));
  EXPECT_EQ(r.persons, 3U);
  for (const auto& e : r.ledger) {
    EXPECT_EQ(e.status, "ok") << e.source;
    EXPECT_EQ(e.quarantined, 0U) << e.source << ": " << read_text(s.dir() / "store/quarantine" / (e.table + ".csv"));
    EXPECT_EQ(e.read, e.accepted() + e.quarantined) << e.source;
  }
  EXPECT_EQ(ledger_row(r, "sus/apc_spells.csv").unlinked, 1U);  // no NHS number
  EXPECT_EQ(ledger_row(r, "partners/patients.csv").unlinked, 1U);
  const auto store = store::Store::open(s.dir() / "store");
  EXPECT_EQ(store->table("clinical_events").rows(), 4U);
  EXPECT_EQ(store->table("apcs").rows(), 2U);
}

}  // namespace
}  // namespace severn::testing
