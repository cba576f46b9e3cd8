// Referral-to-treatment waiting lists (WLMDS-like): per patient pathway the activity a provider's
// PAS records with an RTT period status (wlmds/rtt_activity.csv), the provider's reported list
// (wlmds/rtt_pathways.csv, which mostly agrees with the activity but carries known data-quality
// errors, listed in truth/rtt_reporting_errors.csv) and the weekly open-pathway submission for
// the last 26 weeks of the history (wlmds/weekly_snapshots.csv). Outpatient appointments and
// elective admissions of a pathway also go to SUS through HospitalRecord, so the extracts agree.
// Dates are days since 1970-01-01; waits are in days.
#pragma once
#include <string>
#include <vector>

#include "core/rng.h"
#include "synth/config.h"
#include "synth/extract_files.h"
#include "synth/partners.h"
#include "synth/person.h"
#include "synth/targets.h"

namespace severn::synth {

// An elective diagnosis and the procedure that treats it (from the shipped code lists).
struct ElectiveCase {
  int treatment_function;
  const std::string* diagnosis;
  const std::string* procedure;
  int min_age;
  char sex;  // 'B' both
  double weight;
};

// How long a period stays on the list (clock start to clock stop or removal). Clock starts
// before March 2020 mostly finish within 18 weeks; later ones follow a mixture of short and long
// waits whose mix `long_share` and referral rate `referral_scale` are solved so that the reported
// list on the snapshot date matches the published size and share over 18 weeks (Little's law:
// list size = clock starts x mean time on the list).
struct RttModel {
  Days snapshot = 0;
  double referral_scale = 1;  // multiplies each person's base referral rate
  double long_share = 0.36;
  static constexpr double kShortMeanDays = 49, kLongMeanDays = 210, kCapDays = 546;
  // `scale` stretches the wait before the 78-week cap (deprivation_factor).
  double wait_days(Rng& rng, Days clock_start, double scale = 1) const;
  // Waits are somewhat longer in more deprived areas: 6% per IMD quintile step from the middle
  // quintile (an assumption, see docs/synthetic-population.md).
  static double deprivation_factor(int steps_to_most_deprived) {
    return 1 + 0.06 * (steps_to_most_deprived - 2);
  }
};
double rtt_base_rate(const Person& p, int age);  // referrals per year before scaling
RttModel build_rtt_model(const SynthConfig& config, const Targets& targets,
                         const std::vector<Person>& people, std::size_t alive);

// Periods (of all clock starts) per referral beyond the first (rebooked first appointments
// after a DNA, new periods after active monitoring), and the share of the reported list that
// the injected reporting errors add; build_rtt_model divides the referral rate by both.
double extra_periods_per_referral();
inline constexpr double kReportingErrorListShare = 0.02;

// Where the waiting list writes the SUS rows of its activity.
class HospitalRecord {
 public:
  virtual ~HospitalRecord() = default;
  // `record` is the provider's record of the patient the pathway names. attendance_status: 5
  // attended, 3 did not attend (SUS ATTENDED OR DID NOT ATTEND).
  virtual void outpatient(const PartnerRecord& record, Partner provider, Days d, int function,
                          bool first, int attendance_status) = 0;
  virtual void elective_admission(const PartnerRecord& record, Partner provider, Days admit,
                                  const ElectiveCase& c, Rng& rng) = 0;
};

void render_waiting_list(const Person& person, const SynthConfig& config,
                         const std::vector<ElectiveCase>& cases, const RttModel& rtt,
                         PersonPartners& partners, HospitalRecord& hospital, Chunk& chunk);

// The Sundays whose week the weekly snapshot reports: the last 26 weeks ending on or before
// `end` (the last day of the history), oldest first.
std::vector<Days> snapshot_weeks(Days end);

}  // namespace severn::synth
