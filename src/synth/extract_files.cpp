#include "synth/extract_files.h"

namespace severn::synth {

const ExtractSpec& spec(Extract e) {
  static const ExtractSpec specs[kExtractCount] = {
      {"gp/patients.csv",
       "nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,lsoa21_code,"
       "ethnic_category,practice_code"},
      {"gp/registrations.csv", "nhs_number,practice_code,start_date,end_date"},
      {"gp/events.csv", "nhs_number,event_date,snomedct_code,numeric_value"},
      {"gp/medications.csv", "nhs_number,issue_date,dmd_code"},
      {"sus/apc_spells.csv",
       "spell_id,provider_code,local_patient_id,nhs_number,admission_date,discharge_date,"
       "admission_method,primary_diagnosis,secondary_diagnoses,primary_procedure"},
      {"ecds/attendances.csv",
       "attendance_id,provider_code,local_patient_id,nhs_number,arrival_date,acuity_code,"
       "diagnosis_code,admitted"},
      {"sus/outpatients.csv",
       "appointment_id,provider_code,local_patient_id,nhs_number,appointment_date,"
       "treatment_function_code,first_attendance,attendance_status"},
      {"wlmds/rtt_pathways.csv",
       "pathway_id,provider_code,local_patient_id,nhs_number,treatment_function_code,priority,"
       "clock_start_date,clock_stop_date,rtt_status,patient_pathway_id,rtt_period,"
       "referral_received_date,waiting_list_type,planned_procedure,tci_date,last_validation_date,"
       "removal_date,removal_reason"},
      {"wlmds/rtt_activity.csv",
       "activity_id,patient_pathway_id,provider_code,local_patient_id,nhs_number,activity_date,"
       "activity_type,attended,rtt_status,treatment_function_code,validation_outcome,"
       "removal_reason,transfer_provider_code"},
      {"wlmds/weekly_snapshots.csv",
       "week_ending_date,patient_pathway_id,rtt_period,provider_code,local_patient_id,nhs_number,"
       "treatment_function_code,waiting_list_type,priority,clock_start_date,planned_procedure,"
       "tci_date,last_validation_date"},
      {"community/contacts.csv",
       "contact_id,provider_code,local_patient_id,nhs_number,contact_date,service"},
      {"social_care/episodes.csv",
       "episode_id,council_code,local_person_id,nhs_number,service_type,start_date,end_date"},
      {"partners/patients.csv",
       "partner_code,local_patient_id,nhs_number,family_name,given_name,sex,date_of_birth,"
       "postcode,previous_family_name,previous_postcode"},
      {"ons/deaths.csv",
       "nhs_number,date_of_death,date_of_birth,sex,underlying_cause,postcode"},
      {"ncras/cancer_registrations.csv",
       "tumour_id,nhs_number,date_of_birth,sex,diagnosis_date,site_icd10,stage"},
      {"truth/persons.csv",
       "person_id,nhs_number,family_name,given_name,sex,date_of_birth,date_of_death,postcode,"
       "previous_postcode,lsoa21_code,imd_decile,practice_code,ethnic_category,smoking,frailty,"
       "conditions,undiagnosed,birth_family_name,household_id,household_role,twin_of"},
      {"truth/partner_records.csv", "partner_code,local_patient_id,person_id,discrepancies"},
      {"truth/rtt_reporting_errors.csv",
       "patient_pathway_id,rtt_period,provider_code,error,reported_value,true_value"},
  };
  return specs[static_cast<int>(e)];
}

void Tally::add(const Tally& o) {
  rtt_open_at_snapshot += o.rtt_open_at_snapshot;
  rtt_open_over_18w += o.rtt_open_over_18w;
  rtt_open_over_52w += o.rtt_open_over_52w;
  rtt_open_over_65w += o.rtt_open_over_65w;
  rtt_open_over_78w += o.rtt_open_over_78w;
  rtt_reported_rows += o.rtt_reported_rows;
  cancers_staged += o.cancers_staged;
  cancers_early += o.cancers_early;
  deaths += o.deaths;
  cvd_deaths += o.cvd_deaths;
  emergency_admissions += o.emergency_admissions;
  ae_attendances += o.ae_attendances;
  opa_appointments += o.opa_appointments;
  opa_dna += o.opa_dna;
  opa_dna_most_deprived += o.opa_dna_most_deprived;
  opa_most_deprived += o.opa_most_deprived;
  opa_dna_least_deprived += o.opa_dna_least_deprived;
  opa_least_deprived += o.opa_least_deprived;
  people += o.people;
  adults += o.adults;
  double_barrelled += o.double_barrelled;
  double_barrel_eligible += o.double_barrel_eligible;
  for (std::size_t k = 0; k < partners.size(); ++k) partners[k].add(o.partners[k]);
}

void PartnerTally::add(const PartnerTally& o) {
  records += o.records;
  for (std::size_t p = 0; p < applied.size(); ++p) {
    applied[p] += o.applied[p];
    expected[p] += o.expected[p];
  }
}

}  // namespace severn::synth
