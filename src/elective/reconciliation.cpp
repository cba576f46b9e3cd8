#include "elective/reconciliation.h"

#include <string>

#include "elective/rtt_status.h"

namespace severn::elective {

namespace {

// How a period left the list, from either side, in one shape.
enum class EndKind : std::uint8_t { kOpen, kStopped, kRemoved, kTransferred, kNullified };

struct End {
  EndKind kind = EndKind::kOpen;
  Days date = kNoDate;
  int status = 0;              // kStopped
  std::string_view reason;     // kRemoved
};

End reported_end(const ReportedClock& r) {
  if (r.clock_stop != kNoDate) return {EndKind::kStopped, r.clock_stop, r.rtt_status, {}};
  if (r.removal_date != kNoDate) {
    if (r.removal_reason == "transferred") return {EndKind::kTransferred, r.removal_date, 0, {}};
    return {EndKind::kRemoved, r.removal_date, 0, r.removal_reason};
  }
  return {};
}

End derived_end(const ClockPeriod& d) {
  switch (d.end_kind) {
    case PeriodEnd::kOpen: return {};
    case PeriodEnd::kClockStop: return {EndKind::kStopped, d.end, d.stop_status, {}};
    case PeriodEnd::kRemoved: return {EndKind::kRemoved, d.end, 0, d.removal_reason};
    case PeriodEnd::kTransferred: return {EndKind::kTransferred, d.end, 0, {}};
    case PeriodEnd::kNullified:
      // A duplicate voided by validation is, on the reported list, a removal for that reason.
      if (d.removal_reason == "duplicate") return {EndKind::kRemoved, d.end, 0, d.removal_reason};
      return {EndKind::kNullified, d.end, 33, {}};
  }
  return {};
}

std::string describe(const End& e) {
  switch (e.kind) {
    case EndKind::kOpen: return "open";
    case EndKind::kStopped: return "stopped " + format_iso_date(e.date) + " status " + std::to_string(e.status);
    case EndKind::kRemoved: return "removed " + format_iso_date(e.date) + " " + std::string(e.reason);
    case EndKind::kTransferred: return "transferred " + format_iso_date(e.date);
    case EndKind::kNullified: return "nullified " + format_iso_date(e.date) + " (status 33)";
  }
  return "";
}

class Reconciler {
 public:
  Reconciler(PathwayKey key, std::vector<Finding>& findings) : key_(key), findings_(findings) {}

  void add(const ReportedClock& r, FindingCode code, std::string reported, std::string derived, std::string detail) {
    Finding f;
    f.person = key_.person;
    f.pathway = key_.pathway;
    f.period = r.period;
    f.provider_code = std::string(r.provider_code);
    f.treatment_function = r.treatment_function;
    f.code = code;
    f.reported = std::move(reported);
    f.derived = std::move(derived);
    f.detail = std::move(detail);
    findings_.push_back(std::move(f));
  }

  void compare(const ReportedClock& r, const ClockPeriod& d) {
    if (r.clock_start != d.clock_start)
      add(r, FindingCode::kStartDiffers, format_iso_date(r.clock_start), format_iso_date(d.clock_start),
          "reported clock start " + format_iso_date(r.clock_start) + ", derived " + format_iso_date(d.clock_start) + ": " +
              std::to_string(r.clock_start > d.clock_start ? r.clock_start - d.clock_start : d.clock_start - r.clock_start) +
              (r.clock_start > d.clock_start ? " days late" : " days early"));
    const End re = reported_end(r), de = derived_end(d);
    if (de.kind == EndKind::kNullified) {
      const std::string rs = describe(re), ds = describe(de);
      if (re.kind != EndKind::kStopped || re.status != 33)
        add(r, FindingCode::kNullifiedButReported, rs, ds,
            "the first activity on " + format_iso_date(de.date) + " was not attended (33), so the period never counts; "
            "the provider reports it " + rs);
      else if (re.date != de.date)
        add(r, FindingCode::kStopDateDiffers, format_iso_date(re.date), format_iso_date(de.date),
            "reported first-activity DNA (33) on " + format_iso_date(re.date) + ", derived " + format_iso_date(de.date));
      return;
    }
    if (re.kind == de.kind) {
      switch (re.kind) {
        case EndKind::kStopped:
          if (re.date != de.date)
            add(r, FindingCode::kStopDateDiffers, format_iso_date(re.date), format_iso_date(de.date),
                "reported clock stop " + format_iso_date(re.date) + ", derived " + format_iso_date(de.date));
          if (re.status != de.status)
            add(r, FindingCode::kStopReasonDiffers, r.rtt_status >= 0 ? std::to_string(re.status) : std::string(r.rtt_status_text),
                std::to_string(de.status),
                "reported stop status '" + std::string(r.rtt_status_text) + "', derived " + std::to_string(de.status) + " (" +
                    std::string(status_meaning(de.status)) + ")");
          return;
        case EndKind::kRemoved:
        case EndKind::kTransferred:
          if (re.date != de.date)
            add(r, FindingCode::kRemovalDateDiffers, format_iso_date(re.date), format_iso_date(de.date),
                "reported leaving the list on " + format_iso_date(re.date) + ", derived " + format_iso_date(de.date));
          if (re.reason != de.reason)
            add(r, FindingCode::kRemovalReasonDiffers, std::string(re.reason), std::string(de.reason),
                "reported removal reason '" + std::string(re.reason) + "', derived '" + std::string(de.reason) + "'");
          return;
        case EndKind::kOpen:
        case EndKind::kNullified: return;
      }
    }
    const std::string rs = describe(re), ds = describe(de);
    FindingCode code = FindingCode::kReportedEndKindDiffers;
    if (re.kind == EndKind::kOpen) {
      code = de.kind == EndKind::kStopped   ? FindingCode::kReportedOpenButStopped
             : de.kind == EndKind::kRemoved ? FindingCode::kReportedOpenButRemoved
                                            : FindingCode::kReportedOpenButTransferred;
    } else if (de.kind == EndKind::kOpen) {
      code = re.kind == EndKind::kStopped ? FindingCode::kReportedStoppedButOpen : FindingCode::kReportedRemovedButOpen;
    }
    add(r, code, rs, ds, "reported " + rs + "; the activity shows " + ds);
  }

 private:
  PathwayKey key_;
  std::vector<Finding>& findings_;
};

}  // namespace

void reconcile_pathway(PathwayKey key, std::span<const ReportedClock> reported, std::span<ClockPeriod> derived,
                       bool has_activity, std::vector<Finding>& findings) {
  Reconciler rec(key, findings);
  // Few periods per pathway: quadratic matching is cheapest.
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Reused across the pathways a thread reconciles: most have one or two rows.
  thread_local std::vector<char> derived_matched, done;
  thread_local std::vector<std::size_t> group;
  thread_local std::vector<Finding> scratch;
  derived_matched.assign(derived.size(), 0);
  done.assign(reported.size(), 0);
  for (std::size_t i = 0; i < reported.size(); ++i) {
    if (done[i]) continue;
    const ReportedClock& r = reported[i];
    // The rows that report the same period: same provider, and the same rtt_period or start.
    group.assign(1, i);
    for (std::size_t j = i + 1; j < reported.size(); ++j)
      if (!done[j] && reported[j].provider_code == r.provider_code &&
          (reported[j].period == r.period || reported[j].clock_start == r.clock_start))
        group.push_back(j);
    for (const std::size_t g : group) done[g] = 1;
    std::size_t m = kNone;
    for (std::size_t k = 0; k < derived.size() && m == kNone; ++k)
      if (!derived_matched[k] && derived[k].period == r.period && derived[k].provider_code == r.provider_code) m = k;
    for (std::size_t k = 0; k < derived.size() && m == kNone; ++k)
      if (!derived_matched[k] && derived[k].clock_start == r.clock_start && derived[k].provider_code == r.provider_code) m = k;
    // The original is the row that agrees best with the derived period (a keyed-again copy
    // usually carries removal reason "duplicate"); the others are duplicates of it.
    std::size_t best = i;
    if (m != kNone && group.size() > 1) {
      std::size_t best_count = kNone;
      for (const std::size_t g : group) {
        scratch.clear();
        Reconciler trial(key, scratch);
        trial.compare(reported[g], derived[m]);
        const std::size_t count = scratch.size() * 2 + (reported[g].removal_reason == "duplicate" ? 1 : 0);
        if (count < best_count) best_count = count, best = g;
      }
    }
    for (const std::size_t g : group) {
      if (g == best) continue;
      const ReportedClock& b = reported[best];
      rec.add(reported[g], FindingCode::kDuplicateReportedPeriod,
              "period " + std::to_string(reported[g].period) + " from " + format_iso_date(reported[g].clock_start),
              "period " + std::to_string(b.period) + " from " + format_iso_date(b.clock_start),
              "reported again: the provider's list holds this period twice");
    }
    const ReportedClock& o = reported[best];
    if (m == kNone) {
      const std::string rs = "period " + std::to_string(o.period) + " from " + format_iso_date(o.clock_start);
      if (!has_activity)
        rec.add(o, FindingCode::kReportedWithoutActivity, rs, "", "the pathway has no activity to derive a clock from");
      else
        rec.add(o, FindingCode::kReportedPeriodNotDerived, rs, "",
                "the activity gives no period " + std::to_string(o.period) + " at " + std::string(o.provider_code));
      continue;
    }
    derived_matched[m] = 1;
    if (o.priority != 0) derived[m].priority = o.priority;
    rec.compare(o, derived[m]);
  }
  for (std::size_t k = 0; k < derived.size(); ++k) {
    if (derived_matched[k] || derived[k].end_kind == PeriodEnd::kNullified) continue;
    const ClockPeriod& d = derived[k];
    ReportedClock as_reported;  // the finding's location is the derived period's
    as_reported.period = d.period;
    as_reported.provider_code = d.provider_code;
    as_reported.treatment_function = d.treatment_function;
    rec.add(as_reported, FindingCode::kDerivedWithoutReport, "",
            "period " + std::to_string(d.period) + " from " + format_iso_date(d.clock_start) + ", " +
                std::string(period_end_name(d.end_kind)),
            "the activity gives a period the provider does not report");
  }
}

}  // namespace severn::elective
