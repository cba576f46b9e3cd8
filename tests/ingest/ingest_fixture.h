// A small, fully valid set of partner extracts written by hand (three people, one row or more in
// every file), a scratch directory, and helpers to run ingest and read its outputs. Tests change
// one line of one file and check exactly what happens to it.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/csv_table.h"
#include "core/date.h"
#include "ingest/ingest.h"
#include "pack.h"
#include "synth/config.h"
#include "synth/synthesize.h"

namespace severn::testing {

class Scratch {
 public:
  explicit Scratch(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() /
             ("severn-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The valid extract, file by file (docs/data-model.md). NHS numbers are in the 999 test range
// with valid check digits; codes come from the shipped code lists; M82007 and E01014204 are in
// the reference pack.
inline std::map<std::string, std::string> valid_extract() {
  return {
      {"gp/patients.csv",
       "nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,lsoa21_code,"
       "ethnic_category,practice_code\n"
       "9996125483,Green,Marion,F,1942-07-06,,TF2 6FH,E01014204,A,M82007\n"
       "9990434174,Jones,Gerald,M,1950-03-14,2024-01-31,TF9 7QD,E01028882,Z,M82010\n"
       "9997366956,Khan,Aisha,F,2001-02-28,,SY3 2UL,E01014204,H,M82007\n"},
      {"gp/registrations.csv",
       "nhs_number,practice_code,start_date,end_date\n"
       "9996125483,M82007,2012-01-27,\n"
       "9990434174,M82007,2001-05-01,2010-06-30\n"
       "9990434174,M82010,2010-07-01,2024-01-31\n"
       "9997366956,M82007,2001-03-01,\n"},
      {"gp/events.csv",
       "nhs_number,event_date,snomedct_code,numeric_value\n"
       "9996125483,2009-05-12,382551000000109,\n"
       "9996125483,2016-03-14,271649006,158\n"
       "9990434174,2020-02-02,271649006,132\n"
       "9997366956,2021-06-01,822851000000102,\n"},
      {"gp/medications.csv",
       "nhs_number,issue_date,dmd_code\n"
       "9996125483,2016-05-02,321991008\n"
       "9990434174,2019-05-02,321991008\n"},
      {"partners/patients.csv",
       "partner_code,local_patient_id,nhs_number,family_name,given_name,sex,date_of_birth,postcode,"
       "previous_family_name,previous_postcode\n"
       "RXW,RXW123456789,9996125483,Walker,Marion,F,1942-07-06,TF2 6FH,,\n"
       "RL1,RL1123456789,9996125483,Green,Marion,F,1942-07-06,TF2 6FH,Walker,\n"
       // Nobody registered with a GP: the partner linking leaves it unlinked.
       "RXW,RXW510877278,,Price,Trevor,M,1961-08-09,SY2 6ND,,SY2 6NE\n"
       "R1D,R1D123456789,9996125483,Green,Marion,F,1942-07-06,,,\n"
       "E06000051,SC465363440,9997366956,Khan,Aisha,F,2001-02-28,SY3 2UL,,\n"},
      {"sus/apc_spells.csv",
       "spell_id,provider_code,local_patient_id,nhs_number,admission_date,discharge_date,"
       "admission_method,primary_diagnosis,secondary_diagnoses,primary_procedure\n"
       "RXW123456789-S1,RXW,RXW123456789,9996125483,2019-05-02,2019-05-02,21,W19,F32;I10,\n"
       "RL1123456789-S2,RL1,RL1123456789,9996125483,2020-04-15,2020-04-16,11,M17.9,,W40.1\n"
       "RXW510877278-S1,RXW,RXW510877278,,2017-03-04,2017-03-05,22,N17.9,,\n"},
      {"ecds/attendances.csv",
       "attendance_id,provider_code,local_patient_id,nhs_number,arrival_date,acuity_code,"
       "diagnosis_code,admitted\n"
       "RXW123456789-A1,RXW,RXW123456789,9996125483,2019-05-02,1064911000000105,82271004,1\n"},
      {"sus/outpatients.csv",
       "appointment_id,provider_code,local_patient_id,nhs_number,appointment_date,"
       "treatment_function_code,first_attendance,attendance_status\n"
       "RXW123456789-O1,RXW,RXW123456789,9996125483,2016-02-14,140,1,5\n"
       "RXW123456789-O2,RXW,RXW123456789,9996125483,2016-12-14,400,2,3\n"},
      {"wlmds/rtt_pathways.csv",
       "pathway_id,provider_code,local_patient_id,nhs_number,treatment_function_code,priority,"
       "clock_start_date,clock_stop_date,rtt_status,patient_pathway_id,rtt_period,referral_received_date,"
       "waiting_list_type,planned_procedure,tci_date,last_validation_date,removal_date,removal_reason\n"
       "RXW123456789-P1,RXW,RXW123456789,9996125483,140,P3,2016-01-20,2016-02-14,30,RXW123456789-P1,1,"
       "2016-01-18,admitted,F09.1,2016-02-10,,,\n"
       "RXW123456789-P2,RXW,RXW123456789,9996125483,400,,2024-11-17,,,RXW123456789-P2,1,2024-11-10,"
       "non_admitted,,,2024-12-01,,\n"},
      {"wlmds/rtt_activity.csv",
       "activity_id,patient_pathway_id,provider_code,local_patient_id,nhs_number,activity_date,activity_type,"
       "attended,rtt_status,treatment_function_code,validation_outcome,removal_reason,transfer_provider_code\n"
       "RXW123456789-P1-A1,RXW123456789-P1,RXW,RXW123456789,9996125483,2016-01-18,referral,,10,140,,,\n"
       "RXW123456789-P1-A2,RXW123456789-P1,RXW,RXW123456789,9996125483,2016-02-14,admission,1,30,140,,,\n"
       "RXW123456789-P2-A1,RXW123456789-P2,RXW,RXW123456789,9996125483,2024-11-10,referral,,10,400,,,\n"
       "RXW123456789-P2-A2,RXW123456789-P2,RXW,RXW123456789,9996125483,2024-12-01,validation,,20,400,"
       "still_waiting,,\n"},
      {"wlmds/weekly_snapshots.csv",
       "week_ending_date,patient_pathway_id,rtt_period,provider_code,local_patient_id,nhs_number,"
       "treatment_function_code,waiting_list_type,priority,clock_start_date,planned_procedure,tci_date,"
       "last_validation_date\n"
       "2024-12-08,RXW123456789-P2,1,RXW,RXW123456789,9996125483,400,non_admitted,,2024-11-17,,,2024-12-01\n"
       "2024-12-15,RXW123456789-P2,1,RXW,RXW123456789,9996125483,400,non_admitted,,2024-11-17,,,2024-12-01\n"},
      {"community/contacts.csv",
       "contact_id,provider_code,local_patient_id,nhs_number,contact_date,service\n"
       "R1D123456789-C1,R1D,R1D123456789,9996125483,2024-02-07,District nursing\n"},
      {"social_care/episodes.csv",
       "episode_id,council_code,local_person_id,nhs_number,service_type,start_date,end_date\n"
       "SC465363440-E1,E06000051,SC465363440,9997366956,Reablement,2024-12-19,2025-01-23\n"},
      {"ons/deaths.csv",
       "nhs_number,date_of_death,date_of_birth,sex,underlying_cause,postcode\n"
       "9990434174,2024-01-31,1950-03-14,M,I21.9,TF9 7QD\n"},
      {"ncras/cancer_registrations.csv",
       "tumour_id,nhs_number,date_of_birth,sex,diagnosis_date,site_icd10,stage\n"
       "TUM074304728,9996125483,1942-07-06,F,2018-06-22,C50.9,1\n"
       "TUM109100191,9997366956,2001-02-28,F,2022-12-14,C73,\n"},
  };
}

// The waiting-list extract as it was before issue 17: rtt_pathways.csv with its first nine
// columns only, and no rtt_activity.csv or weekly_snapshots.csv (docs/store.md "Older extracts").
inline std::map<std::string, std::string> with_old_wlmds(std::map<std::string, std::string> files) {
  std::string old;
  std::istringstream in(files.at("wlmds/rtt_pathways.csv"));
  for (std::string line; std::getline(in, line);) {
    std::size_t cut = 0;
    for (int commas = 0; commas < 9 && cut != std::string::npos; ++commas) cut = line.find(',', cut + (commas ? 1 : 0));
    old += line.substr(0, cut) + "\n";
  }
  files["wlmds/rtt_pathways.csv"] = old;
  files.erase("wlmds/rtt_activity.csv");
  files.erase("wlmds/weekly_snapshots.csv");
  return files;
}

inline void write_extract(const std::filesystem::path& dir,
                          const std::map<std::string, std::string>& files) {
  for (const auto& [rel, text] : files) write_text(dir / rel, text);
}

inline std::filesystem::path write_key(const std::filesystem::path& dir) {
  const auto path = dir / "pseudonym.key";
  write_text(path, std::string(32, 'k') + "0123456789abcdef");
  return path;
}

inline ingest::IngestOptions options_for(const std::filesystem::path& src,
                                         const std::filesystem::path& store,
                                         const std::filesystem::path& key) {
  ingest::IngestOptions o;
  o.source_dir = src;
  o.store_dir = store;
  o.key_file = key.string();
  o.data_dir = SEVERN_TEST_DATA_DIR;
  o.as_of = days_from_civil(2025, 6, 30);
  o.threads = 2;
  return o;
}

// A small synthetic ICS written to `dir` (as `severn synth` would).
inline void synthesize_small(const std::filesystem::path& dir, std::int64_t people, std::uint64_t seed) {
  synth::SynthConfig c;
  c.people = people;
  c.seed = seed;
  c.out = dir;
  c.data_dir = SEVERN_TEST_DATA_DIR;
  synth::synthesize(c);
}

inline const ingest::LedgerEntry& ledger_row(const ingest::IngestResult& r, const std::string& source) {
  for (const auto& e : r.ledger)
    if (e.source == source) return e;
  throw std::runtime_error("no ledger row for " + source);
}

}  // namespace severn::testing
