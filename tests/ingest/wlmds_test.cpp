// The waiting-list extracts (docs/data-model.md: wlmds/rtt_pathways.csv, rtt_activity.csv,
// weekly_snapshots.csv) through severn ingest: the stored columns, one pathway number per patient
// pathway identifier in all three tables, identity/pathways.csv in the audited identity area,
// every validation rule with its reason in quarantine, and older extracts without the new files
// or columns.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "ingest_fixture.h"
#include "store/checksum.h"
#include "store/identity_area.h"
#include "store/store_error.h"
#include "store/store.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

const std::string kPathwaysHeader =
    "pathway_id,provider_code,local_patient_id,nhs_number,treatment_function_code,priority,clock_start_date,"
    "clock_stop_date,rtt_status,patient_pathway_id,rtt_period,referral_received_date,waiting_list_type,"
    "planned_procedure,tci_date,last_validation_date,removal_date,removal_reason";
const std::string kActivityHeader =
    "activity_id,patient_pathway_id,provider_code,local_patient_id,nhs_number,activity_date,activity_type,"
    "attended,rtt_status,treatment_function_code,validation_outcome,removal_reason,transfer_provider_code";
const std::string kSnapshotsHeader =
    "week_ending_date,patient_pathway_id,rtt_period,provider_code,local_patient_id,nhs_number,"
    "treatment_function_code,waiting_list_type,priority,clock_start_date,planned_procedure,tci_date,"
    "last_validation_date";

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (;;) {
    const auto comma = line.find(',', begin);
    out.push_back(line.substr(begin, comma - begin));
    if (comma == std::string::npos) return out;
    begin = comma + 1;
  }
}

// A row of `header`'s columns: `base` with some values replaced.
std::string row(const std::string& header, const std::string& base,
                const std::map<std::string, std::string>& changes = {}) {
  const auto names = split(header);
  auto values = split(base);
  EXPECT_EQ(names.size(), values.size()) << base;
  for (const auto& [name, value] : changes) {
    std::size_t i = 0;
    while (i < names.size() && names[i] != name) ++i;
    EXPECT_LT(i, names.size()) << "no column " << name;
    if (i < names.size()) values[i] = value;
  }
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
  return out;
}

// Valid rows to vary: an open admitted period at RL1 after a transfer from RXW, an activity of it,
// and its snapshot.
const std::string kPathwayRow =
    "RL1123456789-P2,RL1,RL1123456789,9996125483,400,P2,2024-11-17,,,RXW123456789-P2,1,2024-11-10,admitted,"
    "W37.1,2025-08-10,2025-05-20,,";
const std::string kActivityRow =
    "RXW123456789-P2-A9,RXW123456789-P2,RL1,RL1123456789,9996125483,2025-04-20,decision_to_admit,,20,400,,,";
const std::string kSnapshotRow =
    "2025-06-15,RXW123456789-P2,1,RL1,RL1123456789,9996125483,400,admitted,P2,2024-11-17,W37.1,2025-08-10,2025-05-20";

// The fixture's extract plus a transfer: the RXW period of RXW123456789-P2 removed as
// transferred, the pathway's period at RL1 (future TCI), the transfer and its activity at RL1,
// a pathway seen only in the activity, an unlinked person's pathway, and an RL1 snapshot.
std::map<std::string, std::string> transfer_extract() {
  auto files = valid_extract();
  auto& pathways = files["wlmds/rtt_pathways.csv"];
  pathways.replace(pathways.find("2024-12-01,,\n"), 13, "2024-12-01,2025-04-02,transferred\n");
  pathways += kPathwayRow + "\n";
  pathways += "RXW510877278-P1,RXW,RXW510877278,,101,,2024-01-10,,,RXW510877278-P1,1,2024-01-05,non_admitted,,,,,\n";
  files["wlmds/rtt_activity.csv"] +=
      "RXW123456789-P2-A3,RXW123456789-P2,RXW,RXW123456789,9996125483,2025-04-02,transfer,,21,400,,,RL1\n" +
      kActivityRow + "\n" +
      "RXW123456789-P3-A1,RXW123456789-P3,RXW,RXW123456789,9996125483,2025-06-01,referral,,10,101,,,\n"
      "RXW510877278-P1-A1,RXW510877278-P1,RXW,RXW510877278,,2024-01-05,referral,,10,101,,,\n";
  files["wlmds/weekly_snapshots.csv"] += kSnapshotRow + "\n";
  return files;
}

struct Built {
  ingest::IngestResult result;
  fs::path store;
};

Built build(const Scratch& s, const std::map<std::string, std::string>& files, unsigned threads = 2,
            std::size_t part_bytes = std::size_t{8} << 20, const std::string& name = "store") {
  write_extract(s.dir() / "src", files);
  const auto key = write_key(s.dir());
  auto o = options_for(s.dir() / "src", s.dir() / name, key);
  o.threads = threads;
  o.part_bytes = part_bytes;
  Built b{ingest::run_ingest(o), s.dir() / name};
  for (const auto& e : b.result.ledger) EXPECT_EQ(e.read, e.accepted() + e.quarantined) << e.source;
  return b;
}

std::vector<std::int32_t> ints(const store::TableView& t, const std::string& column) {
  const auto v = t.column(column).values<std::int32_t>();
  return {v.begin(), v.end()};
}

std::vector<std::string> texts(const store::Store& s, const std::string& table, const std::string& column) {
  const auto& c = s.table(table).column(column);
  const auto& dict = s.dictionary(c.entry().dictionary);
  std::vector<std::string> out;
  const auto ids = c.values<std::uint32_t>();
  for (std::size_t r = 0; r < ids.size(); ++r) out.push_back(c.valid(r) ? std::string(dict[ids[r]]) : "");
  return out;
}

std::vector<std::string> dates(const store::TableView& t, const std::string& column) {
  const auto& c = t.column(column);
  const auto v = c.values<std::int32_t>();
  std::vector<std::string> out;
  for (std::size_t r = 0; r < v.size(); ++r) out.push_back(c.valid(r) ? format_iso_date(v[r]) : "");
  return out;
}

TEST(Wlmds, ValidExtractLoadsEveryColumnWithOnePathwayNumberPerPatientPathway) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-valid");
  const Built b = build(s, transfer_extract());
  for (const auto& e : b.result.ledger) {
    EXPECT_EQ(e.status, "ok") << e.source;
    EXPECT_EQ(e.quarantined, 0U) << e.source << ": " << read_text(b.store / "quarantine" / (e.table + ".csv"));
  }
  const auto& pw = ledger_row(b.result, "wlmds/rtt_pathways.csv");
  EXPECT_EQ(pw.linked, 3U);
  EXPECT_EQ(pw.unlinked, 1U);  // the person without a GP record waits in unlinked/
  const auto s1 = store::Store::open(b.store);

  const auto& p = s1->table("wl_pathways");
  ASSERT_EQ(p.rows(), 3U);
  for (const char* c : {"pathway", "rtt_period", "referral_received_date", "waiting_list_type", "planned_procedure",
                        "tci_date", "last_validation_date", "removal_date", "removal_reason", "link_probability"})
    EXPECT_TRUE(p.has_column(c)) << c;
  EXPECT_EQ(p.column("pathway").entry().type, store::ColumnType::kInt32);
  EXPECT_FALSE(p.column("pathway").entry().nullable);
  EXPECT_EQ(p.column("planned_procedure").entry().type, store::ColumnType::kCode);
  EXPECT_EQ(p.column("planned_procedure").entry().dictionary, "opcs4");
  EXPECT_TRUE(p.column("tci_date").entry().nullable);
  // One person, rows by clock start: P1 (2016), then the two periods of P2 (same start, file order).
  EXPECT_EQ(ints(p, "pathway"), (std::vector<std::int32_t>{0, 1, 1}));
  EXPECT_EQ(ints(p, "rtt_period"), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_EQ(dates(p, "referral_received_date"), (std::vector<std::string>{"2016-01-18", "2024-11-10", "2024-11-10"}));
  EXPECT_EQ(texts(*s1, "wl_pathways", "waiting_list_type"),
            (std::vector<std::string>{"admitted", "non_admitted", "admitted"}));
  EXPECT_EQ(texts(*s1, "wl_pathways", "planned_procedure"), (std::vector<std::string>{"F09.1", "", "W37.1"}));
  EXPECT_EQ(dates(p, "tci_date"), (std::vector<std::string>{"2016-02-10", "", "2025-08-10"}));  // after as-of
  EXPECT_EQ(dates(p, "last_validation_date"), (std::vector<std::string>{"", "2024-12-01", "2025-05-20"}));
  EXPECT_EQ(dates(p, "removal_date"), (std::vector<std::string>{"", "2025-04-02", ""}));
  EXPECT_EQ(texts(*s1, "wl_pathways", "removal_reason"), (std::vector<std::string>{"", "transferred", ""}));
  EXPECT_EQ(texts(*s1, "wl_pathways", "provider_code"), (std::vector<std::string>{"RXW", "RXW", "RL1"}));

  const auto& a = s1->table("wl_activity");
  ASSERT_EQ(a.rows(), 7U);
  for (const char* c : {"pathway", "provider_code", "activity_date", "activity_type", "attended", "rtt_status",
                        "treatment_function_code", "validation_outcome", "removal_reason", "transfer_provider_code",
                        "link_probability"})
    EXPECT_TRUE(a.has_column(c)) << c;
  // By activity date: P1's two, P2's referral, validation, transfer, decision to admit; P3's referral.
  EXPECT_EQ(ints(a, "pathway"), (std::vector<std::int32_t>{0, 0, 1, 1, 1, 1, 2}));
  EXPECT_EQ(texts(*s1, "wl_activity", "activity_type"),
            (std::vector<std::string>{"referral", "admission", "referral", "validation", "transfer", "decision_to_admit",
                                      "referral"}));
  EXPECT_EQ(texts(*s1, "wl_activity", "rtt_status"), (std::vector<std::string>{"10", "30", "10", "20", "21", "20", "10"}));
  EXPECT_EQ(texts(*s1, "wl_activity", "validation_outcome"),
            (std::vector<std::string>{"", "", "", "still_waiting", "", "", ""}));
  EXPECT_EQ(texts(*s1, "wl_activity", "transfer_provider_code"), (std::vector<std::string>{"", "", "", "", "RL1", "", ""}));
  const auto& attended = a.column("attended");
  EXPECT_TRUE(attended.valid(1));
  EXPECT_EQ(attended.values<std::int32_t>()[1], 1);
  EXPECT_FALSE(attended.valid(0));

  const auto& w = s1->table("wl_snapshots");
  ASSERT_EQ(w.rows(), 3U);
  EXPECT_EQ(dates(w, "week_ending_date"), (std::vector<std::string>{"2024-12-08", "2024-12-15", "2025-06-15"}));
  EXPECT_EQ(ints(w, "pathway"), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_EQ(texts(*s1, "wl_snapshots", "provider_code"), (std::vector<std::string>{"RXW", "RXW", "RL1"}));
  EXPECT_EQ(dates(w, "tci_date"), (std::vector<std::string>{"", "", "2025-08-10"}));
  for (const char* c : {"week_ending_date", "pathway", "rtt_period", "provider_code", "treatment_function_code",
                        "waiting_list_type", "priority", "clock_start_date", "planned_procedure", "tci_date",
                        "last_validation_date", "link_probability"})
    EXPECT_TRUE(w.has_column(c)) << c;

  // Partner activity: rows belong to the person of their partner record, linked by NHS number.
  for (const char* t : {"wl_pathways", "wl_activity", "wl_snapshots"}) {
    const auto offsets = s1->table(t).person_offsets();
    ASSERT_EQ(offsets.size(), 4U) << t;
    EXPECT_EQ(offsets[1], s1->table(t).rows()) << t << ": every row is person 0's";
    for (const double prob : s1->table(t).column("link_probability").values<double>()) EXPECT_EQ(prob, 1.0) << t;
  }
  const CsvTable unlinked = CsvTable::read_file(b.store / "unlinked/wl_activity.csv");
  ASSERT_EQ(unlinked.rows(), 1U);
  EXPECT_EQ(unlinked.cell(0, "line"), "9");
}

TEST(Wlmds, IdentityPathwaysFileIsWrittenChecksummedAndReadThroughTheAuditedArea) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-identity");
  const Built b = build(s, transfer_extract());
  const std::string expected =
      "pathway,provider_code,patient_pathway_id,local_patient_id\n"
      "0,RXW,RXW123456789-P1,RXW123456789\n"
      "1,RXW,RXW123456789-P2,RXW123456789\n"
      "1,RL1,RXW123456789-P2,RL1123456789\n"
      "2,RXW,RXW123456789-P3,RXW123456789\n";
  EXPECT_EQ(read_text(b.store / "identity/pathways.csv"), expected);
  const auto st = store::Store::open(b.store);
  const auto& files = st->manifest().files;
  ASSERT_TRUE(files.count("identity/pathways.csv"));
  EXPECT_EQ(files.at("identity/pathways.csv").xxh3, store::xxh3_hex(expected));
  EXPECT_EQ((fs::status(b.store / "identity/pathways.csv").permissions() & fs::perms::others_read), fs::perms::none);

  std::vector<std::string> audit;
  const auto area = store::IdentityArea::open(*st, [&](const store::IdentityAccess& a) {
    audit.push_back(a.context->who + "|" + a.context->purpose + "|" + std::string(a.file));
  });
  const auto rows = area.pathways({"test", "patient tracking list"});
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[2].pathway, 1);
  EXPECT_EQ(rows[2].provider_code, "RL1");
  EXPECT_EQ(rows[2].patient_pathway_id, "RXW123456789-P2");
  EXPECT_EQ(rows[2].local_patient_id, "RL1123456789");
  EXPECT_EQ(audit, (std::vector<std::string>{"test|patient tracking list|identity/pathways.csv"}));
  // A second read is told to the observer too (the parsed file is kept, not read again).
  const auto& again = area.pathways({"second reader", "validation"});
  EXPECT_EQ(again.size(), 4U);
  EXPECT_EQ(again[2].patient_pathway_id, "RXW123456789-P2");
  EXPECT_EQ(audit, (std::vector<std::string>{"test|patient tracking list|identity/pathways.csv",
                                             "second reader|validation|identity/pathways.csv"}));

  // No pathway id or local id reaches the analytic store's dictionaries.
  for (const auto& d : st->manifest().dictionaries)
    for (const auto v : st->dictionary(d.name).values())
      EXPECT_EQ(std::string(v).find("-P"), std::string::npos) << d.name << ": " << v;

  // A damaged file is refused by the area.
  write_text(b.store / "identity/pathways.csv", expected + "3,RXW,X-P1,X\n");
  EXPECT_THROW(store::IdentityArea::open(*st), store::StoreError);
}

TEST(Wlmds, PathwayNumbersDoNotDependOnThreadsOrParts) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-split");
  auto files = transfer_extract();
  // More pathways, so that small parts split each file.
  for (int i = 0; i < 200; ++i) {
    const std::string ppi = "RL1123456789-P" + std::to_string(100 + i);
    files["wlmds/rtt_activity.csv"] += ppi + "-A1," + ppi + ",RL1,RL1123456789,9996125483,2025-0" +
                                       std::to_string(1 + i % 6) + "-1" + std::to_string(i % 10) + ",referral,,10,101,,,\n";
  }
  const Built one = build(s, files, 1, std::size_t{8} << 20, "one");
  const Built many = build(s, files, 2, 512, "many");
  EXPECT_EQ(read_text(one.store / "identity/pathways.csv"), read_text(many.store / "identity/pathways.csv"));
  const auto a = store::Store::open(one.store), b = store::Store::open(many.store);
  for (const char* t : {"wl_pathways", "wl_activity", "wl_snapshots"})
    EXPECT_EQ(ints(a->table(t), "pathway"), ints(b->table(t), "pathway")) << t;
  const CsvTable ids = CsvTable::read_file(one.store / "identity/pathways.csv");
  EXPECT_EQ(ids.rows(), 204U);
  std::set<std::string> numbers;
  for (std::size_t r = 0; r < ids.rows(); ++r) numbers.insert(ids.cell(r, "pathway"));
  EXPECT_EQ(numbers.size(), 203U);  // dense: 0..202, one transferred pathway under two providers
  EXPECT_EQ(*numbers.begin(), "0");
  EXPECT_TRUE(numbers.count("202"));
}

struct BadRow {
  std::string name, file, table, line, field, reason;
};
void PrintTo(const BadRow& c, std::ostream* os) { *os << c.name; }

std::string pathway_row(const std::map<std::string, std::string>& changes) {
  return row(kPathwaysHeader, kPathwayRow, changes);
}
std::string activity_row(const std::map<std::string, std::string>& changes) {
  return row(kActivityHeader, kActivityRow, changes);
}
std::string snapshot_row(const std::map<std::string, std::string>& changes) {
  return row(kSnapshotsHeader, kSnapshotRow, changes);
}

constexpr const char* kPw = "wlmds/rtt_pathways.csv";
constexpr const char* kAct = "wlmds/rtt_activity.csv";
constexpr const char* kSnap = "wlmds/weekly_snapshots.csv";

std::vector<BadRow> bad_rows() {
  return {
      {"pathway_status_20", kPw, "wl_pathways", pathway_row({{"clock_stop_date", "2025-01-01"}, {"rtt_status", "20"}}),
       "rtt_status", "'20' is not one of: 30, 31, 32, 33, 34, 35, 36"},
      {"priority_p5", kPw, "wl_pathways", pathway_row({{"priority", "P5"}}), "priority", "'P5' is not one of: P1, P2, P3, P4"},
      {"list_type", kPw, "wl_pathways", pathway_row({{"waiting_list_type", "inpatient"}}), "waiting_list_type",
       "'inpatient' is not one of: admitted, non_admitted"},
      {"period_zero", kPw, "wl_pathways", pathway_row({{"rtt_period", "0"}}), "rtt_period",
       "'0' is not a positive whole number (1 to 9999)"},
      {"period_text", kPw, "wl_pathways", pathway_row({{"rtt_period", "one"}}), "rtt_period",
       "'one' is not a positive whole number (1 to 9999)"},
      {"removal_reason_unknown", kPw, "wl_pathways",
       pathway_row({{"removal_date", "2025-05-01"}, {"removal_reason", "bored"}}), "removal_reason",
       "'bored' is not one of: duplicate, moved_away, no_longer_required, transferred, treated_elsewhere, unable_to_contact"},
      {"pathway_id_empty", kPw, "wl_pathways", pathway_row({{"patient_pathway_id", ""}}), "patient_pathway_id",
       "required value is empty"},
      {"procedure_bad", kPw, "wl_pathways", pathway_row({{"planned_procedure", "W3"}}), "planned_procedure",
       "OPCS-4 code 'W3' is not a chapter letter, two digits and an optional .digit"},
      {"stop_before_start", kPw, "wl_pathways",
       pathway_row({{"clock_stop_date", "2024-11-16"}, {"rtt_status", "30"}}), "clock_stop_date",
       "clock_stop_date 2024-11-16 is before clock_start_date 2024-11-17"},
      {"start_before_referral", kPw, "wl_pathways", pathway_row({{"referral_received_date", "2024-11-18"}}),
       "clock_start_date", "clock_start_date 2024-11-17 is before referral_received_date 2024-11-18"},
      {"removal_before_start", kPw, "wl_pathways",
       pathway_row({{"removal_date", "2024-11-01"}, {"removal_reason", "duplicate"}}), "removal_date",
       "removal_date 2024-11-01 is before clock_start_date 2024-11-17"},
      {"validation_before_referral", kPw, "wl_pathways", pathway_row({{"last_validation_date", "2024-11-09"}}),
       "last_validation_date", "last_validation_date 2024-11-09 is before referral_received_date 2024-11-10"},
      {"tci_before_start", kPw, "wl_pathways", pathway_row({{"tci_date", "2024-11-16"}}), "tci_date",
       "tci_date 2024-11-16 is before clock_start_date 2024-11-17"},
      {"tci_too_late", kPw, "wl_pathways", pathway_row({{"tci_date", "2030-07-01"}}), "tci_date",
       "date 2030-07-01 is more than 5 years after the as-of date 2025-06-30"},
      {"validation_in_future", kPw, "wl_pathways", pathway_row({{"last_validation_date", "2025-07-01"}}),
       "last_validation_date", "date 2025-07-01 is in the future (after the as-of date 2025-06-30)"},
      {"removal_reason_without_date", kPw, "wl_pathways", pathway_row({{"removal_reason", "duplicate"}}),
       "removal_reason",
       "removal_reason is set but removal_date is empty: removal_reason is set if and only if removal_date is set"},
      {"removal_date_without_reason", kPw, "wl_pathways", pathway_row({{"removal_date", "2025-05-01"}}),
       "removal_reason",
       "removal_reason is empty but removal_date is set: removal_reason is set if and only if removal_date is set"},
      {"status_without_stop", kPw, "wl_pathways", pathway_row({{"rtt_status", "30"}}), "rtt_status",
       "rtt_status is set but clock_stop_date is empty: rtt_status is set if and only if clock_stop_date is set"},
      {"stop_without_status", kPw, "wl_pathways", pathway_row({{"clock_stop_date", "2025-05-01"}}), "rtt_status",
       "rtt_status is empty but clock_stop_date is set: rtt_status is set if and only if clock_stop_date is set"},

      {"activity_status_40", kAct, "wl_activity", activity_row({{"rtt_status", "40"}}), "rtt_status",
       "'40' is not one of: 10, 11, 12, 20, 21, 30, 31, 32, 33, 34, 35, 36, 90, 91, 92, 98, 99"},
      {"activity_status_empty", kAct, "wl_activity", activity_row({{"rtt_status", ""}}), "rtt_status",
       "required value is empty"},
      {"activity_type_unknown", kAct, "wl_activity", activity_row({{"activity_type", "phone_call"}}), "activity_type",
       "'phone_call' is not one of: active_monitoring_end, active_monitoring_start, admission, decision_not_to_treat, "
       "decision_to_admit, diagnostic, died, discharge, outpatient_first, outpatient_follow_up, patient_declined, "
       "referral, transfer, validation"},
      {"attended_2", kAct, "wl_activity", activity_row({{"attended", "2"}}), "attended", "'2' is not one of: 0, 1"},
      {"activity_in_future", kAct, "wl_activity", activity_row({{"activity_date", "2025-07-01"}}), "activity_date",
       "date 2025-07-01 is in the future (after the as-of date 2025-06-30)"},
      {"outcome_without_validation", kAct, "wl_activity", activity_row({{"validation_outcome", "still_waiting"}}),
       "validation_outcome",
       "validation_outcome is set but activity_type is 'decision_to_admit': validation_outcome is set if and only if "
       "activity_type is 'validation'"},
      {"validation_without_outcome", kAct, "wl_activity", activity_row({{"activity_type", "validation"}}),
       "validation_outcome",
       "validation_outcome is empty but activity_type is 'validation': validation_outcome is set if and only if "
       "activity_type is 'validation'"},
      {"outcome_unknown", kAct, "wl_activity",
       activity_row({{"activity_type", "validation"}, {"validation_outcome", "gone"}}), "validation_outcome",
       "'gone' is not one of: removed, still_waiting"},
      {"removed_without_reason", kAct, "wl_activity",
       activity_row({{"activity_type", "validation"}, {"validation_outcome", "removed"}}), "removal_reason",
       "removal_reason is empty but validation_outcome is 'removed': removal_reason is set if and only if "
       "validation_outcome is 'removed'"},
      {"reason_while_still_waiting", kAct, "wl_activity",
       activity_row({{"activity_type", "validation"}, {"validation_outcome", "still_waiting"},
                     {"removal_reason", "duplicate"}}),
       "removal_reason",
       "removal_reason is set but validation_outcome is 'still_waiting': removal_reason is set if and only if "
       "validation_outcome is 'removed'"},
      {"transfer_without_provider", kAct, "wl_activity", activity_row({{"activity_type", "transfer"}}),
       "transfer_provider_code",
       "transfer_provider_code is empty but activity_type is 'transfer': transfer_provider_code is set if and only "
       "if activity_type is 'transfer'"},
      {"provider_without_transfer", kAct, "wl_activity", activity_row({{"transfer_provider_code", "RXW"}}),
       "transfer_provider_code",
       "transfer_provider_code is set but activity_type is 'decision_to_admit': transfer_provider_code is set if "
       "and only if activity_type is 'transfer'"},
      {"transfer_provider_shape", kAct, "wl_activity",
       activity_row({{"activity_type", "transfer"}, {"transfer_provider_code", "rl1"}}), "transfer_provider_code",
       "ODS code 'rl1' is not 3 to 6 upper-case letters and digits"},
      {"activity_id_repeated", kAct, "wl_activity", activity_row({{"activity_id", "RXW123456789-P1-A1"}}), "activity_id",
       "duplicate activity_id 'RXW123456789-P1-A1': first seen at line 2"},
      {"activity_treatment_function", kAct, "wl_activity", activity_row({{"treatment_function_code", "999"}}),
       "treatment_function_code", "'999' is not a code of resources/reference/treatment-function-codes.csv"},

      {"week_not_sunday", kSnap, "wl_snapshots", snapshot_row({{"week_ending_date", "2025-06-16"}}), "week_ending_date",
       "week ending date 2025-06-16 is not a Sunday"},
      {"snapshot_repeated", kSnap, "wl_snapshots", snapshot_row({{"week_ending_date", "2024-12-08"}, {"provider_code", "RXW"},
                                                                   {"local_patient_id", "RXW123456789"}}),
       "week_ending_date+patient_pathway_id+rtt_period",
       "duplicate week_ending_date+patient_pathway_id+rtt_period '2024-12-08,RXW123456789-P2,1': first seen at line 2"},
      {"snapshot_start_after_week", kSnap, "wl_snapshots", snapshot_row({{"clock_start_date", "2025-06-16"}}),
       "week_ending_date", "week_ending_date 2025-06-15 is before clock_start_date 2025-06-16"},
      {"snapshot_list_type", kSnap, "wl_snapshots", snapshot_row({{"waiting_list_type", ""}}), "waiting_list_type",
       "required value is empty"},
      {"snapshot_period_negative", kSnap, "wl_snapshots", snapshot_row({{"rtt_period", "-1"}}), "rtt_period",
       "'-1' is not a positive whole number (1 to 9999)"},
      {"snapshot_priority", kSnap, "wl_snapshots", snapshot_row({{"priority", "urgent"}}), "priority",
       "'urgent' is not one of: P1, P2, P3, P4"},
  };
}

class WlmdsBadRow : public ::testing::TestWithParam<BadRow> {};

TEST_P(WlmdsBadRow, GoesToQuarantineWithItsReason) {
  SEVERN_REQUIRE_PACK();
  const BadRow& c = GetParam();
  Scratch s("wlmds-bad-" + c.name);
  auto files = valid_extract();
  const std::string before = files.at(c.file);
  const auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  files[c.file] += c.line + "\n";
  const Built b = build(s, files);
  for (const auto& e : b.result.ledger) {
    EXPECT_EQ(e.status, "ok") << e.source;
    EXPECT_EQ(e.quarantined, e.source == c.file ? 1U : 0U) << e.source;
  }
  const auto& e = ledger_row(b.result, c.file);
  EXPECT_EQ(e.read, line - 1);
  const CsvTable q = CsvTable::read_file(b.store / "quarantine" / (c.table + ".csv"));
  ASSERT_EQ(q.rows(), 1U);
  EXPECT_EQ(q.cell(0, "source_file"), c.file);
  EXPECT_EQ(q.cell(0, "line"), std::to_string(line));
  EXPECT_EQ(q.cell(0, "field"), c.field);
  EXPECT_EQ(q.cell(0, "reason"), c.reason);
  EXPECT_EQ(q.cell(0, "record"), c.line);
  // The file's other rows are all in the store.
  EXPECT_EQ(store::Store::open(b.store)->table(c.table).rows(), e.accepted());
}

INSTANTIATE_TEST_SUITE_P(Rules, WlmdsBadRow, ::testing::ValuesIn(bad_rows()),
                         [](const auto& info) { return info.param.name; });

TEST(Wlmds, EveryRttStatusCodeIsAcceptedInTheActivity) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-status");
  auto files = valid_extract();
  int n = 0;
  for (const char* code : {"10", "11", "12", "20", "21", "30", "31", "32", "33", "34", "35", "36", "90", "91", "92",
                           "98", "99"})
    files[kAct] += activity_row({{"activity_id", "RXW123456789-P2-S" + std::to_string(++n)}, {"rtt_status", code}}) + "\n";
  const Built b = build(s, files);
  const auto& e = ledger_row(b.result, kAct);
  EXPECT_EQ(e.quarantined, 0U) << read_text(b.store / "quarantine/wl_activity.csv");
  EXPECT_EQ(e.linked, 4U + 17U);
}

TEST(Wlmds, OlderExtractWithoutTheNewFilesAndColumnsBuildsWithoutThem) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-old");
  ::testing::internal::CaptureStderr();
  const Built b = build(s, with_old_wlmds(valid_extract()));
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  const auto& pw = ledger_row(b.result, kPw);
  EXPECT_EQ(pw.status, "ok");
  EXPECT_EQ(pw.linked, 2U);
  EXPECT_EQ(pw.quarantined, 0U);
  const std::string absent =
      "an older extract: header lacks optional columns patient_pathway_id, rtt_period, referral_received_date, "
      "waiting_list_type, planned_procedure, tci_date, last_validation_date, removal_date, removal_reason (read as "
      "empty: stored as null where the column may be empty, else not stored)";
  EXPECT_EQ(pw.note, absent);
  EXPECT_NE(warnings.find("severn ingest: warning: wlmds/rtt_pathways.csv: " + absent + "\n"), std::string::npos)
      << warnings;
  for (const char* f : {kAct, kSnap}) {
    const auto& e = ledger_row(b.result, f);
    EXPECT_EQ(e.status, "missing") << f;
    EXPECT_EQ(e.read, 0U);
    EXPECT_NE(warnings.find(std::string("severn ingest: warning: ") + f + ": file not found"), std::string::npos) << f;
  }
  const auto st = store::Store::open(b.store);
  const auto& p = st->table("wl_pathways");
  EXPECT_EQ(p.rows(), 2U);
  for (const char* c : {"clock_start_date", "clock_stop_date", "rtt_status", "treatment_function_code", "priority",
                        "provider_code", "link_probability"})
    EXPECT_TRUE(p.has_column(c)) << c;
  for (const char* c : {"pathway", "rtt_period", "referral_received_date", "waiting_list_type"})
    EXPECT_FALSE(p.has_column(c)) << c;
  // The nullable ones are stored all null, so the language's columns exist in every store.
  for (const char* c : {"planned_procedure", "tci_date", "last_validation_date", "removal_date", "removal_reason"}) {
    ASSERT_TRUE(p.has_column(c)) << c;
    for (std::size_t r = 0; r < p.rows(); ++r) EXPECT_FALSE(p.column(c).valid(r)) << c;
  }
  for (const char* t : {"wl_activity", "wl_snapshots"}) {
    ASSERT_TRUE(st->has_table(t)) << t;
    EXPECT_EQ(st->table(t).rows(), 0U) << t;
    EXPECT_TRUE(st->table(t).has_column("pathway")) << t;
  }
  EXPECT_EQ(read_text(b.store / "identity/pathways.csv"), "pathway,provider_code,patient_pathway_id,local_patient_id\n");
  const auto area = store::IdentityArea::open(*st);
  EXPECT_TRUE(area.pathways({"test", "old store"}).empty());
}

TEST(Wlmds, SomeNewColumnsMissingAreReportedAndTheOthersChecked) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-partial");
  auto files = valid_extract();
  // Drop the last two columns (removal_date, removal_reason) from every line.
  std::string cut;
  std::istringstream in(files[kPw]);
  for (std::string l; std::getline(in, l);) cut += l.substr(0, l.rfind(',', l.rfind(',') - 1)) + "\n";
  files[kPw] = cut;
  const Built b = build(s, files);
  const auto& pw = ledger_row(b.result, kPw);
  EXPECT_EQ(pw.quarantined, 0U) << read_text(b.store / "quarantine/wl_pathways.csv");
  EXPECT_EQ(pw.note,
            "an older extract: header lacks optional columns removal_date, removal_reason (read as empty: stored as "
            "null where the column may be empty, else not stored)");
  const auto st = store::Store::open(b.store);
  EXPECT_TRUE(st->table("wl_pathways").has_column("pathway"));
  const auto& reason = st->table("wl_pathways").column("removal_reason");
  for (std::size_t r = 0; r < reason.rows(); ++r) EXPECT_FALSE(reason.valid(r));
}

TEST(Wlmds, ANewFileWithoutARequiredColumnQuarantinesEveryRowNamingIt) {
  SEVERN_REQUIRE_PACK();
  Scratch s("wlmds-bad-header");
  auto files = valid_extract();
  auto& act = files[kAct];
  act.replace(act.find("activity_type,"), 14, "activity_kind,");
  const Built b = build(s, files);
  const auto& e = ledger_row(b.result, kAct);
  EXPECT_EQ(e.status, "bad_header");
  EXPECT_EQ(e.quarantined, 4U);
  EXPECT_NE(e.note.find("header lacks column 'activity_type'"), std::string::npos) << e.note;
}

}  // namespace
}  // namespace severn::testing
