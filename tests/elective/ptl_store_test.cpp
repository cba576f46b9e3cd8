// The PTL on a small synthetic ICS (synthesis and ingest shared per build: shared_world.h): the
// open periods and their waits, the order by score, harm evidence recounted from the store's
// tables by their dictionary values, the identity area's audited read (refused without who and
// purpose), and the `severn elective ptl` / `prioritise` commands as a user runs them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/csv_table.h"
#include "core/error.h"
#include "elective/ptl.h"
#include "ingest/ingest_fixture.h"
#include "refdata/data_dir.h"
#include "run_severn.h"
#include "shared_world.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;

struct World {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::string provider;
  Days on = 0;
};

const World& world() {
  static const World w = [] {
    World x;
    x.dir = testing::shared_world("elective-ptl-world", [](const fs::path& d) {
      testing::synthesize_small(d / "src", 3000, 20261207);
      ingest::run_ingest(testing::options_for(d / "src", d / "store", testing::write_key(d)));
    });
    x.store = store::Store::open(x.dir / "store");
    x.provider = std::string(x.store->dictionary("wl_pathways.provider_code")[0]);
    x.on = default_list_date(*x.store);
    return x;
  }();
  return w;
}

PatientTrackingList ptl_of(const World& w) {
  const auto data = refdata::DataDir(SEVERN_TEST_DATA_DIR);
  static const auto codelists = refdata::CodelistLibrary::load(data);
  static const auto geography = refdata::load_geography(data);
  const LinkedRecord record(*w.store, codelists, geography);
  return build_ptl(*w.store, record, w.provider, w.on, PriorityWeights{});
}

std::string read_text_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(PtlStore, EveryOpenPeriodOfTheProviderOnceInScoreOrder) {
  SEVERN_REQUIRE_PACK();
  const World& w = world();
  const PatientTrackingList ptl = ptl_of(w);
  // Recount from the table's columns: on the list when clock_start <= D < clock stop (or no stop).
  const store::TableView& t = w.store->table("wl_pathways");
  const auto start = t.column("clock_start_date").values<Days>();
  const auto& stop = t.column("clock_stop_date");
  const auto prov = t.column("provider_code").values<std::uint32_t>();
  const auto& dict = w.store->dictionary("wl_pathways.provider_code");
  std::set<std::int64_t> expected;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (dict[prov[r]] != w.provider || start[r] > w.on) continue;
    const bool has_removal = t.has_column("removal_date") && t.column("removal_date").valid(r);
    if (has_removal && t.column("removal_date").values<Days>()[r] <= w.on) continue;
    if (!stop.valid(r) || stop.values<Days>()[r] > w.on) expected.insert(static_cast<std::int64_t>(r));
  }
  ASSERT_GT(expected.size(), 20u);
  std::set<std::int64_t> got;
  for (std::size_t i = 0; i < ptl.rows.size(); ++i) {
    const PtlRow& r = ptl.rows[i];
    got.insert(r.period.row);
    EXPECT_EQ(r.days_waited, w.on - r.period.clock_start);
    EXPECT_EQ(r.breach[0], r.period.clock_start + 127);
    EXPECT_EQ(r.period.provider_code, w.provider);
    EXPECT_NEAR(r.score.total(), r.score.clinical + r.score.time + r.score.harm + r.score.core20plus, 1e-9);
    if (i > 0) {
      EXPECT_GE(ptl.rows[i - 1].score.total(), r.score.total());
    }
  }
  EXPECT_EQ(got, expected);
}

TEST(PtlStore, EmergencyAdmissionsAndAEAttendancesRecountedFromTheTables) {
  SEVERN_REQUIRE_PACK();
  const World& w = world();
  const PatientTrackingList ptl = ptl_of(w);
  const store::TableView& apcs = w.store->table("apcs");
  const auto adm = apcs.column("admission_date").values<Days>();
  const auto method = apcs.column("admission_method").values<std::uint32_t>();
  const auto& methods = w.store->dictionary("apcs.admission_method");
  const store::TableView& ec = w.store->table("ec");
  const auto arrival = ec.column("arrival_date").values<Days>();
  const std::set<std::string> emergency{"21", "22", "23", "24", "25", "28", "2A", "2B", "2C", "2D"};
  int with_evidence = 0;
  for (const PtlRow& r : ptl.rows) {
    int admissions = 0, attendances = 0;
    for (std::size_t k = apcs.person_offsets()[r.period.person]; k < apcs.person_offsets()[r.period.person + 1]; ++k)
      if (adm[k] > r.period.clock_start && adm[k] <= w.on && emergency.count(std::string(methods[method[k]])))
        ++admissions;
    for (std::size_t k = ec.person_offsets()[r.period.person]; k < ec.person_offsets()[r.period.person + 1]; ++k)
      if (arrival[k] > r.period.clock_start && arrival[k] <= w.on) ++attendances;
    EXPECT_EQ(r.harm.emergency_admissions, admissions);
    EXPECT_EQ(r.harm.ae_attendances, attendances);
    EXPECT_LE(r.harm.new_long_term_conditions, r.harm.long_term_conditions);
    with_evidence += admissions + attendances > 0;
  }
  EXPECT_GT(with_evidence, 0);
}

TEST(PtlStore, IdentitiesAreReadOnlyWithWhoAndPurposeAndTheObserverSeesTheRead) {
  SEVERN_REQUIRE_PACK();
  const World& w = world();
  const PatientTrackingList ptl = ptl_of(w);
  std::vector<std::string> seen;
  std::vector<std::uint32_t> ids;
  const auto area = store::IdentityArea::open(*w.store, [&](const store::IdentityAccess& a) {
    seen.push_back(a.context->who + "|" + a.context->purpose);
    if (a.person_ids && a.file.empty()) ids = *a.person_ids;  // the persons read, not identity/pathways.csv
  });
  EXPECT_THROW(read_ptl_identities(*w.store, area, {"", "direct care"}, ptl.rows), InputError);
  EXPECT_THROW(read_ptl_identities(*w.store, area, {"dr a", ""}, ptl.rows), InputError);
  EXPECT_TRUE(seen.empty());  // refused before any read
  const auto identities = read_ptl_identities(*w.store, area, {"dr a", "direct care: PTL"}, ptl.rows);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0], "dr a|direct care: PTL");
  ASSERT_EQ(ids.size(), ptl.rows.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], ptl.rows[i].period.person);
  ASSERT_EQ(identities.size(), ptl.rows.size());
  EXPECT_EQ(identities[0].nhs_number.size(), 10u);
  const CsvTable csv = CsvTable::parse(ptl_csv(ptl, &identities), "ptl.csv");
  EXPECT_EQ(csv.header()[1], "nhs_number");
  EXPECT_EQ(csv.cell(0, "nhs_number"), identities[0].nhs_number);
  const CsvTable plain = CsvTable::parse(ptl_csv(ptl, nullptr), "ptl.csv");
  EXPECT_FALSE(plain.has_column("nhs_number"));
  EXPECT_FALSE(plain.has_column("family_name"));
  EXPECT_EQ(plain.rows(), ptl.rows.size());
}

TEST(PtlStore, TheCommandsAsAUserRunsThem) {
  SEVERN_REQUIRE_PACK();
  const World& w = world();
  const fs::path out = fs::temp_directory_path() / ("severn_ptl_cli_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string env = std::string("SEVERN_DATA=") + SEVERN_TEST_DATA_DIR;
  const std::string base = "elective ptl --store " + (w.dir / "store").string() + " --provider " + w.provider + " --out ";
  auto refused = testing::run_severn(base + (out / "a").string() + " --identifiable", {env});
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("--who"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(out / "a" / "ptl.csv"));
  const auto ok = testing::run_severn(base + (out / "b").string() + " --identifiable --who tester --purpose 'direct care: test'", {env});
  ASSERT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("identity area read by tester for direct care: test"), std::string::npos) << ok.output;
  EXPECT_EQ(CsvTable::read_file(out / "b" / "ptl.csv").header()[1], "nhs_number");
  const auto plain = testing::run_severn(base + (out / "c").string(), {env});
  ASSERT_EQ(plain.code, 0) << plain.output;
  EXPECT_EQ(plain.output.find("identity area"), std::string::npos);
  EXPECT_FALSE(CsvTable::read_file(out / "c" / "ptl.csv").has_column("nhs_number"));

  const auto unknown = testing::run_severn("elective ptl --store " + (w.dir / "store").string() +
                                           " --provider NOPE --out " + (out / "d").string(), {env});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.output.find("'NOPE' holds no list"), std::string::npos) << unknown.output;

  const std::string prio = "elective prioritise --store " + (w.dir / "store").string() + " --seed 5 --out ";
  ASSERT_EQ(testing::run_severn(prio + (out / "p1").string(), {env}).code, 0);
  ASSERT_EQ(testing::run_severn(prio + (out / "p2").string(), {env}).code, 0);
  const std::string first = read_text_file(out / "p1" / "policy_comparison.csv");
  EXPECT_EQ(first, read_text_file(out / "p2" / "policy_comparison.csv"));
  const CsvTable t = CsvTable::parse(first, "policy_comparison.csv");
  std::set<std::string> policies;
  for (std::size_t i = 0; i < t.rows(); ++i) policies.insert(t.cell(i, "policy"));
  EXPECT_EQ(policies, (std::set<std::string>{"longest_wait_first", "priority_then_wait", "equity_aware"}));
  EXPECT_NE(read_text_file(out / "p1" / "policy_comparison.json").find("\"applied\": true"), std::string::npos);
  fs::remove_all(out);
}

}  // namespace
}  // namespace severn::elective
