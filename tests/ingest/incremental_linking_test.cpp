// Incremental partner linking (severn ingest --previous-store, issue 16): an incremental run
// equals a full rebuild scored with the same model, links anew only what is new or changed, keeps
// person ids and pseudonyms, and refuses a previous store it cannot trust.
#include <gtest/gtest.h>

#include <fstream>

#include "core/csv_table.h"
#include "core/error.h"
#include "ingest_fixture.h"
#include "run_severn.h"
#include "store/manifest.h"

namespace severn::testing {
namespace {

// Sanitizer builds run the same tests on a smaller population (the same code, ten times slower).
#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t kPeople = 1500;
#else
constexpr std::int64_t kPeople = 5000;
#endif

class IncrementalLinking : public ::testing::Test {
 protected:
  // A trained build gives the model; `old` is the same extract built with that model, as every
  // incremental run's reference is.
  static void SetUpTestSuite() {
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR)) return;
    scratch_ = new Scratch("incremental-linking");
    synthesize_small(src(), kPeople, 23);
    key_ = new std::filesystem::path(write_key(scratch_->dir()));
    run_ingest(options_for(src(), dir("trained"), *key_));
    auto o = options_for(src(), dir("old"), *key_);
    o.partner_link_model = model();
    run_ingest(o);
  }
  static void TearDownTestSuite() {
    delete key_;
    delete scratch_;
    scratch_ = nullptr;
  }
  void SetUp() override { SEVERN_REQUIRE_PACK(); }
  static std::filesystem::path dir(const std::string& name) { return scratch_->dir() / name; }
  static std::filesystem::path src() { return dir("src"); }
  static std::filesystem::path model() { return dir("trained") / "identity/partner_link_model.toml"; }
  static std::string links(const std::string& store) { return read_text(dir(store) / "identity/partner_links.csv"); }
  static ingest::IngestOptions incremental(const std::filesystem::path& source, const std::string& store) {
    auto o = options_for(source, dir(store), *key_);
    o.previous_store = dir("old");
    return o;
  }
  // Rows of partner_links.csv linked by NHS number or probabilistically: the reusable ones.
  static std::size_t reusable_rows(const std::string& store) {
    const CsvTable t = CsvTable::read_file(dir(store) / "identity/partner_links.csv");
    std::size_t n = 0;
    for (std::size_t r = 0; r < t.rows(); ++r) n += t.cell(r, "method") == "nhs_number" || t.cell(r, "method") == "probabilistic";
    return n;
  }
  static std::string error_of(const ingest::IngestOptions& o) {
    try {
      run_ingest(o);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }

  static Scratch* scratch_;
  static std::filesystem::path* key_;
};
Scratch* IncrementalLinking::scratch_ = nullptr;
std::filesystem::path* IncrementalLinking::key_ = nullptr;

TEST_F(IncrementalLinking, AnUnchangedExtractReusesEveryLinkAndEqualsTheFullRebuild) {
  const auto r = run_ingest(incremental(src(), "inc_same"));
  EXPECT_EQ(links("inc_same"), links("old"));
  EXPECT_EQ(read_text(dir("inc_same") / "identity/partner_records.csv"), read_text(dir("old") / "identity/partner_records.csv"));
  // Every NHS-number and probabilistic link is reused; only the records without a person (a new
  // GP person might match them) are linked anew.
  EXPECT_EQ(r.linkage.counts.reused, reusable_rows("old"));
  EXPECT_EQ(r.linkage.counts.reused + r.linkage.counts.linked_anew, r.linkage.counts.records);
  EXPECT_LT(r.linkage.counts.linked_anew, r.linkage.counts.records / 10);
  const std::string summary = read_text(dir("inc_same") / "identity/partner_linking.json");
  EXPECT_NE(summary.find("\"incremental\": {\"reused\": " + std::to_string(r.linkage.counts.reused)), std::string::npos)
      << summary;
  // The model is the previous store's, not retrained.
  EXPECT_EQ(read_text(dir("inc_same") / "identity/partner_link_model.toml"), read_text(dir("old") / "identity/partner_link_model.toml"));
}

// Some partner records changed (a family name) and some appended (new local ids, no NHS number):
// the incremental run equals a full rebuild with the same model, and reuses only the others.
TEST_F(IncrementalLinking, ChangedAndAppendedRecordsAreLinkedAnewAndTheResultEqualsAFullRebuild) {
  const auto src2 = dir("src2");
  std::filesystem::copy(src(), src2, std::filesystem::copy_options::recursive);
  const CsvTable index = CsvTable::read_file(src() / "partners/patients.csv");
  std::string text;
  for (std::size_t c = 0; c < index.header().size(); ++c) text += (c ? "," : "") + index.header()[c];
  text += '\n';
  const auto row_text = [&](std::size_t r, const std::string& local, const std::string& nhs, const std::string& family) {
    std::string line;
    for (std::size_t c = 0; c < index.header().size(); ++c) {
      const std::string& name = index.header()[c];
      const std::string v = name == "local_patient_id" ? local : name == "nhs_number" ? nhs
                            : name == "family_name"    ? family : index.cell(r, c);
      line += (c ? "," : "") + v;
    }
    return line + '\n';
  };
  std::size_t changed = 0, appended = 0;
  for (std::size_t r = 0; r < index.rows(); ++r) {
    const bool change = r % 40 == 7;
    changed += change;
    text += row_text(r, index.cell(r, "local_patient_id"), index.cell(r, "nhs_number"),
                     index.cell(r, "family_name") + (change ? "e" : ""));
  }
  for (std::size_t r = 3; r < index.rows() && appended < 25; r += 97, ++appended)
    text += row_text(r, index.cell(r, "local_patient_id") + "N", "", index.cell(r, "family_name"));
  write_text(src2 / "partners/patients.csv", text);

  auto full = options_for(src2, dir("full2"), *key_);
  full.partner_link_model = model();
  const auto f = run_ingest(full);
  const auto r = run_ingest(incremental(src2, "inc2"));
  EXPECT_EQ(links("inc2"), links("full2"));
  EXPECT_EQ(r.linkage.counts.records, f.linkage.counts.records);
  EXPECT_EQ(r.linkage.counts.records, index.rows() + appended);
  // At most the unchanged records OLD linked are reused (fewer when a changed record's new NHS
  // link puts a reused probabilistic one under the second-record rule); the rest is linked anew.
  EXPECT_LE(r.linkage.counts.reused, reusable_rows("old"));
  EXPECT_GE(r.linkage.counts.reused + changed, reusable_rows("old"));
  EXPECT_GE(r.linkage.counts.linked_anew, changed + appended);
  EXPECT_EQ(r.linkage.counts.reused + r.linkage.counts.linked_anew, r.linkage.counts.records);
}

// The same GP extract gives the same person ids and pseudonyms; a GP extract that appends a person
// keeps everybody else's.
TEST_F(IncrementalLinking, PersonIdsAndPseudonymsAreStable) {
  const auto src3 = dir("src3");
  std::filesystem::copy(src(), src3, std::filesystem::copy_options::recursive);
  const CsvTable gp = CsvTable::read_file(src() / "gp/patients.csv");
  // A synthetic NHS number (999 range, modulus 11) that no GP person holds.
  std::string fresh;
  for (long long n = 999999000; fresh.empty(); --n) {
    const std::string base = std::to_string(n);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (base[static_cast<std::size_t>(i)] - '0') * (10 - i);
    const int check = 11 - sum % 11;
    if (check == 10) continue;
    const std::string nhs = base + std::to_string(check == 11 ? 0 : check);
    bool used = false;
    for (std::size_t r = 0; r < gp.rows() && !used; ++r) used = gp.cell(r, "nhs_number") == nhs;
    if (!used) fresh = nhs;
  }
  std::string line;
  for (std::size_t c = 0; c < gp.header().size(); ++c)
    line += (c ? "," : "") + (gp.header()[c] == "nhs_number" ? fresh : gp.cell(gp.rows() - 1, c));
  {
    std::ofstream out(src3 / "gp/patients.csv", std::ios::app);
    out << line << '\n';
  }
  run_ingest(incremental(src3, "inc3"));
  const std::string pseudonyms = store::column_path("patients", "pseudonym");
  EXPECT_EQ(read_text(dir("old") / "identity/persons.csv"), read_text(dir("trained") / "identity/persons.csv"));
  const std::string old_persons = read_text(dir("old") / "identity/persons.csv");
  const std::string new_persons = read_text(dir("inc3") / "identity/persons.csv");
  ASSERT_GT(new_persons.size(), old_persons.size());
  EXPECT_EQ(new_persons.substr(0, old_persons.size()), old_persons);  // the same ids, one person appended
  const std::string old_p = read_text(dir("old") / pseudonyms), new_p = read_text(dir("inc3") / pseudonyms);
  EXPECT_EQ(new_p.size(), old_p.size() + 32);
  EXPECT_EQ(new_p.substr(0, old_p.size()), old_p);
}

TEST_F(IncrementalLinking, APreviousStoreItCannotTrustIsRefused) {
  // Not a store.
  auto o = incremental(src(), "bad");
  o.previous_store = src();
  EXPECT_NE(error_of(o).find("--previous-store " + src().string()), std::string::npos) << error_of(o);
  // Another pseudonym key.
  o = incremental(src(), "bad");
  const auto other_key = dir("other.key");
  write_text(other_key, std::string(32, 'z') + "fedcba9876543210");
  o.key_file = other_key.string();
  EXPECT_NE(error_of(o).find("another pseudonym key"), std::string::npos) << error_of(o);
  // A missing identity file and a damaged one.
  const auto broken = dir("broken");
  std::filesystem::copy(dir("old"), broken, std::filesystem::copy_options::recursive);
  std::filesystem::remove(broken / "identity/partner_link_model.toml");
  o = incremental(src(), "bad");
  o.previous_store = broken;
  EXPECT_NE(error_of(o).find("partner_link_model.toml"), std::string::npos) << error_of(o);
  std::filesystem::remove_all(broken);
  std::filesystem::copy(dir("old"), broken, std::filesystem::copy_options::recursive);
  std::string damaged = read_text(broken / "identity/partner_links.csv");
  damaged[damaged.size() / 2] = damaged[damaged.size() / 2] == '1' ? '2' : '1';
  write_text(broken / "identity/partner_links.csv", damaged);
  EXPECT_NE(error_of(o).find("partner_links.csv"), std::string::npos) << error_of(o);
  EXPECT_FALSE(std::filesystem::exists(dir("bad")));  // nothing was built
  // From the command line: exit status 1 and the reason.
  const auto cli = run_severn("ingest " + src().string() + " --store " + dir("bad").string() + " --key-file " +
                              other_key.string() + " --as-of 2025-06-30 --data " + SEVERN_TEST_DATA_DIR +
                              " --previous-store " + dir("old").string());
  EXPECT_EQ(cli.code, 1) << cli.output;
  EXPECT_NE(cli.output.find("another pseudonym key"), std::string::npos) << cli.output;
}

}  // namespace
}  // namespace severn::testing
