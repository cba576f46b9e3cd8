// The clock engine against the synthetic ICS's ground truth: the reporting errors the synthesis
// injected into the reported list (truth/rtt_reporting_errors.csv) must be found (recall), and
// the reconciliation findings must be those errors (precision). The extract is synthesised once
// per build of the tests (a small ICS), or taken from SEVERN_ELECTIVE_EXTRACT (a `severn synth`
// output directory). Skips, saying why, when the synthesis writes no pathway activity.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "clock_extract_support.h"
#include "shared_world.h"
#include "synth/config.h"
#include "synth/synthesize.h"

namespace severn::elective {
namespace {

namespace fs = std::filesystem;

fs::path extract_dir() {
  if (const char* dir = std::getenv("SEVERN_ELECTIVE_EXTRACT")) return dir;
  return severn::testing::shared_world("elective-clock-truth", [](const fs::path& d) {
    synth::SynthConfig c;
    c.people = 20000;
    c.seed = 20261207;
    c.out = d / "src";
    c.data_dir = SEVERN_TEST_DATA_DIR;
    synth::synthesize(c);
  }) / "src";
}

// Which finding each injected error should give.
const std::map<std::string, FindingCode>& expected_finding() {
  static const std::map<std::string, FindingCode> m = {
      {"clock_start_keyed_as_first_appointment", FindingCode::kStartDiffers},
      {"treated_left_open", FindingCode::kReportedOpenButStopped},
      {"dna_not_nullified", FindingCode::kNullifiedButReported},
      {"stop_date_off", FindingCode::kStopDateDiffers},
      {"duplicate_row", FindingCode::kDuplicateReportedPeriod},
  };
  return m;
}

TEST(ClockSynthTruth, InjectedReportingErrorsAreFoundAndFindingsAreThoseErrors) {
  const fs::path dir = extract_dir();
  ASSERT_TRUE(fs::exists(dir / "wlmds/rtt_activity.csv")) << dir;
  ASSERT_TRUE(fs::exists(dir / "truth/rtt_reporting_errors.csv")) << dir;
  testing::ExtractClocks x;
  testing::read_extract(dir, x);
  const auto act = x.activity.columns();
  const auto rep = x.reported.columns();
  const ClockRun run = derive_clocks(act, &rep, 2);

  using Key = std::tuple<std::string, int, std::string, FindingCode>;
  std::set<Key> truth;
  std::map<std::string, int> truth_by_error;
  const CsvTable t = CsvTable::read_file(dir / "truth/rtt_reporting_errors.csv");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& error = t.cell(r, "error");
    const auto it = expected_finding().find(error);
    ASSERT_NE(it, expected_finding().end()) << "an injected error this test does not know: " << error;
    truth.insert({t.cell(r, "patient_pathway_id"), std::stoi(t.cell(r, "rtt_period")), t.cell(r, "provider_code"), it->second});
    ++truth_by_error[error];
  }
  std::set<Key> found;
  std::map<std::string, int> by_code;
  for (const Finding& f : run.findings) {
    ++by_code[std::string(finding_name(f.code))];
    if (is_reconciliation(f.code)) found.insert({x.ppi[f.pathway], f.period, f.provider_code, f.code});
  }
  std::size_t true_positives = 0;
  for (const Key& k : found) true_positives += truth.count(k);
  std::printf("clock truth: %zu activity rows, %zu reported rows, %zu derived periods; %zu injected errors, %zu distinct "
              "reconciliation findings, %zu of them injected errors\n",
              act.rows(), rep.rows(), run.periods.size(), truth.size(), found.size(), true_positives);
  for (const auto& [code, n] : by_code) std::printf("  finding %-36s %d\n", code.c_str(), n);
  for (const auto& [error, n] : truth_by_error) {
    const FindingCode code = expected_finding().at(error);
    int hit = 0;
    for (const Key& k : truth)
      if (std::get<3>(k) == code && found.count(k) > 0) ++hit;
    const double recall = static_cast<double>(hit) / n;
    std::printf("  injected %-40s %5d  recall %.4f\n", error.c_str(), n, recall);
    EXPECT_GE(recall, 0.95) << error;
  }
  const double precision = found.empty() ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(found.size());
  std::printf("  precision of the reconciliation findings %.4f\n", precision);
  EXPECT_GE(precision, 0.95);
  // The synthetic activity follows the rules: no activity anomalies beyond a handful.
  std::size_t anomalies = 0;
  for (const Finding& f : run.findings) {
    if (is_reconciliation(f.code)) continue;
    if (++anomalies <= 5)
      std::printf("  anomaly %s %s: %s\n", x.ppi[f.pathway].c_str(), std::string(finding_name(f.code)).c_str(), f.detail.c_str());
  }
  EXPECT_LE(anomalies, act.rows() / 1000) << "activity anomalies in the synthetic activity";
}

}  // namespace
}  // namespace severn::elective
