#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/csv_table.h"
#include "core/error.h"
#include "core/nhs_number.h"
#include "refdata/codelists.h"
#include "pack.h"
#include "synth/extract_files.h"
#include "synth/synth_fixture.h"
#include "synth/targets.h"

namespace severn::synth {
namespace {

namespace fs = std::filesystem;
using testing::run_once;
using testing::small_config;

SynthConfig files_run() { return small_config("files", 4000); }

CsvTable table(Extract e) {
  return CsvTable::read_file(files_run().out / spec(e).path);
}

TEST(Synth, SameSeedGivesByteIdenticalFilesWhateverTheThreads) {
  SEVERN_REQUIRE_PACK();
  auto a = small_config("det-a", 1500, 5);
  auto b = small_config("det-b", 1500, 5);
  auto c = small_config("det-c", 1500, 6);
  a.threads = 1;
  b.threads = 3;
  synthesize(a);
  synthesize(b);
  synthesize(c);
  int differ = 0;
  for (int e = 0; e < kExtractCount; ++e) {
    const char* path = spec(static_cast<Extract>(e)).path;
    EXPECT_EQ(testing::slurp(a.out / path), testing::slurp(b.out / path)) << path;
    differ += testing::slurp(a.out / path) != testing::slurp(c.out / path);
  }
  EXPECT_GT(differ, 10) << "a different seed should change the data";
}

TEST(Synth, EveryFileMatchesItsSchema) {
  SEVERN_REQUIRE_PACK();
  const auto& report = run_once(files_run());
  for (int e = 0; e < kExtractCount; ++e) {
    const auto ex = static_cast<Extract>(e);
    const auto t = table(ex);  // throws on a wrong field count or broken quoting
    std::string header;
    for (const auto& h : t.header()) header += (header.empty() ? "" : ",") + h;
    EXPECT_EQ(header, spec(ex).header);
    EXPECT_EQ(static_cast<std::int64_t>(t.rows()), report.rows_per_file[static_cast<std::size_t>(e)].second)
        << spec(ex).path;
    for (std::size_t c = 0; c < t.header().size(); ++c) {
      const auto& name = t.header()[c];
      if (name.find("date") == std::string::npos) continue;
      for (std::size_t r = 0; r < t.rows(); ++r)
        if (!t.is_empty(r, c)) {
          ASSERT_TRUE(parse_iso_date(t.cell(r, c))) << spec(ex).path << " " << name;
        }
    }
  }
  EXPECT_GT(report.rows_per_file[static_cast<std::size_t>(Extract::kGpEvents)].second, 50000);
  EXPECT_GT(report.rows_per_file[static_cast<std::size_t>(Extract::kRttPathways)].second, 1000);
}

TEST(Synth, NhsNumbersAreValidTestRangeNumbers) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto patients = table(Extract::kGpPatients);
  std::set<std::string> seen;
  for (std::size_t r = 0; r < patients.rows(); ++r) {
    const auto& n = patients.cell(r, "nhs_number");
    ASSERT_TRUE(is_valid_nhs_number(n)) << n;
    ASSERT_EQ(n.substr(0, 3), "999");
    ASSERT_TRUE(seen.insert(n).second) << "duplicate " << n;
  }
  // Partner copies: valid unless the ground truth says they were mistyped or left out.
  const auto pmi = table(Extract::kPartnerPatients);
  const auto truth = table(Extract::kTruthPartnerRecords);
  ASSERT_EQ(pmi.rows(), truth.rows());
  int missing = 0, mistyped = 0;
  for (std::size_t r = 0; r < pmi.rows(); ++r) {
    ASSERT_EQ(pmi.cell(r, "local_patient_id"), truth.cell(r, "local_patient_id"));
    const auto& disc = truth.cell(r, "discrepancies");
    const auto& n = pmi.cell(r, "nhs_number");
    if (disc.find("nhs_number_missing") != std::string::npos) {
      EXPECT_TRUE(n.empty());
      ++missing;
    } else if (disc.find("nhs_number_mistyped") != std::string::npos) {
      ++mistyped;
    } else {
      EXPECT_TRUE(is_valid_nhs_number(n)) << n;
      EXPECT_EQ(n.substr(0, 3), "999");
    }
  }
  EXPECT_GT(missing, 0);
  EXPECT_GT(mistyped, 0);
}

// Every code in every extract comes from a shipped code list of the right code system.
TEST(Synth, EveryCodeIsFromAShippedCodeList) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto lib = refdata::CodelistLibrary::load(refdata::DataDir(SEVERN_TEST_DATA_DIR));
  std::map<std::string, std::set<std::string>> by_system;
  for (const auto& [name, list] : lib.all()) {
    std::string system = name.rfind("dmd-", 0) == 0 || name == "opensafely-statin-medication" ? "dmd"
                         : name.rfind("icd10-", 0) == 0 ? "icd10"
                         : name.rfind("opcs4-", 0) == 0 ? "opcs4" : "snomedct";
    by_system[system].insert(list.codes.begin(), list.codes.end());
  }
  auto check = [&](Extract e, const char* column, const char* system, bool list = false) {
    const auto t = table(e);
    const auto c = t.column(column);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const auto& v = t.cell(r, c);
      if (v.empty()) continue;
      std::size_t start = 0;
      while (start <= v.size()) {
        const auto end = list ? v.find(';', start) : std::string::npos;
        const auto code = v.substr(start, end == std::string::npos ? std::string::npos : end - start);
        ASSERT_TRUE(by_system[system].count(code)) << spec(e).path << " " << column << " " << code;
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  };
  check(Extract::kGpEvents, "snomedct_code", "snomedct");
  check(Extract::kGpMedications, "dmd_code", "dmd");
  check(Extract::kApc, "primary_diagnosis", "icd10");
  check(Extract::kApc, "secondary_diagnoses", "icd10", true);
  check(Extract::kApc, "primary_procedure", "opcs4");
  check(Extract::kEc, "diagnosis_code", "snomedct");
  check(Extract::kEc, "acuity_code", "snomedct");
  check(Extract::kDeaths, "underlying_cause", "icd10");
  check(Extract::kCancer, "site_icd10", "icd10");
}

struct Prevalence {
  std::map<int, std::pair<int, int>> by_quintile;  // quintile -> (with, people)
  double in(int q) const {
    const auto& [w, n] = by_quintile.at(q);
    return n ? static_cast<double>(w) / n : 0;
  }
};

TEST(Synth, DeprivationAndEthnicityGradientsPointTheRightWay) {
  SEVERN_REQUIRE_PACK();
  const auto cfg = small_config("gradients", 40000, 3);
  run_once(cfg);
  const auto t = CsvTable::read_file(cfg.out / spec(Extract::kTruthPersons).path);
  std::map<std::string, Prevalence> prev;
  int sa = 0, sa_t2 = 0, white = 0, white_t2 = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!t.is_empty(r, t.column("date_of_death"))) continue;
    const int q = (static_cast<int>(t.get_int(r, t.column("imd_decile"))) + 1) / 2;
    const auto& cond = t.cell(r, "conditions");
    for (const char* c : {"diabetes", "copd", "severe_mental_illness", "coronary_heart_disease"}) {
      auto& [with, n] = prev[c].by_quintile[q];
      ++n;
      with += cond.find(c) != std::string::npos;
    }
    const char e = t.cell(r, "ethnic_category")[0];
    const bool t2 = cond.find("diabetes_type2") != std::string::npos;
    if (e == 'H' || e == 'J' || e == 'K' || e == 'L') ++sa, sa_t2 += t2;
    if (e == 'A') ++white, white_t2 += t2;
  }
  for (const char* c : {"diabetes", "copd", "severe_mental_illness", "coronary_heart_disease"})
    EXPECT_GT(prev[c].in(1), prev[c].in(5)) << c << " should be commoner in the most deprived quintile";
  EXPECT_GT(prev["copd"].in(1), 1.5 * prev["copd"].in(5));
  ASSERT_GT(sa, 100);
  EXPECT_GT(static_cast<double>(sa_t2) / sa, 1.2 * white_t2 / white)
      << "type 2 diabetes should be commoner in South Asian groups (age-adjustment aside)";
}

TEST(Synth, ScaledTargetsAreMetWithinTolerance) {
  SEVERN_REQUIRE_PACK();
  const auto& report = run_once(small_config("gradients", 40000, 3));
  int checked = 0;
  for (const auto& c : report.calibration) {
    if (!c.checked || c.target <= 0) continue;
    // Binomial noise at 40,000 people: allow three standard errors or 5%, whichever is larger.
    const double count_like = c.unit == "%" ? 400 : c.target;
    const double tolerance = std::max(0.05, 3.0 / std::sqrt(std::max(count_like, 1.0)));
    EXPECT_NEAR(c.generated / c.target, 1.0, tolerance) << c.measure;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(Synth, BadArgumentsFailClearlyAndLeaveNoOutput) {
  SEVERN_REQUIRE_PACK();
  auto c = small_config("bad", 100);
  c.overwrite = false;
  fs::remove_all(c.out);
  c.people = -5;
  EXPECT_THROW(synthesize(c), InputError);
  c.people = 100;
  c.years = 0;
  EXPECT_THROW(synthesize(c), InputError);
  c.years = 10;
  c.end_date = days_from_civil(1995, 1, 1);  // history would start before 1990
  EXPECT_THROW(synthesize(c), InputError);
  c.end_date = days_from_civil(2025, 3, 31);
  c.out = "/nonexistent-dir/severn/out";
  EXPECT_THROW(synthesize(c), InputError);
  EXPECT_FALSE(fs::exists(small_config("bad", 100).out));

  // An existing directory is never replaced without --overwrite, and stays as it was.
  auto existing = small_config("existing", 100);
  existing.overwrite = false;
  fs::create_directories(existing.out);
  { std::ofstream(existing.out / "keep.txt") << "mine"; }
  EXPECT_THROW(synthesize(existing), InputError);
  EXPECT_EQ(testing::slurp(existing.out / "keep.txt"), "mine");
  // A missing reference file stops the run before anything is written.
  auto nodata = small_config("nodata", 100);
  nodata.data_dir = testing::scratch_dir("empty-pack").string();
  fs::create_directories(nodata.data_dir);
  fs::remove_all(nodata.out);
  EXPECT_THROW(synthesize(nodata), InputError);
  EXPECT_FALSE(fs::exists(nodata.out));
  for (const auto& e : fs::directory_iterator(nodata.out.parent_path()))
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
}

}  // namespace
}  // namespace severn::synth
