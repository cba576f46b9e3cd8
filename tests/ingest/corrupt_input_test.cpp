// The corrupted-input suite: every reason `severn ingest` has for rejecting a row or a file.
// Each case starts from the valid extract of ingest_fixture.h, changes or appends ONE line of one
// file, ingests it (as of 2025-06-30) and checks
//   (a) the ledger: the source's quarantined count, and read = accepted + quarantined everywhere;
//   (b) the exact text of STORE/quarantine/<table>.csv (written out literally below);
//   (c) that the file's other rows are still in the store (good data is never lost).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "ingest_fixture.h"
#include "store/store.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

const std::string kQuarantineHeader = "source_file,line,field,value,reason,record\n";
const std::string kUnlinkedHeader = "source_file,line,reason,record\n";

// What the valid extract gives: rows in each store table (partner_records has no store table:
// its accepted count), and the unlinked rows (the spell and index record of someone who is not a
// GP person).
const std::map<std::string, std::uint64_t> kValidRows{
    {"patients", 3},           {"partner_records", 5}, {"practice_registrations", 4},
    {"clinical_events", 4},    {"medications", 2},     {"apcs", 2},
    {"ec", 1},                 {"opa", 2},             {"wl_pathways", 2},
    {"community_contacts", 1}, {"social_care", 1},     {"ons_deaths", 1},
    {"cancer_registrations", 2}, {"wl_activity", 4},   {"wl_snapshots", 2}};
const std::map<std::string, std::uint64_t> kValidUnlinked{{"apcs", 1}, {"partner_records", 1}};

using Edit = std::function<void(std::string&)>;

// Appends one line (with its line break) to the file.
Edit append(std::string line) {
  return [line](std::string& text) { text += line + "\n"; };
}

// Replaces the content of line n (1 = header), keeping its line break.
Edit replace_line(int n, std::string line) {
  return [n, line](std::string& text) {
    std::size_t begin = 0;
    for (int i = 1; i < n; ++i) begin = text.find('\n', begin) + 1;
    const std::size_t end = text.find('\n', begin);
    text.replace(begin, end - begin, line);
  };
}

struct Case {
  std::string name;
  std::string file;
  std::string table;
  Edit edit;
  std::uint64_t rows;    // rows of the table in the store afterwards
  std::string expected;  // quarantine lines after the header
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::uint64_t line_count(const std::string& text) {
  return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

struct Ingested {
  ingest::IngestResult result;
  fs::path store;
};

Ingested ingest_files(const Scratch& s, const std::map<std::string, std::string>& files) {
  write_extract(s.dir() / "src", files);
  const auto key = write_key(s.dir());
  Ingested run;
  run.store = s.dir() / "store";
  run.result = ingest::run_ingest(options_for(s.dir() / "src", run.store, key));
  return run;
}

void expect_ledger_balances(const ingest::IngestResult& r) {
  for (const auto& e : r.ledger) EXPECT_EQ(e.read, e.accepted() + e.quarantined) << e.source;
}

// Rows of a table in the store, or the accepted count where the table is identity only.
std::uint64_t stored_rows(const Ingested& run, const std::string& table) {
  const auto store = store::Store::open(run.store);
  if (store->has_table(table)) return store->table(table).rows();
  for (const auto& e : run.result.ledger)
    if (e.table == table) return e.accepted();
  ADD_FAILURE() << "no table " << table;
  return 0;
}

class CorruptRow : public ::testing::TestWithParam<Case> {};

TEST_P(CorruptRow, IsQuarantinedWithItsExactReason) {
  SEVERN_REQUIRE_PACK();
  const Case& c = GetParam();
  Scratch s("corrupt-" + c.name);
  auto files = valid_extract();
  ASSERT_TRUE(files.count(c.file)) << c.file;
  c.edit(files[c.file]);
  const Ingested run = ingest_files(s, files);

  expect_ledger_balances(run.result);
  for (const auto& e : run.result.ledger) {
    EXPECT_EQ(e.status, "ok") << e.source;
    const auto unlinked = kValidUnlinked.count(e.table) ? kValidUnlinked.at(e.table) : 0;
    EXPECT_EQ(e.unlinked, unlinked) << e.source;
    if (e.source == c.file)
      EXPECT_EQ(e.quarantined, line_count(c.expected)) << e.source;
    else
      EXPECT_EQ(e.quarantined, 0U) << e.source << " (only " << c.file << " was changed)";
  }
  EXPECT_EQ(read_text(run.store / "quarantine" / (c.table + ".csv")), kQuarantineHeader + c.expected);
  EXPECT_EQ(stored_rows(run, c.table), c.rows);
}

// The new person appended to gp/patients.csv; the cases below change one field of it.
std::string new_person(const std::string& nhs = "9990000018", const std::string& family = "Smith",
                       const std::string& sex = "M", const std::string& death = "",
                       const std::string& ethnic = "A", const std::string& practice = "M82007",
                       const std::string& postcode = "SY3 2UL") {
  return nhs + "," + family + ",John," + sex + ",1960-01-01," + death + "," + postcode +
         ",E01014204," + ethnic + "," + practice;
}

// A new spell of the person of line 2 at RXW; the cases below change one field of it.
std::string new_spell(const std::string& id = "RXW123456789-S3",
                      const std::string& local = "RXW123456789",
                      const std::string& nhs = "9996125483",
                      const std::string& discharge = "2021-01-12", const std::string& method = "21",
                      const std::string& primary = "I10", const std::string& secondary = "",
                      const std::string& procedure = "", const std::string& provider = "RXW") {
  return id + "," + provider + "," + local + "," + nhs + ",2021-01-10," + discharge + "," +
         method + "," + primary + "," + secondary + "," + procedure;
}

const std::vector<Case> kCases = {
    // ---- NHS numbers where a valid one is required (GP data) -----------------------------------
    {"events_nhs_wrong_length", "gp/events.csv", "clinical_events",
     append("999612548,2016-03-14,271649006,158"), 4,
     "gp/events.csv,6,nhs_number,999612548,'999612548': NHS number is not 10 "
     "characters,\"999612548,2016-03-14,271649006,158\"\n"},
    {"events_nhs_not_digits", "gp/events.csv", "clinical_events",
     append("99961254A3,2016-03-14,271649006,158"), 4,
     "gp/events.csv,6,nhs_number,99961254A3,'99961254A3': NHS number has a character "
     "that is not a digit,\"99961254A3,2016-03-14,271649006,158\"\n"},
    {"events_nhs_check_digit", "gp/events.csv", "clinical_events",
     append("9996125484,2016-03-14,271649006,158"), 4,
     "gp/events.csv,6,nhs_number,9996125484,'9996125484': NHS number fails the "
     "modulus-11 check,\"9996125484,2016-03-14,271649006,158\"\n"},
    {"events_unknown_person", "gp/events.csv", "clinical_events",
     append("9990000018,2016-03-14,271649006,158"), 4,
     "gp/events.csv,6,nhs_number,9990000018,NHS number 9990000018 is not a person in "
     "gp/patients.csv,\"9990000018,2016-03-14,271649006,158\"\n"},
    {"patients_nhs_check_digit", "gp/patients.csv", "patients", append(new_person("9990000019")), 3,
     "gp/patients.csv,5,nhs_number,9990000019,'9990000019': NHS number fails the "
     "modulus-11 check,\"9990000019,Smith,John,M,1960-01-01,,SY3 2UL,E01014204,A,M82007\"\n"},
    {"patients_duplicate_nhs_number", "gp/patients.csv", "patients",
     append(new_person("9996125483")), 3,
     "gp/patients.csv,5,nhs_number,9996125483,duplicate nhs_number '9996125483': first seen at "
     "line 2,\"9996125483,Smith,John,M,1960-01-01,,SY3 2UL,E01014204,A,M82007\"\n"},
    {"national_nhs_check_digit", "ons/deaths.csv", "ons_deaths",
     append("9996125484,2024-05-01,1942-07-06,F,I21.9,TF2 6FH"), 1,
     "ons/deaths.csv,3,nhs_number,9996125484,'9996125484': NHS number fails the "
     "modulus-11 check,\"9996125484,2024-05-01,1942-07-06,F,I21.9,TF2 6FH\"\n"},

    // ---- practices and partner keys ------------------------------------------------------------
    {"registration_unknown_practice", "gp/registrations.csv", "practice_registrations",
     append("9996125483,M99999,2005-01-01,2012-01-26"), 4,
     "gp/registrations.csv,6,practice_code,M99999,practice 'M99999' is not a practice of the "
     "reference pack,\"9996125483,M99999,2005-01-01,2012-01-26\"\n"},
    {"registration_malformed_practice", "gp/registrations.csv", "practice_registrations",
     append("9996125483,M8200X,2005-01-01,2012-01-26"), 4,
     "gp/registrations.csv,6,practice_code,M8200X,practice code 'M8200X' is not a letter and five "
     "digits,\"9996125483,M8200X,2005-01-01,2012-01-26\"\n"},
    {"patients_unknown_practice", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Smith", "M", "", "A", "M99999")), 3,
     "gp/patients.csv,5,practice_code,M99999,practice 'M99999' is not a practice of the reference "
     "pack,\"9990000018,Smith,John,M,1960-01-01,,SY3 2UL,E01014204,A,M99999\"\n"},
    {"spell_unknown_local_id", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW999999999")), 2,
     "sus/apc_spells.csv,5,local_patient_id,RXW999999999,no record 'RXW999999999' for partner RXW "
     "in partners/patients.csv,\"RXW123456789-S3,RXW,RXW999999999,9996125483,2021-01-10,"
     "2021-01-12,21,I10,,\"\n"},
    {"spell_provider_not_acute", "sus/apc_spells.csv", "apcs",
     append(new_spell("R1D123456789-S1", "R1D123456789", "9996125483", "2021-01-12", "21", "I10",
                      "", "", "R1D")),
     2,
     "sus/apc_spells.csv,5,provider_code,R1D,\"'R1D' is not one of: RL1, RXW\",\"R1D123456789-S1,"
     "R1D,R1D123456789,9996125483,2021-01-10,2021-01-12,21,I10,,\"\n"},

    // ---- dates ---------------------------------------------------------------------------------
    {"date_29_february_2023", "gp/events.csv", "clinical_events",
     append("9996125483,2023-02-29,271649006,158"), 4,
     "gp/events.csv,6,event_date,2023-02-29,'2023-02-29' is not a valid date (YYYY-MM-DD),"
     "\"9996125483,2023-02-29,271649006,158\"\n"},
    {"date_month_13", "gp/events.csv", "clinical_events",
     append("9996125483,2023-13-01,271649006,158"), 4,
     "gp/events.csv,6,event_date,2023-13-01,'2023-13-01' is not a valid date (YYYY-MM-DD),"
     "\"9996125483,2023-13-01,271649006,158\"\n"},
    {"date_day_month_year", "gp/events.csv", "clinical_events",
     append("9996125483,31/01/2020,271649006,158"), 4,
     "gp/events.csv,6,event_date,31/01/2020,'31/01/2020' is not a valid date (YYYY-MM-DD),"
     "\"9996125483,31/01/2020,271649006,158\"\n"},
    {"date_required_but_empty", "gp/events.csv", "clinical_events",
     append("9996125483,,271649006,158"), 4,
     "gp/events.csv,6,event_date,,required value is empty,\"9996125483,,271649006,158\"\n"},
    {"date_in_the_future", "gp/events.csv", "clinical_events",
     append("9996125483,2025-07-01,271649006,158"), 4,
     "gp/events.csv,6,event_date,2025-07-01,date 2025-07-01 is in the future (after the as-of "
     "date 2025-06-30),\"9996125483,2025-07-01,271649006,158\"\n"},
    {"date_before_1890", "gp/events.csv", "clinical_events",
     append("9996125483,1889-12-31,271649006,158"), 4,
     "gp/events.csv,6,event_date,1889-12-31,\"date 1889-12-31 is before 1890-01-01, which is not "
     "plausible\",\"9996125483,1889-12-31,271649006,158\"\n"},
    {"date_before_birth", "gp/events.csv", "clinical_events",
     append("9996125483,1942-07-05,271649006,158"), 4,
     "gp/events.csv,6,event_date,1942-07-05,event_date 1942-07-05 is before the person's date of "
     "birth,\"9996125483,1942-07-05,271649006,158\"\n"},
    {"registration_end_before_start", "gp/registrations.csv", "practice_registrations",
     append("9996125483,M82007,2012-01-27,2012-01-26"), 4,
     "gp/registrations.csv,6,end_date,2012-01-26,end_date 2012-01-26 is before start_date "
     "2012-01-27,\"9996125483,M82007,2012-01-27,2012-01-26\"\n"},
    {"spell_discharge_before_admission", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-09")), 2,
     "sus/apc_spells.csv,5,discharge_date,2021-01-09,discharge_date 2021-01-09 is before "
     "admission_date 2021-01-10,\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,"
     "2021-01-09,21,I10,,\"\n"},
    {"patients_death_before_birth", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Smith", "M", "1959-12-31")), 3,
     "gp/patients.csv,5,date_of_death,1959-12-31,date_of_death 1959-12-31 is before date_of_birth "
     "1960-01-01,\"9990000018,Smith,John,M,1960-01-01,1959-12-31,SY3 2UL,E01014204,A,M82007\"\n"},
    {"cancer_diagnosis_before_birth", "ncras/cancer_registrations.csv", "cancer_registrations",
     append("TUM000000001,9996125483,1942-07-06,F,1942-07-01,C50.9,2"), 2,
     "ncras/cancer_registrations.csv,4,diagnosis_date,1942-07-01,diagnosis_date 1942-07-01 is "
     "before date_of_birth 1942-07-06,\"TUM000000001,9996125483,1942-07-06,F,1942-07-01,C50.9,"
     "2\"\n"},

    // ---- clinical codes ------------------------------------------------------------------------
    {"snomed_letters", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,27164900X,158"), 4,
     "gp/events.csv,6,snomedct_code,27164900X,SNOMED CT code '27164900X' must be digits only,"
     "\"9996125483,2016-03-14,27164900X,158\"\n"},
    {"snomed_leading_zero", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,0271649006,158"), 4,
     "gp/events.csv,6,snomedct_code,0271649006,SNOMED CT code '0271649006' has a leading zero,"
     "\"9996125483,2016-03-14,0271649006,158\"\n"},
    {"snomed_fails_verhoeff", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649007,158"), 4,
     "gp/events.csv,6,snomedct_code,271649007,SNOMED CT code '271649007' fails the Verhoeff check "
     "digit,\"9996125483,2016-03-14,271649007,158\"\n"},
    {"snomed_description_id", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,123456017,"), 4,
     "gp/events.csv,6,snomedct_code,123456017,SNOMED CT code '123456017' is not a concept "
     "identifier (partition 01),\"9996125483,2016-03-14,123456017,\"\n"},
    {"snomed_too_short", "gp/events.csv", "clinical_events", append("9996125483,2016-03-14,12345,"),
     4,
     "gp/events.csv,6,snomedct_code,12345,SNOMED CT code '12345' must have 6 to 18 digits,"
     "\"9996125483,2016-03-14,12345,\"\n"},
    {"dmd_fails_verhoeff", "gp/medications.csv", "medications",
     append("9996125483,2016-06-02,321991009"), 2,
     "gp/medications.csv,4,dmd_code,321991009,dm+d code: SNOMED CT code '321991009' fails the "
     "Verhoeff check digit,\"9996125483,2016-06-02,321991009\"\n"},
    {"icd10_too_short", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "21", "I2")),
     2,
     "sus/apc_spells.csv,5,primary_diagnosis,I2,\"ICD-10 code 'I2' is not a letter and two digits with an optional fourth and fifth digit (I10, I25.1, "
     "I251, E11.65, filler I10X)\",\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,2021-01-12,21,"
     "I2,,\"\n"},
    {"icd10_digit_for_letter", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "21",
                      "125.1")),
     2,
     "sus/apc_spells.csv,5,primary_diagnosis,125.1,\"ICD-10 code '125.1' is not a letter and two digits with an optional fourth and fifth digit (I10, I25.1, "
     "I251, E11.65, filler I10X)\",\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,"
     "2021-01-12,21,125.1,,\"\n"},
    {"icd10_list_empty_item", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "21", "I10",
                      "F32;;I10")),
     2,
     "sus/apc_spells.csv,5,secondary_diagnoses,F32;;I10,empty code in a ';' separated list,"
     "\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,2021-01-12,21,I10,F32;;I10,\"\n"},
    {"icd10_list_bad_item", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "21", "I10",
                      "F32;i10")),
     2,
     "sus/apc_spells.csv,5,secondary_diagnoses,F32;i10,\"ICD-10 code 'i10' is not a letter and two digits with an optional fourth and fifth digit (I10, I25.1, "
     "I251, E11.65, filler I10X)\",\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,"
     "2021-01-12,21,I10,F32;i10,\"\n"},
    {"opcs4_chapter_I", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "11", "M17.9",
                      "", "I40.1")),
     2,
     "sus/apc_spells.csv,5,primary_procedure,I40.1,\"OPCS-4 code 'I40.1' is not a chapter letter, "
     "two digits and an optional .digit\",\"RXW123456789-S3,RXW,RXW123456789,9996125483,"
     "2021-01-10,2021-01-12,11,M17.9,,I40.1\"\n"},

    // ---- category values -----------------------------------------------------------------------
    {"sex_X", "gp/patients.csv", "patients", append(new_person("9990000018", "Smith", "X")), 3,
     "gp/patients.csv,5,sex,X,\"'X' is not one of: F, M\",\"9990000018,Smith,John,X,1960-01-01,,"
     "SY3 2UL,E01014204,A,M82007\"\n"},
    {"ethnic_category_Q", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Smith", "M", "", "Q")), 3,
     "gp/patients.csv,5,ethnic_category,Q,\"'Q' is not one of: A, B, C, D, E, F, G, H, J, K, L, "
     "M, N, P, R, S, Z\",\"9990000018,Smith,John,M,1960-01-01,,SY3 2UL,E01014204,Q,M82007\"\n"},
    {"postcode_without_space", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Smith", "M", "", "A", "M82007", "SY32UL")), 3,
     "gp/patients.csv,5,postcode,SY32UL,postcode 'SY32UL' is not a UK postcode like 'TF2 6FH',"
     "\"9990000018,Smith,John,M,1960-01-01,,SY32UL,E01014204,A,M82007\"\n"},
    {"name_required_but_empty", "gp/patients.csv", "patients",
     append(new_person("9990000018", "")), 3,
     "gp/patients.csv,5,family_name,,required value is empty,\"9990000018,,John,M,1960-01-01,,"
     "SY3 2UL,E01014204,A,M82007\"\n"},
    {"admission_method_99", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S3", "RXW123456789", "9996125483", "2021-01-12", "99")), 2,
     "sus/apc_spells.csv,5,admission_method,99,\"'99' is not one of: 11, 12, 13, 21, 22, 23, 24, 25, 2A, 2B, 2C, 2D, 31, 32, 81, 82, 83\",\"RXW123456789-S3,RXW,RXW123456789,9996125483,2021-01-10,2021-01-12,99,"
     "I10,,\"\n"},
    {"treatment_function_999", "sus/outpatients.csv", "opa",
     append("RXW123456789-O3,RXW,RXW123456789,9996125483,2017-02-14,999,1,5"), 2,
     "sus/outpatients.csv,4,treatment_function_code,999,'999' is not a code of "
     "resources/reference/treatment-function-codes.csv,\"RXW123456789-O3,RXW,RXW123456789,9996125483,2017-02-14,999,1,5\"\n"},
    {"attendance_status_9", "sus/outpatients.csv", "opa",
     append("RXW123456789-O3,RXW,RXW123456789,9996125483,2017-02-14,140,1,9"), 2,
     "sus/outpatients.csv,4,attendance_status,9,\"'9' is not one of: 0, 2, 3, 4, 5, 6, 7\","
     "\"RXW123456789-O3,RXW,RXW123456789,9996125483,2017-02-14,140,1,9\"\n"},
    {"rtt_status_10", "wlmds/rtt_pathways.csv", "wl_pathways",
     append("RXW123456789-P3,RXW,RXW123456789,9996125483,140,P3,2017-01-20,2017-02-14,10,RXW123456789-P3,1,"
            "2017-01-20,admitted,,,,,"), 2,
     "wlmds/rtt_pathways.csv,4,rtt_status,10,\"'10' is not one of: 30, 31, 32, 33, 34, 35, 36\","
     "\"RXW123456789-P3,RXW,RXW123456789,9996125483,140,P3,2017-01-20,2017-02-14,10,RXW123456789-P3,1,"
     "2017-01-20,admitted,,,,,\"\n"},
    {"admitted_flag_2", "ecds/attendances.csv", "ec",
     append("RXW123456789-A2,RXW,RXW123456789,9996125483,2019-06-02,1064911000000105,82271004,2"),
     1,
     "ecds/attendances.csv,3,admitted,2,\"'2' is not one of: 0, 1\",\"RXW123456789-A2,RXW,"
     "RXW123456789,9996125483,2019-06-02,1064911000000105,82271004,2\"\n"},
    {"community_service_unknown", "community/contacts.csv", "community_contacts",
     append("R1D123456789-C2,R1D,R1D123456789,9996125483,2024-03-07,Dentistry"), 1,
     "community/contacts.csv,3,service,Dentistry,\"'Dentistry' is not one of: Children and young "
     "people's mental health, Community matron, Community physiotherapy, District nursing, Epilepsy "
     "specialist nursing, Occupational therapy, Podiatry, Rapid response\",\"R1D123456789-C2,R1D,R1D123456789,9996125483,2024-03-07,Dentistry\"\n"},
    {"partner_index_sex_X", "partners/patients.csv", "partner_records",
     append("RXW,RXW999999999,9997366956,Khan,Aisha,X,2001-02-28,SY3 2UL,,"), 5,
     "partners/patients.csv,7,sex,X,\"'X' is not one of: F, M\",\"RXW,RXW999999999,9997366956,"
     "Khan,Aisha,X,2001-02-28,SY3 2UL,,\"\n"},
    {"partner_index_previous_postcode_malformed", "partners/patients.csv", "partner_records",
     append("RXW,RXW999999999,9997366956,Khan,Aisha,F,2001-02-28,SY3 2UL,,SY32UL"), 5,
     "partners/patients.csv,7,previous_postcode,SY32UL,postcode 'SY32UL' is not a UK postcode like "
     "'TF2 6FH',\"RXW,RXW999999999,9997366956,Khan,Aisha,F,2001-02-28,SY3 2UL,,SY32UL\"\n"},

    // ---- numeric values ------------------------------------------------------------------------
    {"value_not_a_number", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649006,abc"), 4,
     "gp/events.csv,6,numeric_value,abc,'abc' is not a number,"
     "\"9996125483,2016-03-14,271649006,abc\"\n"},
    {"value_nan", "gp/events.csv", "clinical_events", append("9996125483,2016-03-14,271649006,nan"),
     4,
     "gp/events.csv,6,numeric_value,nan,'nan' is not a number,"
     "\"9996125483,2016-03-14,271649006,nan\"\n"},
    {"systolic_400", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649006,400"), 4,
     "gp/events.csv,6,numeric_value,400,400 is outside the plausible range for systolic blood "
     "pressure (40 to 300 mmHg),\"9996125483,2016-03-14,271649006,400\"\n"},
    {"hba1c_250", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,1049301000000100,250"), 4,
     "gp/events.csv,6,numeric_value,250,250 is outside the plausible range for HbA1c (IFCC) (15 to "
     "200 mmol/mol),\"9996125483,2016-03-14,1049301000000100,250\"\n"},

    // ---- CSV structure -------------------------------------------------------------------------
    {"too_few_fields", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649006"), 4,
     "gp/events.csv,6,,,\"expected 4 fields (as in the header), found 3\","
     "\"9996125483,2016-03-14,271649006\"\n"},
    {"too_many_fields", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649006,158,1"), 4,
     "gp/events.csv,6,,,\"expected 4 fields (as in the header), found 5\","
     "\"9996125483,2016-03-14,271649006,158,1\"\n"},
    {"quote_inside_unquoted_field", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,2716\"49006,158"), 4,
     "gp/events.csv,6,snomedct_code,,broken quoting: a quote inside an unquoted field,"
     "\"9996125483,2016-03-14,2716\"\"49006,158\"\n"},
    {"text_after_closing_quote", "gp/events.csv", "clinical_events",
     append("9996125483,\"2016-03-14\"x,271649006,158"), 4,
     "gp/events.csv,6,event_date,,broken quoting: text after a closing quote,"
     "\"9996125483,\"\"2016-03-14\"\"x,271649006,158\"\n"},
    // Line 3 opens a quote that is never closed: lines 4 and 5 are still read as rows.
    {"quote_never_closed", "gp/events.csv", "clinical_events",
     replace_line(3, "9996125483,\"2016-03-14,271649006,158"), 3,
     "gp/events.csv,3,event_date,,broken quoting: a quote that is never closed,"
     "\"9996125483,\"\"2016-03-14,271649006,158\"\n"},
    {"invalid_utf8_byte", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Sm\xffith")), 3,
     "gp/patients.csv,5,family_name,Sm\\xFFith,invalid UTF-8: byte \\xFF at position 14 of the line "
     "(counting bytes),\"9990000018,Sm\\xFFith,John,M,1960-01-01,,SY3 2UL,E01014204,A,M82007\"\n"},
    {"invalid_utf8_overlong", "gp/patients.csv", "patients",
     append(new_person("9990000018", "Sm\xc0\xafith")), 3,
     "gp/patients.csv,5,family_name,Sm\\xC0\\xAFith,invalid UTF-8: byte \\xC0 at position 14 of the line "
     "(counting bytes),\"9990000018,Sm\\xC0\\xAFith,John,M,1960-01-01,,SY3 2UL,E01014204,A,M82007\"\n"},
    // A quoted comma before the bad byte: the field named must still be the one holding it.
    {"invalid_utf8_after_quoted_comma", "gp/patients.csv", "patients",
     append("9990000018,\"Smith, Jr\",J\xffohn,M,1960-01-01,,SY3 2UL,E01014204,A,M82007"), 3,
     "gp/patients.csv,5,given_name,J\\xFFohn,invalid UTF-8: byte \\xFF at position 25 of the line "
     "(counting bytes),\"9990000018,\"\"Smith, Jr\"\",J\\xFFohn,M,1960-01-01,,SY3 2UL,E01014204,A,M82007\"\n"},
    // Too many fields, the extra ones quoted with "" escapes, and a bad byte in the first extra
    // one: the value reported must be that field's, not memory reused by the field after it.
    {"invalid_utf8_in_extra_quoted_field", "gp/events.csv", "clinical_events",
     append("9996125483,2016-03-14,271649006,158,\"" + std::string(30, 'a') + "\"\"\xff\",\"" +
            std::string(200, 'b') + "\"\"x\""),
     4,
     "gp/events.csv,6,column 5,\"" + std::string(30, 'a') +
         "\"\"\\xFF\",invalid UTF-8: byte \\xFF at position 70 of the line "
     "(counting bytes),\"9996125483,"
         "2016-03-14,271649006,158,\"\"" + std::string(30, 'a') + "\"\"\"\"\\xFF\"\",\"\"" +
         std::string(200, 'b') + "\"\"\"\"x\"\"\"\n"},
    {"empty_line_in_the_middle", "gp/events.csv", "clinical_events", replace_line(3, ""), 3,
     "gp/events.csv,3,,,empty line,\n"},
    {"truncated_last_line", "gp/events.csv", "clinical_events",
     [](std::string& text) { text.pop_back(); }, 3,
     "gp/events.csv,5,,,last line has no line break: the file looks truncated,"
     "\"9997366956,2021-06-01,822851000000102,\"\n"},
    {"duplicate_spell_id", "sus/apc_spells.csv", "apcs",
     append(new_spell("RXW123456789-S1")), 2,
     "sus/apc_spells.csv,5,spell_id,RXW123456789-S1,duplicate spell_id 'RXW123456789-S1': first "
     "seen at line 2,\"RXW123456789-S1,RXW,RXW123456789,9996125483,2021-01-10,2021-01-12,21,I10,,"
     "\"\n"},
};

INSTANTIATE_TEST_SUITE_P(Corrupt, CorruptRow, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// A bad NHS number in partner activity is not a reason to reject the row, nor to leave it
// unlinked: the partner index is the authority, and the row takes its partner record's person.
TEST(CorruptInput, BadNhsNumberInPartnerActivityLinksThroughItsPartnerRecord) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-partner-nhs");
  auto files = valid_extract();
  append(new_spell("RXW123456789-S3", "RXW123456789", "9996125484"))(files["sus/apc_spells.csv"]);
  append(new_spell("RXW123456789-S4", "RXW123456789", "999612548"))(files["sus/apc_spells.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "sus/apc_spells.csv");
  EXPECT_EQ(e.read, 5U);
  EXPECT_EQ(e.quarantined, 0U);
  EXPECT_EQ(e.linked, 4U);
  EXPECT_EQ(e.unlinked, 1U);
  EXPECT_EQ(read_text(run.store / "quarantine/apcs.csv"), kQuarantineHeader);
  EXPECT_EQ(read_text(run.store / "unlinked/apcs.csv"),
            kUnlinkedHeader +
                "sus/apc_spells.csv,4,its record in partners/patients.csv is not linked to a person: no GP "
                "person shares a blocking key with it,\"RXW510877278-S1,RXW,RXW510877278,,"
                "2017-03-04,2017-03-05,22,N17.9,,\"\n");
  EXPECT_EQ(stored_rows(run, "apcs"), 4U);
}

// National data (ONS, NCRAS) names people by the true NHS number; a valid number of someone not
// registered with a practice is kept unlinked, not rejected.
TEST(CorruptInput, UnknownPersonInNationalDataIsUnlinked) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-national-unknown");
  auto files = valid_extract();
  append("9990000018,2024-05-01,1960-01-01,M,I21.9,SY3 2UL")(files["ons/deaths.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "ons/deaths.csv");
  EXPECT_EQ(e.quarantined, 0U);
  EXPECT_EQ(e.linked, 1U);
  EXPECT_EQ(e.unlinked, 1U);
  EXPECT_EQ(read_text(run.store / "unlinked/ons_deaths.csv"),
            kUnlinkedHeader +
                "ons/deaths.csv,3,NHS number not in gp/patients.csv,\"9990000018,2024-05-01,"
                "1960-01-01,M,I21.9,SY3 2UL\"\n");
}

// NHS numbers with leading zeros are numbers like any other: whatever gp/patients.csv accepts must
// link, and keep its ten digits. 0000000000 passes the check digit too, but ten identical digits
// are a placeholder typed when the number is unknown, so that person is quarantined (and so are
// their events, which then name no known person).
TEST(CorruptInput, NhsNumbersWithLeadingZerosLinkAndPlaceholdersDoNot) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-leading-zero-nhs");
  auto files = valid_extract();
  append(new_person("0123456789", "Zero"))(files["gp/patients.csv"]);
  append(new_person("0000000000", "Nought"))(files["gp/patients.csv"]);
  append("0123456789,2016-03-14,271649006,158")(files["gp/events.csv"]);
  append("0000000000,2016-03-14,271649006,158")(files["gp/events.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& persons = ledger_row(run.result, "gp/patients.csv");
  const auto& events = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(persons.quarantined, 1U);
  EXPECT_EQ(persons.linked, 4U);
  EXPECT_EQ(events.quarantined, 1U);
  EXPECT_EQ(events.linked, 5U);
  EXPECT_EQ(read_text(run.store / "quarantine/patients.csv"),
            kQuarantineHeader +
                "gp/patients.csv,6,nhs_number,0000000000,'0000000000': NHS number is a placeholder "
                "(ten identical digits),\"0000000000,Nought,John,M,1960-01-01,,SY3 2UL,E01014204,"
                "A,M82007\"\n");
  EXPECT_EQ(read_text(run.store / "identity/persons.csv"),
            "person_id,nhs_number,family_name,given_name,date_of_birth,postcode\n"
            "0,9996125483,Green,Marion,1942-07-06,TF2 6FH\n"
            "1,9990434174,Jones,Gerald,1950-03-14,TF9 7QD\n"
            "2,9997366956,Khan,Aisha,2001-02-28,SY3 2UL\n"
            "3,0123456789,Zero,John,1960-01-01,SY3 2UL\n");
}

TEST(CorruptInput, HeaderMissingARequiredColumnQuarantinesEveryRow) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-bad-header");
  auto files = valid_extract();
  replace_line(1, "nhs_number,event_date,snomed_code,numeric_value")(files["gp/events.csv"]);
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(e.status, "bad_header");
  EXPECT_EQ(e.note, "header lacks column 'snomedct_code'");
  EXPECT_EQ(e.read, 4U);
  EXPECT_EQ(e.accepted(), 0U);
  EXPECT_EQ(e.quarantined, 4U);
  EXPECT_EQ(warnings,
            "severn ingest: warning: gp/events.csv: header lacks column 'snomedct_code'; every row "
            "is quarantined\n");
  EXPECT_EQ(read_text(run.store / "quarantine/clinical_events.csv"),
            kQuarantineHeader +
                "gp/events.csv,2,snomedct_code,,header lacks column 'snomedct_code',"
                "\"9996125483,2009-05-12,382551000000109,\"\n"
                "gp/events.csv,3,snomedct_code,,header lacks column 'snomedct_code',"
                "\"9996125483,2016-03-14,271649006,158\"\n"
                "gp/events.csv,4,snomedct_code,,header lacks column 'snomedct_code',"
                "\"9990434174,2020-02-02,271649006,132\"\n"
                "gp/events.csv,5,snomedct_code,,header lacks column 'snomedct_code',"
                "\"9997366956,2021-06-01,822851000000102,\"\n");
  EXPECT_EQ(stored_rows(run, "clinical_events"), 0U);
  EXPECT_EQ(stored_rows(run, "medications"), 2U);  // the other GP files are untouched
}

TEST(CorruptInput, EmptyFileIsReportedAndItsTableIsEmpty) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-empty-file");
  auto files = valid_extract();
  files["community/contacts.csv"] = "";
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "community/contacts.csv");
  EXPECT_EQ(e.status, "empty");
  EXPECT_EQ(e.note, "file is empty (0 bytes)");
  EXPECT_EQ(e.bytes, 0U);
  EXPECT_EQ(e.read, 0U);
  EXPECT_EQ(e.quarantined, 0U);
  EXPECT_EQ(warnings,
            "severn ingest: warning: community/contacts.csv: file is empty (0 bytes); table "
            "community_contacts will be empty\n");
  const auto store = store::Store::open(run.store);
  ASSERT_TRUE(store->has_table("community_contacts"));
  EXPECT_EQ(store->table("community_contacts").rows(), 0U);
  EXPECT_EQ(read_text(run.store / "quarantine/community_contacts.csv"), kQuarantineHeader);
  EXPECT_EQ(store->table("apcs").rows(), 2U);
}

TEST(CorruptInput, MissingOptionalFileWarnsAndItsTableIsEmpty) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-missing-file");
  auto files = valid_extract();
  files.erase("social_care/episodes.csv");
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const std::string path = (s.dir() / "src" / "social_care/episodes.csv").string();
  const auto& e = ledger_row(run.result, "social_care/episodes.csv");
  EXPECT_EQ(e.status, "missing");
  EXPECT_EQ(e.note, "file not found: " + path);
  EXPECT_EQ(e.read, 0U);
  EXPECT_EQ(warnings, "severn ingest: warning: social_care/episodes.csv: file not found: " + path +
                          "; table social_care will be empty\n");
  const auto store = store::Store::open(run.store);
  ASSERT_TRUE(store->has_table("social_care"));
  EXPECT_EQ(store->table("social_care").rows(), 0U);
  EXPECT_EQ(store->persons(), 3U);
}

TEST(CorruptInput, MissingPersonListThrowsAndLeavesThePreviousStoreAlone) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-missing-patients");
  auto files = valid_extract();
  const Ingested first = ingest_files(s, files);
  const std::string manifest = read_text(first.store / "manifest.json");
  ASSERT_FALSE(manifest.empty());

  fs::remove(s.dir() / "src" / "gp/patients.csv");
  try {
    ingest::run_ingest(options_for(s.dir() / "src", first.store, s.dir() / "pseudonym.key"));
    ADD_FAILURE() << "ingest without gp/patients.csv did not throw";
  } catch (const severn::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gp/patients.csv"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_text(first.store / "manifest.json"), manifest);
  const auto store = store::Store::open(first.store);
  EXPECT_EQ(store->persons(), 3U);
  EXPECT_EQ(store->table("clinical_events").rows(), 4U);
  for (const auto& entry : fs::directory_iterator(s.dir()))
    EXPECT_EQ(entry.path().filename().string().find(".store.staging-"), std::string::npos)
        << "staging directory left behind: " << entry.path();
}

// Windows line ends and a byte-order mark are not errors.
TEST(CorruptInput, CrlfLineEndsAndByteOrderMarkAreAccepted) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-crlf-bom");
  auto files = valid_extract();
  const auto crlf = [](const std::string& text) {
    std::string out;
    for (const char c : text) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  };
  files["gp/patients.csv"] = "\xEF\xBB\xBF" + files["gp/patients.csv"];
  files["gp/events.csv"] = "\xEF\xBB\xBF" + crlf(files["gp/events.csv"]);
  files["sus/apc_spells.csv"] = crlf(files["sus/apc_spells.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  for (const auto& e : run.result.ledger) {
    EXPECT_EQ(e.status, "ok") << e.source;
    EXPECT_EQ(e.quarantined, 0U) << e.source << ": "
                                 << read_text(run.store / "quarantine" / (e.table + ".csv"));
  }
  for (const auto& [table, rows] : kValidRows) EXPECT_EQ(stored_rows(run, table), rows) << table;
  // The record kept for the identity stage carries no carriage return.
  EXPECT_EQ(read_text(run.store / "unlinked/apcs.csv"),
            kUnlinkedHeader +
                "sus/apc_spells.csv,4,its record in partners/patients.csv is not linked to a person: no GP "
                "person shares a blocking key with it,\"RXW510877278-S1,RXW,RXW510877278,,"
                "2017-03-04,2017-03-05,22,N17.9,,\"\n");
  const auto store = store::Store::open(run.store);
  const auto numbers = store->table("clinical_events").column("numeric_value").values<double>();
  ASSERT_EQ(numbers.size(), 4U);
  EXPECT_EQ(numbers[1], 158.0);
  EXPECT_EQ(numbers[2], 132.0);
}

// Columns are matched by name (case and surrounding spaces ignored); extra columns are ignored and
// named in the ledger.
TEST(CorruptInput, ReorderedAndExtraColumnsAreAccepted) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-column-order");
  auto files = valid_extract();
  files["gp/events.csv"] =
      "Event_Date,snomedct_code,Comment,numeric_value, NHS_number\n"
      "2009-05-12,382551000000109,first,,9996125483\n"
      "2016-03-14,271649006,\"seated, left arm\",158,9996125483\n"
      "2020-02-02,271649006,,132,9990434174\n"
      "2021-06-01,822851000000102,,,9997366956\n";
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(e.status, "ok");
  EXPECT_EQ(e.note, "ignored columns: Comment");
  EXPECT_EQ(e.read, 4U);
  EXPECT_EQ(e.linked, 4U);
  EXPECT_EQ(e.quarantined, 0U);
  EXPECT_EQ(read_text(run.store / "quarantine/clinical_events.csv"), kQuarantineHeader);
  const auto store = store::Store::open(run.store);
  const auto& events = store->table("clinical_events");
  ASSERT_EQ(events.rows(), 4U);
  const auto& value = events.column("numeric_value");
  EXPECT_FALSE(value.valid(0));
  EXPECT_EQ(value.values<double>()[1], 158.0);
  EXPECT_EQ(value.values<double>()[2], 132.0);
  EXPECT_FALSE(value.valid(3));
  const auto& codes = store->dictionary("snomedct");
  const auto ids = events.column("snomedct_code").values<std::uint32_t>();
  EXPECT_EQ(codes[ids[0]], "382551000000109");
  EXPECT_EQ(codes[ids[3]], "822851000000102");
  EXPECT_EQ(events.person_offsets()[1], 2U);  // two rows for person 0, in date order
}

// A quarantined record of a partner's patient index does not take that partner's activity down
// with it: the activity is kept as unlinked, naming the index line, not rejected as "unknown".
TEST(CorruptInput, ActivityOfAQuarantinedIndexRecordWaitsAsUnlinked) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-index-quarantined");
  auto files = valid_extract();
  replace_line(2, "RXW,RXW123456789,9996125483,Walker,Marion,X,1942-07-06,TF2 6FH,,")(
      files["partners/patients.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  EXPECT_EQ(ledger_row(run.result, "partners/patients.csv").quarantined, 1U);
  const auto& ec = ledger_row(run.result, "ecds/attendances.csv");
  EXPECT_EQ(ec.quarantined, 0U);
  EXPECT_EQ(ec.unlinked, 1U);
  EXPECT_EQ(read_text(run.store / "unlinked/ec.csv"),
            kUnlinkedHeader +
                "ecds/attendances.csv,2,its record in partners/patients.csv (line 2) was "
                "quarantined,\"RXW123456789-A1,RXW,RXW123456789,9996125483,2019-05-02,"
                "1064911000000105,82271004,1\"\n");
}

// A trailing comma in the header names a column with no name; rows would all look one field
// short, so the file is refused as a whole with the reason, not row by row.
TEST(CorruptInput, NamelessHeaderColumnIsABadHeader) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-trailing-comma");
  auto files = valid_extract();
  replace_line(1, "nhs_number,issue_date,dmd_code,")(files["gp/medications.csv"]);
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/medications.csv");
  EXPECT_EQ(e.status, "bad_header");
  EXPECT_EQ(e.note, "header column 4 has no name");
  EXPECT_EQ(e.quarantined, 2U);
}

// A stray opening quote followed, a few lines later, by another quote: only the stray quote's
// own line is rejected, and the lines between are read as the good rows they are.
TEST(CorruptInput, StrayQuoteDoesNotSwallowTheFollowingLines) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-stray-quote");
  auto files = valid_extract();
  replace_line(3, "9996125483,\"2016-03-14,271649006,158")(files["gp/events.csv"]);
  replace_line(5, "9997366956,\"2021-06-01\",822851000000102,")(files["gp/events.csv"]);
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(e.read, 4U);
  EXPECT_EQ(e.quarantined, 1U);
  EXPECT_EQ(e.linked, 3U);
  EXPECT_EQ(read_text(run.store / "quarantine/clinical_events.csv"),
            kQuarantineHeader +
                "gp/events.csv,3,event_date,,broken quoting: a quote that is never closed,"
                "\"9996125483,\"\"2016-03-14,271649006,158\"\n");
}

// ---- Every physical line is counted ----------------------------------------------------------
// The ledger's `read` is every physical line of the file but its header: each is accepted or
// quarantined, so no line can vanish whatever the line ends or blank lines around the header.

// Physical lines: LF, CRLF and a lone CR each end one; a last line without a break still counts.
std::uint64_t physical_lines(const std::string& text) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++n;
  }
  if (!text.empty() && text.back() != '\n' && text.back() != '\r') ++n;
  return n;
}

std::string with_line_ends(const std::string& text, const std::string& end) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out += end; else out += c;
  }
  return out;
}

struct LinesCase {
  std::string name;
  std::function<std::string(const std::string&)> make;  // from the valid gp/events.csv
  std::string status;
  std::uint64_t linked;
  bool has_header;
};

void PrintTo(const LinesCase& c, std::ostream* os) { *os << c.name; }

class EveryLine : public ::testing::TestWithParam<LinesCase> {};

TEST_P(EveryLine, IsAcceptedOrQuarantined) {
  SEVERN_REQUIRE_PACK();
  const LinesCase& c = GetParam();
  Scratch s("lines-" + c.name);
  auto files = valid_extract();
  files["gp/events.csv"] = c.make(files["gp/events.csv"]);
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  const std::string& text = files["gp/events.csv"];
  EXPECT_EQ(e.status, c.status) << e.note;
  EXPECT_EQ(e.read, physical_lines(text) - (c.has_header ? 1 : 0)) << e.note;
  EXPECT_EQ(e.linked, c.linked) << read_text(run.store / "quarantine/clinical_events.csv");
  EXPECT_EQ(e.read, e.accepted() + e.quarantined);
  // The quarantine file holds one row per quarantined line.
  EXPECT_EQ(line_count(read_text(run.store / "quarantine/clinical_events.csv")) - 1, e.quarantined);
}

const LinesCase kLinesCases[] = {
    {"blank_first_line", [](const std::string& t) { return "\n" + t; }, "ok", 4, true},
    {"blank_lines_with_spaces_before_header", [](const std::string& t) { return "\n  \n\t\n" + t; }, "ok", 4, true},
    {"crlf_blank_first_line", [](const std::string& t) { return with_line_ends("\n" + t, "\r\n"); }, "ok", 4, true},
    {"cr_only", [](const std::string& t) { return with_line_ends(t, "\r"); }, "ok", 4, true},
    {"cr_only_blank_first_line", [](const std::string& t) { return with_line_ends("\n" + t, "\r"); }, "ok", 4, true},
    {"cr_only_truncated", [](const std::string& t) { auto x = with_line_ends(t, "\r"); x.pop_back(); return x; },
     "ok", 3, true},
    {"blank_lines_at_the_end", [](const std::string& t) { return t + "\n\n"; }, "ok", 4, true},
    {"only_blank_lines", [](const std::string&) { return std::string("\n \n\n"); }, "empty", 0, false},
    {"only_blank_lines_cr", [](const std::string&) { return std::string("\r\r"); }, "empty", 0, false},
    {"blank_first_line_then_bad_header",
     [](const std::string& t) { return "\nnhs_number,event_date,snomed_code,numeric_value" + t.substr(t.find('\n')); },
     "bad_header", 0, true},
};

INSTANTIATE_TEST_SUITE_P(Lines, EveryLine, ::testing::ValuesIn(kLinesCases),
                         [](const ::testing::TestParamInfo<LinesCase>& info) { return info.param.name; });

// A blank first line is quarantined with its reason; the header is the next line, and the rows
// keep their own line numbers.
TEST(CorruptInput, BlankFirstLineIsQuarantinedAndTheRowsAreRead) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-blank-first-line");
  auto files = valid_extract();
  files["gp/events.csv"] = "\n" + files["gp/events.csv"] + "9996125483,2016-03-14,271649006\n";
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(e.status, "ok");
  EXPECT_EQ(e.note, "1 blank line before the header on line 2 (quarantined)");
  EXPECT_EQ(e.read, 6U);
  EXPECT_EQ(e.linked, 4U);
  EXPECT_EQ(e.quarantined, 2U);
  EXPECT_EQ(read_text(run.store / "quarantine/clinical_events.csv"),
            kQuarantineHeader +
                "gp/events.csv,1,,,blank line before the header,\n"
                "gp/events.csv,7,,,\"expected 4 fields (as in the header), found 3\","
                "\"9996125483,2016-03-14,271649006\"\n");
  EXPECT_EQ(stored_rows(run, "clinical_events"), 4U);
}

// Classic Mac OS line ends: each CR is a line end, so the file reads as the LF one does.
TEST(CorruptInput, CrOnlyLineEndsAreReadAsLineEnds) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-cr-only");
  auto files = valid_extract();
  files["gp/events.csv"] = with_line_ends(files["gp/events.csv"] + "9996125483,2016-03-14,271649006\n", "\r");
  const Ingested run = ingest_files(s, files);
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "gp/events.csv");
  EXPECT_EQ(e.status, "ok");
  EXPECT_EQ(e.note, "line ends are CR only (classic Mac OS): each CR read as a line end");
  EXPECT_EQ(e.read, 5U);
  EXPECT_EQ(e.linked, 4U);
  EXPECT_EQ(read_text(run.store / "quarantine/clinical_events.csv"),
            kQuarantineHeader +
                "gp/events.csv,6,,,\"expected 4 fields (as in the header), found 3\","
                "\"9996125483,2016-03-14,271649006\"\n");
  const auto store = store::Store::open(run.store);
  const auto numbers = store->table("clinical_events").column("numeric_value").values<double>();
  ASSERT_EQ(numbers.size(), 4U);
  EXPECT_EQ(numbers[1], 158.0);
}

// A file of blank lines has no header: its table is empty, and its lines are in quarantine.
TEST(CorruptInput, FileOfBlankLinesIsEmptyAndItsLinesAreCounted) {
  SEVERN_REQUIRE_PACK();
  Scratch s("corrupt-blank-file");
  auto files = valid_extract();
  files["community/contacts.csv"] = "\n\n";
  ::testing::internal::CaptureStderr();
  const Ingested run = ingest_files(s, files);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  expect_ledger_balances(run.result);
  const auto& e = ledger_row(run.result, "community/contacts.csv");
  EXPECT_EQ(e.status, "empty");
  EXPECT_EQ(e.note, "file has no header line (2 blank lines, quarantined)");
  EXPECT_EQ(e.read, 2U);
  EXPECT_EQ(e.quarantined, 2U);
  EXPECT_EQ(read_text(run.store / "quarantine/community_contacts.csv"),
            kQuarantineHeader +
                "community/contacts.csv,1,,,blank line: the file has no header line,\n"
                "community/contacts.csv,2,,,blank line: the file has no header line,\n");
  EXPECT_NE(warnings.find("community/contacts.csv: file has no header line"), std::string::npos) << warnings;
}

}  // namespace
}  // namespace severn::testing
