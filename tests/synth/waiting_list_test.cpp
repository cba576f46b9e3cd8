// The synthetic waiting list (src/synth/waiting_list.h): the activity follows the RTT status
// codes, the reported list is the activity's clock except the errors listed in the ground truth,
// the weekly snapshots are the reported list at each Sunday, SUS agrees with the activity, and the
// list is calibrated with a deprivation gradient.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "core/csv_table.h"
#include "pack.h"
#include "synth/extract_files.h"
#include "synth/synth_fixture.h"
#include "synth/waiting_list.h"

namespace severn::synth {
namespace {

using testing::run_once;
using testing::small_config;

SynthConfig files_run() { return small_config("files", 4000); }
SynthConfig calibration_run() { return small_config("wl-calibration", 20000, 3); }

CsvTable table(const SynthConfig& c, Extract e) { return CsvTable::read_file(c.out / spec(e).path); }

Days date_of(const std::string& s) {
  auto d = parse_iso_date(s);
  if (!d) throw std::runtime_error("bad date " + s);
  return *d;
}

bool is_stop(const std::string& status) { return status.size() == 2 && status[0] == '3'; }

TEST(WaitingList, ActivityUsesValidCodesInDateOrder) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto act = table(files_run(), Extract::kRttActivity);
  const std::set<std::string> statuses = {"10", "11", "12", "20", "21", "30", "31", "32", "33",
                                          "34", "35", "36", "90", "91", "92", "98", "99"};
  const std::set<std::string> types = {
      "referral", "outpatient_first", "outpatient_follow_up", "diagnostic", "decision_to_admit",
      "admission", "active_monitoring_start", "active_monitoring_end", "decision_not_to_treat",
      "patient_declined", "died", "validation", "transfer", "discharge"};
  ASSERT_GT(act.rows(), 5000u);
  std::map<std::string, int> seen_types;
  std::string ppi;
  Days last = 0;
  int n = 0;
  for (std::size_t r = 0; r < act.rows(); ++r) {
    const auto& status = act.cell(r, "rtt_status");
    const auto& type = act.cell(r, "activity_type");
    ASSERT_TRUE(statuses.count(status)) << status;
    ASSERT_TRUE(types.count(type)) << type;
    ++seen_types[type];
    const Days d = date_of(act.cell(r, "activity_date"));
    if (act.cell(r, "patient_pathway_id") != ppi) {
      ppi = act.cell(r, "patient_pathway_id");
      n = 0;
      EXPECT_TRUE(status == "10") << "a pathway starts with its referral: " << ppi;
    } else {
      EXPECT_GE(d, last) << "activity out of date order in " << ppi;
    }
    last = d;
    EXPECT_EQ(act.cell(r, "activity_id"), ppi + "-A" + std::to_string(++n));
    EXPECT_EQ(type == "validation", !act.is_empty(r, act.column("validation_outcome")));
    EXPECT_EQ(type == "transfer", status == "21");
    if (type == "transfer") {
      EXPECT_NE(act.cell(r, "transfer_provider_code"), act.cell(r, "provider_code"));
    }
    if (act.cell(r, "validation_outcome") == "removed") {
      EXPECT_FALSE(act.cell(r, "removal_reason").empty());
    }
  }
  // Every kind of event the synthetic list produces appears in a small run.
  for (const char* t : {"referral", "outpatient_first", "outpatient_follow_up", "diagnostic",
                        "decision_to_admit", "admission", "active_monitoring_start",
                        "active_monitoring_end", "decision_not_to_treat", "patient_declined",
                        "validation", "transfer"})
    EXPECT_GT(seen_types[t], 0) << t;
  // Activity rows per reported period stay small (the full run has about 2 million pathways).
  const auto rep = table(files_run(), Extract::kRttPathways);
  EXPECT_LT(static_cast<double>(act.rows()) / static_cast<double>(rep.rows()), 5.0);
}

// A period as the activity says it should be reported at one provider.
struct Expected {
  Days start = 0;
  std::string stop, status, removal, reason;
};
using Key = std::tuple<std::string, int, std::string>;  // patient_pathway_id, rtt_period, provider

std::map<Key, Expected> clocks_from_activity(const CsvTable& act) {
  std::map<Key, Expected> out;
  std::string ppi;
  int period = 0;
  Days start = 0;
  for (std::size_t r = 0; r < act.rows(); ++r) {
    const auto& status = act.cell(r, "rtt_status");
    const auto& provider = act.cell(r, "provider_code");
    const auto& date = act.cell(r, "activity_date");
    if (act.cell(r, "patient_pathway_id") != ppi) ppi = act.cell(r, "patient_pathway_id"), period = 0;
    if (status == "10" || status == "11") {
      start = date_of(date);
      out[{ppi, ++period, provider}].start = start;
      continue;
    }
    Expected& e = out[{ppi, period, provider}];
    e.start = start;
    if (is_stop(status)) e.stop = date, e.status = status;
    if (act.cell(r, "validation_outcome") == "removed")
      e.removal = date, e.reason = act.cell(r, "removal_reason");
    if (status == "21") {
      e.removal = date, e.reason = "transferred";
      out[{ppi, period, act.cell(r, "transfer_provider_code")}].start = start;
    }
  }
  return out;
}

TEST(WaitingList, ReportedListIsTheActivityExceptTheListedErrors) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto expected = clocks_from_activity(table(files_run(), Extract::kRttActivity));
  const auto rep = table(files_run(), Extract::kRttPathways);
  const auto truth = table(files_run(), Extract::kTruthRttErrors);
  std::map<Key, std::pair<std::string, std::string>> errors;  // error -> (error, true value)
  std::map<std::string, int> error_counts;
  std::set<std::string> duplicates;
  for (std::size_t r = 0; r < truth.rows(); ++r) {
    const Key k{truth.cell(r, "patient_pathway_id"), std::stoi(truth.cell(r, "rtt_period")),
                truth.cell(r, "provider_code")};
    ++error_counts[truth.cell(r, "error")];
    if (truth.cell(r, "error") == "duplicate_row") duplicates.insert(truth.cell(r, "reported_value"));
    else errors[k] = {truth.cell(r, "error"), truth.cell(r, "true_value")};
  }
  for (const char* e : {"clock_start_keyed_as_first_appointment", "stop_date_off", "duplicate_row"})
    EXPECT_GT(error_counts[e], 0) << e;
  std::size_t matched = 0, checked_errors = 0;
  std::set<Key> reported;
  for (std::size_t r = 0; r < rep.rows(); ++r) {
    const auto& id = rep.cell(r, "pathway_id");
    for (const char* c : {"referral_received_date", "clock_start_date", "clock_stop_date", "removal_date"}) {
      EXPECT_LE(rep.cell(r, c), "2025-03-31") << id << " " << c << ": no reported date after the history";
    }
    const Key k{rep.cell(r, "patient_pathway_id"), std::stoi(rep.cell(r, "rtt_period")),
                rep.cell(r, "provider_code")};
    if (duplicates.count(id)) {
      EXPECT_EQ(rep.cell(r, "removal_reason").empty() ? "duplicate" : rep.cell(r, "removal_reason"), "duplicate");
      continue;
    }
    EXPECT_TRUE(reported.insert(k).second) << "two rows for one period: " << id;
    auto it = expected.find(k);
    ASSERT_NE(it, expected.end()) << "no activity for " << id;
    Expected e = it->second;
    std::string start = format_iso_date(e.start), stop = e.stop, status = e.status;
    auto err = errors.find(k);
    if (err != errors.end()) {
      ++checked_errors;
      const auto& [what, true_value] = err->second;
      if (what == "clock_start_keyed_as_first_appointment") {
        EXPECT_EQ(true_value, start) << id;
        start = rep.cell(r, "clock_start_date");
        EXPECT_GT(start, true_value);
      } else if (what == "stop_date_off") {
        EXPECT_EQ(true_value, stop) << id;
        stop = rep.cell(r, "clock_stop_date");
        EXPECT_NE(stop, true_value);
      } else if (what == "treated_left_open" || what == "dna_not_nullified") {
        EXPECT_EQ(true_value, stop) << id;
        EXPECT_EQ(status, what == "treated_left_open" ? "30" : "33");
        stop = status = "";
      } else {
        ADD_FAILURE() << "unknown error " << what;
      }
    }
    EXPECT_EQ(rep.cell(r, "clock_start_date"), start) << id;
    EXPECT_EQ(rep.cell(r, "clock_stop_date"), stop) << id;
    EXPECT_EQ(rep.cell(r, "rtt_status"), status) << id;
    EXPECT_EQ(rep.cell(r, "removal_date"), e.removal) << id;
    EXPECT_EQ(rep.cell(r, "removal_reason"), e.reason) << id;
    ++matched;
  }
  EXPECT_EQ(checked_errors, errors.size()) << "every listed error is on a reported row";
  EXPECT_EQ(reported.size(), expected.size()) << "every period of the activity is reported";
  EXPECT_GT(matched, 1000u);
}

TEST(WaitingList, ReportedRowsUseTheContractsValues) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto rep = table(files_run(), Extract::kRttPathways);
  const std::set<std::string> reasons = {"transferred", "no_longer_required", "treated_elsewhere",
                                         "duplicate", "unable_to_contact", "moved_away"};
  std::map<std::string, int> priorities;
  int admitted = 0;
  for (std::size_t r = 0; r < rep.rows(); ++r) {
    const auto& type = rep.cell(r, "waiting_list_type");
    ASSERT_TRUE(type == "admitted" || type == "non_admitted") << type;
    const auto& pr = rep.cell(r, "priority");
    if (type == "non_admitted") {
      EXPECT_TRUE(pr.empty());
      EXPECT_TRUE(rep.cell(r, "planned_procedure").empty());
    } else {
      ++admitted;
      ++priorities[pr];
    }
    if (!pr.empty()) {
      EXPECT_TRUE(pr == "P1" || pr == "P2" || pr == "P3" || pr == "P4") << pr;
    }
    EXPECT_EQ(rep.cell(r, "removal_date").empty(), rep.cell(r, "removal_reason").empty());
    if (!rep.cell(r, "removal_reason").empty()) {
      EXPECT_TRUE(reasons.count(rep.cell(r, "removal_reason")));
    }
    EXPECT_LE(rep.cell(r, "referral_received_date"), rep.cell(r, "clock_start_date"));
    if (!rep.cell(r, "clock_stop_date").empty()) {
      EXPECT_LE(rep.cell(r, "clock_start_date"), rep.cell(r, "clock_stop_date"));
    }
    const std::string id = rep.cell(r, "pathway_id");
    EXPECT_EQ(id.substr(0, rep.cell(r, "local_patient_id").size()), rep.cell(r, "local_patient_id"));
  }
  ASSERT_GT(admitted, 200);
  // Realistic clinical priority shares: P4 the largest, P1 rare.
  EXPECT_GT(priorities["P4"], priorities["P3"]);
  EXPECT_GT(priorities["P3"], priorities["P2"]);
  EXPECT_GT(priorities["P2"], priorities["P1"]);
  EXPECT_LT(priorities["P1"], admitted / 20);
}

TEST(WaitingList, WeeklySnapshotsAreTheReportedListAtEachSunday) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto rep = table(files_run(), Extract::kRttPathways);
  const auto snap = table(files_run(), Extract::kRttSnapshots);
  const auto weeks = snapshot_weeks(files_run().end_date);
  ASSERT_EQ(weeks.size(), 26u);
  EXPECT_EQ(format_iso_date(weeks.back()), "2025-03-30");  // a Sunday
  // A transferred-in row is on the receiving list from the transfer.
  std::map<std::pair<std::string, std::string>, Days> transferred;  // (ppi, period) -> date
  for (std::size_t r = 0; r < rep.rows(); ++r)
    if (rep.cell(r, "removal_reason") == "transferred")
      transferred[{rep.cell(r, "patient_pathway_id"), rep.cell(r, "rtt_period")}] = date_of(rep.cell(r, "removal_date"));
  // A period reported twice (an injected duplicate row) is in each weekly submission once.
  std::set<std::string> want;
  std::multiset<std::string> got;
  for (std::size_t r = 0; r < rep.rows(); ++r) {
    if (rep.cell(r, "removal_reason") == "duplicate") continue;  // the injected second report of a period
    const Days start = date_of(rep.cell(r, "clock_start_date"));
    Days from = start;
    auto t = transferred.find({rep.cell(r, "patient_pathway_id"), rep.cell(r, "rtt_period")});
    if (t != transferred.end() && rep.cell(r, "removal_reason") != "transferred") from = t->second;
    const auto& stop = rep.cell(r, "clock_stop_date");
    const auto& removal = rep.cell(r, "removal_date");
    for (Days w : weeks) {
      if (start > w || from > w) continue;
      if (!stop.empty() && date_of(stop) <= w) continue;
      if (!removal.empty() && date_of(removal) <= w) continue;
      want.insert(format_iso_date(w) + "," + rep.cell(r, "patient_pathway_id") + "," +
                  rep.cell(r, "rtt_period") + "," + rep.cell(r, "provider_code") + "," +
                  rep.cell(r, "clock_start_date"));
    }
  }
  for (std::size_t r = 0; r < snap.rows(); ++r) {
    got.insert(snap.cell(r, "week_ending_date") + "," + snap.cell(r, "patient_pathway_id") + "," +
               snap.cell(r, "rtt_period") + "," + snap.cell(r, "provider_code") + "," +
               snap.cell(r, "clock_start_date"));
    if (snap.cell(r, "waiting_list_type") == "non_admitted") {
      EXPECT_TRUE(snap.cell(r, "priority").empty());
    }
  }
  EXPECT_GT(got.size(), 1000u);
  EXPECT_EQ(got.size(), std::set<std::string>(got.begin(), got.end()).size()) << "a period twice in one week";
  EXPECT_TRUE(want == std::set<std::string>(got.begin(), got.end()))
      << want.size() << " open by the reported list, " << got.size() << " in the snapshots";
}

TEST(WaitingList, SusRecordsTheAppointmentsAndAdmissions) {
  SEVERN_REQUIRE_PACK();
  run_once(files_run());
  const auto act = table(files_run(), Extract::kRttActivity);
  const auto opa = table(files_run(), Extract::kOpa);
  const auto apc = table(files_run(), Extract::kApc);
  std::multiset<std::string> outpatients, spells;
  for (std::size_t r = 0; r < opa.rows(); ++r)
    outpatients.insert(opa.cell(r, "local_patient_id") + opa.cell(r, "appointment_date") +
                       opa.cell(r, "treatment_function_code") + opa.cell(r, "first_attendance") +
                       opa.cell(r, "attendance_status"));
  for (std::size_t r = 0; r < apc.rows(); ++r)
    if (!apc.cell(r, "primary_procedure").empty())
      spells.insert(apc.cell(r, "local_patient_id") + apc.cell(r, "admission_date"));
  const Days history_start = files_run().start_date();
  int firsts = 0, admissions = 0;
  for (std::size_t r = 0; r < act.rows(); ++r) {
    if (date_of(act.cell(r, "activity_date")) < history_start) continue;
    const auto& type = act.cell(r, "activity_type");
    if (type == "outpatient_first") {
      ++firsts;
      const std::string status = act.cell(r, "attended") == "0" ? "3" : "5";
      EXPECT_TRUE(outpatients.count(act.cell(r, "local_patient_id") + act.cell(r, "activity_date") +
                                    act.cell(r, "treatment_function_code") + "1" + status))
          << act.cell(r, "activity_id");
    } else if (type == "admission") {
      ++admissions;
      EXPECT_TRUE(spells.count(act.cell(r, "local_patient_id") + act.cell(r, "activity_date")))
          << act.cell(r, "activity_id");
    }
  }
  EXPECT_GT(firsts, 1000);
  EXPECT_GT(admissions, 100);
}

double calibration(const SynthReport& report, const std::string& measure) {
  for (const auto& c : report.calibration)
    if (c.measure == measure) return c.generated;
  ADD_FAILURE() << "no calibration row " << measure;
  return 0;
}

TEST(WaitingList, ReportedListIsCalibratedWithADeprivationGradient) {
  SEVERN_REQUIRE_PACK();
  const auto& report = run_once(calibration_run());
  const double scale = static_cast<double>(calibration_run().people) / kReferencePeople;
  EXPECT_NEAR(calibration(report, "open RTT pathways on 2024-12-31"), 81454 * scale, 0.05 * 81454 * scale);
  EXPECT_NEAR(calibration(report, "open RTT pathways waiting over 18 weeks"), 50.5, 0.05 * 50.5);
  EXPECT_GT(calibration(report, "open RTT pathways waiting over 52 weeks"), 0);
  EXPECT_LT(calibration(report, "open RTT pathways waiting over 78 weeks"), 1.0);

  // First-appointment DNAs and urgent (P2) priorities by IMD quintile of the true person.
  const auto persons = table(calibration_run(), Extract::kTruthPersons);
  const auto records = table(calibration_run(), Extract::kTruthPartnerRecords);
  std::map<std::string, int> quintile;  // local id -> IMD quintile (1 most deprived)
  for (std::size_t r = 0; r < records.rows(); ++r) {
    const auto person = std::stoul(records.cell(r, "person_id"));
    quintile[records.cell(r, "local_patient_id")] = (std::stoi(persons.cell(person, "imd_decile")) + 1) / 2;
  }
  const auto act = table(calibration_run(), Extract::kRttActivity);
  double firsts[6] = {}, dnas[6] = {};
  for (std::size_t r = 0; r < act.rows(); ++r) {
    if (act.cell(r, "activity_type") != "outpatient_first") continue;
    const int q = quintile.at(act.cell(r, "local_patient_id"));
    ++firsts[q];
    dnas[q] += act.cell(r, "rtt_status") == "33";
  }
  const double dna_ratio = (dnas[1] / firsts[1]) / (dnas[5] / firsts[5]);
  EXPECT_GT(dna_ratio, 1.6);
  EXPECT_LT(dna_ratio, 2.5);
  const auto rep = table(calibration_run(), Extract::kRttPathways);
  double admitted[6] = {}, urgent[6] = {};
  for (std::size_t r = 0; r < rep.rows(); ++r) {
    if (rep.cell(r, "waiting_list_type") != "admitted") continue;
    const int q = quintile.at(rep.cell(r, "local_patient_id"));
    ++admitted[q];
    urgent[q] += rep.cell(r, "priority") == "P1" || rep.cell(r, "priority") == "P2";
  }
  EXPECT_GT(urgent[1] / admitted[1], urgent[5] / admitted[5]);
}

}  // namespace
}  // namespace severn::synth
