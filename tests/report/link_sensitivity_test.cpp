// Linkage uncertainty end to end (docs/linkage-uncertainty.md): the report world's store (1,500
// synthetic people) copied and given link probabilities, as `severn ingest` will write them once
// it links partner records probabilistically; then `severn run --min-link-probability` and
// `severn report --link-sensitivity` as a user runs them. Counts are checked against a hand count
// over the store's own rows.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "report_world.h"
#include "store/link_probability_fixture.h"
#include "store/store.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefinition = R"SEV(# title: Hospital activity in the year
population true

let admitted = apcs.where(admission_date in [interval_start, index_date]).exists()
let attended = ec.where(arrival_date in [interval_start, index_date]).exists()

measure admitted_pct numerator admitted denominator true
  by place, imd_quintile
  stats proportion per 100
  intervals yearly from 2024-04-01 to 2025-03-31
measure attended_ec_pct numerator attended denominator true
  by place, imd_quintile
  stats proportion per 100
  intervals yearly from 2024-04-01 to 2025-03-31
)SEV";

// The probability given to a partner row: persons 1, 5, 9, ... are linked weakly (0.6) on
// every row; persons 3, 7, 11, ... strongly (0.95) on their first row of a table and weakly
// (0.8) on the rest; everyone else with certainty.
double probability(std::size_t person, std::uint64_t row) {
  if (person % 4 == 1) return 0.6;
  if (person % 4 == 3) return row == 0 ? 0.95 : 0.8;
  return 1.0;
}

struct World {
  fs::path dir, store, definition;
  CommandResult run_all, run_strong, run_zero, run_plain_all, run_plain_strong, report_plain, report_sensitive;
};

const World& world() {
  static const World w = [] {
    const fs::path base_store = report_world().store;
    const fs::path dir = shared_world("link-sensitivity", [&](const fs::path& d) {
      fs::copy(base_store, d / "store", fs::copy_options::recursive);
      // A store built before probabilistic linkage, which has no link_probability column.
      fs::copy(base_store, d / "old_store", fs::copy_options::recursive);
      remove_link_probabilities(d / "old_store");
      for (const char* table : {"apcs", "ec", "opa"}) add_link_probabilities_by_person(d / "store", table, probability);
      write_text(d / "activity.sev", kDefinition);
      const std::string common = " --index-date 2025-03-31 --threads 2 --data " + std::string(SEVERN_TEST_DATA_DIR);
      const auto run = [&](const std::string& name, const std::string& args) {
        const CommandResult c = run_severn(args + common);
        write_text(d / (name + ".code"), std::to_string(c.code));
        write_text(d / (name + ".output"), c.output);
      };
      const std::string def = (d / "activity.sev").string();
      const std::string store = " --store " + (d / "store").string();
      run("run_all", "run " + def + store + " --out " + (d / "run_all").string() + " --no-disclosure-control");
      run("run_strong", "run " + def + store + " --out " + (d / "run_strong").string() +
                            " --no-disclosure-control --min-link-probability 0.9");
      run("run_zero", "run " + def + store + " --out " + (d / "run_zero").string() +
                          " --no-disclosure-control --min-link-probability 0");
      const std::string old_store = (d / "old_store").string();
      run("run_plain_all", "run " + def + " --store " + old_store + " --out " + (d / "run_plain_all").string());
      run("run_plain_strong", "run " + def + " --store " + old_store + " --out " +
                                  (d / "run_plain_strong").string() + " --min-link-probability 0.9");
      run("report_plain", "report --definitions " + def + store + " --out " + (d / "report_plain").string());
      run("report_sensitive", "report --definitions " + def + store + " --out " + (d / "report_sensitive").string() +
                                  " --link-sensitivity 0.9");
    });
    World r;
    r.dir = dir;
    r.store = dir / "store";
    r.definition = dir / "activity.sev";
    const auto result = [&](const std::string& name) {
      return CommandResult{std::stoi(read_text(dir / (name + ".code"))), read_text(dir / (name + ".output"))};
    };
    r.run_all = result("run_all");
    r.run_strong = result("run_strong");
    r.run_zero = result("run_zero");
    r.run_plain_all = result("run_plain_all");
    r.run_plain_strong = result("run_plain_strong");
    r.report_plain = result("report_plain");
    r.report_sensitive = result("report_sensitive");
    return r;
  }();
  return w;
}

class LinkSensitivityEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(SEVERN_TEST_DATA_DIR)) GTEST_SKIP() << "reference pack absent";
  }
};

// measures.csv's whole-ICS row of a measure: numerator, denominator.
std::pair<std::string, std::string> whole(const fs::path& csv, const std::string& measure) {
  const CsvTable t = CsvTable::read_file(csv);
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.cell(r, "measure") == measure && t.cell(r, "breakdown") == "all") return {t.cell(r, "numerator"), t.cell(r, "denominator")};
  throw std::runtime_error("no whole row of " + measure + " in " + csv.string());
}

// Persons with a row of `table` dated in the financial year 2024-25, counting only rows whose
// probability is at least `min` (by probability() above, not by the store's column).
std::uint64_t hand_count(const std::string& table, const std::string& date_column, double min) {
  const auto store = store::Store::open(world().store);
  const auto& t = store->table(table);
  const auto& dates = t.column(date_column);
  const auto days = dates.values<std::int32_t>();
  const Days from = *parse_iso_date("2024-04-01"), to = *parse_iso_date("2025-03-31");
  std::uint64_t persons = 0;
  for (std::size_t p = 0; p + 1 < t.person_offsets().size(); ++p) {
    bool any = false;
    for (std::uint64_t r = t.person_offsets()[p]; r < t.person_offsets()[p + 1]; ++r)
      any = any || (dates.valid(r) && days[r] >= from && days[r] <= to && probability(p, r - t.person_offsets()[p]) >= min);
    persons += any;
  }
  return persons;
}

TEST_F(LinkSensitivityEndToEnd, RunWithoutWeakLinksCountsOnlyTheStrongRows) {
  ASSERT_EQ(world().run_strong.code, 0) << world().run_strong.output;
  ASSERT_EQ(world().run_all.code, 0) << world().run_all.output;
  const std::uint64_t all = hand_count("apcs", "admission_date", 0.0);
  const std::uint64_t strong = hand_count("apcs", "admission_date", 0.9);
  ASSERT_GT(all, strong) << "the fixture should make some admissions depend on weak links";
  EXPECT_EQ(whole(world().dir / "run_all" / "measures.csv", "admitted_pct").first, std::to_string(all));
  EXPECT_EQ(whole(world().dir / "run_strong" / "measures.csv", "admitted_pct").first, std::to_string(strong));
  EXPECT_EQ(whole(world().dir / "run_strong" / "measures.csv", "attended_ec_pct").first,
            std::to_string(hand_count("ec", "arrival_date", 0.9)));
  // Rows, not persons, are removed: everyone is still in the population.
  EXPECT_EQ(whole(world().dir / "run_all" / "measures.csv", "admitted_pct").second,
            whole(world().dir / "run_strong" / "measures.csv", "admitted_pct").second);
  EXPECT_NE(world().run_strong.output.find("links: rows linked with probability below 0.9 left out"), std::string::npos)
      << world().run_strong.output;
  const std::string json = read_text(world().dir / "run_strong" / "run.json");
  EXPECT_NE(json.find("\"links\": {\"min_link_probability\": 0.900000, \"store_has_link_probabilities\": true"),
            std::string::npos) << json;
  EXPECT_NE(read_text(world().dir / "run_all" / "run.json").find("\"links\": null"), std::string::npos);
}

TEST_F(LinkSensitivityEndToEnd, ZeroIsTheWholeStore) {
  ASSERT_EQ(world().run_zero.code, 0) << world().run_zero.output;
  EXPECT_EQ(read_text(world().dir / "run_zero" / "measures.csv"), read_text(world().dir / "run_all" / "measures.csv"));
}

TEST_F(LinkSensitivityEndToEnd, AStoreWithoutProbabilitiesIsAllCertainAndSaysSoOnce) {
  ASSERT_EQ(world().run_plain_strong.code, 0) << world().run_plain_strong.output;
  const std::string& out = world().run_plain_strong.output;
  const std::string note = "has no link_probability column";
  ASSERT_NE(out.find(note), std::string::npos) << out;
  EXPECT_EQ(out.find(note), out.rfind(note)) << "said more than once:\n" << out;
  EXPECT_EQ(read_text(world().dir / "run_plain_strong" / "measures.csv"),
            read_text(world().dir / "run_plain_all" / "measures.csv"));
}

TEST_F(LinkSensitivityEndToEnd, AProbabilityOutsideZeroToOneIsRefusedNamingTheOption) {
  for (const std::string bad : {"1.5", "-0.1", "high", "nan", ""}) {
    const CommandResult r = run_severn("run " + world().definition.string() + " --store " + world().store.string() +
                                       " --out " + (world().dir / "never").string() + " --min-link-probability '" + bad + "'");
    EXPECT_EQ(r.code, 1) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--min-link-probability: '" + bad + "' is not a probability"), std::string::npos) << r.output;
  }
  const CommandResult r = run_severn("report --store " + world().store.string() + " --out " + (world().dir / "never").string() +
                                     " --link-sensitivity 2");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("--link-sensitivity: '2' is not a probability"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(world().dir / "never"));
}

TEST_F(LinkSensitivityEndToEnd, ARunWithoutWeakLinksIsADifferentSetOfCountsInTheLedger) {
  Scratch scratch("link-sensitivity-ledger");
  const fs::path ledger = scratch.dir() / "ledger.csv";
  const std::string common = " --store " + world().store.string() + " --index-date 2025-03-31 --threads 2 --data " +
                             SEVERN_TEST_DATA_DIR + " --release-ledger " + ledger.string();
  const CommandResult all = run_severn("run " + world().definition.string() + common + " --out " + (scratch.dir() / "a").string());
  ASSERT_EQ(all.code, 0) << all.output;
  const CommandResult strong = run_severn("run " + world().definition.string() + common + " --out " +
                                          (scratch.dir() / "b").string() + " --min-link-probability 0.9");
  ASSERT_EQ(strong.code, 0) << strong.output;
  const std::string text = read_text(ledger);
  // The strong run's entries are series of their own; the first run's are not marked.
  EXPECT_NE(text.find("[links>=0.9]"), std::string::npos);
  std::size_t marked = 0, lines = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t nl = text.find('\n', at);
    const std::string line = text.substr(at, nl - at);
    ++lines;
    marked += line.find("[links>=0.9]") != std::string::npos;
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  EXPECT_GT(marked, 0u);
  EXPECT_LT(marked, lines - 1) << "the run over the whole store is not marked";
}

TEST_F(LinkSensitivityEndToEnd, TheReportPublishesBothFiguresSideBySide) {
  ASSERT_EQ(world().report_sensitive.code, 0) << world().report_sensitive.output;
  ASSERT_EQ(world().report_plain.code, 0) << world().report_plain.output;
  const fs::path data = world().dir / "report_sensitive" / "data" / "activity";
  // The all-links figures are the report's own: the same rows, and every number published both
  // with and without the second set beside them the same (the audit of the larger release may
  // withhold other cells: docs/linkage-uncertainty.md).
  const CsvTable measures = CsvTable::read_file(data / "measures.csv");
  const CsvTable plain = CsvTable::read_file(world().dir / "report_plain" / "data" / "activity" / "measures.csv");
  ASSERT_EQ(measures.rows(), plain.rows());
  for (std::size_t r = 0; r < plain.rows(); ++r)
    for (const char* column : {"measure", "interval_start", "breakdown", "group", "numerator", "denominator", "value"}) {
      if (measures.cell(r, column) == "[c]" || plain.cell(r, column) == "[c]") continue;
      EXPECT_EQ(measures.cell(r, column), plain.cell(r, column)) << "row " << r << " " << column;
    }
  EXPECT_FALSE(fs::exists(world().dir / "report_plain" / "data" / "activity" / "linkage_sensitivity.csv"));
  const CsvTable s = CsvTable::read_file(data / "linkage_sensitivity.csv");
  EXPECT_EQ(s.header(), (std::vector<std::string>{"definition", "measure", "interval_start", "interval_end", "breakdown", "group",
                                                  "min_link_probability", "value_all_links", "value_strong_links",
                                                  "value_difference", "numerator_all_links", "numerator_strong_links",
                                                  "numerator_difference", "denominator_all_links", "denominator_strong_links",
                                                  "denominator_difference", "statistic"}));
  ASSERT_GE(s.rows(), measures.rows());
  // Row for row, the all-links figures are measures.csv's.
  for (std::size_t r = 0; r < measures.rows(); ++r) {
    SCOPED_TRACE(measures.cell(r, "measure") + " " + measures.cell(r, "group"));
    EXPECT_EQ(s.cell(r, "definition"), "activity");
    EXPECT_EQ(s.cell(r, "measure"), measures.cell(r, "measure"));
    EXPECT_EQ(s.cell(r, "group"), measures.cell(r, "group"));
    EXPECT_EQ(s.cell(r, "numerator_all_links"), measures.cell(r, "numerator"));
    EXPECT_EQ(s.cell(r, "denominator_all_links"), measures.cell(r, "denominator"));
    EXPECT_EQ(s.cell(r, "value_all_links"), measures.cell(r, "value"));
    // A difference is the published figures' difference, or withheld with either of them.
    const std::string a = s.cell(r, "numerator_all_links"), b = s.cell(r, "numerator_strong_links");
    if (a == "[c]" || b == "[c]") {
      EXPECT_EQ(s.cell(r, "numerator_difference"), "[c]");
    } else {
      EXPECT_EQ(std::stoll(s.cell(r, "numerator_difference")), std::stoll(a) - std::stoll(b));
    }
  }
  // The whole ICS's admissions depend on weak links: the strong figure is lower.
  EXPECT_GT(std::stoll(s.cell(0, "numerator_difference")), 0);
  const std::string html = read_text(world().dir / "report_sensitive" / "index.html");
  EXPECT_NE(html.find("<section id=\"linkage\"><h2>How much the headlines depend on probabilistic links</h2>"), std::string::npos);
  EXPECT_EQ(read_text(world().dir / "report_plain" / "index.html").find("id=\"linkage\""), std::string::npos);
  EXPECT_NE(world().report_sensitive.output.find("linkage sensitivity: the second pass"), std::string::npos)
      << world().report_sensitive.output;
  EXPECT_NE(read_text(data / "run.json").find("\"withheld_against_differencing\""), std::string::npos);
}

}  // namespace
}  // namespace severn::testing
