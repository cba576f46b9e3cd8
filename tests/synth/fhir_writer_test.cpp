#include "synth/fhir_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/error.h"
#include "pack.h"
#include "refdata/codelists.h"
#include "run_severn.h"
#include "synth/synth_fixture.h"

namespace severn::synth {
namespace {

namespace fs = std::filesystem;

const refdata::CodelistLibrary& library() {
  static const auto lib = refdata::CodelistLibrary::load(refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR));
  return lib;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::vector<std::string> lines(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

const Days kEnd = days_from_civil(2025, 3, 31);

constexpr const char* kPatientsCsv =
    "nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,lsoa21_code,ethnic_category,"
    "practice_code\n"
    "9990000018,\"O\"\"Neil\",Ann\\Lee,F,1950-01-02,2024-05-06,TF1 1AA,E01000001,Z,M82007\n"
    "9990000026,Smith,Bob,X,1960-13-45,,TF2 2BB,,A,M82010\n"
    "9990000018,Second,Copy,M,1970-01-01,,TF3 3CC,E01000003,B,M82007\n"
    "not,a,patient\n";

// Rows: 1 condition; 2 systolic paired with 4 (same patient and date, another code between);
// 3 procedure; 5 unpaired systolic (no diastolic that day); 6 HbA1c for an NHS number with no
// Patient; 7 a diastolic before its systolic (8); 9 a value that is not a JSON number; 10 too few
// fields.
constexpr const char* kEventsCsv =
    "nhs_number,event_date,snomedct_code,numeric_value\n"
    "9990000018,2020-01-01,59621000,\n"
    "9990000018,2020-02-02,271649006,140\n"
    "9990000018,2020-02-02,822851000000102,\n"
    "9990000018,2020-02-02,163031004,85\n"
    "9990000018,2020-03-03,271649006,150.0\n"
    "9999999999,2020-04-04,999791000000106,48\n"
    "9990000026,2020-05-05,163031004,70\n"
    "9990000026,2020-05-05,271649006,120\n"
    "9990000026,2020-06-06,60621009,2x.5\n"
    "9990000026,2020-07-07\n";

constexpr const char* kMedicationsCsv =
    "nhs_number,issue_date,dmd_code\n"
    "9990000026,2021-01-01,321991008\n";

fs::path hand_written(const std::string& name) {
  const fs::path dir = testing::scratch_dir(name);
  fs::remove_all(dir);
  write(dir / "gp/patients.csv", kPatientsCsv);
  write(dir / "gp/events.csv", kEventsCsv);
  write(dir / "gp/medications.csv", kMedicationsCsv);
  write(dir / "gp/registrations.csv", "nhs_number,practice_code,start_date,end_date\n9990000018,M82007,2000-01-01,\n");
  return dir;
}

const std::string kMeta = R"("meta":{"profile":["https://fhir.hl7.org.uk/StructureDefinition/UKCore-)";
const std::string kSnomed = R"({"coding":[{"system":"http://snomed.info/sct","code":")";
const std::string kMmHg = R"(,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"})";

TEST(FhirWriter, WritesEachResourceAsDocumented) {
  SEVERN_REQUIRE_PACK();
  const fs::path dir = hand_written("fhir-hand");
  const FhirConversion c = write_gp_fhir(dir, library(), 1, kEnd);
  const fs::path out = dir / "fhir/gp";

  const auto patients = lines(out / "Patient.ndjson");
  ASSERT_EQ(patients.size(), 4u);
  EXPECT_EQ(patients[0],
            R"({"resourceType":"Patient","id":"p1",)" + kMeta + R"(Patient"]},)"
            R"("extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",)"
            R"("valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland","code":"Z"}]}}],)"
            R"("identifier":[{"extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",)"
            R"("valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland",)"
            R"("code":"01","display":"Number present and verified"}]}}],"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],)"
            R"("name":[{"use":"official","family":"O\"Neil","given":["Ann\\Lee"]}],"gender":"female",)"
            R"("birthDate":"1950-01-02","deceasedDateTime":"2024-05-06",)"
            R"("address":[{"extension":[{"url":"https://fhir.severn.invalid/StructureDefinition/address-lsoa21","valueString":"E01000001"}],)"
            R"("use":"home","postalCode":"TF1 1AA"}],)"
            R"("generalPractitioner":[{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"M82007"}}]})");
  // Copied unchecked: an unknown sex and an impossible date stay for the reader to reject; an
  // empty LSOA leaves the address without the extension.
  EXPECT_NE(patients[1].find(R"("gender":"X","birthDate":"1960-13-45","address":[{"use":"home","postalCode":"TF2 2BB"}])"),
            std::string::npos)
      << patients[1];
  EXPECT_EQ(patients[3], "severn synth: gp/patients.csv row 4 has 3 fields, the header 10: not,a,patient");

  const auto conditions = lines(out / "Condition.ndjson");
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0],
            R"({"resourceType":"Condition","id":"c1",)" + kMeta + R"(Condition"]},)"
            R"("clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)"
            R"("verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},)"
            R"("code":)" + kSnomed + R"(59621000"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2020-01-01"})");

  const auto procedures = lines(out / "Procedure.ndjson");
  ASSERT_EQ(procedures.size(), 1u);
  EXPECT_EQ(procedures[0], R"({"resourceType":"Procedure","id":"pr3",)" + kMeta + R"(Procedure"]},"status":"completed",)"
                           R"("code":)" + kSnomed + R"(822851000000102"}]},"subject":{"reference":"Patient/p1"},)"
                           R"("performedDateTime":"2020-02-02"})");

  const auto observations = lines(out / "Observation.ndjson");
  ASSERT_EQ(observations.size(), 6u);
  const std::string panel_code =
      R"("code":{"coding":[{"system":"http://snomed.info/sct","code":"75367002"},{"system":"http://loinc.org","code":"85354-9"}]})";
  EXPECT_EQ(observations[0], R"({"resourceType":"Observation","id":"o2",)" + kMeta + R"(Observation"]},"status":"final",)" +
                                 panel_code + R"(,"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-02-02",)"
                                 R"("component":[{"code":)" + kSnomed + R"(271649006"}]},"valueQuantity":{"value":140)" + kMmHg +
                                 R"(},{"code":)" + kSnomed + R"(163031004"}]},"valueQuantity":{"value":85)" + kMmHg + "}]}");
  EXPECT_EQ(observations[1], R"({"resourceType":"Observation","id":"o5",)" + kMeta + R"(Observation"]},"status":"final",)"
                                 R"("code":)" + kSnomed + R"(271649006"}]},"subject":{"reference":"Patient/p1"},)"
                                 R"("effectiveDateTime":"2020-03-03","valueQuantity":{"value":150.0)" + kMmHg + "}");
  EXPECT_EQ(observations[2],
            R"({"resourceType":"Observation","id":"o6",)" + kMeta + R"(Observation"]},"status":"final",)"
            R"("code":)" + kSnomed + R"(999791000000106"}]},)"
            R"("subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9999999999"}},)"
            R"("effectiveDateTime":"2020-04-04","valueQuantity":{"value":48,"unit":"mmol/mol",)"
            R"("system":"http://unitsofmeasure.org","code":"mmol/mol"}})");
  // The diastolic came first: the panel stands in its place, systolic still the first component.
  EXPECT_EQ(observations[3], R"({"resourceType":"Observation","id":"o7",)" + kMeta + R"(Observation"]},"status":"final",)" +
                                 panel_code + R"(,"subject":{"reference":"Patient/p2"},"effectiveDateTime":"2020-05-05",)"
                                 R"("component":[{"code":)" + kSnomed + R"(271649006"}]},"valueQuantity":{"value":120)" + kMmHg +
                                 R"(},{"code":)" + kSnomed + R"(163031004"}]},"valueQuantity":{"value":70)" + kMmHg + "}]}");
  EXPECT_NE(observations[4].find(R"("id":"o9")"), std::string::npos);
  EXPECT_NE(observations[4].find(R"("valueQuantity":{"value":"2x.5","unit":"kg/m2","system":"http://unitsofmeasure.org","code":"kg/m2"})"),
            std::string::npos)
      << observations[4];
  EXPECT_EQ(observations[5], "severn synth: gp/events.csv row 10 has 2 fields, the header 4: 9990000026,2020-07-07");

  const auto medications = lines(out / "MedicationRequest.ndjson");
  ASSERT_EQ(medications.size(), 1u);
  EXPECT_EQ(medications[0], R"({"resourceType":"MedicationRequest","id":"m1",)" + kMeta + R"(MedicationRequest"]},)"
                            R"("status":"completed","intent":"order","medicationCodeableConcept":{"coding":[{"system":"https://dmd.nhs.uk","code":"321991008"}]},)"
                            R"("subject":{"reference":"Patient/p2"},"authoredOn":"2021-01-01"})");

  EXPECT_EQ(c.patients, 3);
  EXPECT_EQ(c.conditions, 1);
  EXPECT_EQ(c.procedures, 1);
  EXPECT_EQ(c.panels, 2);
  EXPECT_EQ(c.observations, 3);
  EXPECT_EQ(c.medication_requests, 1);
  EXPECT_EQ(c.broken_rows, 2);

  const std::string manifest = testing::slurp(out / "manifest.json");
  EXPECT_NE(manifest.find(R"("transactionTime": "2025-03-31T23:59:59Z")"), std::string::npos);
  EXPECT_NE(manifest.find(R"("requiresAccessToken": false)"), std::string::npos);
  for (const char* type : {"Patient", "Condition", "Observation", "Procedure", "MedicationRequest"})
    EXPECT_NE(manifest.find(std::string(R"({"type": ")") + type + R"(", "url": ")" + type + R"(.ndjson"})"),
              std::string::npos)
        << type;
  EXPECT_NE(manifest.find(R"("error": [])"), std::string::npos);
}

TEST(FhirWriter, TheKthSystolicPairsWithTheKthDiastolicOfItsPatientAndDate) {
  SEVERN_REQUIRE_PACK();
  const fs::path dir = hand_written("fhir-kth");
  write(dir / "gp/events.csv",
        "nhs_number,event_date,snomedct_code,numeric_value\n"
        "9990000018,2020-02-02,271649006,120\n"
        "9990000018,2020-02-02,271649006,130\n"
        "9990000026,2020-02-02,163031004,60\n"  // another patient: no partner
        "9990000018,2020-02-03,163031004,70\n"  // another day: no partner
        "9990000018,2020-02-02,1091811000000102,80\n"
        "9990000018,2020-02-02,163031004,90\n"
        "9990000018,2020-02-02,271649006,140\n");
  write_gp_fhir(dir, library(), 1, kEnd);
  std::vector<std::string> found;
  for (const auto& l : lines(dir / "fhir/gp/Observation.ndjson")) {
    std::string values = l.substr(l.find("\"id\":"), l.find(",\"meta\"") - l.find("\"id\":"));
    for (std::size_t at = 0; (at = l.find("\"value\":", at)) != std::string::npos; ++at)
      values += " " + l.substr(at + 8, l.find(',', at) - at - 8);
    found.push_back(values);
  }
  EXPECT_EQ(found, (std::vector<std::string>{R"("id":"o1" 120 80)", R"("id":"o2" 130 90)",
                                              R"("id":"o3" 60)", R"("id":"o4" 70)",
                                              R"("id":"o7" 140)"}));
}

TEST(FhirWriter, ReplacesTheConvertedCsvsAndNothingElse) {
  SEVERN_REQUIRE_PACK();
  const fs::path dir = hand_written("fhir-replace");
  const FhirConversion c = write_gp_fhir(dir, library(), 2, kEnd);
  EXPECT_FALSE(fs::exists(dir / "gp/patients.csv"));
  EXPECT_FALSE(fs::exists(dir / "gp/events.csv"));
  EXPECT_FALSE(fs::exists(dir / "gp/medications.csv"));
  EXPECT_TRUE(fs::exists(dir / "gp/registrations.csv"));
  EXPECT_EQ(c.removed, (std::vector<std::string>{"gp/patients.csv", "gp/events.csv", "gp/medications.csv"}));
  std::set<std::string> listed;
  for (const auto& [file, n] : c.files) listed.insert(file);
  EXPECT_EQ(listed, (std::set<std::string>{"fhir/gp/Patient.ndjson", "fhir/gp/Condition.ndjson",
                                           "fhir/gp/Observation.ndjson", "fhir/gp/Procedure.ndjson",
                                           "fhir/gp/MedicationRequest.ndjson"}));

  // A second conversion finds nothing to convert and must not touch the FHIR files.
  EXPECT_THROW(write_gp_fhir(dir, library(), 1, kEnd), InputError);
  EXPECT_TRUE(fs::exists(dir / "fhir/gp/Patient.ndjson"));
}

TEST(FhirWriter, AFailedConversionLeavesTheCsvsAndNoFhirFiles) {
  SEVERN_REQUIRE_PACK();
  const fs::path dir = hand_written("fhir-fail");
  write(dir / "gp/events.csv", "nhs_number,event_date,code,numeric_value\n9990000018,2020-01-01,59621000,\n");
  try {
    write_gp_fhir(dir, library(), 1, kEnd);
    ADD_FAILURE() << "a header without snomedct_code was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gp/events.csv: the header has no column 'snomedct_code'"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(fs::exists(dir / "gp/patients.csv"));
  EXPECT_TRUE(fs::exists(dir / "gp/events.csv"));
  EXPECT_FALSE(fs::exists(dir / "fhir"));

  // Without a date given, the export is dated by the extract's manifest.json.
  write(dir / "gp/events.csv", kEventsCsv);
  EXPECT_THROW(write_gp_fhir(dir, library(), 1), InputError);
  write(dir / "manifest.json", "{\n  \"generator\": \"severn synth\",\n  \"end_date\": \"2024-12-31\"\n}\n");
  write_gp_fhir(dir, library(), 1);
  EXPECT_NE(testing::slurp(dir / "fhir/gp/manifest.json").find(R"("transactionTime": "2024-12-31T23:59:59Z")"),
            std::string::npos);
}

TEST(FhirWriter, QuotedAndControlCharactersSurviveAndBrokenQuotingIsQuarantined) {
  SEVERN_REQUIRE_PACK();
  const fs::path dir = testing::scratch_dir("fhir-quoting");
  fs::remove_all(dir);
  write(dir / "gp/patients.csv",
        "nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,lsoa21_code,ethnic_category,"
        "practice_code\r\n"
        "9990000018,\"Line\nBreak\",\"Tab\there \"\"q\"\"\",F,1950-01-02,,TF1 1AA,E01000001,A,M82007\r\n"
        "9990000026,\"Open,Bob,M,1960-01-01,,TF2 2BB,E01000002,A,M82010\r\n"
        "9990000034,Close,Ann,F,1961-01-01,,TF2 2BB,E01000002,A,M82010\r\n");
  write(dir / "gp/events.csv",
        "nhs_number,event_date,snomedct_code,numeric_value\n"
        "\"9990000034\",\"2020-01-01\",\"60621009\",\"1\n2\"\n"
        "9990000034,2020-01-02,60621009,\u00e9\x01\n");
  write_gp_fhir(dir, library(), 2, kEnd);
  const auto patients = lines(dir / "fhir/gp/Patient.ndjson");
  ASSERT_EQ(patients.size(), 3u);
  EXPECT_NE(patients[0].find(R"("name":[{"use":"official","family":"Line\nBreak","given":["Tab\there \"q\""]}])"),
            std::string::npos)
      << patients[0];
  // The open quote spoils its own line only; the next row is read as usual, as row 3.
  EXPECT_EQ(patients[1], "severn synth: gp/patients.csv row 2 has broken quoting: "
                         "9990000026,\"Open,Bob,M,1960-01-01,,TF2 2BB,E01000002,A,M82010");
  EXPECT_NE(patients[2].find(R"("id":"p3")"), std::string::npos) << patients[2];
  EXPECT_NE(patients[2].find(R"("value":"9990000034")"), std::string::npos) << patients[2];
  const auto observations = lines(dir / "fhir/gp/Observation.ndjson");
  ASSERT_EQ(observations.size(), 2u);
  EXPECT_NE(observations[0].find(R"("subject":{"reference":"Patient/p3"},"effectiveDateTime":"2020-01-01",)"
                                 R"("valueQuantity":{"value":"1\n2",)"),
            std::string::npos)
      << observations[0];
  EXPECT_NE(observations[1].find("\"valueQuantity\":{\"value\":\"\u00e9\\u0001\","), std::string::npos)
      << observations[1];
}

// Many chunks, with blood-pressure readings whose partners are far away in the file (other
// chunks), in both orders and with surplus readings left unpaired. `quoted`: some rows have every
// field quoted, which makes the writer find record ends by parsing instead of by line ends.
std::string many_events(int rows, bool quoted) {
  std::string s = "nhs_number,event_date,snomedct_code,numeric_value\n";
  const char* codes[] = {"271649006", "163031004", "59621000", "822851000000102", "60621009", "266919005"};
  std::mt19937 rng(7);  // the standard fixes its sequence, so the file is the same everywhere
  for (int i = 0; i < rows; ++i) {
    const auto patient = rng() % 613, day = 1 + rng() % 28;
    const char* code = codes[rng() % 6];
    const std::string nhs = "99900" + std::to_string(10000 + patient);
    const std::string date = std::string("2020-02-") + (day < 10 ? "0" : "") + std::to_string(day);
    const std::string value = i % 3 ? std::to_string(60 + i % 90) : std::string();
    if (quoted && i % 5 == 0)
      s += '"' + nhs + "\",\"" + date + "\",\"" + code + "\",\"" + value + "\"\n";
    else
      s += nhs + "," + date + "," + code + "," + value + "\n";
    if (i % 9973 == 5) s += "broken row\n";
  }
  return s;
}

class FhirWriterThreads : public ::testing::TestWithParam<bool> {};

TEST_P(FhirWriterThreads, OutputIsTheSameForAnyThreadCount) {
  SEVERN_REQUIRE_PACK();
  const bool quoted = GetParam();
  const std::string events = many_events(150000, quoted);
  ASSERT_GT(events.size(), std::size_t{4} << 20) << "the input should span several chunks";
  std::string patients =
      "nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,lsoa21_code,ethnic_category,"
      "practice_code\n";
  for (int p = 0; p < 600; ++p)
    patients += "99900" + std::to_string(10000 + p) + ",Family,Given,F,1950-01-01,,TF1 1AA,E01000001,A,M82007\n";
  std::map<unsigned, fs::path> dirs;
  std::map<unsigned, FhirConversion> results;
  for (const unsigned threads : {1u, 2u, 5u}) {
    const fs::path dir = testing::scratch_dir("fhir-threads-" + std::to_string(quoted) + "-" + std::to_string(threads));
    fs::remove_all(dir);
    write(dir / "gp/patients.csv", patients);
    write(dir / "gp/events.csv", events);
    results[threads] = write_gp_fhir(dir, library(), threads, kEnd);
    dirs[threads] = dir;
  }
  for (const char* file : {"Patient", "Condition", "Observation", "Procedure", "manifest"}) {
    const std::string name = std::string(file) + (std::string(file) == "manifest" ? ".json" : ".ndjson");
    const std::string one = testing::slurp(dirs[1] / "fhir/gp" / name);
    EXPECT_FALSE(one.empty()) << name;
    EXPECT_TRUE(one == testing::slurp(dirs[2] / "fhir/gp" / name)) << name << " differs with 2 threads";
    EXPECT_TRUE(one == testing::slurp(dirs[5] / "fhir/gp" / name)) << name << " differs with 5 threads";
  }

  // The panels are what the pairing rule gives, counted here independently: per patient and
  // date, as many panels as the fewer of its systolic and diastolic readings.
  std::map<std::string, std::pair<int, int>> readings;
  std::int64_t rows = 0;
  std::istringstream in(events);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    ++rows;
    std::erase(line, '"');
    if (line.size() < 30) continue;
    const std::string key = line.substr(0, 21), code = line.substr(22, line.find(',', 22) - 22);
    if (code == "271649006") ++readings[key].first;
    if (code == "163031004") ++readings[key].second;
  }
  std::int64_t panels = 0;
  for (const auto& [key, n] : readings) panels += std::min(n.first, n.second);
  const FhirConversion& c = results[1];
  EXPECT_EQ(c.panels, panels);
  EXPECT_GT(panels, 1000);
  std::int64_t broken = 0;
  for (std::size_t at = 0; (at = events.find("\nbroken row\n", at)) != std::string::npos; ++at) ++broken;
  EXPECT_EQ(c.broken_rows, broken);
  EXPECT_EQ(c.conditions + c.observations + 2 * c.panels + c.procedures + c.broken_rows, rows);
  // Every Observation id is a row number, once.
  std::set<std::string> ids;
  for (const auto& l : lines(dirs[1] / "fhir/gp/Observation.ndjson"))
    if (l.starts_with("{")) {
      const std::size_t from = l.find("\"id\":\"") + 6;
      EXPECT_TRUE(ids.insert(l.substr(from, l.find('"', from) - from)).second) << l;
    }
}

INSTANTIATE_TEST_SUITE_P(LineEndsOrParsed, FhirWriterThreads, ::testing::Bool());

std::int64_t rows_of(const std::vector<std::pair<std::string, std::int64_t>>& files, const std::string& name) {
  for (const auto& [file, n] : files)
    if (file == name) return n;
  ADD_FAILURE() << name << " is not listed";
  return -1;
}

SynthConfig csv_config() { return testing::small_config("fhir-synth-csv", 400, 3); }
SynthConfig fhir_config() {
  SynthConfig c = testing::small_config("fhir-synth", 400, 3);
  c.format = OutputFormat::kFhir;
  return c;
}

TEST(FhirWriter, SynthWithFormatFhirConvertsEveryGpRow) {
  SEVERN_REQUIRE_PACK();
  const auto& csv_run = testing::run_once(csv_config());
  const SynthConfig config = fhir_config();
  const SynthReport& report = testing::run_once(config);
  ASSERT_TRUE(report.fhir);
  const FhirConversion& f = *report.fhir;
  const auto& csv_files = csv_run.rows_per_file;
  EXPECT_EQ(f.patients, rows_of(csv_files, "gp/patients.csv"));
  EXPECT_EQ(f.conditions + f.observations + 2 * f.panels + f.procedures, rows_of(csv_files, "gp/events.csv"));
  EXPECT_EQ(f.medication_requests, rows_of(csv_files, "gp/medications.csv"));
  EXPECT_EQ(f.broken_rows, 0);
  EXPECT_GT(f.panels, 100);
  EXPECT_GT(f.conditions, 50);
  EXPECT_GT(f.procedures, 100);

  const fs::path out = config.out;
  for (const char* gone : {"gp/patients.csv", "gp/events.csv", "gp/medications.csv"}) {
    EXPECT_FALSE(fs::exists(out / gone)) << gone;
    EXPECT_EQ(testing::slurp(out / "manifest.json").find(gone), std::string::npos) << gone;
  }
  const fs::path csv_out = csv_config().out;
  for (const char* kept : {"gp/registrations.csv", "sus/apc_spells.csv", "truth/persons.csv"})
    EXPECT_EQ(testing::slurp(out / kept), testing::slurp(csv_out / kept)) << kept;
  const std::string manifest = testing::slurp(out / "manifest.json");
  EXPECT_NE(manifest.find("\"fhir/gp/Patient.ndjson\": {\"lines\": " + std::to_string(f.patients) + "}"),
            std::string::npos)
      << manifest;
  EXPECT_NE(manifest.find("\"fhir/gp/Observation.ndjson\": {\"lines\": " + std::to_string(f.observations + f.panels) + "}"),
            std::string::npos)
      << manifest;
  EXPECT_NE(testing::slurp(out / "calibration.md").find("| fhir/gp/MedicationRequest.ndjson | " +
                                                        std::to_string(f.medication_requests) + " |"),
            std::string::npos);
  EXPECT_EQ(lines(out / "fhir/gp/Patient.ndjson").size(), static_cast<std::size_t>(f.patients));

  // Each event's NHS number is one of the Patients': every subject is a literal reference.
  const std::string observations = testing::slurp(out / "fhir/gp/Observation.ndjson");
  EXPECT_EQ(observations.find("\"identifier\""), std::string::npos);
}

std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = testing::slurp(e.path());
  return out;
}

// docs/fhir.md promises that the two forms of one synthetic ICS build the same store: the reader
// (src/ingest) is the judge of the mapping, run here as a user runs it.
TEST(FhirWriter, TheCsvAndFhirFormsOfOneIcsBuildTheSameStore) {
  SEVERN_REQUIRE_PACK();
  const fs::path csv_out = csv_config().out, fhir_out = fhir_config().out;
  testing::run_once(csv_config());
  testing::run_once(fhir_config());
  const fs::path work = testing::scratch_dir("fhir-stores");
  fs::remove_all(work);
  fs::create_directories(work);
  write(work / "key", std::string(40, 'k'));
  auto ingest = [&](const fs::path& src, const std::string& name) {
    const auto r = severn::testing::run_severn("ingest " + src.string() + " --store " + (work / name).string() +
                                               " --key-file " + (work / "key").string() +
                                               " --as-of 2025-04-01 --threads 2 --quiet --data " +
                                               SEVERN_TEST_DATA_DIR);
    EXPECT_EQ(r.code, 0) << r.output;
    return work / name;
  };
  const fs::path from_csv = ingest(csv_out, "store-csv"), from_fhir = ingest(fhir_out, "store-fhir");
  for (const char* part : {"tables", "dictionaries", "identity"}) {
    const auto a = files_under(from_csv / part), b = files_under(from_fhir / part);
    EXPECT_FALSE(a.empty()) << part;
    ASSERT_EQ(a.size(), b.size()) << part;
    for (const auto& [file, bytes] : a) {
      const auto it = b.find(file);
      ASSERT_NE(it, b.end()) << part << "/" << file << " is missing from the FHIR-built store";
      EXPECT_TRUE(bytes == it->second) << part << "/" << file << " differs";
    }
  }
  // Every resource was accepted: nothing of the synthetic ICS is lost to the mapping.
  EXPECT_EQ(lines(from_fhir / "quarantine/fhir.csv").size(), 1u);
  const std::string ledger = testing::slurp(from_fhir / "ledger.csv");
  EXPECT_NE(ledger.find("\nclinical_events,fhir/gp,ok,"), std::string::npos) << ledger;
  // The ledger's FHIR rows balance, and count every line of every NDJSON file once.
  const CsvTable t = CsvTable::parse(ledger, "ledger.csv");
  std::int64_t read = 0, ndjson_lines = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (t.cell(r, "kind") != "fhir") continue;
    const auto n = [&](const char* c) { return t.get_int(r, t.column(c)); };
    EXPECT_EQ(n("read"), n("accepted") + n("quarantined") + n("not_used")) << t.cell(r, "source_file");
    EXPECT_EQ(n("quarantined") + n("not_used"), 0) << t.cell(r, "source_file");
    read += n("read");
  }
  for (const auto& e : fs::directory_iterator(fhir_out / "fhir" / "gp"))
    if (e.path().extension() == ".ndjson") ndjson_lines += static_cast<std::int64_t>(lines(e.path()).size());
  EXPECT_GT(read, 0);
  EXPECT_EQ(read, ndjson_lines);
}

}  // namespace
}  // namespace severn::synth
