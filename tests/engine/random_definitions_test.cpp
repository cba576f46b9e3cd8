// Property test: on hundreds of random well-typed definitions over a small synthetic ICS, the
// engine (over the ingested store) and the reference evaluator (straight from the CSV files)
// give exactly the same dataset.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "engine/run.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "reference_evaluator.h"
#include "store/store.h"

namespace severn::testing {
namespace {

// Random definitions over clinical_events, medications, patients and registrations.
class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::string definition() {
    std::string out =
        "codelist bp = \"bp.csv\"\ncodelist hyp = \"hyp.csv\"\ncodelist dm = \"dm.csv\"\n"
        "codelist ace = \"ace.csv\"\n";
    out += "let recent = clinical_events.where(" + condition(true, 1) + ")\n";
    out += "population " + boolean(2) + "\n";
    for (int v = 0; v < 4; ++v) out += "variable v" + std::to_string(v) + " = " + value() + "\n";
    return out;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  std::string months() { return std::to_string(1 + pick(60)) + " months"; }
  std::string date_literal() {
    return format_iso_date(days_from_civil(2005 + pick(20), 1 + pick(12), 1 + pick(28)));
  }
  std::string frame() {
    switch (pick(4)) {
      case 0: return "recent";
      case 1: return "clinical_events.where(" + condition(true, 2) + ")";
      case 2: return "medications.where(" + condition(false, 2) + ")";
      default: return pick(2) ? "clinical_events" : "medications";
    }
  }
  bool clinical(const std::string& f) { return f.rfind("medications", 0) != 0; }
  // A row condition on clinical_events (with values) or medications.
  std::string condition(bool with_values, int depth) {
    if (depth > 0 && pick(3) == 0) {
      const std::string op = pick(2) ? " and " : " or ";
      return "(" + condition(with_values, depth - 1) + op + condition(with_values, depth - 1) + ")";
    }
    if (depth > 0 && pick(8) == 0) return "not (" + condition(with_values, depth - 1) + ")";
    switch (pick(with_values ? 7 : 5)) {
      case 0: return with_values ? (pick(2) ? "code in bp" : "code in hyp") : "code in ace";
      case 1: return with_values ? "code in dm" : "code in ace";
      case 2: return "date <= index_date";
      case 3: return std::string("date in ") + (pick(2) ? "(" : "[") + "index_date - " + months() +
                     ", index_date" + (pick(2) ? "]" : ")");
      case 4: return "date > " + date_literal();
      case 5: return "value > " + std::to_string(50 + pick(120));
      default: return pick(2) ? "value is null" : "value is not null";
    }
  }
  std::string boolean(int depth) {
    if (depth > 0 && pick(3) == 0) {
      const std::string op = pick(2) ? " and " : " or ";
      return "(" + boolean(depth - 1) + op + boolean(depth - 1) + ")";
    }
    if (depth > 0 && pick(10) == 0) return "not " + boolean(depth - 1);
    const std::string f = frame();
    switch (pick(8)) {
      case 0: return f + ".exists()";
      case 1: return f + ".count() > " + std::to_string(pick(6));
      case 2: return "patients.age_on(index_date) >= " + std::to_string(pick(90));
      case 3: return "patients.sex == \"F\"";
      case 4: return "registered_on(index_date - " + months() + ")";
      case 5: return "patients.date_of_death is null";
      case 6: return clinical(f) ? f + ".latest().value > " + std::to_string(40 + pick(100)) : f + ".first().date < " + date_literal();
      default: return f + ".count_distinct(code) >= " + std::to_string(1 + pick(3));
    }
  }
  std::string value() {
    const std::string f = frame();
    switch (pick(11)) {
      case 0: return f + ".count()";
      case 1: return clinical(f) ? f + ".sum(value)" : f + ".count()";
      case 2: return clinical(f) ? f + ".mean(value)" : f + ".exists()";
      case 3: return f + ".min(date)";
      case 4: return clinical(f) ? f + ".max(value)" : f + ".max(date)";
      case 5: return f + ".latest().date";
      case 6: return clinical(f) ? f + ".first().value" : f + ".first().code";
      case 7: return "index_date - " + f + ".latest().date";
      case 8: return "case when " + boolean(1) + " then " + std::to_string(pick(9)) + " else " +
                     (pick(2) ? "null" : std::to_string(pick(9))) + " end";
      case 9: return "patients.age_on(" + f + ".first().date)";
      default: return boolean(2);
    }
  }
  std::mt19937_64 rng_;
};

std::string slurp_list(const std::string& path) { return read_text(path); }

TEST(RandomDefinitions, EngineAgreesWithTheReferenceEvaluator) {
  SEVERN_REQUIRE_PACK();
  Scratch s("random-definitions");
  synthesize_small(s.dir() / "src", 400, 17);
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  const auto store = store::Store::open(s.dir() / "store");
  const auto people = reference::load((s.dir() / "src").string());
  const std::string pack = std::string(SEVERN_TEST_DATA_DIR) + "/codelists/";
  write_text(s.dir() / "bp.csv", slurp_list(pack + "opensafely-systolic-blood-pressure-qof.csv"));
  write_text(s.dir() / "hyp.csv", slurp_list(pack + "nhsd-primary-care-domain-refsets-hyp_cod.csv"));
  write_text(s.dir() / "dm.csv", slurp_list(pack + "nhsd-primary-care-domain-refsets-ifcchbam_cod.csv"));
  write_text(s.dir() / "ace.csv", read_text(std::string(SEVERN_SOURCE_DIR) + "/resources/codelists/dmd-ace-inhibitors.csv"));

  Generator gen(20251122);
  const Days index_date = days_from_civil(2024, 9, 30);
  int compared = 0, non_empty = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string text = gen.definition();
    write_text(s.dir() / "def.sev", text);
    const auto checked = lang::check_file((s.dir() / "def.sev").string(), lang::CheckOptions{});
    engine::RunOptions o;
    o.out = s.dir() / "out";
    o.index_date = index_date;
    o.threads = 2;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    engine::run(*store, checked, o);
    const CsvTable got = CsvTable::read_file(o.out / "dataset.csv");

    std::vector<std::string> want;
    for (const auto& person : people) {
      reference::Evaluator ev(checked, person, index_date);
      const reference::V in = ev.eval(*checked.definition.population);
      if (!(in.k == reference::V::kBool && in.i)) continue;
      std::string line;
      for (const auto& v : checked.definition.variables) line += "|" + reference::show(ev.eval(*v.value));
      want.push_back(line);
    }
    ASSERT_EQ(got.rows(), want.size()) << "round " << round << "\n" << text;
    for (std::size_t r = 0; r < got.rows(); ++r) {
      std::string line;
      for (std::size_t c = 1; c < got.header().size(); ++c) line += "|" + got.cell(r, c);
      ASSERT_EQ(line, want[r]) << "round " << round << ", dataset row " << r << "\n" << text;
    }
    ++compared;
    non_empty += want.empty() ? 0 : 1;
  }
  EXPECT_EQ(compared, 300);
  EXPECT_GT(non_empty, 150);  // the populations are not all empty: the comparison has substance
}

}  // namespace
}  // namespace severn::testing
