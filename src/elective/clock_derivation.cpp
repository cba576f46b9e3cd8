#include "elective/clock_derivation.h"

#include <algorithm>
#include <string>

#include "elective/rtt_status.h"

namespace severn::elective {

ActivityType parse_activity_type(std::string_view t) {
  if (t == "referral") return ActivityType::kReferral;
  if (t == "outpatient_first") return ActivityType::kOutpatientFirst;
  if (t == "outpatient_follow_up") return ActivityType::kOutpatientFollowUp;
  if (t == "diagnostic") return ActivityType::kDiagnostic;
  if (t == "decision_to_admit") return ActivityType::kDecisionToAdmit;
  if (t == "admission") return ActivityType::kAdmission;
  if (t == "active_monitoring_start") return ActivityType::kActiveMonitoringStart;
  if (t == "active_monitoring_end") return ActivityType::kActiveMonitoringEnd;
  if (t == "decision_not_to_treat") return ActivityType::kDecisionNotToTreat;
  if (t == "patient_declined") return ActivityType::kPatientDeclined;
  if (t == "died") return ActivityType::kDied;
  if (t == "validation") return ActivityType::kValidation;
  if (t == "transfer") return ActivityType::kTransfer;
  if (t == "discharge") return ActivityType::kDischarge;
  return ActivityType::kUnknown;
}

ValidationOutcome parse_validation_outcome(std::string_view t) {
  if (t.empty()) return ValidationOutcome::kNone;
  if (t == "still_waiting") return ValidationOutcome::kStillWaiting;
  if (t == "removed") return ValidationOutcome::kRemoved;
  return ValidationOutcome::kUnknown;
}

int same_day_rank(const Activity& a) {
  if (a.rtt_status == 10) return 0;
  if (a.type == ActivityType::kValidation && a.validation == ValidationOutcome::kRemoved) return 2;
  switch (status_effect(a.rtt_status)) {
    case StatusEffect::kStop:
    case StatusEffect::kActiveMonitoring:
    case StatusEffect::kFirstActivityDna: return 3;
    case StatusEffect::kOutsidePeriod: return 4;
    case StatusEffect::kNewPeriodStart: return 5;
    default: return 1;
  }
}

void sort_for_derivation(std::vector<Activity>& rows) {
  const auto before = [](const Activity& a, const Activity& b) {
    if (a.date != b.date) return a.date < b.date;
    return same_day_rank(a) < same_day_rank(b);
  };
  // Rows usually arrive in order (the store sorts them by date): check before sorting.
  if (!std::is_sorted(rows.begin(), rows.end(), before)) std::stable_sort(rows.begin(), rows.end(), before);
}

namespace {

// Where the pathway's clock is between activities.
enum class State : std::uint8_t {
  kNoClock,     // nothing started yet, or the last period was nullified
  kRunning,     // periods[current] is open
  kMonitoring,  // the last period stopped for active monitoring (31/32): 11 starts the next
  kEnded,       // the last period stopped (30, 34-36) or was removed
};

class Deriver {
 public:
  Deriver(PathwayKey key, std::vector<ClockPeriod>& periods, std::vector<Finding>& findings)
      : key_(key), periods_(periods), findings_(findings) {}

  bool running() const { return state_ == State::kRunning; }

  void apply(const Activity& a) {
    if (dead_ && a.date > death_day_) {
      finding(a, FindingCode::kActivityAfterDeath, "activity on " + format_iso_date(a.date) + " after death on " +
                                                       format_iso_date(death_day_) + "; ignored");
      return;
    }
    if (a.type == ActivityType::kUnknown)
      finding(a, FindingCode::kUnknownActivityType, "activity on " + format_iso_date(a.date) + " has an unknown type");
    if (state_ == State::kRunning && a.provider_code != open().provider_code && a.rtt_status != 21 &&
        a.type != ActivityType::kTransfer)
      finding(a, FindingCode::kActivityAtOtherProvider,
              "activity on " + format_iso_date(a.date) + " at " + std::string(a.provider_code) + " while the clock is held by " +
                  open().provider_code);
    if (a.type == ActivityType::kValidation) {
      if (a.validation == ValidationOutcome::kRemoved) {
        removal(a);
        return;
      }
      if (a.validation != ValidationOutcome::kStillWaiting)
        finding(a, FindingCode::kUnknownValidationOutcome,
                "validation contact on " + format_iso_date(a.date) + " without a known outcome");
    }
    if (a.rtt_status < 0 || status_effect(a.rtt_status) == StatusEffect::kUnknown) {
      finding(a, FindingCode::kUnknownRttStatus,
              "activity on " + format_iso_date(a.date) + " has RTT status '" + std::string(a.rtt_status_text) + "'; ignored");
      return;
    }
    status(a);
    if (state_ == State::kRunning) {
      if (a.type == ActivityType::kDecisionToAdmit || a.type == ActivityType::kAdmission)
        open().list_type = WaitingListType::kAdmitted;
      if (!started_now_ && a.type != ActivityType::kValidation) ++activities_since_start_;
    }
    started_now_ = false;
  }

 private:
  ClockPeriod& open() { return periods_[current_]; }

  void finding(const Activity& a, FindingCode code, std::string detail) {
    Finding f;
    f.person = key_.person;
    f.pathway = key_.pathway;
    f.period = period_number_;
    f.provider_code = std::string(a.provider_code);
    f.treatment_function = a.treatment_function;
    f.code = code;
    f.derived = a.rtt_status >= 0 ? std::to_string(a.rtt_status) : std::string(a.rtt_status_text);
    f.detail = std::move(detail);
    findings_.push_back(std::move(f));
  }

  void start(const Activity& a) {
    ClockPeriod p;
    p.person = key_.person;
    p.pathway = key_.pathway;
    p.period = ++period_number_;
    p.provider_code = std::string(a.provider_code);
    p.treatment_function = a.treatment_function;
    p.list_type = WaitingListType::kNonAdmitted;
    p.clock_start = a.date;
    current_ = periods_.size();
    periods_.push_back(std::move(p));
    state_ = State::kRunning;
    activities_since_start_ = 0;
    started_now_ = true;
  }

  void end(const Activity& a, PeriodEnd kind, State next) {
    open().end = a.date;
    open().end_kind = kind;
    state_ = next;
  }

  void removal(const Activity& a) {
    if (state_ != State::kRunning) {
      finding(a, FindingCode::kRemovalWithoutRunningClock,
              "validation removal on " + format_iso_date(a.date) + " with no clock running; ignored");
      return;
    }
    if (a.removal_reason.empty())
      finding(a, FindingCode::kRemovalWithoutReason, "validation removal on " + format_iso_date(a.date) + " without a reason");
    open().removal_reason = std::string(a.removal_reason);
    // A duplicate was never a separate wait: the period is voided rather than removed.
    end(a, a.removal_reason == "duplicate" ? PeriodEnd::kNullified : PeriodEnd::kRemoved, State::kEnded);
  }

  void status(const Activity& a) {
    // Built only for a finding: most rows have none.
    const auto on = [&a] { return " on " + format_iso_date(a.date); };
    switch (status_effect(a.rtt_status)) {
      case StatusEffect::kFirstStart:
        if (state_ == State::kRunning) {
          finding(a, FindingCode::kSecondStartWhileRunning,
                  "status 10" + on() + " while the clock started on " + format_iso_date(open().clock_start) + " runs");
        } else {
          if (state_ != State::kNoClock)
            finding(a, FindingCode::kFirstStartAfterStop, "status 10" + on() + " after the clock stopped; a new period started");
          start(a);
        }
        return;
      case StatusEffect::kNewPeriodStart:
        if (state_ == State::kRunning) {
          finding(a, FindingCode::kNewPeriodWhileRunning,
                  "status " + std::to_string(a.rtt_status) + on() + " while the clock started on " +
                      format_iso_date(open().clock_start) + " runs; ignored");
          return;
        }
        if (period_number_ == 0)
          finding(a, FindingCode::kNewPeriodWithoutEarlierPeriod,
                  "status " + std::to_string(a.rtt_status) + on() + " with no earlier period; a period started");
        else if (a.rtt_status == 11 && state_ != State::kMonitoring)
          finding(a, FindingCode::kActiveMonitoringEndWithoutMonitoring,
                  "status 11" + on() + " but the last period did not stop for active monitoring; a period started");
        start(a);
        return;
      case StatusEffect::kRunning:
        if (state_ == State::kNoClock)
          finding(a, FindingCode::kActivityBeforeClockStart, "status 20" + on() + " with no clock started");
        else if (state_ != State::kRunning)
          finding(a, FindingCode::kRunningStatusAfterStop, "status 20" + on() + " after the clock stopped");
        return;
      case StatusEffect::kTransfer: transfer(a); return;
      case StatusEffect::kStop:
      case StatusEffect::kActiveMonitoring:
        if (a.rtt_status == 36) {
          dead_ = true;
          death_day_ = a.date;
        }
        if (state_ != State::kRunning) {
          finding(a, FindingCode::kStopWithoutRunningClock,
                  "status " + std::to_string(a.rtt_status) + on() + " with no clock running; ignored");
          return;
        }
        open().stop_status = a.rtt_status;
        end(a, PeriodEnd::kClockStop,
            status_effect(a.rtt_status) == StatusEffect::kActiveMonitoring ? State::kMonitoring : State::kEnded);
        return;
      case StatusEffect::kFirstActivityDna:
        if (state_ != State::kRunning) {
          finding(a, FindingCode::kStopWithoutRunningClock, "status 33" + on() + " with no clock running; ignored");
        } else if (activities_since_start_ > 0) {
          finding(a, FindingCode::kDnaNotFirstActivity,
                  "status 33" + on() + " on activity " + std::to_string(activities_since_start_ + 1) +
                      " of the period; not a first-activity DNA, the clock keeps running");
        } else {
          open().stop_status = 33;
          end(a, PeriodEnd::kNullified, State::kNoClock);
        }
        return;
      case StatusEffect::kOutsidePeriod:
        if (state_ == State::kRunning)
          finding(a, FindingCode::kOutsideStatusWhileRunning,
                  "status " + std::to_string(a.rtt_status) + on() + " while the clock runs; the clock keeps running");
        return;
      case StatusEffect::kUnknown: return;
    }
  }

  void transfer(const Activity& a) {
    const auto on = [&a] { return " on " + format_iso_date(a.date); };
    if (state_ != State::kRunning) {
      finding(a, FindingCode::kTransferWithoutRunningClock, "status 21" + on() + " with no clock running; ignored");
      return;
    }
    if (a.transfer_provider_code.empty() || a.transfer_provider_code == open().provider_code) {
      finding(a, FindingCode::kTransferWithoutReceiver,
              "status 21" + on() + " without another receiving provider; the clock stays at " + open().provider_code);
      return;
    }
    // One clock: the receiver's period continues the sender's, with its clock start.
    ClockPeriod next = open();
    next.provider_code = std::string(a.transfer_provider_code);
    next.end = kStillOpen;
    next.end_kind = PeriodEnd::kOpen;
    next.stop_status = 0;
    next.on_list_from = a.date;  // on the receiver's list from the transfer, not twice before it
    open().end = a.date;
    open().end_kind = PeriodEnd::kTransferred;
    current_ = periods_.size();
    periods_.push_back(std::move(next));
  }

  PathwayKey key_;
  std::vector<ClockPeriod>& periods_;
  std::vector<Finding>& findings_;
  State state_ = State::kNoClock;
  std::size_t current_ = 0;
  int period_number_ = 0;
  int activities_since_start_ = 0;
  bool started_now_ = false;
  bool dead_ = false;
  Days death_day_ = 0;
};

}  // namespace

void derive_pathway(PathwayKey key, std::span<const Activity> rows, std::vector<ClockPeriod>& periods,
                    std::vector<Finding>& findings) {
  Deriver d(key, periods, findings);
  thread_local std::vector<char> applied;
  applied.assign(rows.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (applied[i]) continue;
    // Running activity on the day a new period starts belongs to the new period: the start
    // (ranked after that day's stops) is applied first when the clock is not running.
    const StatusEffect e = status_effect(rows[i].rtt_status);
    if (!d.running() && (e == StatusEffect::kRunning || e == StatusEffect::kTransfer)) {
      for (std::size_t j = i + 1; j < rows.size() && rows[j].date == rows[i].date; ++j) {
        const StatusEffect f = status_effect(rows[j].rtt_status);
        if (!applied[j] && (f == StatusEffect::kFirstStart || f == StatusEffect::kNewPeriodStart)) {
          d.apply(rows[j]);
          applied[j] = 1;
          break;
        }
      }
    }
    d.apply(rows[i]);
    applied[i] = 1;
  }
}

}  // namespace severn::elective
