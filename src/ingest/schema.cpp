#include "ingest/schema.h"

namespace severn::ingest {

std::vector<std::string_view> TableSpec::field_names() const {
  std::vector<std::string_view> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

int TableSpec::field_index(std::string_view name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

const std::vector<std::string_view> kSex{"M", "F"};
// Z (not stated) besides the NHS DD ETHNIC CATEGORY codes of the reference table.
const std::vector<std::string_view> kNotStated{"Z"};
constexpr std::string_view kEthnicTable = "reference/ethnic-category-codes.csv";
constexpr std::string_view kAdmissionTable = "reference/admission-method-codes.csv";
constexpr std::string_view kAttendedTable = "reference/attended-or-did-not-attend-codes.csv";
constexpr std::string_view kTreatmentFunctionTable = "reference/treatment-function-codes.csv";
const std::vector<std::string_view> kAcute{"RXW", "RL1"};
const std::vector<std::string_view> kPartners{"RXW", "RL1", "R1D", "E06000051", "E06000020"};
const std::vector<std::string_view> kCouncils{"E06000051", "E06000020"};
// NHS DD FIRST ATTENDANCE: 1 first, 2 follow-up, 3 first by telephone or telemedicine,
// 4 follow-up by telephone or telemedicine.
const std::vector<std::string_view> kFirstAttendance{"1", "2", "3", "4"};
// NHS DD RTT PERIOD STATUS: the codes that stop a clock.
const std::vector<std::string_view> kRttStop{"30", "31", "32", "33", "34", "35", "36"};
// NHS DD RTT PERIOD STATUS, every code an activity may record: 10-12 a clock starts, 20-21 it
// runs, 30-36 it stops, 90-99 outside an RTT period (NHS England, Recording and reporting
// referral to treatment waiting times for consultant-led elective care, Feb 2025).
const std::vector<std::string_view> kRttAny{"10", "11", "12", "20", "21", "30", "31", "32", "33", "34",
                                            "35", "36", "90", "91", "92", "98", "99"};
const std::vector<std::string_view> kWaitingListType{"admitted", "non_admitted"};
const std::vector<std::string_view> kRemovalReason{"transferred",        "no_longer_required", "treated_elsewhere",
                                                   "duplicate",          "unable_to_contact",  "moved_away"};
const std::vector<std::string_view> kActivityType{
    "referral",         "outpatient_first",       "outpatient_follow_up", "diagnostic",
    "decision_to_admit", "admission",             "active_monitoring_start", "active_monitoring_end",
    "decision_not_to_treat", "patient_declined",  "died",                 "validation",
    "transfer",         "discharge"};
const std::vector<std::string_view> kValidationOutcome{"still_waiting", "removed"};
// Surgical prioritisation categories (FSSA / NHS England clinical validation of surgical lists).
const std::vector<std::string_view> kPriority{"P1", "P2", "P3", "P4"};
const std::vector<std::string_view> kCommunityService{
    "District nursing", "Community physiotherapy", "Podiatry", "Community matron",
    "Rapid response", "Occupational therapy", "Children and young people's mental health",
    "Epilepsy specialist nursing"};
const std::vector<std::string_view> kSocialCareService{"Home care",      "Reablement",
                                                       "Residential care", "Nursing care",
                                                       "Direct payment", "Day care"};
const std::vector<std::string_view> kFlag{"0", "1"};
const std::vector<std::string_view> kStage{"1", "2", "3", "4"};

constexpr std::string_view kDays = "days since 1970-01-01";

FieldSpec nhs(bool nullable) { return {"nhs_number", Kind::kNhsNumber, nullable, ""}; }
FieldSpec date(std::string_view name, std::string_view store, bool nullable = false) {
  return {name, Kind::kDate, nullable, store, {}, kDays};
}
// The patient pathway identifier, stored as the pathway number.
FieldSpec pathway_ref() {
  return {"patient_pathway_id", Kind::kPathwayRef, false, "pathway", {},
          "the store's pathway number (0, 1, ...): the same for one patient_pathway_id in every wl_ table; "
          "the identifier is in identity/pathways.csv"};
}
FieldSpec treatment_function() {
  return {"treatment_function_code", Kind::kIntCode, false, "treatment_function_code", {}, {}, kTreatmentFunctionTable};
}
// A column the WLMDS extracts gained with issue 17: older extracts lack it (docs/store.md).
FieldSpec added(FieldSpec f) {
  f.optional_column = true;
  return f;
}

std::vector<TableSpec> build() {
  std::vector<TableSpec> t;
  t.push_back({"patients", "gp/patients.csv", Role::kPersons,
               {nhs(false),
                {"family_name", Kind::kName},
                {"given_name", Kind::kName},
                {"sex", Kind::kCategory, false, "sex", kSex},
                date("date_of_birth", "date_of_birth"),
                date("date_of_death", "date_of_death", true),
                {"postcode", Kind::kPostcode},
                {"lsoa21_code", Kind::kLsoa, false, "lsoa21_code"},
                {"ethnic_category", Kind::kCategory, false, "ethnic_category", kNotStated, {}, kEthnicTable},
                {"practice_code", Kind::kPractice, false, "practice_code"}},
               "",
               {{"date_of_death", "date_of_birth"}},
               true});
  t.push_back({"partner_records", "partners/patients.csv", Role::kPartnerIndex,
               {{"partner_code", Kind::kPartner, false, "", kPartners},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                {"family_name", Kind::kName},
                {"given_name", Kind::kName},
                {"sex", Kind::kCategory, false, "", kSex},
                date("date_of_birth", ""),
                // Partners' indexes may lack a postcode, and may keep a person's earlier family
                // name and postcode; partner linking compares them (docs/linkage.md).
                {"postcode", Kind::kPostcode, true},
                {"previous_family_name", Kind::kName, true},
                {"previous_postcode", Kind::kPostcode, true}},
               ""});
  t.push_back({"practice_registrations", "gp/registrations.csv", Role::kGpChild,
               {nhs(false),
                {"practice_code", Kind::kPractice, false, "practice_code"},
                date("start_date", "start_date"),
                date("end_date", "end_date", true)},
               "start_date",
               {{"end_date", "start_date"}}});
  t.push_back({"clinical_events", "gp/events.csv", Role::kGpChild,
               {nhs(false),
                date("event_date", "date"),
                {"snomedct_code", Kind::kSnomed, false, "snomedct_code"},
                {"numeric_value", Kind::kDecimal, true, "numeric_value", {},
                 "unit of the code's measurement (docs/data-model.md)"}},
               "date"});
  t.push_back({"medications", "gp/medications.csv", Role::kGpChild,
               {nhs(false), date("issue_date", "date"),
                {"dmd_code", Kind::kDmd, false, "dmd_code"}},
               "date"});
  t.push_back({"apcs", "sus/apc_spells.csv", Role::kPartnerActivity,
               {{"spell_id", Kind::kRecordId},
                {"provider_code", Kind::kPartner, false, "provider_code", kAcute},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                date("admission_date", "admission_date"),
                date("discharge_date", "discharge_date"),
                {"admission_method", Kind::kCategory, false, "admission_method", {}, {}, kAdmissionTable},
                {"primary_diagnosis", Kind::kIcd10, false, "primary_diagnosis"},
                {"secondary_diagnoses", Kind::kIcd10List, true, "secondary_diagnoses"},
                {"primary_procedure", Kind::kOpcs4, true, "primary_procedure"}},
               "admission_date",
               {{"discharge_date", "admission_date"}}});
  t.push_back({"ec", "ecds/attendances.csv", Role::kPartnerActivity,
               {{"attendance_id", Kind::kRecordId},
                {"provider_code", Kind::kPartner, false, "provider_code", {"RXW"}},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                date("arrival_date", "arrival_date"),
                {"acuity_code", Kind::kSnomed, false, "acuity_code"},
                {"diagnosis_code", Kind::kSnomed, false, "diagnosis_code"},
                {"admitted", Kind::kIntCode, false, "admitted", kFlag}},
               "arrival_date"});
  t.push_back({"opa", "sus/outpatients.csv", Role::kPartnerActivity,
               {{"appointment_id", Kind::kRecordId},
                {"provider_code", Kind::kPartner, false, "provider_code", kAcute},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                date("appointment_date", "appointment_date"),
                {"treatment_function_code", Kind::kIntCode, false, "treatment_function_code", {}, {},
                 kTreatmentFunctionTable},
                {"first_attendance", Kind::kIntCode, false, "first_attendance", kFirstAttendance},
                {"attendance_status", Kind::kIntCode, false, "attendance_status", {}, {}, kAttendedTable}},
               "appointment_date"});
  t.push_back({"wl_pathways", "wlmds/rtt_pathways.csv", Role::kPartnerActivity,
               {{"pathway_id", Kind::kRecordId},
                {"provider_code", Kind::kPartner, false, "provider_code", kAcute},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                treatment_function(),
                {"priority", Kind::kCategory, true, "priority", kPriority},
                date("clock_start_date", "clock_start_date"),
                date("clock_stop_date", "clock_stop_date", true),
                {"rtt_status", Kind::kCategory, true, "rtt_status", kRttStop},
                added(pathway_ref()),
                added({"rtt_period", Kind::kPositiveInt, false, "rtt_period"}),
                added(date("referral_received_date", "referral_received_date")),
                added({"waiting_list_type", Kind::kCategory, false, "waiting_list_type", kWaitingListType}),
                added({"planned_procedure", Kind::kOpcs4, true, "planned_procedure"}),
                added({"tci_date", Kind::kFutureDate, true, "tci_date", {}, kDays}),
                added(date("last_validation_date", "last_validation_date", true)),
                added(date("removal_date", "removal_date", true)),
                added({"removal_reason", Kind::kCategory, true, "removal_reason", kRemovalReason})},
               "clock_start_date",
               {{"clock_stop_date", "clock_start_date"},
                {"clock_start_date", "referral_received_date"},
                {"removal_date", "clock_start_date"},
                // Against the referral, not the reported clock start: a validation contact before a
                // mis-keyed clock start is exactly what the clock engine's reconciliation reports
                // (start_differs); quarantining the row would drop the period from the reported list.
                {"last_validation_date", "referral_received_date"},
                {"tci_date", "clock_start_date"}},
               false,
               {{"removal_reason", "removal_date"}, {"rtt_status", "clock_stop_date"}}});
  t.push_back({"wl_activity", "wlmds/rtt_activity.csv", Role::kPartnerActivity,
               {{"activity_id", Kind::kRecordId},
                pathway_ref(),
                {"provider_code", Kind::kPartner, false, "provider_code", kAcute},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                date("activity_date", "activity_date"),
                {"activity_type", Kind::kCategory, false, "activity_type", kActivityType},
                {"attended", Kind::kIntCode, true, "attended", kFlag},
                {"rtt_status", Kind::kCategory, false, "rtt_status", kRttAny},
                treatment_function(),
                {"validation_outcome", Kind::kCategory, true, "validation_outcome", kValidationOutcome},
                {"removal_reason", Kind::kCategory, true, "removal_reason", kRemovalReason},
                {"transfer_provider_code", Kind::kOdsCode, true, "transfer_provider_code"}},
               "activity_date",
               {},
               false,
               {{"validation_outcome", "activity_type", "validation"},
                {"removal_reason", "validation_outcome", "removed"},
                {"transfer_provider_code", "activity_type", "transfer"}}});
  t.push_back({"wl_snapshots", "wlmds/weekly_snapshots.csv", Role::kPartnerActivity,
               {{"week_ending_date", Kind::kWeekEnding, false, "week_ending_date", {}, kDays},
                pathway_ref(),
                {"rtt_period", Kind::kPositiveInt, false, "rtt_period"},
                {"provider_code", Kind::kPartner, false, "provider_code", kAcute},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                treatment_function(),
                {"waiting_list_type", Kind::kCategory, false, "waiting_list_type", kWaitingListType},
                {"priority", Kind::kCategory, true, "priority", kPriority},
                date("clock_start_date", "clock_start_date"),
                {"planned_procedure", Kind::kOpcs4, true, "planned_procedure"},
                {"tci_date", Kind::kFutureDate, true, "tci_date", {}, kDays},
                date("last_validation_date", "last_validation_date", true)},
               "week_ending_date",
               // No referral date in a snapshot row, so a validation date is not checked against
               // the (possibly mis-keyed) clock start: see wl_pathways.
               {{"week_ending_date", "clock_start_date"},
                {"tci_date", "clock_start_date"}},
               false,
               {},
               {"week_ending_date", "patient_pathway_id", "rtt_period"}});
  t.push_back({"community_contacts", "community/contacts.csv", Role::kPartnerActivity,
               {{"contact_id", Kind::kRecordId},
                {"provider_code", Kind::kPartner, false, "provider_code", {"R1D"}},
                {"local_patient_id", Kind::kLocalId},
                nhs(true),
                date("contact_date", "contact_date"),
                {"service", Kind::kCategory, false, "service", kCommunityService}},
               "contact_date"});
  t.push_back({"social_care", "social_care/episodes.csv", Role::kPartnerActivity,
               {{"episode_id", Kind::kRecordId},
                {"council_code", Kind::kPartner, false, "council_code", kCouncils},
                {"local_person_id", Kind::kLocalId},
                nhs(true),
                {"service_type", Kind::kCategory, false, "service_type", kSocialCareService},
                date("start_date", "start_date"),
                date("end_date", "end_date", true)},
               "start_date",
               {{"end_date", "start_date"}}});
  t.push_back({"ons_deaths", "ons/deaths.csv", Role::kNational,
               {nhs(false),
                date("date_of_death", "date_of_death"),
                date("date_of_birth", ""),
                {"sex", Kind::kCategory, false, "", kSex},
                {"underlying_cause", Kind::kIcd10, false, "underlying_cause"},
                {"postcode", Kind::kPostcode}},
               "date_of_death",
               {{"date_of_death", "date_of_birth"}}});
  t.push_back({"cancer_registrations", "ncras/cancer_registrations.csv", Role::kNational,
               {{"tumour_id", Kind::kRecordId},
                nhs(false),
                date("date_of_birth", ""),
                {"sex", Kind::kCategory, false, "", kSex},
                date("diagnosis_date", "diagnosis_date"),
                {"site_icd10", Kind::kIcd10, false, "site_icd10"},
                {"stage", Kind::kIntCode, true, "stage", kStage}},
               "diagnosis_date",
               {{"diagnosis_date", "date_of_birth"}}});
  return t;
}

}  // namespace

const std::vector<TableSpec>& table_specs() {
  static const std::vector<TableSpec> specs = build();
  return specs;
}

}  // namespace severn::ingest
