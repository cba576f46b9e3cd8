#include "synth/waiting_list.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

namespace severn::synth {
namespace {

struct TreatmentFunction {
  int code;
  double weight;
  bool surgical;
};
// Shares of RTT pathways by treatment function, rounded from the shape of NHS England's
// Consultant-led RTT waiting times statistics for a general acute trust.
constexpr TreatmentFunction kFunctions[] = {
    {110, 16, true}, {130, 12, true}, {120, 7, true}, {100, 9, true},  {101, 7, true},
    {502, 7, true},  {140, 4, true},  {330, 6, false}, {301, 6, false}, {320, 6, false},
    {300, 4, false}, {340, 3, false}, {400, 3, false}, {410, 3, false}, {430, 2, false},
};

// How a period ends. The shares (weights below) are assumptions shaped on NHS England's RTT
// statistics: about 4 in 10 completed surgical pathways are admitted, most medical ones end in
// outpatients.
enum Outcome : int {
  kAdmitted,
  kTreatedInOutpatients,
  kNotTreated,         // 34
  kDeclined,           // 35
  kMonitoringPatient,  // 31
  kMonitoringClinician,  // 32
  kFirstDna,           // 33
  kRemoved,            // removed at a validation contact, other than treatment
  kOutcomeCount
};
constexpr double kSurgicalOutcomes[kOutcomeCount] = {0.46, 0.22, 0.10, 0.03, 0.02, 0.05, 0, 0.04};
constexpr double kMedicalOutcomes[kOutcomeCount] = {0.10, 0.50, 0.15, 0.03, 0.03, 0.08, 0, 0.04};

// DNA of the first outpatient appointment: 4.5% in the least deprived quintile, rising 19% per
// quintile step to about twice that (9%) in the most deprived, 6.4% on average. England's unkept
// outpatient appointment rate was 5.7% in 2017-18 (HES; PLOS Medicine 2021,
// doi:10.1371/journal.pmed.1003783); first-appointment DNA rates rise steadily with area
// deprivation (NHS Health Scotland, "Who is least likely to attend?", 2015). The 2x ratio between
// the extreme quintiles is an assumption within that gradient.
constexpr double kFirstDnaLeastDeprived = 0.045, kFirstDnaStep = 1.19;
constexpr double kRebookAfterDna = 0.6;       // the provider rebooks: a new period
constexpr double kMonitoringEndsInNewPeriod = 0.35;
constexpr double kValidationContact = 0.55;   // at each of 12, 26 and 52 weeks while waiting
constexpr int kValidationWeeks[] = {12, 26, 52};

// Clinical priority of admitted pathways (FSSA / NHS England clinical prioritisation): P1 rare,
// P2 about 12% (more in deprived areas: later presentation), P3 about 31%, P4 about half, and
// some not yet prioritised. P1 and P2 are admitted within their targets (a week, 4 weeks) of the
// decision to admit; routine priorities wait on the admitted list for most of the period.
constexpr double kUnprioritised = 0.05, kP1 = 0.02, kP2 = 0.12, kP3 = 0.31;
constexpr double kP2DeprivationStep = 0.12;
constexpr double kTci = 0.7;  // share of admitted pathways with a to-come-in date

// Inter-provider transfers (mostly trauma and orthopaedics from RXW to RL1, the orthopaedic
// hospital): the share of admitted 110 pathways moved after the decision to admit.
constexpr double kTransferFromAcute = 0.10, kTransferFromOrthopaedic = 0.02;

// Reporting errors injected into the reported list (each period gets at most one).
constexpr double kStartKeyedAsFirstAppointment = 0.01;
constexpr double kTreatedLeftOpen = 0.015;    // of treated periods stopped in the last year
constexpr double kDnaNotNullified = 0.10;     // of first-activity DNAs in the last year
constexpr double kStopDateOff = 0.01;
constexpr double kDuplicateRow = 0.003;

constexpr const char* kRemovalReasons[] = {"no_longer_required", "treated_elsewhere",
                                           "unable_to_contact", "moved_away"};
constexpr double kRemovalWeights[] = {0.45, 0.25, 0.2, 0.1};

int steps_to_most_deprived(const Person& p) { return 5 - (p.imd_decile + 1) / 2; }

// Survival function of the current-era wait (probability a period is still open t days in).
double wait_survival(double long_share, double t) {
  auto surv = [](double mean, double x) {
    // Exponential capped at kCapDays: waits beyond the cap are spread over its last 60 days.
    const double cap = RttModel::kCapDays;
    if (x < cap - 60) return std::exp(-x / mean);
    const double tail_mass = std::exp(-cap / mean);
    const double inside = std::exp(-x / mean) - std::exp(-cap / mean);
    return std::max(0.0, x >= cap ? 0.0 : inside + tail_mass * (cap - x) / 60);
  };
  return long_share * surv(RttModel::kLongMeanDays, t) +
         (1 - long_share) * surv(RttModel::kShortMeanDays, t);
}
double integral(double long_share, double from, double to) {
  double s = 0;
  for (double t = from; t < to; t += 1) s += wait_survival(long_share, t + 0.5);
  return s;
}

enum class Start { kReferral, kRebook, kAfterMonitoring };

struct Event {
  Days date;
  Partner provider;
  const char* type;
  int attended;  // -1: not an appointment
  const char* status;
  const char* validation = "";
  const char* removal = "";
  const char* transfer_to = "";
  int sus = 0;  // 1 first outpatient, 2 follow-up outpatient, 3 elective admission
  int sus_status = 5;
  const ElectiveCase* admitted_for = nullptr;
};

// One row of the reported list, with what the weekly snapshot needs to show it as at a week.
struct Reported {
  Partner provider;
  int period;
  bool transferred_in = false;
  Days referral, start, list_from;  // list_from: the transfer date for a transferred-in row
  Days stop = kNoDate, removal = kNoDate;
  const char* status = "";
  const char* removal_reason = "";
  Days dta = kNoDate;
  const char* priority = "";
  const std::string* procedure = nullptr;
  Days tci = kNoDate, tci_offered = kNoDate;
  std::vector<Days> validations;  // ascending
  int duplicate_of = -1;          // index of the row this one duplicates
  bool on_list(Days d) const {
    return start <= d && list_from <= d && (stop == kNoDate || stop > d) &&
           (removal == kNoDate || removal > d);
  }
  Days last_validation(Days d) const {
    Days v = kNoDate;
    for (Days x : validations)
      if (x <= d) v = x;
    return v;
  }
};

struct ReportingError {
  int row;
  const char* error;
  Days reported, truth;  // dates (kNoDate: empty); a duplicate names pathway ids instead
};

struct Next {
  Start kind;
  Days start = kNoDate;
};

class WaitingList {
 public:
  WaitingList(const Person& p, const SynthConfig& cfg, const std::vector<ElectiveCase>& cases,
              const RttModel& rtt, PersonPartners& partners, HospitalRecord& hospital, Chunk& chunk)
      : p_(p), cfg_(cfg), cases_(cases), rtt_(rtt), partners_(partners), hospital_(hospital),
        chunk_(chunk), rng_(cfg.seed, p.id, "waiting-list"), steps_(steps_to_most_deprived(p)),
        weeks_(snapshot_weeks(cfg.end_date)) {
    ws_ = std::max(cfg.start_date(), p.birth);
    we_ = p.last_day(cfg.end_date);
    end_ = cfg.end_date;
  }

  void render() {
    if (we_ < ws_) return;
    // Clock starts run from a year before the history so the early list is populated too.
    const Days from = std::max(p_.birth, cfg_.start_date() - 365);
    for (Days y = from; y <= we_; y += 365) {
      const Days to = std::min(we_, y + 364);
      const double rate = rtt_base_rate(p_, age_on(y)) * rtt_.referral_scale;
      const int n = rng_.poisson(rate * (to - y + 1) / 365.25);
      for (int k = 0; k < n; ++k) pathway(to <= y ? y : static_cast<Days>(rng_.between(y, to)));
    }
  }

 private:
  int age_on(Days d) const { return age_in_years(p_.birth, d); }
  Days between(Days a, Days b) { return b <= a ? a : static_cast<Days>(rng_.between(a, b)); }
  bool dead_by(Days d) const { return p_.death != kNoDate && p_.death <= d; }

  const ElectiveCase* pick_case(int function, int age) {
    std::vector<const ElectiveCase*> fits;
    std::vector<double> w;
    for (const auto& e : cases_)
      if (e.treatment_function == function && age >= e.min_age && (e.sex == 'B' || e.sex == p_.sex))
        fits.push_back(&e), w.push_back(e.weight);
    return fits.empty() ? nullptr : fits[rng_.weighted(w)];
  }

  const char* draw_priority() {
    const double p2 = kP2 * (1 + kP2DeprivationStep * (steps_ - 2));
    const double u = rng_.uniform();
    if (u < kUnprioritised) return "";
    if (u < kUnprioritised + kP1) return "P1";
    if (u < kUnprioritised + kP1 + p2) return "P2";
    if (u < kUnprioritised + kP1 + p2 + kP3) return "P3";
    return "P4";
  }
  Days decision_to_admission(const char* priority) {
    return std::string_view(priority) == "P1" ? between(1, 7) : between(7, 28);
  }

  void pathway(Days referral) {
    static const std::vector<double> w = [] {
      std::vector<double> v;
      for (const auto& f : kFunctions) v.push_back(f.weight);
      return v;
    }();
    const TreatmentFunction& tf = kFunctions[rng_.weighted(w)];
    first_provider_ = tf.code == 110 && rng_.bernoulli(0.55) ? Partner::kOrthopaedic : Partner::kAcute;
    events_.clear();
    rows_.clear();
    errors_.clear();
    Next next{Start::kReferral, referral};
    for (int period = 1; next.start != kNoDate; ++period) {
      if (next.start > end_ || dead_by(next.start)) break;
      next = one_period(tf, referral, next.start, period, next.kind);
    }
    if (rows_.empty()) return;  // referred on the day of death
    // Kept when the pathway is still on a list at the start of the history or later.
    Days last_end = rows_.back().stop != kNoDate ? rows_.back().stop : rows_.back().removal;
    if (last_end != kNoDate && last_end < ws_) return;
    emit(tf.code);
  }

  Next one_period(const TreatmentFunction& tf, Days referral, Days s, int period, Start kind) {
    const Partner provider = rows_.empty() ? first_provider_ : rows_.back().provider;
    const std::size_t first_event = events_.size();
    Days e = s + std::max<Days>(1, static_cast<Days>(rtt_.wait_days(rng_, s, RttModel::deprivation_factor(steps_))));
    double ow[kOutcomeCount];
    std::copy(std::begin(tf.surgical ? kSurgicalOutcomes : kMedicalOutcomes),
              std::end(tf.surgical ? kSurgicalOutcomes : kMedicalOutcomes), ow);
    ow[kFirstDna] = kind == Start::kAfterMonitoring ? 0 : kFirstDnaLeastDeprived * std::pow(kFirstDnaStep, steps_);
    if (kind != Start::kReferral) ow[kFirstDna] = 0;  // a rebooked appointment is kept
    if (kind == Start::kAfterMonitoring) ow[kMonitoringPatient] = ow[kMonitoringClinician] = 0;
    if (e - s < 7 * kValidationWeeks[0]) ow[kRemoved] = 0;
    auto outcome = static_cast<Outcome>(rng_.weighted(ow));
    const ElectiveCase* admit_for = nullptr;
    if (outcome == kAdmitted) {
      admit_for = pick_case(tf.code, age_on(e));
      if (!admit_for || e - s < 3) outcome = kTreatedInOutpatients;
    }

    Reported r;
    r.provider = provider;
    r.period = period;
    r.referral = referral;
    r.start = r.list_from = s;
    if (kind == Start::kAfterMonitoring) events_.push_back({s, provider, "active_monitoring_end", -1, "11"});
    else events_.push_back({s, provider, "referral", -1, "10"});

    // The first appointment: early in the period, or the stop itself for a first-activity DNA.
    Days f = s;
    if (kind != Start::kAfterMonitoring) {
      if (outcome == kFirstDna) {
        f = e;
        events_.push_back({f, provider, "outpatient_first", 0, "33", "", "", "", 1, 3});
      } else {
        f = s + static_cast<Days>(std::min(static_cast<double>(rng_.between(14, 120)), (e - s) * 0.4));
        events_.push_back({f, provider, "outpatient_first", 1, "20", "", "", "", 1, 5});
      }
    }
    Days decision = e;
    if (outcome == kAdmitted) {
      r.priority = draw_priority();
      // Urgent priorities are admitted within their target; routine ones (P3, P4, not yet
      // prioritised) spend most of the wait after the decision, on the admitted list.
      const std::string_view pr = r.priority;
      const Days before = pr == "P1" || pr == "P2" ? e - decision_to_admission(r.priority)
                                                   : f + between(0, (e - f) / 3);
      decision = std::clamp<Days>(before, f + 1, e - 1);
      r.dta = decision;
      r.procedure = admit_for->procedure;
    }
    if (outcome != kFirstDna) {
      if (rng_.bernoulli(0.35)) events_.push_back({between(f, decision), provider, "diagnostic", 1, "20"});
      if (decision > f + 1 && rng_.bernoulli(0.3))
        events_.push_back({between(f + 1, decision), provider, "outpatient_follow_up", 1, "20", "", "", "", 2, 5});
    }
    for (int weeks : kValidationWeeks) {
      const Days d = s + 7 * weeks + between(0, 13);
      if (d < e && rng_.bernoulli(kValidationContact))
        events_.push_back({d, provider, "validation", -1, "20", "still_waiting"});
    }
    Next next{Start::kReferral, kNoDate};
    switch (outcome) {
      case kAdmitted:
        events_.push_back({decision, provider, "decision_to_admit", -1, "20"});
        if (rng_.bernoulli(kTci)) {
          r.tci = e;
          r.tci_offered = std::max(decision, e - between(14, 42));
        }
        events_.push_back({e, provider, "admission", 1, "30", "", "", "", 3, 5, admit_for});
        break;
      case kTreatedInOutpatients:
        events_.push_back({e, provider, "outpatient_follow_up", 1, "30", "", "", "", 2, 5});
        break;
      case kNotTreated:
        events_.push_back({e, provider, "decision_not_to_treat", 1, "34", "", "", "", 2, 5});
        break;
      case kDeclined:
        events_.push_back({e, provider, "patient_declined", -1, "35"});
        break;
      case kMonitoringPatient:
      case kMonitoringClinician:
        events_.push_back({e, provider, "active_monitoring_start", 1,
                           outcome == kMonitoringPatient ? "31" : "32", "", "", "", 2, 5});
        if (rng_.bernoulli(kMonitoringEndsInNewPeriod)) next = {Start::kAfterMonitoring, e + between(90, 365)};
        break;
      case kFirstDna:
        if (rng_.bernoulli(kRebookAfterDna)) next = {Start::kRebook, e + between(1, 10)};
        break;
      case kRemoved:
        events_.push_back({e, provider, "validation", -1, "20", "removed",
                           kRemovalReasons[rng_.weighted(kRemovalWeights)]});
        break;
      case kOutcomeCount:
        break;
    }
    // A transfer after the decision to admit: the clock runs on at the other provider.
    Days transfer = kNoDate;
    if (outcome == kAdmitted && tf.code == 110 && e - decision >= 15 &&
        rng_.bernoulli(provider == Partner::kAcute ? kTransferFromAcute : kTransferFromOrthopaedic))
      transfer = decision + between(7, e - decision - 7);

    // Death before the planned end stops the clock (36); nothing after it happens.
    if (dead_by(e)) {
      const Days death = p_.death;
      auto keep_end = std::remove_if(events_.begin() + static_cast<std::ptrdiff_t>(first_event) + 1, events_.end(),
                                     [&](const Event& ev) { return ev.date >= death; });
      events_.erase(keep_end, events_.end());
      events_.push_back({death, provider, "died", -1, "36"});
      outcome = kOutcomeCount;
      e = death;
      next = {Start::kReferral, kNoDate};
      if (transfer != kNoDate && transfer >= death) transfer = kNoDate;
      if (r.tci_offered != kNoDate && r.tci_offered >= death) r.tci = r.tci_offered = kNoDate;
      if (r.dta != kNoDate && r.dta >= death) r.dta = kNoDate, r.priority = "", r.procedure = nullptr;
    }
    // Activity after the end of the history has not happened yet.
    events_.erase(std::remove_if(events_.begin() + static_cast<std::ptrdiff_t>(first_event), events_.end(),
                                 [&](const Event& ev) { return ev.date > end_; }),
                  events_.end());
    if (transfer != kNoDate && transfer > end_) transfer = kNoDate;
    if (r.tci_offered != kNoDate && r.tci_offered > end_) r.tci = r.tci_offered = kNoDate;
    if (r.dta != kNoDate && r.dta > end_) r.dta = kNoDate, r.priority = "", r.procedure = nullptr;
    if (e <= end_) {
      // The event that ends the period (validations may be recorded after a DNA'd appointment).
      const auto ends = std::find_if(events_.begin() + static_cast<std::ptrdiff_t>(first_event), events_.end(),
                                     [&](const Event& ev) {
                                       return ev.date == e && (ev.status[0] == '3' || ev.validation == std::string_view("removed"));
                                     });
      if (outcome == kRemoved) {
        r.removal = e;
        r.removal_reason = ends->removal;
      } else {
        r.stop = e;
        r.status = ends->status;
      }
    }
    for (std::size_t k = first_event; k < events_.size(); ++k)
      if (events_[k].type == std::string_view("validation")) r.validations.push_back(events_[k].date);
    std::sort(r.validations.begin(), r.validations.end());

    if (transfer == kNoDate) {
      rows_.push_back(std::move(r));
      inject_errors(rows_.size() - 1, f, outcome);
    } else {
      const Partner to = provider == Partner::kAcute ? Partner::kOrthopaedic : Partner::kAcute;
      for (std::size_t k = first_event; k < events_.size(); ++k)
        if (events_[k].date > transfer) events_[k].provider = to;
      Event moved{transfer, provider, "transfer", -1, "21"};
      moved.transfer_to = partner_code(to);
      events_.push_back(moved);
      Reported sent = r;
      sent.stop = kNoDate;
      sent.status = "";
      sent.removal = transfer;
      sent.removal_reason = "transferred";
      if (sent.tci_offered > transfer) sent.tci = sent.tci_offered = kNoDate;
      std::erase_if(sent.validations, [&](Days v) { return v > transfer; });
      std::erase_if(r.validations, [&](Days v) { return v <= transfer; });
      r.provider = to;
      r.transferred_in = true;
      r.list_from = transfer;
      if (r.tci_offered != kNoDate) r.tci_offered = std::max(r.tci_offered, transfer + 1);
      if (r.tci_offered > end_) r.tci = r.tci_offered = kNoDate;
      rows_.push_back(std::move(sent));
      rows_.push_back(std::move(r));
    }
    return next;
  }

  // The provider's reported row departs from the activity at small documented rates.
  void inject_errors(std::size_t i, Days first_appointment, Outcome outcome) {
    Reported& r = rows_[i];
    const int row = static_cast<int>(i);
    const double u = rng_.uniform();
    double at = kStartKeyedAsFirstAppointment;
    if (u < at) {
      if (r.period == 1 && outcome != kFirstDna && first_appointment > r.start && first_appointment <= end_ &&
          (r.stop == kNoDate || first_appointment < r.stop) &&
          (r.removal == kNoDate || first_appointment < r.removal)) {
        errors_.push_back({row, "clock_start_keyed_as_first_appointment", first_appointment, r.start});
        r.start = first_appointment;
      }
      return;
    }
    const bool recent = r.stop != kNoDate && r.stop > end_ - 365;
    if (u < (at += kTreatedLeftOpen)) {
      if (recent && outcome != kFirstDna && std::string_view(r.status) == "30") {
        errors_.push_back({row, "treated_left_open", kNoDate, r.stop});
        r.stop = kNoDate;
        r.status = "";
      }
      return;
    }
    if (u < (at += kDnaNotNullified)) {
      if (recent && std::string_view(r.status) == "33") {
        errors_.push_back({row, "dna_not_nullified", kNoDate, r.stop});
        r.stop = kNoDate;
        r.status = "";
      }
      return;
    }
    if (u < (at += kStopDateOff)) {
      if (r.stop != kNoDate) {
        const Days shift = between(1, 7) * (rng_.bernoulli(0.5) ? 1 : -1);
        const Days moved = std::clamp<Days>(r.stop + shift, r.start, end_);
        if (moved != r.stop) {
          errors_.push_back({row, "stop_date_off", moved, r.stop});
          r.stop = moved;
        }
      }
      return;
    }
    if (u < (at += kDuplicateRow)) {
      // The same period keyed twice; validation removes the copy some weeks after the original
      // leaves the list.
      Reported copy = r;
      copy.duplicate_of = row;
      copy.stop = kNoDate;
      copy.status = "";
      const Days left = r.stop != kNoDate ? r.stop : r.removal;
      copy.removal = left == kNoDate ? kNoDate : left + between(14, 120);
      copy.removal_reason = "duplicate";
      if (copy.removal > end_) copy.removal = kNoDate, copy.removal_reason = "";
      rows_.push_back(std::move(copy));
      errors_.push_back({static_cast<int>(rows_.size() - 1), "duplicate_row", kNoDate, kNoDate});
    }
  }

  void emit(int function) {
    const int number = ++pathways_;
    const PartnerRecord* rec[2] = {nullptr, nullptr};
    auto record = [&](Partner p) -> const PartnerRecord& {
      const PartnerRecord*& r = rec[p == Partner::kAcute ? 0 : 1];
      if (!r) r = &partners_.use(p, rng_);
      return *r;
    };
    const std::string ppi = record(first_provider_).local_id + "-P" + std::to_string(number);
    std::vector<std::string> ids(rows_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const Reported& r = rows_[i];
      const int n = r.duplicate_of >= 0 ? ++pathways_ : number;
      ids[i] = record(r.provider).local_id + "-P" + std::to_string(n);
      if (r.period > 1 && r.duplicate_of < 0) ids[i] += "." + std::to_string(r.period);
    }
    auto& tally = chunk_.tally;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const Reported& r = rows_[i];
      const PartnerRecord& pr = record(r.provider);
      const Days as_at = std::min({end_, r.stop, r.removal});
      const bool admitted = r.dta != kNoDate && r.dta <= as_at;
      CsvRow out = row(chunk_, Extract::kRttPathways);
      out.text(ids[i]).text(partner_code(r.provider)).text(pr.local_id).text(pr.nhs_number)
          .integer(function).text(admitted ? r.priority : "").date(r.start);
      if (r.stop == kNoDate) out.empty().text("");
      else out.date(r.stop).text(r.status);
      out.text(ppi).integer(r.period).date(r.referral).text(admitted ? "admitted" : "non_admitted")
          .text(admitted && r.procedure ? *r.procedure : "");
      if (r.tci_offered != kNoDate && r.tci_offered <= as_at) out.date(r.tci);
      else out.empty();
      const Days v = r.last_validation(as_at);
      if (v == kNoDate) out.empty();
      else out.date(v);
      if (r.removal == kNoDate) out.empty().text("");
      else out.date(r.removal).text(r.removal_reason);
      ++tally.rtt_reported_rows;
      if (r.on_list(rtt_.snapshot)) {
        ++tally.rtt_open_at_snapshot;
        const Days waited = rtt_.snapshot - r.start;
        if (waited > 126) ++tally.rtt_open_over_18w;
        if (waited > 7 * 52) ++tally.rtt_open_over_52w;
        if (waited > 7 * 65) ++tally.rtt_open_over_65w;
        if (waited > 7 * 78) ++tally.rtt_open_over_78w;
      }
      // A duplicate reported row is one period reported twice; the weekly submission is keyed by
      // week, pathway and period, so it carries the period once (a second row would be quarantined).
      for (Days week : weeks_) {
        if (r.duplicate_of >= 0) break;
        if (!r.on_list(week)) continue;
        const bool adm = r.dta != kNoDate && r.dta <= week;
        CsvRow s = row(chunk_, Extract::kRttSnapshots);
        s.date(week).text(ppi).integer(r.period).text(partner_code(r.provider)).text(pr.local_id)
            .text(pr.nhs_number).integer(function).text(adm ? "admitted" : "non_admitted")
            .text(adm ? r.priority : "").date(r.start).text(adm && r.procedure ? *r.procedure : "");
        if (r.tci_offered != kNoDate && r.tci_offered <= week) s.date(r.tci);
        else s.empty();
        const Days lv = r.last_validation(week);
        if (lv == kNoDate) s.empty();
        else s.date(lv);
      }
    }
    for (const ReportingError& e : errors_) {
      const Reported& r = rows_[static_cast<std::size_t>(e.row)];
      CsvRow out = row(chunk_, Extract::kTruthRttErrors);
      out.text(ppi).integer(r.period).text(partner_code(r.provider)).text(e.error);
      if (r.duplicate_of >= 0) {
        out.text(ids[static_cast<std::size_t>(e.row)]).text(ids[static_cast<std::size_t>(r.duplicate_of)]);
        continue;
      }
      if (e.reported == kNoDate) out.text("");
      else out.date(e.reported);
      if (e.truth == kNoDate) out.text("");
      else out.date(e.truth);
    }
    std::stable_sort(events_.begin(), events_.end(),
                     [](const Event& a, const Event& b) { return a.date < b.date; });
    int n = 0;
    for (const Event& ev : events_) {
      const PartnerRecord& pr = record(ev.provider);
      CsvRow out = row(chunk_, Extract::kRttActivity);
      out.text(ppi + "-A" + std::to_string(++n)).text(ppi).text(partner_code(ev.provider))
          .text(pr.local_id).text(pr.nhs_number).date(ev.date).text(ev.type);
      if (ev.attended < 0) out.empty();
      else out.integer(ev.attended);
      out.text(ev.status).integer(function).text(ev.validation).text(ev.removal).text(ev.transfer_to);
      if (ev.date < ws_ || ev.date > we_) continue;
      if (ev.sus == 1 || ev.sus == 2)
        hospital_.outpatient(pr, ev.provider, ev.date, function, ev.sus == 1, ev.sus_status);
      else if (ev.sus == 3)
        hospital_.elective_admission(pr, ev.provider, ev.date, *ev.admitted_for, rng_);
    }
  }

  const Person& p_;
  const SynthConfig& cfg_;
  const std::vector<ElectiveCase>& cases_;
  const RttModel& rtt_;
  PersonPartners& partners_;
  HospitalRecord& hospital_;
  Chunk& chunk_;
  Rng rng_;
  int steps_;
  std::vector<Days> weeks_;
  Days ws_, we_, end_;
  int pathways_ = 0;
  Partner first_provider_ = Partner::kAcute;
  std::vector<Event> events_;
  std::vector<Reported> rows_;
  std::vector<ReportingError> errors_;
};

}  // namespace

double RttModel::wait_days(Rng& rng, Days clock_start, double scale) const {
  double w;
  if (clock_start < days_from_civil(2020, 3, 1)) {
    // Before the pandemic the 18-week standard was largely met.
    w = rng.bernoulli(0.93) ? rng.exponential(42) : rng.exponential(120);
  } else {
    w = rng.bernoulli(long_share) ? rng.exponential(kLongMeanDays) : rng.exponential(kShortMeanDays);
  }
  w *= scale;
  // The longest waits are treated before they breach 78 weeks.
  if (w > kCapDays) w = kCapDays - 60 + rng.uniform() * 60;
  return w;
}

double rtt_base_rate(const Person& p, int age) {
  const double r = age < 18 ? 0.15 : age < 40 ? 0.25 : age < 60 ? 0.35 : age < 75 ? 0.55 : 0.65;
  return r * (1 + 0.15 * std::popcount(p.conditions));
}

double extra_periods_per_referral() {
  double surgical = 0, medical = 0;
  for (const auto& f : kFunctions) (f.surgical ? surgical : medical) += f.weight;
  const double monitoring =
      (surgical * (kSurgicalOutcomes[kMonitoringPatient] + kSurgicalOutcomes[kMonitoringClinician]) +
       medical * (kMedicalOutcomes[kMonitoringPatient] + kMedicalOutcomes[kMonitoringClinician])) /
      (surgical + medical);
  const double mean_dna = kFirstDnaLeastDeprived * std::pow(kFirstDnaStep, 2);
  return mean_dna * kRebookAfterDna + monitoring * kMonitoringEndsInNewPeriod;
}

RttModel build_rtt_model(const SynthConfig& config, const Targets& targets,
                         const std::vector<Person>& people, std::size_t alive) {
  RttModel m;
  m.snapshot = days_from_civil(2024, 12, 31);
  if (m.snapshot > config.end_date) m.snapshot = config.end_date;
  // Share of the list waiting over 18 weeks (126 days) as a function of the long-wait share.
  const double target_share = targets.rtt_over_18w_pct / 100.0;
  double lo = 0, hi = 1;
  for (int it = 0; it < 50; ++it) {
    const double mid = (lo + hi) / 2;
    const double share = integral(mid, 126, RttModel::kCapDays) / integral(mid, 0, RttModel::kCapDays);
    (share < target_share ? lo : hi) = mid;
  }
  m.long_share = (lo + hi) / 2;
  const double mean_open_days = integral(m.long_share, 0, RttModel::kCapDays);
  double base = 0, stretched = 0;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const Person& p = people[i];
    if (!p.alive_on(m.snapshot) || (i >= alive && p.death <= m.snapshot)) continue;
    const double r = rtt_base_rate(p, age_in_years(p.birth, m.snapshot)) / 365.25;
    base += r;
    stretched += r * RttModel::deprivation_factor(steps_to_most_deprived(p));
  }
  const double target = targets.rtt_open * static_cast<double>(config.people) / kReferencePeople;
  // Each referral brings its extra periods, longer waits where deprivation stretches them, and
  // the reporting errors' share of the list.
  const double per_referral = stretched * mean_open_days * (1 + extra_periods_per_referral()) *
                              (1 + kReportingErrorListShare);
  m.referral_scale = base > 0 ? target / per_referral : 0;
  return m;
}

std::vector<Days> snapshot_weeks(Days end) {
  // 1970-01-01 was a Thursday: (d + 4) % 7 is 0 on Sundays.
  const Days last_sunday = end - static_cast<Days>(((end + 4) % 7 + 7) % 7);
  std::vector<Days> weeks;
  for (int k = 25; k >= 0; --k) weeks.push_back(last_sunday - 7 * k);
  return weeks;
}

void render_waiting_list(const Person& person, const SynthConfig& config,
                         const std::vector<ElectiveCase>& cases, const RttModel& rtt,
                         PersonPartners& partners, HospitalRecord& hospital, Chunk& chunk) {
  WaitingList(person, config, cases, rtt, partners, hospital, chunk).render();
}

}  // namespace severn::synth
