// FHIR R4 Bulk Data through ingest (docs/fhir.md): a hand-written UK Core export builds the same
// store as the CSV it was written from; each mapping rule and rejection reason gives exactly the
// quarantine line expected; every line of the HL7 and Synthea examples is accounted for.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <numeric>

#include "core/csv_table.h"
#include "core/error.h"
#include "ingest/fhir_ingest.h"
#include "ingest_fixture.h"
#include "refdata/data_dir.h"
#include "store/manifest.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNhs = "https://fhir.nhs.uk/Id/nhs-number";

std::string patient(const std::string& id, const std::string& nhs, const std::string& family, const std::string& given,
                    const std::string& gender, const std::string& born, const std::string& died,
                    const std::string& postcode, const std::string& lsoa, const std::string& ethnic,
                    const std::string& practice) {
  std::string s = R"({"resourceType":"Patient","id":")" + id + R"(","identifier":[{"system":")" + kNhs +
                  R"(","value":")" + nhs +
                  R"(","extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus","valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland","code":"01"}]}}]}],)";
  s += R"("name":[{"use":"usual","family":"Nick"},{"use":"official","family":")" + family + R"(","given":[")" + given +
       R"("]}],"gender":")" + gender + R"(","birthDate":")" + born + "\",";
  if (!died.empty()) s += R"("deceasedDateTime":")" + died + R"(T10:30:00+00:00",)";
  s += R"("address":[{"use":"home","postalCode":")" + postcode +
       R"(","extension":[{"url":"https://fhir.severn.invalid/StructureDefinition/address-lsoa21","valueString":")" + lsoa +
       R"("}]}],)";
  s += R"("extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory","valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland","code":")" +
       ethnic + R"("}]}}],)";
  s += R"("generalPractitioner":[{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":")" +
       practice + R"("}}]})";
  return s + "\n";
}

std::string snomed(const std::string& code) {
  return R"({"coding":[{"system":"http://snomed.info/sct","code":")" + code + R"("}]})";
}

// The valid extract's GP files as a UK Core export (docs/fhir.md), with the types and shapes a GP
// system would use: a vaccination as a Procedure and as an Immunization, a reading with a UCUM unit.
std::map<std::string, std::string> fhir_export_of_valid_extract() {
  std::map<std::string, std::string> files = valid_extract();
  files.erase("gp/patients.csv");
  files.erase("gp/events.csv");
  files.erase("gp/medications.csv");
  files["fhir/gp/Patient.ndjson"] =
      patient("a", "9996125483", "Green", "Marion", "female", "1942-07-06", "", "TF2 6FH", "E01014204", "A", "M82007") +
      patient("b", "9990434174", "Jones", "Gerald", "male", "1950-03-14", "2024-01-31", "TF9 7QD", "E01028882", "Z", "M82010") +
      patient("c", "9997366956", "Khan", "Aisha", "female", "2001-02-28", "", "SY3 2UL", "E01014204", "H", "M82007");
  files["fhir/gp/Procedure.ndjson"] =
      R"({"resourceType":"Procedure","id":"p1","status":"completed","subject":{"reference":"Patient/a"},"performedDateTime":"2009-05-12","code":)" +
      snomed("382551000000109") + "}\n";
  files["fhir/gp/Immunization.ndjson"] =
      R"({"resourceType":"Immunization","id":"i1","status":"completed","patient":{"reference":"Patient/c"},"occurrenceDateTime":"2021-06-01T09:00:00Z","vaccineCode":)" +
      snomed("822851000000102") + "}\n";
  // Out of order on purpose: rows are ordered by person, then date (docs/fhir.md).
  files["fhir/gp/Observation.001.ndjson"] =
      R"({"resourceType":"Observation","id":"o2","status":"final","subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990434174"}},"effectiveDateTime":"2020-02-02","code":)" +
      snomed("271649006") + R"(,"valueQuantity":{"value":132,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}})" + "\n";
  files["fhir/gp/Observation.000.ndjson"] =
      R"({"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/a"},"effectiveDateTime":"2016-03-14T08:00:00Z","code":)" +
      snomed("271649006") + R"(,"valueQuantity":{"value":158,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}})" + "\n";
  files["fhir/gp/MedicationRequest.ndjson"] =
      R"({"resourceType":"MedicationRequest","id":"m2","status":"completed","intent":"order","subject":{"reference":"Patient/b"},"authoredOn":"2019-05-02","medicationCodeableConcept":{"coding":[{"system":"https://dmd.nhs.uk","code":"321991008"}]}})"
      "\n"
      R"({"resourceType":"MedicationRequest","id":"m1","status":"completed","intent":"order","subject":{"reference":"Patient/a"},"authoredOn":"2016-05-02","medicationCodeableConcept":{"coding":[{"system":"https://dmd.nhs.uk","code":"321991008"}]}})"
      "\n";
  return files;
}

// Files of the store that hold what it means (everything but the ledger, the quarantine and the
// manifest's record of its inputs), with their checksums.
std::map<std::string, std::string> analytic_files(const fs::path& store) {
  const auto m = store::parse_manifest_text(read_text(store / "manifest.json"), store / "manifest.json");
  std::map<std::string, std::string> out;
  for (const auto& [path, entry] : m.files)
    if (path != "ledger.csv" && path.rfind("quarantine/", 0) != 0) out[path] = entry.xxh3;
  return out;
}

std::string gzip(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

class FhirIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(SEVERN_TEST_DATA_DIR)) GTEST_SKIP() << "reference pack absent: " << SEVERN_TEST_DATA_DIR;
  }
  ingest::IngestResult ingest(const fs::path& src, const fs::path& store) {
    return ingest::run_ingest(options_for(src, store, write_key(scratch_.dir())));
  }
  Scratch scratch_{"fhir-ingest"};
};

TEST_F(FhirIngestTest, AHandWrittenExportBuildsTheSameStoreAsItsCsv) {
  write_extract(scratch_.dir() / "csv", valid_extract());
  write_extract(scratch_.dir() / "fhir", fhir_export_of_valid_extract());
  const auto csv = ingest(scratch_.dir() / "csv", scratch_.dir() / "csv-store");
  const auto fhir = ingest(scratch_.dir() / "fhir", scratch_.dir() / "fhir-store");
  EXPECT_EQ(analytic_files(scratch_.dir() / "csv-store"), analytic_files(scratch_.dir() / "fhir-store"));
  EXPECT_EQ(csv.persons, 3U);
  EXPECT_EQ(fhir.persons, 3U);
  ASSERT_FALSE(fhir.fhir_ledger.empty());
  for (const auto& e : fhir.fhir_ledger) {
    EXPECT_EQ(e.read, e.accepted + e.quarantined + e.not_used) << e.source;
    EXPECT_EQ(e.quarantined, 0U) << e.source;
  }
  // The ledger file says the same, a row per file and resource type.
  const CsvTable ledger = CsvTable::read_file(scratch_.dir() / "fhir-store" / "ledger.csv");
  int fhir_rows = 0;
  for (std::size_t r = 0; r < ledger.rows(); ++r) {
    if (ledger.cell(r, "kind") != "fhir") continue;
    ++fhir_rows;
    if (ledger.cell(r, "source_file") == "fhir/gp/Observation.000.ndjson") {
      EXPECT_EQ(ledger.cell(r, "resource_type"), "Observation");
      EXPECT_EQ(ledger.cell(r, "table"), "clinical_events");
      EXPECT_EQ(ledger.get_int(r, ledger.column("read")), 1);
      EXPECT_EQ(ledger.get_int(r, ledger.column("accepted")), 1);
    }
  }
  EXPECT_EQ(fhir_rows, 6);
  EXPECT_EQ(read_text(scratch_.dir() / "fhir-store" / "quarantine" / "fhir.csv"),
            "source_file,line,resource_type,id,field,value,reason\n");
}

TEST_F(FhirIngestTest, GzippedAndSplitFilesReadTheSame) {
  auto files = fhir_export_of_valid_extract();
  write_extract(scratch_.dir() / "plain", files);
  for (const char* name : {"fhir/gp/Patient.ndjson", "fhir/gp/Observation.000.ndjson"}) {
    const std::string text = files.at(name);
    files.erase(name);
    files[std::string(name) + ".gz"] = gzip(text);
  }
  // Files shorter than a string's inline buffer (the fuzz harness found a view of one dangling).
  files["fhir/gp/Organization.ndjson.gz"] = gzip("{\"a\":1}\n");
  files["fhir/gp/tiny.json"] = "{}";
  write_extract(scratch_.dir() / "gz", files);
  ingest(scratch_.dir() / "plain", scratch_.dir() / "plain-store");
  const auto r = ingest(scratch_.dir() / "gz", scratch_.dir() / "gz-store");
  EXPECT_EQ(analytic_files(scratch_.dir() / "plain-store"), analytic_files(scratch_.dir() / "gz-store"));
  std::uint64_t tiny = 0;
  for (const auto& e : r.fhir_ledger)
    if (e.source == "fhir/gp/Organization.ndjson.gz" || e.source == "fhir/gp/tiny.json") tiny += e.read;
  EXPECT_EQ(tiny, 2U);
}

TEST_F(FhirIngestTest, ATableGivenAsCsvAndAsFhirStopsIngestNamingBoth) {
  auto files = fhir_export_of_valid_extract();
  files["gp/events.csv"] = valid_extract().at("gp/events.csv");
  write_extract(scratch_.dir() / "both", files);
  try {
    ingest(scratch_.dir() / "both", scratch_.dir() / "both-store");
    FAIL() << "ingest accepted a table given twice";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gp/events.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("fhir/gp"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(scratch_.dir() / "both-store" / "manifest.json"));
}

// One resource per rule: what is kept, converted, not used, and quarantined with which pointer,
// value and reason.
TEST_F(FhirIngestTest, EachRuleGivesExactlyTheRowOrQuarantineLineExpected) {
  auto files = fhir_export_of_valid_extract();
  const std::string subject = R"("subject":{"reference":"Patient/a"})";
  const std::string ucum = R"("system":"http://unitsofmeasure.org")";
  files["fhir/gp/Observation.002.ndjson"] =
      // 1: HbA1c given in % (DCCT) is converted to mmol/mol: (6.5 - 2.15) * 10.929 = 47.5 -> 48.
      R"({"resourceType":"Observation","id":"x1","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-01-10","code":)" + snomed("999791000000106") + R"(,"valueQuantity":{"value":6.5,)" + ucum +
      R"(,"code":"%"}})" + "\n" +
      // 2: a blood-pressure panel coded in LOINC only: two rows.
      R"({"resourceType":"Observation","id":"x2","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-02-01","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":141,)" +
      ucum + R"(,"code":"mm[Hg]"}},{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":88,)" + ucum +
      R"(,"code":"mm[Hg]"}}]})" + "\n" +
      // 3: a weight in pounds for a BMI code: not convertible.
      R"({"resourceType":"Observation","id":"x3","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-03-01","code":)" + snomed("60621009") + R"(,"valueQuantity":{"value":30,)" + ucum +
      R"(,"code":"[lb_av]"}})" + "\n" +
      // 4: a LOINC code Severn has no map for.
      R"({"resourceType":"Observation","id":"x4","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-03-01","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]}})" + "\n" +
      // 5: entered in error: not used.
      R"({"resourceType":"Observation","id":"x5","status":"entered-in-error",)" + subject +
      R"(,"effectiveDateTime":"2022-03-01","code":)" + snomed("271649006") + "}\n" +
      // 6: a Patient that is not in the export.
      R"({"resourceType":"Observation","id":"x6","status":"final","subject":{"reference":"Patient/zz"},"effectiveDateTime":"2022-03-01","code":)" +
      snomed("271649006") + "}\n" +
      // 7: broken JSON.
      R"({"resourceType":"Observation","id":"x7",)" + "\n" +
      // 8: a Condition in an Observation file.
      R"({"resourceType":"Condition","id":"x8",)" + subject + R"(,"onsetDateTime":"2022-03-01","code":)" + snomed("38341003") + "}\n" +
      // 9: a systolic reading out of range: the table's own check quarantines it.
      R"({"resourceType":"Observation","id":"x9","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-04-01","code":)" + snomed("271649006") + R"(,"valueQuantity":{"value":999,)" + ucum +
      R"(,"code":"mm[Hg]"}})" + "\n" +
      // 10: a code in no SNOMED CT coding.
      R"({"resourceType":"Observation","id":"x10","status":"final",)" + subject +
      R"(,"effectiveDateTime":"2022-04-01","code":{"coding":[{"system":"urn:oid:1.2.3","code":"9"}]}})" + "\n";
  files["fhir/gp/MedicationStatement.ndjson"] =
      R"({"resourceType":"MedicationStatement","id":"s1","status":"active",)" + subject +
      R"(,"effectiveDateTime":"2022-01-01","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361"}]}})" +
      "\n" + R"({"resourceType":"MedicationStatement","id":"s2","status":"active",)" + subject +
      R"(,"effectiveDateTime":"2022-01-01","medicationReference":{"reference":"Medication/med1"}})" + "\n";
  files["fhir/gp/Patient.001.ndjson"] =
      R"({"resourceType":"Patient","id":"nonhs","gender":"male","birthDate":"1980-01-01"})" "\n"
      R"({"resourceType":"Patient","id":"a","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9996125483"}]})" "\n";
  files["fhir/gp/Organization.ndjson"] = R"({"resourceType":"Organization","id":"org1"})" "\n";
  write_extract(scratch_.dir() / "rules", files);
  const auto r = ingest(scratch_.dir() / "rules", scratch_.dir() / "rules-store");
  const fs::path store = scratch_.dir() / "rules-store";

  EXPECT_EQ(read_text(store / "quarantine" / "fhir.csv"),
            "source_file,line,resource_type,id,field,value,reason\n"
            "fhir/gp/MedicationStatement.ndjson,1,MedicationStatement,s1,/medicationCodeableConcept,"
            "http://www.nlm.nih.gov/research/umls/rxnorm,no dm+d coding\n"
            "fhir/gp/MedicationStatement.ndjson,2,MedicationStatement,s2,/medicationReference,Medication/med1,"
            "medicationReference: Severn reads the medicine from medicationCodeableConcept\n"
            "fhir/gp/Observation.002.ndjson,3,Observation,x3,/valueQuantity/code,[lb_av],unit [lb_av] cannot be converted to kg/m2\n"
            "fhir/gp/Observation.002.ndjson,4,Observation,x4,/code/coding/0/code,29463-7,"
            "LOINC code with no SNOMED CT equivalent in Severn's map (docs/fhir.md)\n"
            "fhir/gp/Observation.002.ndjson,6,Observation,x6,/subject/reference,Patient/zz,reference to a missing Patient (Patient/zz)\n"
            "fhir/gp/Observation.002.ndjson,7,,,,\"{\"\"resourceType\"\":\"\"Observation\"\",\"\"id\"\":\"\"x7\"\",\",\"not valid JSON: "
            "The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.\"\n"
            "fhir/gp/Observation.002.ndjson,8,Condition,x8,/resourceType,Condition,a Condition in a file of Observation resources\n"
            "fhir/gp/Observation.002.ndjson,10,Observation,x10,/code,urn:oid:1.2.3,no SNOMED CT coding\n"
            "fhir/gp/Patient.001.ndjson,1,Patient,nonhs,/identifier,,"
            "no NHS number (identifier system https://fhir.nhs.uk/Id/nhs-number): a person in the GP record needs one\n"
            "fhir/gp/Patient.001.ndjson,2,Patient,a,/id,a,Patient id repeated: first at fhir/gp/Patient.ndjson line 1\n");

  // The table's own check, located in the FHIR file with the value's pointer.
  const std::string events_q = read_text(store / "quarantine" / "clinical_events.csv");
  EXPECT_NE(events_q.find("fhir/gp/Observation.002.ndjson,9,/valueQuantity/value (numeric_value),999,"), std::string::npos)
      << events_q;

  std::map<std::pair<std::string, std::string>, ingest::FhirLedgerEntry> by;
  for (const auto& e : r.fhir_ledger) {
    EXPECT_EQ(e.read, e.accepted + e.quarantined + e.not_used) << e.source << " " << e.resource_type;
    by[{e.source, e.resource_type}] = e;
  }
  const auto& obs = by.at({"fhir/gp/Observation.002.ndjson", "Observation"});
  EXPECT_EQ(obs.read, 8U);
  EXPECT_EQ(obs.accepted, 2U);      // x1, x2
  EXPECT_EQ(obs.quarantined, 5U);   // x3, x4, x6, x9 (by the table), x10
  EXPECT_EQ(obs.not_used, 1U);      // x5
  EXPECT_NE(obs.note.find("status entered-in-error (1)"), std::string::npos) << obs.note;
  EXPECT_EQ(by.at({"fhir/gp/Observation.002.ndjson", ""}).quarantined, 1U);
  EXPECT_EQ(by.at({"fhir/gp/Observation.002.ndjson", "Condition"}).quarantined, 1U);
  EXPECT_EQ(by.at({"fhir/gp/Organization.ndjson", "Organization"}).not_used, 1U);

  // The table rows name the export as their source.
  const std::string identity = read_text(store / "ledger.csv");
  EXPECT_NE(identity.find("clinical_events,fhir/gp,ok,"), std::string::npos) << identity;
}

// The shared examples (../shared/testdata/fhir): every line of every file is read and accounted
// for, by resource type, and the reasons for what is not kept are the expected ones.
TEST_F(FhirIngestTest, TheSharedExamplesAreEveryLineAccountedFor) {
  const fs::path root = fs::path(SEVERN_SOURCE_DIR) / ".." / "shared" / "testdata" / "fhir";
  if (!fs::exists(root)) GTEST_SKIP() << "../shared/testdata/fhir is absent: the shared examples cannot be checked";
  const auto data = refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR);
  const auto ctx = ingest::ValidationContext::load(data, days_from_civil(2025, 6, 30));
  // Counts of lines per file, from the folder's counts.json, recomputed here from the files.
  for (const char* dir : {"synthea-10", "synthea-100", "hl7-r4-examples", "synthea-r4-bundles"}) {
    const auto fhir = ingest::FhirIngest::read(root / dir, ctx, 2, 1 << 20);
    ASSERT_TRUE(fhir.has_value()) << dir;
    std::uint64_t read = 0, lines = 0;
    std::map<std::string, std::uint64_t> reasons;
    std::map<std::string, ingest::FhirLedgerEntry> by_type;  // summed over files
    for (const auto& e : fhir->ledger()) {
      EXPECT_EQ(e.read, e.accepted + e.quarantined + e.not_used) << e.source << " " << e.resource_type;
      read += e.read;
      auto& t = by_type[e.resource_type];
      t.read += e.read, t.accepted += e.accepted, t.quarantined += e.quarantined, t.not_used += e.not_used;
    }
    std::printf("%s:\n", dir);
    for (const auto& [type, t] : by_type)
      std::printf("  %-24s read %5llu  accepted %5llu  quarantined %5llu  not used %5llu\n",
                  type.empty() ? "(not a resource)" : type.c_str(), static_cast<unsigned long long>(t.read),
                  static_cast<unsigned long long>(t.accepted), static_cast<unsigned long long>(t.quarantined),
                  static_cast<unsigned long long>(t.not_used));
    // Why resources were quarantined, by reason (docs/fhir.md lists them for these examples).
    const CsvTable q = CsvTable::parse(fhir->quarantine_csv(), "quarantine");
    for (std::size_t r = 0; r < q.rows(); ++r) {
      std::string reason = q.cell(r, "reason");
      if (const auto paren = reason.find(" ("); paren != std::string::npos &&
                                                (reason.rfind("reference", 0) == 0 || reason.rfind("its Patient", 0) == 0))
        reason = reason.substr(0, paren);
      ++reasons[q.cell(r, "resource_type") + ": " + reason];
    }
    for (const auto& [reason, n] : reasons) std::printf("    quarantined %5llu  %s\n", static_cast<unsigned long long>(n), reason.c_str());
    if (std::string(dir) == "synthea-10") {
      // Synthea writes US records: no NHS numbers, CVX vaccines, RxNorm medicines.
      EXPECT_EQ(by_type["Patient"].quarantined, 13U);
      EXPECT_EQ(reasons["Patient: no NHS number (identifier system https://fhir.nhs.uk/Id/nhs-number): a person in the GP record needs one"], 13U);
      EXPECT_EQ(reasons["Immunization: no SNOMED CT coding"], 161U);
      EXPECT_EQ(reasons["MedicationRequest: no dm+d coding"], 1745U);
      EXPECT_EQ(reasons["Condition: its Patient"], 555U);
      EXPECT_EQ(by_type["Encounter"].not_used, 1215U);
      EXPECT_EQ(by_type[""].not_used, 4U);  // log.ndjson
      EXPECT_EQ(read, 7164U);  // counts.json: the lines of the folder's files
    }
    for (const auto& f : fs::directory_iterator(root / dir)) {
      const auto name = f.path().filename().string();
      if (name.find(".ndjson") != std::string::npos && name.find(".gz") == std::string::npos) {
        const std::string text = read_text(f.path());
        lines += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
      }
    }
    if (std::string(dir) == "synthea-10") {
      EXPECT_EQ(read, lines) << dir;
    }
    EXPECT_GT(read, 0U) << dir;
  }
}

}  // namespace
}  // namespace severn::testing
