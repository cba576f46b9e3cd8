// The partner linking stage inside severn ingest, on a small synthetic ICS with ground truth:
// accuracy floors, one partner_links row per partner index row, the ledger's link columns,
// link_probability on partner activity, reviewer decisions and stable cluster ids.
#include <gtest/gtest.h>

#include <map>
#include <unordered_map>

#include "core/error.h"
#include "core/nhs_number.h"
#include "identity/partner_link_evaluation.h"
#include "ingest_fixture.h"
#include "run_severn.h"
#include "store/store.h"

namespace severn::testing {
namespace {

// Sanitizer builds run the same test on a smaller population (the same code, ten times slower).
#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t kPeople = 4000;
#else
constexpr std::int64_t kPeople = 20000;
#endif

class PartnerLinkingIngest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR)) return;
    scratch_ = new Scratch("partner-linking");
    synthesize_small(scratch_->dir() / "src", kPeople, 16);
    key_ = new std::filesystem::path(write_key(scratch_->dir()));
    result_ = new ingest::IngestResult(run_ingest(options_for(scratch_->dir() / "src", store(), *key_)));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete key_;
    delete scratch_;
    result_ = nullptr;
  }
  void SetUp() override { SEVERN_REQUIRE_PACK(); }
  static std::filesystem::path src() { return scratch_->dir() / "src"; }
  static std::filesystem::path store() { return scratch_->dir() / "store"; }
  static CsvTable identity_file(const std::filesystem::path& store_dir, const std::string& name) {
    return CsvTable::read_file(store_dir / "identity" / name);
  }

  static Scratch* scratch_;
  static std::filesystem::path* key_;
  static ingest::IngestResult* result_;
};
Scratch* PartnerLinkingIngest::scratch_ = nullptr;
std::filesystem::path* PartnerLinkingIngest::key_ = nullptr;
ingest::IngestResult* PartnerLinkingIngest::result_ = nullptr;

std::unordered_map<std::string, std::string> store_nhs_numbers(const std::filesystem::path& store_dir) {
  const CsvTable persons = CsvTable::read_file(store_dir / "identity/persons.csv");
  std::unordered_map<std::string, std::string> out;
  for (std::size_t r = 0; r < persons.rows(); ++r) out[persons.cell(r, "person_id")] = persons.cell(r, "nhs_number");
  return out;
}

TEST_F(PartnerLinkingIngest, LinksAreAccurateAgainstTheTruth) {
  const auto a = identity::evaluate_partner_links(identity_file(store(), "partner_links.csv"), store_nhs_numbers(store()),
                                                  CsvTable::read_file(src() / "truth/partner_records.csv"),
                                                  CsvTable::read_file(src() / "truth/persons.csv"));
  EXPECT_GE(a.precision, 0.999) << identity::accuracy_report(a);
  EXPECT_GE(a.recall, 0.99) << identity::accuracy_report(a);
  EXPECT_GT(a.links_by_method.at("probabilistic"), 0U);
}

// Twins share a family name, a home, a date of birth and often alike given names: no partner
// record of one twin may be linked to the other.
TEST_F(PartnerLinkingIngest, NoRecordOfATwinLinksToTheOtherTwin) {
  const CsvTable persons = CsvTable::read_file(src() / "truth/persons.csv");
  std::unordered_map<std::string, std::string> twin_nhs, nhs_of;  // truth person_id -> twin's NHS, own NHS
  for (std::size_t r = 0; r < persons.rows(); ++r) nhs_of[persons.cell(r, "person_id")] = persons.cell(r, "nhs_number");
  for (std::size_t r = 0; r < persons.rows(); ++r)
    if (!persons.cell(r, "twin_of").empty())
      twin_nhs[persons.cell(r, "person_id")] = nhs_of.at(persons.cell(r, "twin_of"));
  ASSERT_GT(twin_nhs.size(), 0U);  // 10 twins in 4,000 people (sanitizer builds), about 50 in 20,000
  const CsvTable truth = CsvTable::read_file(src() / "truth/partner_records.csv");
  const CsvTable links = identity_file(store(), "partner_links.csv");
  ASSERT_EQ(truth.rows(), links.rows());  // both in partners/patients.csv order
  const auto nhs = store_nhs_numbers(store());
  std::size_t twin_records = 0, wrong = 0;
  for (std::size_t r = 0; r < links.rows(); ++r) {
    ASSERT_EQ(truth.cell(r, "local_patient_id"), links.cell(r, "local_patient_id"));
    const auto twin = twin_nhs.find(truth.cell(r, "person_id"));
    if (twin == twin_nhs.end() || links.cell(r, "person_id").empty()) continue;
    ++twin_records;
    wrong += nhs.at(links.cell(r, "person_id")) == twin->second;
  }
  EXPECT_GT(twin_records, 0U);
  EXPECT_EQ(wrong, 0U);
}

TEST_F(PartnerLinkingIngest, OnePartnerLinksRowPerPartnerIndexRowAndTheLedgerSaysHowEachLinked) {
  const CsvTable links = identity_file(store(), "partner_links.csv");
  EXPECT_EQ(links.header(), (std::vector<std::string>{"partner_code", "local_patient_id", "person_id", "method",
                                                      "match_probability", "match_weight"}));
  const ingest::LedgerEntry& index = ledger_row(*result_, "partners/patients.csv");
  EXPECT_EQ(links.rows(), index.accepted());
  std::map<std::string, std::uint64_t> methods;
  for (std::size_t r = 0; r < links.rows(); ++r) {
    const std::string& m = links.cell(r, "method");
    ++methods[m];
    EXPECT_TRUE(m == "nhs_number" || m == "probabilistic" || m == "clerical" || m == "unlinked") << m;
    EXPECT_EQ(links.cell(r, "person_id").empty(), m == "unlinked") << r;
  }
  EXPECT_EQ(index.by_nhs_number, methods["nhs_number"]);
  EXPECT_EQ(index.probabilistic, methods["probabilistic"]);
  EXPECT_EQ(index.in_review + index.no_match, methods["unlinked"]);
  EXPECT_EQ(index.by_nhs_number + index.probabilistic + index.clerical + index.in_review + index.no_match,
            index.accepted());
  EXPECT_EQ(index.linked, index.by_nhs_number + index.probabilistic + index.clerical);
  for (const auto& e : result_->ledger) EXPECT_EQ(e.read, e.accepted() + e.quarantined) << e.source;

  const CsvTable ledger = CsvTable::read_file(store() / "ledger.csv");
  for (const char* c : {"linked_nhs_number", "linked_probabilistic", "linked_clerical", "in_review", "unlinked_no_match"})
    EXPECT_TRUE(ledger.has_column(c)) << c;
}

TEST_F(PartnerLinkingIngest, PartnerActivityCarriesLinkProbability) {
  const auto s = store::Store::open(store());
  for (const char* table : {"apcs", "ec", "opa", "wl_pathways", "community_contacts", "social_care"}) {
    const auto& col = s->table(table).column("link_probability");
    EXPECT_EQ(col.entry().type, store::ColumnType::kFloat64) << table;
    EXPECT_FALSE(col.entry().nullable) << table;
    bool below_one = false;
    for (const double p : col.values<double>()) {
      ASSERT_GT(p, 0.0) << table;
      ASSERT_LE(p, 1.0) << table;
      below_one = below_one || p < 1.0;
    }
    if (std::string(table) == "opa") {
      EXPECT_TRUE(below_one);
    }
  }
  EXPECT_FALSE(s->table("clinical_events").has_column("link_probability"));
}

TEST_F(PartnerLinkingIngest, ReviewDecisionsAreAppliedOnTheNextBuildAndClusterIdsStayTheSame) {
  const CsvTable links = identity_file(store(), "partner_links.csv");
  // A probabilistic link the reviewer rejects, and an NHS-number record the reviewer confirms
  // (a match decision is final whatever the scores say).
  std::string rejected_partner, rejected_local, rejected_person, confirmed_partner, confirmed_local, confirmed_person;
  for (std::size_t r = 0; r < links.rows(); ++r) {
    if (rejected_local.empty() && links.cell(r, "method") == "probabilistic") {
      rejected_partner = links.cell(r, "partner_code");
      rejected_local = links.cell(r, "local_patient_id");
      rejected_person = links.cell(r, "person_id");
    }
    if (confirmed_local.empty() && links.cell(r, "method") == "nhs_number") {
      confirmed_partner = links.cell(r, "partner_code");
      confirmed_local = links.cell(r, "local_patient_id");
      confirmed_person = links.cell(r, "person_id");
    }
  }
  ASSERT_FALSE(rejected_local.empty());
  const auto decisions = scratch_->dir() / "decisions.csv";
  write_text(decisions, "partner_code,local_patient_id,person_id,decision\n" + rejected_partner + "," + rejected_local +
                            "," + rejected_person + ",non_match\n" + confirmed_partner + "," + confirmed_local + "," +
                            confirmed_person + ",match\n");
  auto o = options_for(src(), scratch_->dir() / "store2", *key_);
  o.review_decisions = decisions;
  o.threads = 1;  // and another split of the work: nothing may depend on it
  o.part_bytes = std::size_t{1} << 20;
  const auto r2 = run_ingest(o);
  EXPECT_EQ(r2.linkage.counts.clerical, 1U);
  const CsvTable after = identity_file(scratch_->dir() / "store2", "partner_links.csv");
  ASSERT_EQ(after.rows(), links.rows());
  for (std::size_t r = 0; r < after.rows(); ++r) {
    if (after.cell(r, "local_patient_id") == rejected_local && after.cell(r, "partner_code") == rejected_partner) {
      EXPECT_NE(after.cell(r, "person_id"), rejected_person);
    }
    if (after.cell(r, "local_patient_id") == confirmed_local && after.cell(r, "partner_code") == confirmed_partner) {
      EXPECT_EQ(after.cell(r, "method"), "clerical");
      EXPECT_EQ(after.cell(r, "person_id"), confirmed_person);
      EXPECT_EQ(after.cell(r, "match_probability"), "1.0000000000");
    }
  }
  // Cluster ids come from membership, not from run order: the same in both builds except for
  // the rejected record's cluster.
  const CsvTable c1 = identity_file(store(), "partner_clusters.csv");
  const CsvTable c2 = identity_file(scratch_->dir() / "store2", "partner_clusters.csv");
  ASSERT_EQ(c1.rows(), c2.rows());
  std::size_t differ = 0;
  for (std::size_t r = 0; r < c1.rows(); ++r) differ += c1.cell(r, "cluster_id") != c2.cell(r, "cluster_id");
  EXPECT_LE(differ, 2U);

  write_text(decisions, "partner_code,local_patient_id,person_id,decision\nRXW,X,1,perhaps\n");
  try {
    run_ingest(o);
    FAIL() << "a bad decision must be refused";
  } catch (const severn::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("decisions.csv:2: field 'decision'"), std::string::npos) << e.what();
  }
}

// severn identity explain and evaluate read the identity area through IdentityArea, which tells
// the access observer (an audit line on stderr) before returning anything.
TEST_F(PartnerLinkingIngest, ExplainPrintsTheWaterfallAndEvaluateTheAccuracy) {
  const CsvTable links = identity_file(store(), "partner_links.csv");
  std::size_t r = 0;
  while (r < links.rows() && links.cell(r, "method") != "probabilistic") ++r;
  ASSERT_LT(r, links.rows());
  const auto explained = run_severn("identity explain --store " + store().string() + " " + links.cell(r, "partner_code") +
                                    " " + links.cell(r, "local_patient_id"));
  EXPECT_EQ(explained.code, 0) << explained.output;
  for (const char* text : {"probabilistic, person_id", "waterfall against person_id", "given_name", "date_of_birth",
                           "identity area read by severn identity explain"})
    EXPECT_NE(explained.output.find(text), std::string::npos) << text << "\n" << explained.output;
  const auto unknown = run_severn("identity explain --store " + store().string() + " RXW NO-SUCH-ID");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.output.find("no record 'NO-SUCH-ID' of partner RXW"), std::string::npos) << unknown.output;
  const auto evaluated = run_severn("identity evaluate --store " + store().string() + " --extract " + src().string() +
                                    " --min-precision 0.999 --min-recall 0.99");
  EXPECT_EQ(evaluated.code, 0) << evaluated.output;
  EXPECT_NE(evaluated.output.find("recall "), std::string::npos) << evaluated.output;
}

TEST_F(PartnerLinkingIngest, ClustersNeverHoldTwoValidNhsNumbers) {
  const CsvTable clusters = identity_file(store(), "partner_clusters.csv");
  const CsvTable records = identity_file(store(), "partner_records.csv");
  ASSERT_EQ(clusters.rows(), records.rows());
  std::map<std::string, std::string> nhs_of_cluster;
  std::size_t shared = 0;
  for (std::size_t r = 0; r < clusters.rows(); ++r) {
    ASSERT_EQ(clusters.cell(r, "local_patient_id"), records.cell(r, "local_patient_id"));
    const std::string& nhs = records.cell(r, "nhs_number");
    if (!is_valid_nhs_number(nhs)) continue;
    const auto [it, fresh] = nhs_of_cluster.emplace(clusters.cell(r, "cluster_id"), nhs);
    if (!fresh) {
      ++shared;
      EXPECT_EQ(it->second, nhs) << clusters.cell(r, "cluster_id");
    }
  }
  EXPECT_GT(shared, 0U);  // duplicate registrations exist and are clustered
}

}  // namespace
}  // namespace severn::testing
